// The resident page: register yourself and your household on this phone and
// show the passes. Every rule (validation, masking, the pass format) is the
// core's; this module sends intents through the core worker and shows replies.
// Personal data stays in the page: never in a URL, never on the console.

import { openCore } from '../shared/core-client.js';
import { registerFaceWorker } from '../sw/register.js';
import { PersonForm } from './form.js';
import { qrImageUrl } from '../shared/qr-writer.js';
import { strings } from './strings.js';
import { visitorScreen } from './visitor.js';

const $ = (id) => document.getElementById(id);
const LANG_KEY = 'gatepass.resident.lang';
const COMMUNITY_KEY = 'gatepass.resident.community';

const state = {
  lang: localStorage.getItem(LANG_KEY) === 'en' ? 'en' : 'zh',
  core: null,
  acceptLoss: false, // the person agreed to start anew after storage.lost
  form: null,
  records: [],
  current: 0, // index into records shown on the pass view
  editing: null, // the record being edited, or null for a new person
  view: 'loading',
  touched: new Set(),
  validateSeq: 0,
  qrUrl: null,
  wakeLock: null,
  community: readCommunity(),
  publicKey: '', // the community's, kept by the core (settings.community_public_key): passes are sealed to it
  live: { doc: null, text: '', renewAt: 0, timer: 0, band: null },
};

const words = () => strings[state.lang];
const text = (msg) => (msg ? msg[state.lang] || msg.zh || msg.en || '' : '');

// --- community (from the poster URL: ?c=CODE&n=NAME or #c=CODE&n=NAME) ---

