// The office dashboard page: shows what the office service answers (words,
// counts, errors — zh first, then en) and sends sign-in and sign-out. It
// decides, counts and words nothing itself.
const $ = (sel) => document.querySelector(sel);
let words = {};

/** zh, then en in a quieter span. */
function bilingual(el, w) {
  el.textContent = w?.zh ?? '';
  if (w?.en) { const en = document.createElement('span'); en.className = 'en'; en.lang = 'en'; en.textContent = w.en; el.append(en); }
  return el;
}
const el = (tag, w, cls) => { const e = document.createElement(tag); if (cls) e.className = cls; return w === undefined ? e : typeof w === 'object' ? bilingual(e, w) : (e.textContent = String(w), e); };

async function call(path, body) {
  const init = body === undefined ? {} : { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) };
  const res = await fetch(`api/${path}`, { credentials: 'same-origin', ...init });
  let json = null;
  try { json = await res.json(); } catch { /* shown as the status below */ }
  return { status: res.status, json: json ?? { ok: false, error: { code: 'http.error', zh: `服务器答复 ${res.status}`, en: `The server answered ${res.status}` } } };
}

function showError(target, error) {
  const p = $(target);
  p.hidden = !error;
  if (error) { bilingual(p, error); p.dataset.code = error.code; } else delete p.dataset.code;
}

function show(section) {
  for (const id of ['sign-in', 'overview', 'audit']) $(`#${id}`).hidden = id !== section;
  for (const a of document.querySelectorAll('nav a')) a.toggleAttribute('aria-current', a.getAttribute('href') === `#${section}`);
  if (section) $(`#nav a[href="#${section}"]`)?.setAttribute('aria-current', 'page');
}

function signedIn(account) {
  const yes = Boolean(account);
  $('#nav').hidden = !yes;
  $('#who').hidden = !yes;
  $('#nav-audit').hidden = account?.role !== 'admin';
  if (yes) { $('#who-name').textContent = account.name; bilingual($('#who-role'), account.role_words); }
}

function signInScreen(error) {
  signedIn(null);
  show('sign-in');
  showError('#page-error', null);
  showError('#sign-in-error', error);
  $('#user').focus();
}

function tile(label, n, alert) {
  const t = el('div', undefined, `tile${alert && n > 0 ? ' alert' : ''}`);
  t.append(el('div', n, 'n'), el('div', words[label]));
  t.dataset.count = label;
  return t;
}

function dayTable(days, series, max) {
  const table = el('table', undefined, 'days');
  const head = table.createTHead().insertRow();
  head.append(el('th', words.day), el('th', words.entries), el('th', ''));
  const body = table.createTBody();
  days.forEach((day, i) => {
    const row = body.insertRow();
    const bar = el('span');
    bar.style.width = `${max ? (100 * series[i]) / max : 0}%`;
    const cell = el('td', undefined, 'bar'); cell.append(bar);
    row.append(el('td', day), cell, el('td', series[i], 'n'));
  });
  return table;
}

function community(c, days) {
  const box = el('article', undefined, 'community');
  box.dataset.community = c.code;
  box.append(el('h2', `${c.name} · ${c.code}`));
  const tiles = el('div', undefined, 'tiles');
  tiles.append(tile('entries_today', c.entries_today), tile('inside_now', c.inside_now), tile('persons', c.persons),
    tile('fever_today', c.fever_today, true), tile('under_observation', c.under_observation, true));
  box.append(tiles);
  const grid = el('div', undefined, 'grid');
  const left = el('div');
  left.append(el('h3', words.entries_by_day), dayTable(days, c.entries_by_day, Math.max(1, ...c.entries_by_day)));
  const right = el('div');
  const types = el('table', undefined, 'types');
  types.createTHead().insertRow().append(el('th', words.type), el('th', words.registered, 'n'), el('th', words.inside_now, 'n'));
  const tb = types.createTBody();
  for (const t of c.persons_by_type) {
    const row = tb.insertRow(); row.dataset.type = t.key;
    row.append(el('td', t), el('td', t.persons, 'n'), el('td', t.inside, 'n'));
  }
  const gates = el('table', undefined, 'gates');
  gates.createTHead().insertRow().append(el('th', words.gate), el('th', words.entries_today, 'n'), el('th', words.last_upload), el('th', words.status));
  const gb = gates.createTBody();
  for (const g of c.gates) {
    const row = gb.insertRow(); row.dataset.gate = g.name; if (g.behind) row.className = 'behind';
    row.append(el('td', g.name), el('td', g.entries_today, 'n'), el('td', g.last_upload_words), el('td', g.status));
  }
  right.append(el('h3', words.gates), gates, el('h3', words.persons_by_type), types);
  grid.append(left, right);
  box.append(grid);
  return box;
}

// `first`: the page just opened — being signed out then is no error to show.
async function overview(first) {
  const { status, json } = await call('overview');
  if (status === 401) return signInScreen(first ? null : json.error);
  if (!json.ok) return showError('#page-error', json.error);
  signedIn(json.account);
  $('#updated').textContent = json.updated_words;
  const list = $('#communities');
  list.replaceChildren(...json.communities.map((c) => community(c, json.days)));
  if (!json.communities.length) list.append(el('p', words.no_communities));
  showError('#page-error', null);
  show('overview');
}

async function auditLog(first) {
  const session = await call('session');
  if (session.status === 401) return signInScreen(first ? null : session.json.error);
  signedIn(session.json.account);
  const { json } = await call('audit');
  if (!json.ok) { show(null); return showError('#page-error', json.error); }
  $('#audit-table tbody').replaceChildren(...json.events.map((e) => {
    const row = document.createElement('tr'); row.dataset.action = e.action;
    row.append(el('td', e.at_words), el('td', e.account), el('td', e.action_words), el('td', e.address));
    return row;
  }));
  showError('#page-error', null);
  show('audit');
}

const route = (first = false) => (location.hash === '#audit' ? auditLog(first) : overview(first));

async function start() {
  const w = await call('words');
  words = w.json.words ?? {};
  for (const e of document.querySelectorAll('[data-w]')) bilingual(e, words[e.dataset.w]);
  document.title = `${words.title?.zh} · ${words.title?.en}`;
  $('#sign-in').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    $('#sign-in-submit').disabled = true;
    const { json } = await call('sign-in', { user: $('#user').value, password: $('#password').value });
    $('#sign-in-submit').disabled = false;
    $('#password').value = '';
    if (!json.ok) return showError('#sign-in-error', json.error);
    showError('#sign-in-error', null);
    await route();
  });
  $('#sign-out').addEventListener('click', async () => {
    await call('sign-out', {});
    signInScreen(null);
  });
  addEventListener('hashchange', () => route());
  await route(true);
}

start();
