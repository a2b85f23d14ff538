// The console's state and its talk with the core. Every decision — is this a
// pass, who is it, may they enter, what goes into a batch — is the core's
// (src/core/Api.h); this file only sends intents and keeps the replies for the
// screens to show.
import { openCore } from '../shared/core-client.js';
import { play } from './sound.js';
import { strings } from './strings.js';

const LANG_KEY = 'gatepass.gate.lang';
const STAFF_KEY = 'gatepass.gate.staff';
/// The same pass seen again within this time is the same person still standing there.
export const DEBOUNCE_MS = 4000;
/// A pass just logged is not taken again for this long, even if it left the
/// view for a moment (someone lingering at the gate, a slow frame).
export const REPEAT_MS = 30000;
/// How long the "logged" panel stays before the console is ready for the next person.
const DONE_MS = 2500;
/// A found person's history: this many entries, newest first (entries.of).
export const HISTORY_LIMIT = 20;

const emptySearch = () => ({ query: [''], results: [], done: false, reveal: new Set(), history: new Map(), expanded: new Set() });

const idleFlow = () => ({
  step: 'idle', // idle | reading | verify | measure | decided | done | error
  text: '', person: null, masked: null, known: false, verified: false, changed: false,
  reveal: false, temperature: [0], direction: 'in', decision: null, entry: null, stored: null,
  error: null, busy: false, since: performance.now(),
});

export const S = {
  phase: 'boot', // boot | ready | failed
  bootError: '',
  invalidate: () => {},
  lang: localStorage.getItem(LANG_KEY) === 'en' ? 'en' : 'zh',
  staff: [localStorage.getItem(STAFF_KEY) || ''],
  tab: 'scan',
  online: navigator.onLine,
  core: null,
  coreInfo: null,
  fields: [],
  choices: {},
  settings: null,
  settingsEdit: null,
  pending: { persons: 0, entries: 0 },
  flow: idleFlow(),
  outline: null, // {corners, width, height, at}
  recent: new Map(), // pass text → last seen (ms)
  logged: new Map(), // pass text → when its entry was logged (ms)
  today: [],
  todayReveal: new Set(),
  search: emptySearch(),
  manual: null, // {values, errors} while staff type a registration
  stats: null,
  batches: [],
  lastExport: null,
  message: null, // {zh, en, kind: 'ok'|'warn'|'error', at}
  pin: { input: [''], first: null, error: '' },
  caret: null,
  lock: null,
  camera: null,
  uploader: null,
  calls: 0,
};

export const t = (key, ...args) => {
  const v = strings[S.lang][key] ?? strings.zh[key] ?? key;
  return typeof v === 'function' ? v(...args) : v;
};
/// A core message {zh, en} in the console's language.
export const say = (m) => (m ? (S.lang === 'en' ? m.en || m.zh : m.zh || m.en) || m.code || '' : '');

const decoder = new TextDecoder('utf-8');