function readCommunity() {
  const params = new URLSearchParams(location.search);
  const hash = new URLSearchParams(location.hash.replace(/^#/, ''));
  const code = params.get('c') ?? hash.get('c');
  const name = params.get('n') ?? hash.get('n');
  if (code || name) {
    const c = { code: (code ?? '').slice(0, 40), name: (name ?? '').slice(0, 60) };
    try { localStorage.setItem(COMMUNITY_KEY, JSON.stringify(c)); } catch { /* private mode */ }
    return c;
  }
  try {
    const saved = JSON.parse(localStorage.getItem(COMMUNITY_KEY) ?? 'null');
    if (saved && typeof saved === 'object') return { code: String(saved.code ?? ''), name: String(saved.name ?? '') };
  } catch { /* ignore a damaged entry */ }
  return null;
}

/** The poster's public key (k), in the URL only when the page was opened from the poster. */
function posterKey() {
  const params = new URLSearchParams(location.search);
  const hash = new URLSearchParams(location.hash.replace(/^#/, ''));
  return params.get('k') ?? hash.get('k');
}

/** Keeps the poster's key with the household (the core checks it), and reads the one kept. */
async function loadCommunityKey() {
  const k = posterKey();
  if (k) {
    const set = await state.core.call('settings.set', { settings: { community_public_key: k } });
    if (!set.ok) state.keyError = set.error;
  }
  const got = await state.core.call('settings.get', {});
  state.publicKey = got.ok ? got.settings.community_public_key ?? '' : '';
}

const communityLabel = () => (state.community ? state.community.name || state.community.code : '');

// --- views ---

const VIEWS = ['loading', 'failed', 'pass', 'household', 'form', 'visitor'];

function show(view, { focus = true } = {}) {
  state.view = view;
  for (const v of VIEWS) $(`view-${v}`).hidden = v !== view;
  document.body.dataset.view = view;
  $('status').textContent = ''; // a message belongs to the view it was said on
  if (view !== 'pass') releaseWakeLock();
  if (focus) {
    const heading = $(`view-${view}`).querySelector('h1');
    heading?.focus({ preventScroll: true });
    window.scrollTo(0, 0);
  }
}

function announce(message) {
  const s = $('status');
  s.textContent = '';
  // A fresh node so screen readers announce the same words twice in a row.
  requestAnimationFrame(() => (s.textContent = message));
}

function applyLanguage() {
  const w = words();
  document.documentElement.lang = state.lang === 'en' ? 'en' : 'zh-CN';
  document.title = w.title;
  for (const node of document.querySelectorAll('[data-t]')) {
    const v = w[node.dataset.t];
    if (typeof v === 'string') node.textContent = v;
  }
  const lang = $('lang');
  lang.textContent = w.switchLang;
  lang.setAttribute('aria-label', w.switchLangLabel);
  lang.lang = state.lang === 'en' ? 'zh-CN' : 'en';
  $('community').textContent = communityLabel() || w.noCommunity;
  $('community').classList.toggle('missing', !communityLabel());
  $('person-switch').setAttribute('aria-label', w.choosePerson);
  state.form?.setLanguage(state.lang, w);
  renderNotice();
  renderFormHeading();
  renderSummary();
  if (state.view === 'pass') renderPass();
  if (state.view === 'household') renderHousehold();
  visitor.render();
}

/** What the core worker says about storage: a damaged database kept aside, or the slower fallback. */
function renderNotice() {
  const info = state.core?.info;
  const notes = [state.keyError, info?.quarantined, info?.storage === 'idbfs' ? info.storage_note : null].filter(Boolean);
  $('notice').textContent = notes.map(text).join(' ');
  $('notice').hidden = notes.length === 0;
}

// --- the pass ---

function setWakeLock() {
  if (!('wakeLock' in navigator) || state.wakeLock) return;
  navigator.wakeLock.request('screen').then(
    (lock) => { state.wakeLock = lock; lock.addEventListener('release', () => (state.wakeLock = null)); },
    () => {},
  );
}

function releaseWakeLock() {
  state.wakeLock?.release().catch(() => {});
  state.wakeLock = null;
}

async function renderPass() {
  const w = words();
  const records = state.records;
  if (!records.length) return;
  state.current = Math.min(state.current, records.length - 1);
  const record = records[state.current];
  const name = record.person.name;

  const sw = $('person-switch');
  sw.hidden = records.length < 2;
  sw.textContent = '';
  records.forEach((r, i) => {
    const b = document.createElement('button');
    b.type = 'button';
    b.textContent = r.person.name;
    b.setAttribute('aria-pressed', String(i === state.current));
    b.addEventListener('click', () => { state.current = i; renderPass(); });
    sw.append(b);
  });

  $('pass-name').textContent = name;
  $('pass-doc').textContent = `${w.docLabel} ${record.masked?.doc_number ?? ''}`;
  $('pass-community').textContent = communityLabel();
  $('pass-community').hidden = !communityLabel();
  const img = $('pass-qr');
  img.alt = w.passFor(name, $('pass-doc').textContent);
  const want = await passText(record);
  if (records[state.current] !== record || want === null) return; // switched meanwhile, or said why not
  if (img.dataset.pass !== want) {
    img.removeAttribute('src');
    img.dataset.pass = '';
    try {
      const url = await qrImageUrl(want);
      if (records[state.current] !== record) { URL.revokeObjectURL(url); return; } // switched meanwhile
      if (state.qrUrl) URL.revokeObjectURL(state.qrUrl);
      state.qrUrl = url;
      img.src = url;
      img.dataset.pass = want;
      await img.decode().catch(() => {});
    } catch {
      img.alt = w.passFailed;
      announce(w.passFailed);
    }
  }
  $('pass').dataset.ready = img.dataset.pass ? 'true' : 'false';
  if (state.view === 'pass') setWakeLock();
}

/** The pass to show: the live sealed one when the household has the community key, else the plain one. */
async function passText(record) {
  renderLive();
  if (!state.publicKey) return record.pass;
  const live = state.live;
  const doc = record.person.doc_number;
  // Made again when the core says (renew_at), and whenever the page becomes visible.
  if (live.doc === doc && live.text && Date.now() < live.renewAt) return live.text;
  const reply = await state.core.call('pass.live', { doc_number: doc });
  if (!reply.ok) { announce(text(reply.error)); return null; }
  Object.assign(live, { doc, text: reply.text, renewAt: reply.renew_at });
  $('pass').dataset.madeAt = String(reply.made_at);
  return reply.text;
}

/** The live element: the clock and the day's band, from the core every second; the pass remade every 30 s. */
function renderLive() {
  const w = words();
  const keyed = !!state.publicKey;
  $('pass-live').hidden = false;
  $('pass-band').hidden = !keyed;
  $('pass-clock').hidden = !keyed;
  $('pass-live-note').textContent = keyed ? (state.live.band ? w.liveNote(text(state.live.band)) : '') : w.plainNote;
  $('pass').dataset.live = String(keyed);
  if (keyed && !state.live.timer) {
    state.live.timer = setInterval(tickLive, 1000);
    tickLive();
  }
}

async function tickLive() {
  if (state.view !== 'pass' || document.visibilityState !== 'visible') return;
  const clock = await state.core.call('live.clock', {});
  if (clock.ok) {
    $('pass-clock').textContent = clock.time;
    $('pass-band').style.setProperty('--band', clock.band.colour);
    $('pass-band').dataset.colour = clock.band.colour;
    if (!state.live.band || state.live.band.colour !== clock.band.colour) {
      state.live.band = clock.band;
      $('pass-live-note').textContent = words().liveNote(text(clock.band));
    }
  }
  if (Date.now() >= state.live.renewAt) renderPass();
}

async function showPass(index) {
  state.current = index;
  show('pass');
  await renderPass();
}

// --- household ---

function renderHousehold() {
  const w = words();
  $('household-heading').textContent = w.householdCount(state.records.length);
  const list = $('household-list');
  list.textContent = '';
  state.records.forEach((r, i) => {
    const li = document.createElement('li');
    li.className = 'person';
    const who = document.createElement('div');
    who.className = 'who';
    const name = document.createElement('span');
    name.className = 'name';
    name.textContent = r.person.name;
    const doc = document.createElement('span');
    doc.className = 'doc';
    doc.textContent = r.masked?.doc_number ?? '';
    who.append(name, doc);
    const actions = document.createElement('div');
    actions.className = 'row-actions';
    const button = (label, cls, onClick) => {
      const b = document.createElement('button');
      b.type = 'button';
      b.className = cls;
      b.textContent = label;
      // The visible words are short; the accessible name says whose.
      b.setAttribute('aria-label', `${label}：${r.person.name}`);
      b.addEventListener('click', onClick);
      return b;
    };
    actions.append(
      button(w.showPass, 'primary show', () => showPass(i)),
      button(w.edit, 'edit', () => openForm(r)),
      button(w.delete, 'danger delete', () => confirmDelete(r)),
    );
    li.append(who, actions);
    list.append(li);
  });
}

function showHousehold() {
  renderHousehold();
  show('household');
}

async function confirmDelete(record) {
  const w = words();
  const dialog = $('confirm');
  $('confirm-text').textContent = w.confirmDelete(record.person.name);
  dialog.returnValue = '';
  dialog.showModal();
  const answer = await new Promise((resolve) => dialog.addEventListener('close', () => resolve(dialog.returnValue), { once: true }));
  if (answer !== 'ok') return;
  const reply = await state.core.call('person.delete', { doc_number: record.person.doc_number });
  if (!reply.ok) { announce(text(reply.error)); return; }
  await loadRecords();
  if (state.records.length) showHousehold();
  else openForm(null);
  announce(w.deleted(record.person.name));
}

// --- the form ---

function renderFormHeading() {
  const w = words();
  $('form-heading').textContent = state.editing ? w.formEdit : state.records.length ? w.formNew : w.formNewFirst;
  $('form-cancel').hidden = state.records.length === 0;
}

let summaryErrors = [];

function renderSummary() {
  const box = $('form-summary');
  box.textContent = '';
  if (!summaryErrors.length) { box.hidden = true; return; }
  const w = words();
  const p = document.createElement('p');
  p.textContent = w.fixErrors(summaryErrors.length);
  const ul = document.createElement('ul');
  for (const e of summaryErrors) {
    const li = document.createElement('li');
    const key = e.field && state.form.byKey.has(e.field) && state.form.visible(e.field) ? e.field : null;
    if (key) {
      const a = document.createElement('a');
      a.href = `#field-${key}`;
      a.textContent = text(e);
      a.addEventListener('click', (ev) => { ev.preventDefault(); state.form.focus(key); });
      li.append(a);
    } else {
      li.textContent = text(e);
    }
    ul.append(li);
  }
  box.append(p, ul);
  box.hidden = false;
}

function errorsOf(reply) {
  if (reply.ok) return [];
  if (Array.isArray(reply.errors) && reply.errors.length) return reply.errors;
  return reply.error ? [reply.error] : [{ zh: '保存失败', en: 'Could not save' }];
}

/**
 * The form for `record`, or for a new person; a new household member starts
 * with the answers of `copyFrom` that the core marks copied_in_household.
 */
function openForm(record, copyFrom = null) {
  state.editing = record;
  state.touched.clear();
  summaryErrors = [];
  if (!record && copyFrom) state.form.fillCopied(copyFrom.person, copyFrom.person.name);
  else state.form.fill(record ? record.person : {});
  renderFormHeading();
  renderSummary();
  $('person-form').dataset.state = 'idle';
  show('form');
}

/** Field-by-field checking: the core validates the whole form, the page shows only what was touched. */
async function validateTouched() {
  const seq = ++state.validateSeq;
  const reply = await state.core.call('person.validate', { person: state.form.read() });
  if (seq !== state.validateSeq) return; // an older answer
  const touched = new Set([...state.touched].filter((k) => state.form.visible(k)));
  state.form.setErrors(errorsOf(reply).filter((e) => e.field), new Set(touched), reply.suggestions ?? []);
  if (summaryErrors.length) {
    summaryErrors = state.form.errorKeys().map((k) => state.form.errors.get(k));
    renderSummary();
  }
}

async function save(event) {
  event.preventDefault();
  const form = $('person-form');
  if (form.dataset.state === 'saving') return;
  const w = words();
  form.dataset.state = 'saving';
  const button = $('form-save');
  button.disabled = true;
  button.textContent = w.saving;
  try {
    const args = { person: state.form.read() };
    if (state.editing) args.replaces = state.editing.person.doc_number;
    state.validateSeq++; // answers to earlier checks are stale now
    const reply = await state.core.call('person.save', args);
    if (!reply.ok) {
      const errors = errorsOf(reply);
      state.form.setErrors(errors, undefined, reply.suggestions ?? []);
      for (const e of errors) if (e.field) state.touched.add(e.field);
      summaryErrors = errors; // in form order, as the core answers
      renderSummary();
      form.dataset.state = 'invalid';
      // The summary first, wholly in view: it says how many things to fix,
      // and each of its links leads to a field (the field's own message waits there).
      const box = $('form-summary');
      box.focus({ preventScroll: true });
      box.scrollIntoView({ block: 'start' });
      return;
    }
    summaryErrors = [];
    renderSummary();
    form.dataset.state = 'saved';
    const savedDoc = reply.record.person.doc_number;
    await loadRecords();
    const index = Math.max(0, state.records.findIndex((r) => r.person.doc_number === savedDoc));
    await showPass(index);
    announce(w.saved(reply.record.person.name));
  } finally {
    button.disabled = false;
    button.textContent = words().save;
    if (form.dataset.state === 'saving') form.dataset.state = 'idle';
  }
}

// --- start ---

async function loadRecords() {
  const reply = await state.core.call('person.list', {});
  if (!reply.ok) throw Object.assign(new Error('person.list'), { reply });
  state.records = reply.records ?? [];
  document.body.dataset.count = String(state.records.length);
}

function failed(err) {
  const msg = err?.reply?.error ?? err?.error ?? (err?.zh ? err : null);
  $('failed-text').textContent = msg ? text(msg) : String(err?.message ?? err ?? '');
  // The browser deleted the stored database (the worker marks such an error
  // acceptable): it starts an empty one only once the person agrees.
  $('failed-anew').hidden = !msg?.acceptable;
  show('failed');
  document.body.dataset.ready = 'failed';
}

async function start() {
  show('loading', { focus: false });
  try {
    // The worker starts from this folder so the offline copy serves it (see core-worker.js).
    state.core ??= await openCore({ db: 'resident.sqlite', workerUrl: new URL('./core-worker.js', import.meta.url), acceptLoss: state.acceptLoss });
    if (!state.form) {
      const fields = await state.core.call('fields', {});
      if (!fields.ok) throw Object.assign(new Error('fields'), { reply: fields });
      state.form = new PersonForm($('form-fields'), fields, {
        onBlur: (key) => { state.touched.add(key); validateTouched(); },
        onChange: (key) => {
          // Radios and selects are answered by a change; re-check what depends on them.
          state.touched.add(key);
          if (state.form.errors.size || summaryErrors.length) validateTouched();
        },
        onSuggest: (sg) => {
          // The person pressed the core's offer: check again, then go on from the field it answered.
          state.touched.add(sg.field);
          state.touched.add(sg.about);
          validateTouched();
          state.form.focus(sg.about);
        },
      });
    }
    await loadCommunityKey();
    await loadRecords();
  } catch (err) {
    failed(err);
    return;
  }
  applyLanguage();
  if (state.records.length) await showPass(0);
  else openForm(null);
  document.body.dataset.ready = 'true';
  performance.mark('gatepass:ready'); // time to interactive, read by build-scripts/bench-resident
  // The offline copy is made once the page has everything it needs: the
  // files are then in the HTTP cache, and the worker's install revalidates
  // them (304s) instead of downloading them a second time.
  startServiceWorker();
}

let swStarted = false;
function startServiceWorker() {
  if (swStarted) return;
  swStarted = true;
  registerFaceWorker({
    onUpdateReady(apply) {
      $('update').hidden = false;
      $('update-apply').onclick = apply;
    },
  });
}

$('lang').addEventListener('click', () => {
  state.lang = state.lang === 'zh' ? 'en' : 'zh';
  try { localStorage.setItem(LANG_KEY, state.lang); } catch { /* private mode */ }
  applyLanguage();
});
$('person-form').addEventListener('submit', save);
$('form-cancel').addEventListener('click', () => (state.records.length ? showPass(state.current) : null));
$('pass-edit').addEventListener('click', () => openForm(state.records[state.current]));
$('pass-household').addEventListener('click', showHousehold);
// The phone's first registered person is the one who adds the others.
$('household-add').addEventListener('click', () => openForm(null, state.records[0] ?? null));
$('household-back').addEventListener('click', () => showPass(state.current));
// A visitor pass is made by the person whose pass is on screen: their address, their masked name.
const visitor = visitorScreen({
  $, core: () => state.core, words, text, show, announce,
  host: () => state.records[state.current], back: () => showPass(state.current),
});
$('pass-visitor').addEventListener('click', () => visitor.open());
$('failed-retry').addEventListener('click', start);
$('failed-anew').addEventListener('click', () => {
  if (!window.confirm(words().startAnewConfirm)) return;
  state.acceptLoss = true;
  start();
});
document.addEventListener('visibilitychange', () => {
  if (document.visibilityState !== 'visible' || state.view !== 'pass') return;
  setWakeLock();
  state.live.renewAt = 0; // a pass kept in the background is made again on sight
  renderPass();
});

applyLanguage();
start();
