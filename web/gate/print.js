// Printing goes through the DOM, not the canvas: the poster at the gate and
// pass cards for residents without a phone are laid out in #print-root and
// handed to the browser's print dialog (print.css shows only that).
// The printed words are the console's own (strings.js): Chinese first, the
// English line below, whatever language the console is in.
import { qrSvg } from '../shared/qr-writer.js';
import { strings } from './strings.js';

const { zh, en } = strings;


function root() {
  const el = document.getElementById('print-root');
  el.replaceChildren();
  return el;
}

function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

function qrBox(svg, cls) {
  const box = el('div', cls);
  // zxing's own SVG output, not user text: safe to insert as markup.
  box.innerHTML = svg;
  const s = box.querySelector('svg');
  if (s) {
    // Scale to the box: keep the drawing's own size as its viewBox.
    const w = parseFloat(s.getAttribute('width'));
    const h = parseFloat(s.getAttribute('height'));
    if (!s.getAttribute('viewBox') && w && h) s.setAttribute('viewBox', `0 0 ${w} ${h}`);
    s.removeAttribute('width');
    s.removeAttribute('height');
    s.setAttribute('shape-rendering', 'crispEdges');
  }
  return box;
}

/// The A4 poster: big QR of the resident page (`url`: the core's poster_url,
/// on the enrolled site with the community key), community name, three steps (zh + en).
export async function printPoster(url, settings, lang) {
  if (!url) return false;
  const svg = await qrSvg(url, 'Q');
  const r = root();
  const page = el('section', 'poster');
  page.append(el('h1', '', settings?.community_name || zh.posterName));
  page.append(el('p', 'poster-title', zh.posterTitle));
  page.append(qrBox(svg, 'poster-qr'));
  const steps = el('ol', 'poster-steps');
  for (const s of zh.posterSteps) steps.append(el('li', '', s));
  page.append(steps);
  page.append(el('p', 'poster-en', en.posterSummary));
  page.append(el('p', 'poster-url', url));
  r.append(page);
  document.documentElement.lang = lang === 'en' ? 'en' : 'zh-CN';
  window.print();
}

/// Pass cards (credit-card size, several per page): name, masked ID, the pass QR.
/// `cards`: [{name, masked: {doc_number}, text, number?}] (number: the core's card number, card.issue)
export async function printCards(cards, settings) {
  const r = root();
  const sheet = el('section', 'cards');
  for (const c of cards) {
    const card = el('div', 'card');
    card.append(qrBox(await qrSvg(c.text, 'M'), 'card-qr'));
    const info = el('div', 'card-info');
    info.append(el('div', 'card-name', c.name));
    info.append(el('div', 'card-doc', c.masked?.doc_number ?? ''));
    info.append(el('div', 'card-number', c.number ?? ''));
    info.append(el('div', 'card-community', settings?.community_name ?? ''));
    info.append(el('div', 'card-hint', `${zh.cardHint} · ${en.cardHint}`));
    card.append(info);
    sheet.append(card);
  }
  r.append(sheet);
  window.print();
}
