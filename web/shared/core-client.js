// The page's side of the core: starts the core worker and turns its messages
// into promises. Thin on purpose — every rule lives in the C++ core, reached
// through ops (see src/core/Api.h for the list).
//
//   import { openCore } from '/shared/core-client.js';
//   const core = await openCore({ db: 'resident.sqlite' });   // or 'gate.sqlite'
//   const reply = await core.call('settings.get');             // {ok:true, ...} or {ok:false, error:{code, zh, en}}
//   Every request carries `tz`, this browser's zone in minutes east of UTC:
//   the core says "today" and words every time in it (the faces format none).
//   core.info  // {db, schema_version, storage: 'opfs'|'idbfs', persisted, estimate: {usage, quota}, integrity,
//              //  storage_note: {code, zh, en}            ← show it when storage === 'idbfs' (the slower fallback)
//              //  quarantined: null | {code, zh, en, file}}  ← show quarantined.zh/en when set
//
//   const job = core.importFile(file, (p) => show(p.percent, p.progress));   // a batch file of any size:
//   const reply = await job.done;   // batch.import's reply;   job.cancel() stops it before its next part
//
// A reply with ok:false is returned, never thrown (the core said no, or the
// storage failed: error.code 'storage.full' / 'storage.io' / …, nothing was
// saved). A returned ok:true on a write means it is durable.
// openCore rejects with a CoreError {code, zh, en} when the database cannot be
// opened — notably code 'storage.locked': the face is open in another tab;
// `acceptable: true` on it (storage.lost only) means opening again with
// acceptLoss, once a person agrees, starts anew.
// call() rejects with a CoreError only when the worker itself is gone.

export class CoreError extends Error {
  constructor({ code, zh, en, detail, acceptable }) {
    super(en || code);
    this.name = 'CoreError';
    this.code = code;
    this.zh = zh;
    this.en = en;
    if (detail) this.detail = detail;
    if (acceptable) this.acceptable = true;
  }
}

const GONE = {
  code: 'core.gone',
  zh: '数据处理组件已停止，请刷新页面。未确认的操作没有保存。',
  en: 'The data worker stopped; reload the page. Actions that were not confirmed were not saved.',
};

/**
 * Starts a core worker on one database.
 * @param {{db: string, storage?: 'auto'|'opfs'|'idbfs', workerUrl?: string|URL, bench?: object, testHooks?: boolean, acceptLoss?: boolean}} options
 *   storage: 'auto' (default) uses OPFS where the browser has sync access handles, else the IDBFS fallback.
 *   acceptLoss: only after a person read storage.lost (the browser lost the IDBFS store) and agreed to start
 *   a new, empty database; until then every open answers storage.lost.
 *   bench, testHooks: for build-scripts/bench-storage and tests/browser only.
 * @returns {Promise<Core>}
 */
export async function openCore({ db, storage = 'auto', workerUrl, bench, testHooks, acceptLoss } = {}) {
  const worker = new Worker(workerUrl || new URL('./core-worker.js', import.meta.url), { type: 'module' });
  const core = new Core(worker);
  // persist() exists on the page only (not in workers): ask while the worker opens the database.
  const persist = navigator.storage && navigator.storage.persist
    ? navigator.storage.persist().catch(() => null) : Promise.resolve(null);
  const info = await new Promise((resolve, reject) => {
    core._opened = { resolve, reject };
    worker.postMessage({ type: 'open', db, storage, bench, testHooks, acceptLoss });
  });
  const persisted = await persist;
  if (persisted !== null) info.persisted = persisted;
  core.info = info;
  return core;
}

class Core {
  constructor(worker) {
    this.info = null;
    this._worker = worker;
    this._next = 1;
    this._pending = new Map();
    this._gone = null;
    this._opened = null;
    worker.onmessage = (event) => this._receive(event.data);
    worker.onerror = (event) => {
      event.preventDefault();
      this._fail(Object.assign({}, GONE, { detail: event.message }));
    };
  }

  /**
   * Sends one request to the core.
   * @param {string} op  e.g. 'person.save'
   * @param {object} [args]
   * @returns {Promise<object>} the reply: {ok:true, ...} or {ok:false, error}
   */
  call(op, args = {}) {
    return this.callRaw(JSON.stringify(Object.assign({}, args, { op, tz: -new Date().getTimezoneOffset() })));
  }

  /**
   * Sends one request already written as JSON text, as any script of the
   * page could: the worker and the core check it like any other.
   * @param {string} request
   * @returns {Promise<object>} the reply
   */
  callRaw(request) {
    if (this._gone) return Promise.reject(new CoreError(this._gone));
    const id = this._next++;
    return new Promise((resolve, reject) => {
      this._pending.set(id, { resolve, reject });
      this._worker.postMessage({ type: 'call', id, request });
    });
  }

  /**
   * Sends one of the face's own worker messages (see addMessage in core-worker.js),
   * e.g. send('enroll', {code, passphrase}); answered like call().
   * @returns {Promise<object>} {ok:true, ...} or {ok:false, error}
   */
  send(type, args = {}) {
    if (this._gone) return Promise.reject(new CoreError(this._gone));
    const id = this._next++;
    return new Promise((resolve, reject) => {
      this._pending.set(id, { resolve, reject });
      this._worker.postMessage(Object.assign({}, args, { type, id }));
    });
  }

  /**
   * Imports a batch file (a File or Blob, handed to the worker as it is: the
   * page never reads it) in parts, verified and merged by the core whole.
   * @param {Blob} file
   * @param {(p: {percent: number, progress: {code, zh, en}}) => void} [onProgress]  the core's progress, as it comes
   * @param {{staff?: string}} [who]  the staff member importing: the core logs the import as theirs
   * @returns {{done: Promise<object>, cancel: () => void}}  done: batch.import's reply ({ok:false, error} when refused;
   *   {ok:true, cancelled:true, message} after cancel)
   */
  importFile(file, onProgress, { staff = '' } = {}) {
    if (this._gone) return { done: Promise.reject(new CoreError(this._gone)), cancel() {} };
    const id = this._next++;
    const done = new Promise((resolve, reject) => {
      this._pending.set(id, { resolve, reject, onProgress });
      this._worker.postMessage({ type: 'import', id, file, staff, tz: -new Date().getTimezoneOffset() });
    });
    return { done, cancel: () => this._worker.postMessage({ type: 'import.cancel', id }) };
  }

  /** Stops the worker (releases the database for another tab). Pending calls reject. */
  close() {
    this._worker.terminate();
    this._fail(GONE);
  }

  _receive(msg) {
    if (msg.type === 'reply') {
      const p = this._pending.get(msg.id);
      if (!p) return;
      this._pending.delete(msg.id);
      p.resolve(JSON.parse(msg.reply));
    } else if (msg.type === 'progress') {
      const p = this._pending.get(msg.id);
      if (p && p.onProgress) p.onProgress(msg.progress);
    } else if (msg.type === 'ready') {
      if (this._opened) this._opened.resolve(msg.info);
      this._opened = null;
    } else if (msg.type === 'fatal') {
      // Stop the worker so it lets go of the database and its lock.
      this._worker.terminate();
      this._fail(msg.error);
    }
  }

  _fail(error) {
    if (!this._gone) this._gone = error;
    if (this._opened) this._opened.reject(new CoreError(error));
    this._opened = null;
    for (const p of this._pending.values()) p.reject(new CoreError(error));
    this._pending.clear();
  }
}