export const flow = {
  async openCore() {
    S.core = await openCore({ db: 'gate.sqlite', workerUrl: new URL('./core-worker.js', import.meta.url) });
    S.coreInfo = S.core.info;
    const f = await call('fields');
    if (f.ok) {
      S.fields = f.fields;
      for (const fl of f.fields) if (fl.choices) S.choices[fl.key] = fl.choices;
    }
    await this.loadSettings();
    await this.refreshPending();
    await this.refreshToday();
    if (S.lock && !S.lock.locked) this.afterUnlock();
  },

  /// What staff must know about where the data lives: a damaged database that
  /// was kept aside, and the slower IndexedDB fallback (the core worker's words).
  storageNotes() {
    const info = S.coreInfo;
    return [info?.quarantined, info?.storage === 'idbfs' ? info.storage_note : null].filter(Boolean);
  },

  // --- lock ------------------------------------------------------------------
  async submitPin() {
    const pin = S.pin.input[0];
    S.pin.input[0] = '';
    S.pin.error = '';
    if (!S.lock.hasPin) {
      if (!/^\d{4,8}$/.test(pin)) { S.pin.error = t('pinTooShort'); return; }
      if (S.pin.first === null) { S.pin.first = pin; return; }
      if (S.pin.first !== pin) { S.pin.first = null; S.pin.error = t('pinMismatch'); return; }
      S.pin.first = null;
      await S.lock.setPin(pin);
    } else if (!(await S.lock.unlock(pin))) {
      S.pin.error = t('pinWrong');
      play('error');
      return;
    }
    this.afterUnlock();
  },

  afterUnlock() {
    if (S.camera && !S.camera.running && !S.camera.starting) S.camera.start();
  },

  onLocked() {
    // Nothing personal stays on a locked screen.
    S.flow = idleFlow();
    S.search = emptySearch();
    S.todayReveal.clear();
    S.manual = null;
  },

  lockNow() {
    S.lock.locked = true;
    this.onLocked();
  },

  setLang(lang) {
    S.lang = lang;
    localStorage.setItem(LANG_KEY, lang);
  },

  setStaff(name) {
    localStorage.setItem(STAFF_KEY, name);
  },

  staffName() {
    return S.staff[0].trim() || S.settings?.gate_name || 'gate';
  },

  // --- scanning ----------------------------------------------------------------
  /// A reader result; true when the screen must change (the outline moved).
  onScanResult(r) {
    const now = performance.now();
    let redraw = false;
    if (r.found) {
      S.outline = { corners: r.corners, width: r.width, height: r.height, at: now };
      redraw = S.tab === 'scan';
    } else if (S.outline && now - S.outline.at > 600) {
      S.outline = null;
      redraw = true;
    }
    if (!r.found || !S.core || S.lock.locked) return redraw;
    this.handleText(decoder.decode(r.bytes), now);
    return redraw;
  },

  handleText(text, now) {
    const busy = !['idle', 'done', 'error'].includes(S.flow.step);
    if (busy && text !== S.flow.text) return; // one person at a time
    const last = S.recent.get(text);
    S.recent.set(text, now);
    if (last !== undefined && now - last < DEBOUNCE_MS) return;
    if (now - (S.logged.get(text) ?? -Infinity) < REPEAT_MS) return;
    if (busy) return;
    this.scan(text);
  },

  async scan(text) {
    S.flow = { ...idleFlow(), step: 'reading', text };
    this.showScanTab();
    S.invalidate();
    const rep = await call('scan', { text });
    if (S.flow.text !== text) return;
    if (!rep.ok) {
      S.flow.step = 'error';
      S.flow.error = rep.error;
      play('error');
      S.invalidate();
      return;
    }
    this.showPerson(rep, text);
  },

  /// From a scan reply, or a record found by search/manual registration.
  showPerson({ person, masked, known, verified, changed }, text = '') {
    Object.assign(S.flow, {
      text, person, masked, known: !!known, verified: !!verified, changed: !!changed,
      step: !verified || changed ? 'verify' : 'measure', since: performance.now(),
    });
    if (!text) S.tab = 'scan'; // staff chose this person
    else this.showScanTab();
    S.invalidate();
    // A changed record: fetch the stored one so the screen can mark what differs.
    if (changed && person?.doc_number) {
      call('person.get', { doc_number: person.doc_number }).then((rep) => {
        if (rep.ok && S.flow.person === person) { S.flow.stored = rep.record.person; S.invalidate(); }
      });
    }
  },

  async verify() {
    const f = S.flow;
    f.busy = true;
    const rep = await call('person.verify', { person: f.person, staff: this.staffName() });
    f.busy = false;
    if (!rep.ok) { f.error = rep.error; play('error'); S.invalidate(); return; }
    f.error = null;
    f.verified = true;
    f.changed = false;
    f.masked = rep.record?.masked ?? f.masked;
    f.step = 'measure';
    f.reveal = false;
    await this.refreshPending();
    S.invalidate();
  },

  gateArgs() {
    const f = S.flow;
    const args = { doc_number: f.person.doc_number, direction: f.direction };
    if (f.temperature[0] > 0) args.temperature = Math.round(f.temperature[0] * 10) / 10;
    return args;
  },

  async decide() {
    const f = S.flow;
    if (!f.person || f.busy) return;
    f.busy = true;
    const rep = await call('decide', this.gateArgs());
    f.busy = false;
    if (!rep.ok) { f.error = rep.error; f.decision = null; f.step = 'measure'; play('error'); S.invalidate(); return; }
    f.error = null;
    f.decision = { verdict: rep.verdict, reasons: rep.reasons || [] };
    f.step = 'decided';
    play(rep.verdict);
    S.invalidate();
  },

  async confirm() {
    const f = S.flow;
    if (f.step !== 'decided' || f.busy) return;
    f.busy = true;
    const rep = await call('entry.record', { ...this.gateArgs(), staff: this.staffName() });
    f.busy = false;
    if (!rep.ok) { f.error = rep.error; play('error'); S.invalidate(); return; }
    f.entry = rep.entry;
    f.decision = { verdict: rep.entry.verdict, reasons: rep.entry.reasons || f.decision.reasons };
    f.step = 'done';
    f.since = performance.now();
    f.reveal = false;
    if (f.text) {
      S.recent.set(f.text, performance.now());
      S.logged.set(f.text, performance.now());
    }
    await Promise.all([this.refreshPending(), this.refreshToday()]);
    if (S.search.results.length) await this.refreshHistories();
    S.invalidate();
  },

  /// A pass was read: bring the scan screen forward, unless staff are busy typing elsewhere.
  showScanTab() {
    if (S.tab === 'scan') return;
    if (performance.now() - S.lock.lastInput > 5000) S.tab = 'scan';
    else note({ zh: '有人出示通行码：请到“扫码”页处理', en: 'A pass was read: see the Scan page' }, 'warn');
  },

  reset() {
    const text = S.flow.text;
    S.flow = idleFlow();
    if (text) S.recent.set(text, performance.now());
    S.invalidate();
  },

  /// Once a second; true when the screen must change.
  tick() {
    const now = performance.now();
    let changed = false;
    if (S.flow.step === 'done' && now - S.flow.since > DONE_MS) { this.reset(); changed = true; }
    if (S.flow.step === 'error' && now - S.flow.since > DONE_MS * 2) { this.reset(); changed = true; }
    if (S.outline && now - S.outline.at > 1500) { S.outline = null; changed = true; }
    if (S.message && now - S.message.at > 8000) { S.message = null; changed = true; }
    for (const [text, at] of S.recent) if (now - at > 60000) S.recent.delete(text);
    for (const [text, at] of S.logged) if (now - at > REPEAT_MS) S.logged.delete(text);
    if (S.uploader?.due(now)) this.uploadPending();
    return changed;
  },

  // --- lists ----------------------------------------------------------------------
  async refreshPending() {
    const rep = await call('batch.pending');
    if (rep.ok) S.pending = { persons: rep.persons ?? 0, entries: rep.entries ?? 0 };
  },

  async refreshToday() {
    const rep = await call('entries.today', { limit: 500 });
    if (rep.ok) S.today = rep.entries || [];
  },

  async refreshStats() {
    const rep = await call('stats');
    if (rep.ok) S.stats = rep;
    await this.refreshToday();
    S.invalidate();
  },

  async search() {
    const q = S.search.query[0].trim();
    if (!q) return;
    const rep = await call('search', { query: q });
    S.search.results = rep.ok ? rep.records || [] : [];
    S.search.error = rep.ok ? null : rep.error;
    S.search.done = true;
    S.search.reveal.clear();
    S.search.expanded.clear();
    S.search.history = new Map();
    S.invalidate();
    await this.refreshHistories();
  },

  /// Each found person's entries (any day, newest first), from the core.
  async refreshHistories() {
    const search = S.search;
    const results = search.results;
    const history = new Map();
    for (const r of results) {
      const doc = r.person?.doc_number;
      if (!doc) continue;
      const rep = await call('entries.of', { doc_number: doc, limit: HISTORY_LIMIT });
      if (rep.ok) history.set(doc, rep.entries || []);
    }
    // A newer search (or a lock) replaced these results meanwhile: keep its own.
    if (S.search !== search || search.results !== results) return;
    search.history = history;
    S.invalidate();
  },

  /// Manual entry for a person found by search (no phone with them).
  useRecord(record) {
    this.showPerson({ person: record.person, masked: record.masked, known: true, verified: !!record.verified_at, changed: false });
  },

  // --- manual registration by staff ---------------------------------------------
  startManual() {
    const values = {};
    for (const f of S.fields) values[f.key] = f.kind === 'yes_no' ? [false] : [''];
    S.manual = { values, errors: [], error: null };
  },

  manualPerson() {
    const person = {};
    for (const f of S.fields) {
      if (f.when && S.manual.values[f.when]?.[0] !== true) continue; // not asked
      const v = S.manual.values[f.key][0];
      if (typeof v === 'boolean') person[f.key] = v;
      else if (v.trim() !== '') person[f.key] = v.trim();
    }
    return person;
  },

  async saveManual() {
    const m = S.manual;
    const val = await call('person.validate', { person: this.manualPerson() });
    if (!val.ok) {
      m.errors = val.errors || [];
      m.error = val.error;
      play('error');
      S.invalidate();
      return;
    }
    const rep = await call('person.verify', { person: val.person, staff: this.staffName() });
    if (!rep.ok) { m.error = rep.error; m.errors = rep.errors || []; S.invalidate(); return; }
    S.manual = null;
    await this.refreshPending();
    this.useRecord(rep.record);
  },

  // --- settings ---------------------------------------------------------------------
  async loadSettings() {
    const rep = await call('settings.get');
    if (rep.ok) {
      S.settings = rep.settings;
      S.settingsEdit = toEdit(rep.settings);
    }
  },

  async saveSettings() {
    const rep = await call('settings.set', { settings: fromEdit(S.settingsEdit) });
    if (!rep.ok) { note(rep.error, 'error'); return; }
    S.settings = rep.settings;
    S.settingsEdit = toEdit(rep.settings);
    note({ zh: strings.zh.saved, en: strings.en.saved }, 'ok');
  },

  // --- batches ------------------------------------------------------------------------
  /// Staff press "export": the files are downloaded. The automatic export
  /// before an upload does not download (the batch stays in batch.list).
  async exportBatch({ download: save = true } = {}) {
    const rep = await call('batch.export');
    if (!rep.ok) { note(rep.error, 'warn'); return null; }
    S.lastExport = { seq: rep.seq, counts: rep.counts, file: rep.file.name, csv: rep.csv.name };
    if (save) {
      download(rep.file.name, rep.file.text, 'application/octet-stream');
      download(rep.csv.name, rep.csv.text, 'text/csv;charset=utf-8');
    }
    note({ zh: strings.zh.exported(rep), en: strings.en.exported(rep) }, 'ok');
    await Promise.all([this.refreshPending(), this.listBatches()]);
    if (S.settings?.upload_url) this.uploadPending();
    return rep;
  },

  async redownload(seq) {
    const rep = await call('batch.get', { seq });
    if (!rep.ok) { note(rep.error, 'error'); return; }
    download(rep.file.name, rep.file.text, 'application/octet-stream');
    download(rep.csv.name, rep.csv.text, 'text/csv;charset=utf-8');
  },

  async listBatches() {
    const rep = await call('batch.list');
    if (rep.ok) S.batches = rep.batches || [];
    S.invalidate();
  },

  async importBatch(text) {
    const rep = await call('batch.import', { text });
    if (!rep.ok) { note(rep.error, 'error'); return rep; }
    note({ zh: strings.zh.imported(rep), en: strings.en.imported(rep) }, rep.conflicts?.length ? 'warn' : 'ok');
    S.lastImport = rep;
    await Promise.all([this.refreshPending(), this.refreshToday()]);
    return rep;
  },

  /// Browser went online: send what is pending where the office said, or remind staff.
  async onOnline() {
    if (!S.settings?.upload_url) {
      if (S.pending.entries || S.pending.persons) note({ zh: strings.zh.onlineNoUpload, en: strings.en.onlineNoUpload }, 'warn');
      return;
    }
    if (S.pending.entries || S.pending.persons) await this.exportBatch({ download: false });
    else await this.uploadPending();
  },

  /// POSTs every exported batch not yet accepted by the upload address, oldest
  /// first; a batch counts as sent only on a 2xx reply, so a failure is retried
  /// (with growing pauses) and a success is never sent twice.
  async uploadPending() {
    const url = S.settings?.upload_url;
    if (!url || !S.online || S.uploader.running) return;
    await this.listBatches();
    const todo = S.batches.filter((b) => !b.uploaded_at).sort((a, b) => a.seq - b.seq);
    if (!todo.length) return;
    const n = await S.uploader.run(todo, async (b) => {
      const rep = await call('batch.get', { seq: b.seq });
      if (!rep.ok) throw new Error(say(rep.error));
      return { name: rep.file.name, text: rep.file.text };
    }, url, (seq) => call('batch.uploaded', { seq }));
    await this.listBatches();
    if (n > 0) note({ zh: strings.zh.uploadOk(n), en: strings.en.uploadOk(n) }, 'ok');
    else if (S.uploader.lastError) note({ zh: strings.zh.uploadFailed + S.uploader.lastError, en: strings.en.uploadFailed + S.uploader.lastError }, 'warn');
    S.invalidate();
  },

  isUploaded(seq) { return !!S.batches.find((b) => b.seq === seq)?.uploaded_at; },

  // --- passes for printing --------------------------------------------------------------
  async passTextOf(record) {
    if (record.pass) return record.pass;
    const rep = await call('pass.encode', { person: record.person });
    return rep.ok ? rep.text : null;
  },

  /// What tests and the test API may see: what the screen shows, masked.
  snapshot(extra) {
    const f = S.flow;
    return {
      phase: S.phase, bootError: S.bootError, bootErrorCode: S.bootErrorCode ?? '', lang: S.lang, tab: S.tab,
      locked: S.lock ? S.lock.locked : true, hasPin: S.lock ? S.lock.hasPin : false,
      pinStage: S.pin.first === null ? 'first' : 'again', pinError: S.pin.error,
      coreReady: !!S.core, storage: S.coreInfo?.storage ?? null,
      storageNotes: this.storageNotes().map((n) => ({ code: n.code, zh: n.zh, en: n.en })),
      camera: S.camera ? { running: S.camera.running, error: S.camera.error, devices: S.camera.devices.length, deviceId: S.camera.deviceId ? 'set' : '' } : null,
      outline: S.outline ? { corners: S.outline.corners, width: S.outline.width, height: S.outline.height } : null,
      flow: {
        step: f.step, known: f.known, verified: f.verified, changed: f.changed, reveal: f.reveal,
        changedFields: f.stored ? S.fields.filter((x) => JSON.stringify(f.stored[x.key] ?? null) !== JSON.stringify(f.person?.[x.key] ?? null)).map((x) => x.key) : [],
        name: f.person?.name ?? null, masked: f.masked, temperature: f.temperature[0], direction: f.direction,
        verdict: f.decision?.verdict ?? null, reasons: (f.decision?.reasons || []).map((r) => r.code),
        error: f.error ? { code: f.error.code, zh: f.error.zh, en: f.error.en } : null,
        entryId: f.entry?.id ?? null,
      },
      pending: S.pending, online: S.online,
      today: S.today.map((e) => ({ id: e.id, name: e.name, masked_doc_number: e.masked_doc_number ?? null, direction: e.direction, verdict: e.verdict, temperature: e.temperature ?? null, at: e.at })),
      searchQuery: S.search.query[0],
      searchResults: S.search.results.map((r) => {
        const history = S.search.history.get(r.person?.doc_number) || [];
        return {
          name: r.person?.name, masked: r.masked,
          history: history.map((e) => ({ id: e.id, at: e.at, direction: e.direction, verdict: e.verdict, temperature: e.temperature ?? null })),
        };
      }),
      stats: S.stats, message: S.message, lastExport: S.lastExport, lastImport: S.lastImport ?? null,
      batches: S.batches.map((b) => ({ seq: b.seq, persons: b.persons, entries: b.entries, uploaded: !!b.uploaded_at })),
      settings: S.settings, calls: S.calls,
      ...extra,
    };
  },
};

/// Calls the core; a dead worker becomes an ok:false reply like any other.
export async function call(op, args = {}) {
  S.calls++;
  try {
    return await S.core.call(op, args);
  } catch (err) {
    return { ok: false, error: { code: err.code || 'core.gone', zh: err.zh || String(err.message), en: err.en || String(err.message) } };
  }
}

export function note(m, kind = 'ok') {
  S.message = { zh: m?.zh ?? '', en: m?.en ?? '', kind, at: performance.now() };
  S.invalidate();
}

function download(name, text, type) {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(new Blob([text], { type }));
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10000);
}


// Settings are edited through one-element arrays (ImGui's by-reference values).
function toEdit(settings) {
  const edit = {};
  for (const [k, v] of Object.entries(settings)) {
    edit[k] = v && typeof v === 'object' && !Array.isArray(v) ? toEdit(v) : [v];
  }
  return edit;
}
function fromEdit(edit) {
  const out = {};
  for (const [k, v] of Object.entries(edit)) out[k] = Array.isArray(v) ? v[0] : fromEdit(v);
  return out;
}
