// The visitor pass screen: the host types a visitor's name, mobile, day(s)
// and uses; the core checks them and makes the sealed pass (visitor.pass,
// src/core/VisitorPass.h) and its words; this module shows what it answers and
// hands the image to the phone's share sheet (Web Share API with the file),
// or saves it where sharing files is not offered. No rule lives here.
import { qrImageUrl } from '../shared/qr-writer.js';

const FIELDS = ['name', 'phone', 'from', 'to', 'uses'];

/**
 * `page`: {$, core() → the core client, words() → strings, text(msg) → the
 * language's words, show(view), host() → the record making the pass, announce(words), back()}.
 */
export function visitorScreen(page) {
  const { $ } = page;
  let made = null; // {reply, url, blob}: the pass on screen
  let errors = [];

  const read = () => ({
    visitor: { name: $('visitor-name').value, phone: $('visitor-phone').value },
    from: $('visitor-from').value,
    to: $('visitor-to').value,
    uses: $('visitor-form').elements.uses.value,
  });

  function renderErrors() {
    for (const f of FIELDS) {
      const e = errors.find((x) => x.field === f);
      const p = $(`visitor-${f}-error`);
      p.textContent = e ? page.text(e) : '';
      p.hidden = !e;
      $(`visitor-field-${f}`).classList.toggle('invalid', !!e);
      $(`visitor-field-${f}`).querySelector('input')?.setAttribute('aria-invalid', String(!!e));
    }
    const box = $('visitor-summary');
    const general = errors.filter((e) => !FIELDS.includes(e.field));
    box.textContent = errors.length ? (general.length ? general : errors).map(page.text).join(' ') : '';
    box.hidden = !errors.length;
  }

  function renderPass() {
    const v = made?.reply.visitor;
    $('visitor-result').hidden = !made;
    $('visitor-form').hidden = !!made;
    if (!v) return;
    const w = page.words();
    $('visitor-who').textContent = `${v.name} · ${v.phone}`;
    $('visitor-line').textContent = page.text(v.line);
    $('visitor-days').textContent = `${page.text(v.days)} · ${page.text(v.uses)}`;
    $('visitor-qr').alt = w.visitorFor(v.name);
    $('visitor-send').textContent = canShare() ? w.visitorSend : w.visitorSave;
  }

  const file = () => new File([made.blob], 'visitor-pass.png', { type: 'image/png' });
  const canShare = () => !!made && typeof navigator.canShare === 'function' && navigator.canShare({ files: [file()] });

  async function send() {
    if (!made) return;
    const v = made.reply.visitor;
    if (canShare()) {
      try {
        await navigator.share({ files: [file()], title: page.words().visitorShareTitle, text: `${page.text(v.line)} ${page.text(v.days)}` });
      } catch { /* the person closed the share sheet */ }
      return;
    }
    const a = document.createElement('a');
    a.href = made.url;
    a.download = 'visitor-pass.png';
    document.body.append(a);
    a.click();
    a.remove();
  }

  async function make(event) {
    event.preventDefault();
    const form = $('visitor-form');
    if (form.dataset.state === 'making') return;
    form.dataset.state = 'making';
    try {
      const reply = await page.core().call('visitor.pass', { doc_number: page.host().person.doc_number, ...read() });
      if (!reply.ok) {
        errors = Array.isArray(reply.errors) && reply.errors.length ? reply.errors : [reply.error];
        renderErrors();
        form.dataset.state = 'invalid';
        $('visitor-summary').focus({ preventScroll: true });
        return;
      }
      errors = [];
      renderErrors();
      const url = await qrImageUrl(reply.text);
      const blob = await (await fetch(url)).blob();
      forget();
      made = { reply, url, blob };
      $('visitor-qr').src = url;
      $('visitor-qr').dataset.pass = reply.text;
      await $('visitor-qr').decode().catch(() => {});
      renderPass();
      form.dataset.state = 'made';
      page.announce(page.text(reply.visitor.line));
    } finally {
      if (form.dataset.state === 'making') form.dataset.state = 'idle';
    }
  }

  function forget() {
    if (made) URL.revokeObjectURL(made.url);
    made = null;
    $('visitor-qr').removeAttribute('src');
    $('visitor-qr').dataset.pass = '';
  }

  /** A fresh form: the day is the core's today, in this phone's zone. */
  async function open() {
    forget();
    errors = [];
    $('visitor-form').reset();
    const clock = await page.core().call('live.clock', {});
    if (clock.ok) $('visitor-from').value = clock.date;
    renderErrors();
    renderPass();
    page.show('visitor');
  }

  $('visitor-form').addEventListener('submit', make);
  $('visitor-send').addEventListener('click', send);
  $('visitor-another').addEventListener('click', open);
  $('visitor-back').addEventListener('click', page.back);
  $('visitor-done').addEventListener('click', page.back);

  return {
    open,
    /** The language changed: the words again. */
    render() { renderErrors(); renderPass(); },
  };
}
