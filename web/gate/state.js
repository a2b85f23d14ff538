// What every screen of the console shares, and nothing more: the language,
// the tab, the core connection with its field table, the community settings,
// what is pending export, and the one-line message under the tabs. Each
// screen keeps its own state beside its draw function (scanState in flow.js,
// peopleState in view-people.js, officeState in view-office.js, settingsState
// in view-settings.js, lockState in view-lock.js), as Dear ImGui's demo does.
import { strings } from './strings.js';
import { fontText } from './glyphs.js';

const LANG_KEY = 'gatepass.gate.lang';
const STAFF_KEY = 'gatepass.gate.staff';

export const app = {
  phase: 'boot', // boot | ready | failed
  bootError: '',
  bootErrorCode: '',
  startAnew: null, // after storage.lost: () => reopen accepting the loss (app.js); a person confirms first
  lang: localStorage.getItem(LANG_KEY) === 'en' ? 'en' : 'zh',
  staff: [localStorage.getItem(STAFF_KEY) || ''], // the name on each entry; edited in Settings
  tab: 'scan',
  core: null, // the core client (web/shared/core-client.js); core.info says where the data lives
  fields: [], // the core's field table (`fields`)
  choices: {}, // field key → its choices, from the same table
  settings: null, // the community's settings (settings.get)
  settingsForm: [], // the core's settings form: sections of fields with words, kinds and ranges (settings.get)
  enrolled: false, // the core's: this gate holds a community key (settings replies)
  posterUrl: '', // the core's: the resident page's address for the poster; empty before enrolling
  pending: { persons: 0, entries: 0, exportable: false, words: null }, // not yet exported: batch.pending's answer
  inside: null, // {inside_now, inside_by_person_type} (inside.now)
  message: null, // {zh, en, kind: 'ok'|'warn'|'error', at}
  setAside: null, // the core's storage.quarantined: the sealed database was damaged, set aside at an unlock (lock.js)
};

let redraw = () => {};
/// The frame scheduler (app.js) sets this once; everything else asks for frames through invalidate().
export function setRedraw(fn) { redraw = fn; }
export function invalidate(frames, queued) { redraw(frames, queued); }

export const t = (key, ...args) => {
  const v = strings[app.lang][key] ?? strings.zh[key] ?? key;
  return typeof v === 'function' ? v(...args) : v;
};
/// A core message {zh, en} in the console's language.
/// The core's words in the console's language, as the console's font draws
/// them (glyphs.js: a name beyond the BMP). For drawing only.
export const say = (m) => fontText(m ? (app.lang === 'en' ? m.en || m.zh : m.zh || m.en) || m.code || '' : '');
/// One of the console's own strings as a message {zh, en} (for note()).
export const both = (key, ...args) => {
  const pick = (lang) => { const v = strings[lang][key]; return typeof v === 'function' ? v(...args) : v; };
  return { zh: pick('zh'), en: pick('en') };
};

/// Online is the browser's to know: read each time, never copied (a copy
/// missed the `offline` event that came while the console was starting).
export const online = () => navigator.onLine;

export function setLang(lang) {
  app.lang = lang;
  localStorage.setItem(LANG_KEY, lang);
}

export function setStaff(name) {
  localStorage.setItem(STAFF_KEY, name);
}

export function staffName() {
  return app.staff[0].trim() || app.settings?.gate_name || 'gate';
}

/// The staff member on duty as typed, for the actions the core logs
/// (StaffAction.h): the core trims it and logs "—" when nobody is named.
export function onDuty() {
  return app.staff[0];
}

/// What staff must know about where the data lives, as the core worker words
/// it: a damaged database that was kept aside (a plain one when the worker
/// opened it, the sealed one at an unlock), and the slower IndexedDB fallback.
export function storageNotes() {
  const info = app.core?.info;
  return [info?.quarantined, app.setAside, info?.storage === 'idbfs' ? info.storage_note : null].filter(Boolean);
}

/// Calls the core; a dead worker becomes an ok:false reply like any other.
/// Requests sent to the core so far (tests: a key burst that is not a read sends none).
export const callCount = { n: 0 };

export async function call(op, args = {}) {
  callCount.n++;
  try {
    return await app.core.call(op, args);
  } catch (err) {
    return { ok: false, error: { code: err.code || 'core.gone', zh: err.zh || String(err.message), en: err.en || String(err.message) } };
  }
}

export function note(m, kind = 'ok') {
  app.message = { zh: m?.zh ?? '', en: m?.en ?? '', kind, at: performance.now() };
  invalidate();
}

/// Who is inside now, as the core counts it (inside.now): the top bar's figure.
export async function refreshInside() {
  const rep = await call('inside.now');
  if (rep.ok) app.inside = rep;
}

export async function refreshPending() {
  const rep = await call('batch.pending');
  if (rep.ok) app.pending = rep;
}

/// A form field's label in the console's language.
export const fieldLabel = (f) => (app.lang === 'en' ? f.en : f.zh);
