// The core worker: owns one face's database and answers the page's requests
// with the wasm core (src/wasm → gatepass-core.js). One per page; started by
// core-client.js as a module worker.
//
// Protocol (page → worker):
//   {type:'open', db, storage:'auto'|'opfs'|'idbfs', bench?: {padBytes}, testHooks?: true, acceptLoss?: true}
//                                   resident.sqlite, in the resident's worker (useResidentCore): its own core
//                                   over the household file resident.household (see openHousehold)
//                                   acceptLoss: a person read storage.lost (below) and agreed to start anew
//                                   gate.sqlite opens behind the staff lock: every call but lock.*
//                                   answers lock.locked until lock.unlock / lock.set_pin (Api.h); it is
//                                   sealed at rest (SEALED_FILES: gate.sealed and its key ring gate.keys,
//                                   src/core/SealedGate.h), so while locked no page of it can be read;
//                                   a sealed file found damaged at an unlock (right key only) is moved
//                                   into quarantine/ here (setAside) and the reply says so (quarantined)
//   {type:'call', id, request: '<json>'}
//   {type:'fault', fault: {op:'write'|'flush'|'truncate', name, count?}}   tests only (testHooks): the
//                                   next `count` (default 1) such handle calls throw a DOMException `name`
//   {type:'fault', fault: null}      tests only: stop failing
//   {type:'import', id, file, staff, tz}  a batch file (File or Blob) imported in parts (staff: whom the core
//                                   logs the import as): the worker reads it in
//                                   slices (the page never reads it) and hands the core each slice's bytes
//                                   (batch.import.begin / .part / .end, src/core/BatchParts.h); each part
//                                   takes its turn in the queue, so the console's calls go on between them.
//                                   Answered like a call with batch.import's reply; before that, progress
//   {type:'import.cancel', id}      stops that import before its next part: nothing is imported, and the
//                                   reply is the core's batch.import.cancelled message
//   {type:<a face's own>, id, ...}   added by the face's worker entry with addMessage() (the gate: 'enroll',
//                                   web/gate/enroll-worker.js; 'upload', upload-worker.js); answered like a
//                                   call, after what was sent before it, without holding the queue meanwhile
// A page's call of an op kept for the worker's own code (keepFromPage) is refused: request.not_for_page.
// (worker → page):
//   {type:'ready', info}            info: {db, schema_version, storage, integrity, quarantined, estimate, persisted}
//   {type:'fatal', error}           error: {code, zh, en}; the worker is unusable after this
//   {type:'reply', id, reply: '<json>'}
//   {type:'progress', id, progress: {percent, progress: {code, zh, en}}}   an import's progress, in the core's
//                                   words, as it happens (also while the core checks and merges: the core
//                                   calls out from inside its work, Api::onProgress)
// The worker adds to the core's retention.apply reply `quarantine_removed`: the
// quarantined copies (quarantine/<db>.<time>, quarantine/gate.sealed.<time>) older than the period it removed.
//
// Durability: a reply is posted only after the write it answers is durable:
// on OPFS the VFS's xSync flushed the handle before SQLite's COMMIT returned;
// on the IDBFS fallback FS.syncfs completed. Requests are handled strictly
// one after another.
// On the IDBFS fallback the browser itself can lose the whole store: Chromium's
// IndexedDB (LevelDB with reuse_logs) keeps appending to a log whose last record
// a killed browser left half written; the next start reads a checksum mismatch,
// and Chromium deletes the origin's IndexedDB and starts it empty ("IndexedDB
// recovering from a corrupted (and deleted) database"; google/leveldb#1287).
// Asking for durability 'strict' does not prevent it: the record is torn by the
// killed process, not lost for want of an fsync (crash loop, load 13-25: 1 loss
// in 200 rounds with strict, 1 in 329 without; tests/browser/idbfs-loss-rate.mjs).
// Every IndexedDB database of the origin goes with it, so the worker keeps a
// marker outside IndexedDB: a small file per database in OPFS (async API, its own
// store in the browser), else an entry in Cache Storage, written once, when a
// file of the database is first stored (so a kill can tear the marker's own store only at
// that one moment; afterwards it is only read). When IDBFS holds no database
// but the marker says it was there, open fails with storage.lost (zh/en) on
// every open, and no empty database is started, until a person acknowledges it
// (open with acceptLoss; the error says `acceptable: true`, the only one that does). When the user clears the site's data both go together:
// a plain fresh start. No user meets this in Chromium, which has OPFS ('auto'
// takes IDBFS only where OPFS sync handles are missing; those browsers'
// IndexedDB is not LevelDB); the tests force IDBFS in Chromium to exercise the
// path, and there it happens. Without either store (no such browser seen) a loss cannot
// be told from a first start. The store's own failure to open is storage.io,
// never a fresh database.

import { callJson, tooLarge, MAX_REQUEST_BYTES } from './core-call.js';

const DB_NAMES = new Set(['resident.sqlite', 'gate.sqlite', 'test.sqlite', 'bench.sqlite']);
// Databases behind the staff lock (src/core/Lock.h): the core answers nothing
// but lock.* until the PIN was given. Decided here by name, never by the page.
const LOCKED_DBS = new Set(['gate.sqlite']);
// The lock's KDF: libsodium.js (sumo, the build with crypto_pwhash), served under vendor/.
const SODIUM_URL = '../vendor/libsodium-sumo/sodium.mjs';
// Databases sealed at rest (src/core/SealedGate.h): the sealed file and its key
// ring beside it; the database's own name is then only a plain file from before,
// moved into the sealed one at the first unlock. Decided here by name.
// The key ring has a second copy beside it (keys2: KeyRing.h restores one from the other).
const SEALED_FILES = { 'gate.sqlite': { sealed: 'gate.sealed', keys: 'gate.keys', keys2: 'gate.keys2' } };
// The household file the resident's own core keeps instead of the database
// (useResidentCore); the database's file, if there, is from before: moved in once.
const HOUSEHOLD_FILES = { 'resident.sqlite': 'resident.household' };
const QUARANTINE_DIR = 'quarantine';
const IDBFS_MOUNT = '/gatepass';
// How long a new page waits for the previous holder to let go: on a reload or
// after a crash the old page's worker may take a moment to be torn down.
const RELEASE_WAIT_MS = 2000;

let core = null;        // the Emscripten module
let state = null;       // {db, path, vfs, storage, ...}
let broken = null;      // a storage error that makes further writes unsafe (IDBFS sync failed)
let queue = Promise.resolve();
let testHooks = false;  // tests may inject handle failures ({type:'fault'})
const faceMessages = new Map(); // type → handler (addMessage)
let fault = null;
let loadCrypto = null;  // set by a face's worker stub (useCrypto): live passes
let residentCore = false; // set by the resident's stub (useResidentCore)
let progressSink = null; // the import whose core call is running hears the core's progress
const cancelledImports = new Set(); // ids of imports the page cancelled
// A part of an imported file: large enough that a 50 MB file is a dozen calls,
// small enough that a scan waiting between two parts waits little.
const PART_BYTES = 4 * 1024 * 1024;

/// The resident's worker stub asks for the resident's own core (gatepass-resident.js,
/// src/core/ResidentApi.h: no SQLite): its household is one file (HOUSEHOLD_FILES)
/// replaced whole at every change (see openHousehold).
export function useResidentCore() {
  residentCore = true;
}

/// A face's worker stub gives the core its sealed-box operations
/// (web/shared/pass-crypto.js), loaded while the database opens. Without them
/// (the test pages' plain worker) pass.live and live passes answer crypto.unavailable.
export function useCrypto(load) {
  loadCrypto = load;
}

// ---- messages in words --------------------------------------------------------

function message(code, zh, en, extra) {
  return Object.assign({ code, zh, en }, extra || {});
}

function busyMessage(db) {
  if (db.startsWith('gate'))
    return message('storage.locked',
      '门岗控制台已在另一个标签页或窗口中打开。请关闭本页，继续使用已打开的那一个。',
      'The gate console is already open in another tab or window. Close this one and keep using that one.');
  return message('storage.locked',
    '本页已在另一个标签页或窗口中打开。请关闭本页，继续使用已打开的那一个。',
    'This page is already open in another tab or window. Close this one and keep using that one.');
}

function storageFailure(op, e) {
  const name = (e && e.name) || 'Error';
  if (name === 'QuotaExceededError')
    return message('storage.full', '存储空间已满，数据未保存。请导出批次或清理浏览器空间后重试。',
      'Storage is full; nothing was saved. Export a batch or free space, then try again.', { detail: name });
  return message('storage.io', `无法读写存储（${op}: ${name}），数据未保存。请刷新页面后重试。`,
    `Cannot use storage (${op}: ${name}); nothing was saved. Reload the page and try again.`, { detail: name });
}

// ---- OPFS handles that the VFS (src/wasm/OpfsVfs.cpp) reaches through Module.gpOpfs ----

function makeOpfsTable() {
  return {
    ids: new Map(),       // file name → index in handles
    handles: [],
    lastFailure: null,    // {op, file, name, message} of the last failed handle call
    fail(op, id, e) {
      let file = '';
      for (const [n, i] of this.ids) if (i === id) file = n;
      this.lastFailure = { op, file, name: (e && e.name) || 'Error', message: String((e && e.message) || e) };
      return e && e.name === 'QuotaExceededError' ? -2 : -1;
    },
  };
}

async function openHandle(dir, name) {
  const fileHandle = await dir.getFileHandle(name, { create: true });
  const deadline = Date.now() + RELEASE_WAIT_MS;
  for (;;) {
    try {
      return await fileHandle.createSyncAccessHandle();
    } catch (e) {
      // Still held by a page that is going away (or by another tab: reported as such after the wait).
      if (!(e && e.name === 'NoModificationAllowedError') || Date.now() > deadline) throw e;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

// Tests only: a handle whose write/flush/truncate throws while a fault is armed.
function faulty(handle) {
  const wrap = (op) => (...a) => {
    if (fault && fault.op === op && fault.count > 0) {
      fault.count--;
      throw new DOMException(`injected ${op} failure`, fault.name);
    }
    return handle[op](...a);
  };
  return {
    read: (...a) => handle.read(...a), getSize: () => handle.getSize(), close: () => handle.close(),
    write: wrap('write'), flush: wrap('flush'), truncate: wrap('truncate'),
  };
}

/// The files a database is made of: itself and its journal; for one sealed at
/// rest also the sealed file and the key ring, each with its journal.
function fileNames(db) {
  const names = [db, `${db}-journal`];
  const sealed = SEALED_FILES[db];
  if (sealed) {
    for (const name of [sealed.sealed, sealed.keys, sealed.keys2]) names.push(name, `${name}-journal`);
  }
  return names;
}

async function openOpfsFiles(root, db) {
  const table = core.gpOpfs;
  for (const name of fileNames(db)) {
    let handle = await openHandle(root, name);
    if (testHooks) handle = faulty(handle);
    table.ids.set(name, table.handles.length);
    table.handles.push(handle);
  }
}

function closeOpfsFiles() {
  const table = core.gpOpfs;
  for (const h of table.handles) {
    try { h.flush(); h.close(); } catch (e) { /* already closed */ }
  }
  table.ids.clear();
  table.handles.length = 0;
}

function opfsAvailable() {
  return typeof navigator !== 'undefined' && navigator.storage && typeof navigator.storage.getDirectory === 'function'
    && typeof FileSystemFileHandle !== 'undefined' && 'createSyncAccessHandle' in FileSystemFileHandle.prototype;
}

// The name a quarantined copy of `name` gets: quarantine/<name>.<time> (its journal: …-journal).
function quarantineName(name) {
  return `${name}.${new Date().toISOString().replace(/[:.]/g, '-')}`;
}

// Copies `name` and its journal from `root` into quarantine/`target` (and
// `target`-journal), flushed, then removes them: the bytes are kept, a crash
// midway leaves the original in place. No handle of theirs may be open.
async function moveAsideOpfs(root, name, target) {
  const dir = await root.getDirectoryHandle(QUARANTINE_DIR, { create: true });
  for (const suffix of ['', '-journal']) {
    let source;
    try { source = await root.getFileHandle(name + suffix); } catch (e) { continue; }
    const src = await source.createSyncAccessHandle();
    const size = src.getSize();
    if (size > 0) {
      const dst = await openHandle(dir, target + suffix);
      const buf = new Uint8Array(1 << 20);
      for (let at = 0; at < size; ) {
        const n = src.read(buf, { at });
        if (n <= 0) break;
        dst.write(buf.subarray(0, n), { at });
        at += n;
      }
      dst.flush();
      dst.close();
    }
    src.close();
    await root.removeEntry(name + suffix);
  }
  return `${QUARANTINE_DIR}/${target}`;
}

// Moves a damaged database into quarantine/ under a timestamped name (all handles closed). Returns that name.
function quarantineOpfs(root, db) {
  return moveAsideOpfs(root, db, quarantineName(db));
}

// The same on the IDBFS fallback: renamed under the mount, then stored.
async function moveAsideIdbfs(path) {
  const name = path.slice(path.lastIndexOf('/') + 1);
  const file = `${QUARANTINE_DIR}/${quarantineName(name)}`;
  const qdir = `${IDBFS_MOUNT}/${QUARANTINE_DIR}`;
  if (!core.FS.analyzePath(qdir).exists) core.FS.mkdir(qdir);
  for (const suffix of ['', '-journal'])
    if (core.FS.analyzePath(path + suffix).exists) core.FS.rename(path + suffix, `${IDBFS_MOUNT}/${file}${suffix}`);
  await syncfs(false);
  return file;
}

/// The core found the sealed database damaged with the right key (a reply with
/// set_aside: SealedGate.h): its file and journal are moved aside here, their
/// handles reopened on the (now empty) names, and the core told where they went;
/// its answer replaces the first. Never asked after a wrong PIN.
async function setAside(path) {
  let kept = '';
  try {
    if (state.storage === 'opfs') {
      const table = core.gpOpfs;
      const names = [path, `${path}-journal`];
      for (const n of names) { try { table.handles[table.ids.get(n)].close(); } catch (e) { /* closed */ } }
      const root = await navigator.storage.getDirectory();
      kept = await moveAsideOpfs(root, path, quarantineName(path));
      for (const n of names) {
        const h = await openHandle(root, n);
        table.handles[table.ids.get(n)] = testHooks ? faulty(h) : h;
      }
    } else {
      kept = await moveAsideIdbfs(path);
    }
  } catch (e) {
    kept = ''; // the core says nothing was changed; the next unlock asks again
  }
  return callJson(core, 'gp_sealed_set_aside', kept);
}

// The time a quarantined copy was made, from its name (`${file}.${stamp}`, stamp
// as quarantineName writes it, file the database or, sealed at rest, its sealed
// file); NaN when the name is not one of ours.
function quarantinedAt(db, name) {
  for (const file of [db, SEALED_FILES[db]?.sealed].filter(Boolean)) {
    const m = name.startsWith(`${file}.`) && /^(\d{4}-\d\d-\d\d)T(\d\d)-(\d\d)-(\d\d)-(\d{3})Z(-journal)?$/.exec(name.slice(file.length + 1));
    if (m) return Date.parse(`${m[1]}T${m[2]}:${m[3]}:${m[4]}.${m[5]}Z`);
  }
  return NaN;
}

/// Quarantined copies follow the retention period (the core's, from its
/// retention.apply reply): older ones are removed. Answers how many files went.
async function pruneQuarantine(cutoff) {
  let removed = 0;
  if (state.storage === 'opfs') {
    const root = await navigator.storage.getDirectory();
    let dir;
    try { dir = await root.getDirectoryHandle(QUARANTINE_DIR); } catch (e) { return 0; }
    const names = [];
    for await (const name of dir.keys()) names.push(name);
    for (const name of names) {
      if (quarantinedAt(state.db, name) < cutoff) { await dir.removeEntry(name); removed++; }
    }
  } else {
    const qdir = `${IDBFS_MOUNT}/${QUARANTINE_DIR}`;
    if (!core.FS.analyzePath(qdir).exists) return 0;
    for (const name of core.FS.readdir(qdir)) {
      if (quarantinedAt(state.db, name) < cutoff) { core.FS.unlink(`${qdir}/${name}`); removed++; }
    }
    if (removed) await syncfs(false);
  }
  return removed;
}

// ---- IDBFS fallback ---------------------------------------------------------------

function syncfs(populate) {
  return new Promise((resolve, reject) => core.FS.syncfs(populate, (err) => (err ? reject(err) : resolve())));
}

// The marker that an IDBFS database was stored (see Durability above): kept out
// of IndexedDB, which the browser may drop whole. {since} is when it was first stored.
const MARKER_DIR = 'idbfs-stored';
const MARKER_CACHE = 'gatepass-idbfs-stored';

function markerStore(db) {
  if (typeof navigator !== 'undefined' && navigator.storage && typeof navigator.storage.getDirectory === 'function'
    && typeof FileSystemFileHandle !== 'undefined' && 'createWritable' in FileSystemFileHandle.prototype) {
    const dir = async () => (await navigator.storage.getDirectory()).getDirectoryHandle(MARKER_DIR, { create: true });
    return {
      async get() {
        let file;
        try { file = await (await (await dir()).getFileHandle(db)).getFile(); } catch (e) {
          if (e && e.name === 'NotFoundError') return null;
          throw e;
        }
        return JSON.parse(await file.text());
      },
      async set(value) {
        const out = await (await (await dir()).getFileHandle(db, { create: true })).createWritable();
        await out.write(JSON.stringify(value));
        await out.close(); // the file is replaced whole on close
      },
    };
  }
  if (typeof caches !== 'undefined') {
    const key = new Request(`/__gatepass/idbfs-stored/${db}`);
    return {
      async get() {
        const hit = await (await caches.open(MARKER_CACHE)).match(key);
        return hit ? hit.json() : null;
      },
      async set(value) {
        await (await caches.open(MARKER_CACHE)).put(key, new Response(JSON.stringify(value)));
      },
    };
  }
  return null;
}

/// The IndexedDB fallback mounted at IDBFS_MOUNT and loaded from IndexedDB
/// (a storage failure, 'load', when the browser refuses).
async function mountIdbfs() {
  core.FS.mkdir(IDBFS_MOUNT);
  core.FS.mount(core.FS.filesystems.IDBFS, {}, IDBFS_MOUNT);
  try {
    await checkIndexedDb(IDBFS_MOUNT);
    await syncfs(true);
  } catch (e) {
    throw storageFailure('load', e);
  }
}

// Opens (and closes) the IDBFS database once before Emscripten does: a store the
// browser cannot open is reported as such (Emscripten's IDBFS would wait forever).
function checkIndexedDb(name) {
  return new Promise((resolve, reject) => {
    let request;
    try { request = indexedDB.open(name); } catch (e) { reject(e); return; }
    request.onsuccess = () => { request.result.close(); resolve(); };
    request.onerror = (e) => { e.preventDefault(); reject(request.error); };
    request.onblocked = () => resolve(); // another connection of ours: it is open, then
  });
}

function lostMessage(db, since) {
  // Words for who reads them: a resident on their own phone has no administrator
  // and no batches; the gate's staff do. `since` stays in the error for support,
  // out of the words (an ISO timestamp helps nobody at the gate). `acceptable`
  // tells the face that this error, unlike every other, has a way on: open
  // again with acceptLoss once a person agrees. The faces ask the error, so
  // which errors may be accepted is decided here only.
  if (db === 'resident.sqlite') {
    return message('storage.lost',
      '本手机浏览器中保存的登记已被浏览器删除，无法找回。重新填写一次即可得到新的通行码。',
      'The browser on this phone deleted the registrations kept here; they cannot be brought back. Fill in the form again to get a new pass.',
      { since, acceptable: true });
  }
  return message('storage.lost',
    '本浏览器中保存的门岗数据已不存在：浏览器的存储丢失或被清除，本机无法找回。没有自动新建空数据库。'
      + '请告知社区办公室（已上传的登记仍在办公室）；确认后才能重新开始。',
    "This browser's gate data is gone: the browser's storage was lost or cleared and cannot be recovered on this device. "
      + 'No empty database was started. Tell the community office (registrations already uploaded are there); a new start needs a person to confirm.',
    { since, acceptable: true });
}

// The 4-byte "file change counter" at offset 24 of an SQLite database header:
// SQLite bumps it on every committed write in rollback-journal mode. Used to
// sync only after writes, and to be sure a write is never missed because two
// writes fell in the same millisecond (IDBFS compares mtimes).
function changeCounter(path) {
  try {
    const stream = core.FS.open(path, 'r');
    const buf = new Uint8Array(4);
    const n = core.FS.read(stream, buf, 0, 4, 24);
    core.FS.close(stream);
    return n === 4 ? ((buf[0] << 24) | (buf[1] << 16) | (buf[2] << 8) | buf[3]) >>> 0 : -1;
  } catch (e) {
    return -1;
  }
}

let syncedCounter = -1;
let syncedMtime = 0;
let marker = null;      // markerStore(db) on the IDBFS fallback
let markerValue = null; // what it held when the database opened

/// The IDBFS files that hold `db`: any of them there means it was not lost.
/// A sealed gate keeps its data in gate.sealed and gate.keys (gate.sqlite is
/// only a plain file from before, gone once moved in), and before its first
/// PIN it has none at all.
function storedFiles(db) {
  const sealed = SEALED_FILES[db];
  const plain = `${IDBFS_MOUNT}/${db}`;
  if (state?.household) return [plain, `${IDBFS_MOUNT}/${HOUSEHOLD_FILES[db]}`];
  return sealed ? [plain, ...[sealed.sealed, sealed.keys, sealed.keys2].map((f) => `${IDBFS_MOUNT}/${f}`)] : [plain];
}

/// Once a file of the database is stored, the marker says so (written once):
/// from then on its absence is a loss, not a first start. Called after each
/// persist, since a sealed gate stores its first file only when its PIN is set.
async function markStored() {
  if (!marker || (markerValue && markerValue.since)) return;
  if (!storedFiles(state.db).some((f) => core.FS.analyzePath(f).exists)) return;
  const value = { since: new Date().toISOString() };
  try {
    await marker.set(value);
  } catch (e) {
    throw storageFailure('marker', e);
  }
  markerValue = value;
}

async function persistIdbfs() {
  // A database sealed at rest: its page 1 is sealed afresh at every commit (so its bytes
  // at offset 24 change), and the key ring beside it has a counter of its own.
  const paths = state.changePaths || [state.path];
  const counter = paths.map(changeCounter).join(':');
  if (counter === syncedCounter) return;
  const mtime = Math.max(Date.now(), syncedMtime + 1);
  for (const p of paths) if (core.FS.analyzePath(p).exists) core.FS.utime(p, mtime, mtime);
  await syncfs(false);
  syncedCounter = counter;
  syncedMtime = mtime;
}

// ---- open -----------------------------------------------------------------------

/// crypto_pwhash (Argon2id 1.3) for the core's staff lock: (pin, salt hex,
/// opslimit, memlimit) → 32 bytes as hex. Synchronous, as the core calls it.
async function loadPwhash() {
  const { default: sodium } = await import(SODIUM_URL);
  await sodium.ready;
  return (pin, saltHex, ops, mem) => sodium.to_hex(sodium.crypto_pwhash(32, sodium.from_string(pin), sodium.from_hex(saltHex),
    ops, mem, sodium.crypto_pwhash_ALG_ARGON2ID13));
}

/// The page and key-ring cryptography of a database sealed at rest
/// (web/shared/at-rest-crypto.js over libsodium.js), called synchronously by the core.
async function loadAtRest() {
  const [{ default: sodium }, { atRestCrypto }] = await Promise.all([import(SODIUM_URL), import('./at-rest-crypto.js')]);
  await sodium.ready;
  return atRestCrypto(sodium);
}

/// The sealed boxes of the key ring's recovery copies, where the face's worker
/// gave none (useCrypto): the test pages' plain worker on gate.sqlite.
function loadSealedBoxes() {
  return import('./pass-crypto.js').then((m) => m.loadPassCrypto(() => import(SODIUM_URL)));
}

/// Opens the core on `db`: sealed at rest behind the lock (SealedGate) when it is one of SEALED_FILES.
function openCoreDb(db, locked) {
  const sealed = SEALED_FILES[db];
  if (!sealed) return callJson(core, 'gp_open', state.path, state.vfs, locked ? 1 : 0);
  const dir = state.storage === 'opfs' ? '' : `${IDBFS_MOUNT}/`;
  if (state.storage === 'idbfs') state.changePaths = [dir + sealed.sealed, dir + sealed.keys, dir + sealed.keys2];
  return callJson(core, 'gp_open_sealed', dir + sealed.sealed, state.path, dir + sealed.keys, state.vfs);
}

async function holdLock(db) {
  if (!(navigator.locks && navigator.locks.request)) return true; // exclusivity of the OPFS handles still holds
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), RELEASE_WAIT_MS);
  return new Promise((resolve) => {
    navigator.locks.request(`gatepass:${db}`, { signal: abort.signal }, (lock) => {
      clearTimeout(timer);
      resolve(true);
      // Held for the worker's lifetime; released by the browser when the page goes away.
      return new Promise(() => {});
    }).catch(() => resolve(false)); // aborted: another tab holds it
  });
}

async function open({ db, storage = 'auto', bench, testHooks: hooks, acceptLoss = false }) {
  testHooks = !!hooks;
  if (!DB_NAMES.has(db)) throw message('core.bad_db', `未知的数据库：${db}`, `Unknown database: ${db}`);
  if (!(await holdLock(db))) throw busyMessage(db);

  const useOpfs = storage === 'opfs' || (storage === 'auto' && opfsAvailable());
  if (useOpfs && !opfsAvailable())
    throw message('storage.unavailable', '此浏览器不支持 OPFS 存储。', 'This browser has no OPFS storage.');

  if (residentCore && HOUSEHOLD_FILES[db]) return openHousehold(db, useOpfs, acceptLoss);

  const locked = LOCKED_DBS.has(db);
  try {
    const crypto = loadCrypto ? loadCrypto() : SEALED_FILES[db] ? loadSealedBoxes() : Promise.resolve(null);
    // The core's SHA-256 (src/core/Digest.h): plain passes and batch checksums need it
    // on every page, also the test pages' plain worker, which has no sealed boxes.
    const digest = crypto.then((c) => c || loadSealedBoxes());
    const { default: createGatepassCore } = await import('./gatepass-core.js');
    core = await createGatepassCore({ gpOpfs: makeOpfsTable(), gpCrypto: await crypto, gpSha256: (await digest)?.sha256 });
    core.gpProgress = (text) => { if (progressSink) progressSink(JSON.parse(text)); };
    if (testHooks) self.gatepassHeapBytes = () => core.HEAPU8.length; // tests, benchmarks: the wasm heap's size (it only grows)
    if (locked) core.gpPwhash = await loadPwhash();
    if (SEALED_FILES[db]) core.gpAtRest = await loadAtRest();
  } catch (e) {
    throw message('core.load', '程序组件加载失败，请刷新页面。', `The core failed to load (${e && e.message}); reload the page.`);
  }
  core._gp_init();

  let root = null;
  if (useOpfs) {
    root = await navigator.storage.getDirectory();
    try {
      await openOpfsFiles(root, db);
    } catch (e) {
      closeOpfsFiles();
      if (e && e.name === 'NoModificationAllowedError') throw busyMessage(db);
      throw storageFailure('open', e);
    }
    state = { db, path: db, vfs: 'opfs', storage: 'opfs' };
  } else {
    await mountIdbfs();
    state = { db, path: `${IDBFS_MOUNT}/${db}`, vfs: '', storage: 'idbfs' };
    marker = markerStore(db);
    markerValue = null;
    try {
      markerValue = marker && await marker.get();
    } catch (e) {
      marker = null; // unreadable: nothing to compare with (said in Durability above)
    }
    if (markerValue && !storedFiles(db).some((f) => core.FS.analyzePath(f).exists)) {
      if (!acceptLoss) {
        state = null;
        throw lostMessage(db, markerValue.since);
      }
      markerValue = null; // a person agreed: the new database is marked as from now
    }
  }

  // Integrity before the Store migrates or writes anything; a damaged file is kept aside, never deleted.
  let quarantined = null;
  const check = callJson(core, 'gp_check', state.path, state.vfs);
  if (!check.ok) {
    if (!check.corrupt) throw storageFailure('check', { name: `SQLite ${check.rc}: ${check.detail}` });
    let file;
    if (useOpfs) {
      closeOpfsFiles();
      file = await quarantineOpfs(root, db);
      await openOpfsFiles(root, db);
    } else {
      file = await moveAsideIdbfs(state.path);
    }
    // A sealed database's own file is checked only once unlocked; here it was the plain one from before.
    quarantined = Object.assign(SEALED_FILES[db]
      ? message('storage.quarantined',
        `加密前的旧数据库文件已损坏，已另存为 ${file}（未删除）。加密保存的数据不受影响。请联系管理员恢复旧数据。`,
        `The database file from before encryption was damaged. It was kept aside as ${file} (not deleted); the encrypted data is not affected. Ask your administrator to recover the old data.`)
      : keptAsideMessage(file),
    { file, detail: check.detail });
  }

  if (bench && bench.padBytes) {
    const padded = callJson(core, 'gp_pad', state.path, state.vfs, bench.padBytes);
    if (!padded.ok) throw storageFailure('pad', { name: padded.detail });
  }

  const opened = openCoreDb(db, locked);
  if (!opened.ok) throw opened.error;
  if (state.storage === 'idbfs') {
    await persistIdbfs();
    await markStored();
  }

  return openInfo(opened.schema_version, quarantined);
}

/// What `ready` tells the page about the storage it got.
async function openInfo(schemaVersion, quarantined) {
  let estimate = null;
  let persisted = null;
  try {
    const e = await navigator.storage.estimate();
    estimate = { usage: e.usage, quota: e.quota };
  } catch (e) { /* not offered */ }
  try { persisted = await navigator.storage.persisted(); } catch (e) { /* not offered */ }

  return {
    db: state.db,
    schema_version: schemaVersion,
    storage: state.storage,
    // Where the data lives, in words for the UI (a face shows it at least when it is the fallback).
    storage_note: state.storage === 'opfs'
      ? message('storage.opfs', '数据保存在本浏览器的私有存储（OPFS）中。', "Data is kept in this browser's private storage (OPFS).")
      : message('storage.fallback',
        '此浏览器不支持快速存储（OPFS），数据改存在 IndexedDB 中：可以正常使用，但保存较慢。建议使用新版 Chrome 或 Edge。',
        'This browser lacks fast storage (OPFS); data is kept in IndexedDB instead: it works, but saving is slower. A current Chrome or Edge is recommended.'),
    integrity: 'ok',
    quarantined,
    estimate,
    persisted,
  };
}

function keptAsideMessage(file) {
  return message('storage.quarantined',
    `数据库文件已损坏，已另存为 ${file}（未删除），并新建了空数据库。请联系管理员恢复数据。`,
    `The database file was damaged. It was kept aside as ${file} (not deleted) and a new empty database was started. Ask your administrator to recover it.`,
    { file });
}

// ---- the resident's household file (useResidentCore) ---------------------------
//
// The resident's core holds the household in memory and hands the file's new
// bytes to Module.gpHouseholdWrite at every change (src/wasm/ResidentBindings.cpp).
// The worker writes them before it answers, atomically: the whole file to
// NAME.new (flushed), then renamed over NAME. A crash leaves the old file or the
// new one; a NAME.new found at open was never acknowledged and is dropped. A
// write that fails puts the core back on the last file written, and the
// request is answered with the storage error: nothing changed.
// The database file of before (the full core's SQLite) is moved in once: read
// by the full core, loaded only for that, written as the household file, and
// only then removed (a household file beside it means the move was done).

function opfsHousehold(root, db) {
  const name = HOUSEHOLD_FILES[db];
  const exists = async (n) => {
    try { return (await (await root.getFileHandle(n)).getFile()).size > 0; } catch (e) {
      if (e && e.name === 'NotFoundError') return false;
      throw e;
    }
  };
  return {
    async read() {
      try { await root.removeEntry(`${name}.new`); } catch (e) { /* none */ }
      if (!(await exists(name))) return null;
      return new Uint8Array(await (await (await root.getFileHandle(name)).getFile()).arrayBuffer());
    },
    async write(bytes) {
      const handle = await root.getFileHandle(`${name}.new`, { create: true });
      let out = await handle.createSyncAccessHandle();
      if (testHooks) out = faulty(out);
      try {
        out.truncate(0);
        for (let at = 0; at < bytes.length; ) at += out.write(bytes.subarray(at), { at });
        out.flush();
      } finally {
        out.close();
      }
      await handle.move(name); // replaces NAME whole
    },
    oldExists: () => exists(db),
    async removeOld() {
      for (const n of [db, `${db}-journal`]) { try { await root.removeEntry(n); } catch (e) { /* none */ } }
    },
    quarantine: () => moveAsideOpfs(root, name, quarantineName(name)),
  };
}

function idbfsHousehold(db) {
  const path = `${IDBFS_MOUNT}/${HOUSEHOLD_FILES[db]}`;
  const old = `${IDBFS_MOUNT}/${db}`;
  const exists = (p) => core.FS.analyzePath(p).exists;
  let mtime = 0;
  return {
    async read() {
      if (exists(`${path}.new`)) core.FS.unlink(`${path}.new`);
      return exists(path) ? core.FS.readFile(path) : null;
    },
    async write(bytes) {
      core.FS.writeFile(`${path}.new`, bytes);
      core.FS.rename(`${path}.new`, path);
      // IDBFS stores what changed by mtime: two writes in one millisecond must both count.
      mtime = Math.max(Date.now(), mtime + 1);
      core.FS.utime(path, mtime, mtime);
      await syncfs(false);
      await markStored();
    },
    oldExists: async () => exists(old),
    async removeOld() {
      for (const p of [old, `${old}-journal`]) if (exists(p)) core.FS.unlink(p);
      await syncfs(false);
    },
    quarantine: () => moveAsideIdbfs(path),
  };
}

/// The full core, loaded only to read the household of before out of its
/// SQLite file (`db`): its person.list and settings.get replies.
async function readOldDatabase(db, useOpfs) {
  const resident = core;
  let full;
  try {
    const { default: createGatepassCore } = await import('./gatepass-core.js');
    full = await createGatepassCore({ gpOpfs: makeOpfsTable(), gpSha256: resident.gpSha256 });
  } catch (e) {
    // Not in the offline copy (only a phone of before needs it, once): the old file stays as it is.
    throw message('storage.move_in',
      '本机保存的登记需要联网一次才能转入新版本：请连上网络后刷新本页。登记仍完好保存在本机。',
      'The registrations kept on this phone need a connection once to move into the new version: connect and reload this page. They are still kept on this phone.');
  }
  core = full;
  try {
    core._gp_init();
    let path = db, vfs = 'opfs';
    if (useOpfs) {
      await openOpfsFiles(await navigator.storage.getDirectory(), db);
    } else {
      core.FS.mkdir(IDBFS_MOUNT);
      core.FS.mount(core.FS.filesystems.IDBFS, {}, IDBFS_MOUNT);
      await syncfs(true);
      path = `${IDBFS_MOUNT}/${db}`;
      vfs = '';
    }
    const check = callJson(core, 'gp_check', path, vfs);
    if (!check.ok) return { damaged: check };
    const opened = callJson(core, 'gp_open', path, vfs, 0);
    if (!opened.ok) throw opened.error;
    return {
      list: callJson(core, 'gp_call', JSON.stringify({ op: 'person.list' })),
      settings: callJson(core, 'gp_call', JSON.stringify({ op: 'settings.get' })),
    };
  } finally {
    if (useOpfs) closeOpfsFiles();
    core = resident;
  }
}

async function openHousehold(db, useOpfs, acceptLoss) {
  try {
    const crypto = loadCrypto ? loadCrypto() : Promise.resolve(null);
    const digest = crypto.then((c) => c || loadSealedBoxes());
    const { default: createGatepassResident } = await import('./gatepass-resident.js');
    core = await createGatepassResident({ gpOpfs: makeOpfsTable(), gpCrypto: await crypto, gpSha256: (await digest)?.sha256 });
  } catch (e) {
    throw message('core.load', '程序组件加载失败，请刷新页面。', `The core failed to load (${e && e.message}); reload the page.`);
  }
  let written = null; // the file's bytes the core last handed over, not yet written
  core.gpHouseholdWrite = (bytes) => { written = bytes; return true; };

  let store;
  if (useOpfs) {
    state = { db, path: HOUSEHOLD_FILES[db], vfs: '', storage: 'opfs', household: true };
    store = opfsHousehold(await navigator.storage.getDirectory(), db);
  } else {
    await mountIdbfs();
    state = { db, path: `${IDBFS_MOUNT}/${HOUSEHOLD_FILES[db]}`, vfs: '', storage: 'idbfs', household: true };
    store = idbfsHousehold(db);
    marker = markerStore(db);
    markerValue = null;
    try {
      markerValue = marker && await marker.get();
    } catch (e) {
      marker = null;
    }
    if (markerValue && !storedFiles(db).some((f) => core.FS.analyzePath(f).exists)) {
      if (!acceptLoss) {
        state = null;
        throw lostMessage(db, markerValue.since);
      }
      markerValue = null;
    }
  }

  let quarantined = null;
  let bytes;
  try {
    bytes = await store.read();
    if (bytes && await store.oldExists()) {
      await store.removeOld(); // moved in before; the removal was cut short
    } else if (!bytes && await store.oldExists()) {
      const old = await readOldDatabase(db, useOpfs);
      if (old.damaged) {
        if (!old.damaged.corrupt) throw storageFailure('check', { name: `SQLite ${old.damaged.rc}: ${old.damaged.detail}` });
        const file = useOpfs ? await quarantineOpfs(await navigator.storage.getDirectory(), db) : await moveAsideIdbfs(`${IDBFS_MOUNT}/${db}`);
        quarantined = Object.assign(keptAsideMessage(file), { detail: old.damaged.detail });
      } else {
        const moved = callJson(core, 'gp_move_in', JSON.stringify(old.list), JSON.stringify(old.settings));
        if (!moved.ok) throw moved.error;
        await store.write(written);
        bytes = written;
        await store.removeOld();
      }
    }
  } catch (e) {
    if (e && e.code) throw e;
    throw storageFailure('open', e);
  }
  written = null;

  let opened = callJson(core, 'gp_open_household', bytes ?? new Uint8Array(0), bytes ? bytes.length : -1);
  if (!opened.ok && opened.error.code === 'household.damaged') {
    // Kept aside, never deleted; the page says so.
    const file = await store.quarantine();
    quarantined = keptAsideMessage(file);
    bytes = null;
    opened = callJson(core, 'gp_open_household', new Uint8Array(0), -1);
  }
  if (!opened.ok) throw opened.error;
  state.stored = bytes; // what the file holds now
  state.writeHousehold = async () => {
    const next = written;
    written = null;
    if (!next) return null;
    try {
      await store.write(next);
      state.stored = next;
      return null;
    } catch (e) {
      // Not stored: the core goes back to the file as it is, and the request fails.
      callJson(core, 'gp_open_household', state.stored ?? new Uint8Array(0), state.stored ? state.stored.length : -1);
      return storageFailure('write', e);
    }
  };
  if (state.storage === 'idbfs') await markStored();
  return openInfo(0, quarantined);
}

// ---- calls ----------------------------------------------------------------------

function errorReply(error) {
  return JSON.stringify({ ok: false, error });
}

async function handleCall(id, request, bytes = null) {
  if (broken) return errorReply(broken);
  if (!state) return errorReply(message('core.closed', '数据库未打开。', 'The database is not open.'));
  const table = core.gpOpfs;
  table.lastFailure = null;
  if (tooLarge(core, request)) {
    return errorReply(message('request.too_large',
      `请求过大（超过 ${MAX_REQUEST_BYTES / 1048576} MB），未处理。请把批次拆小后再导入。`,
      `The request is too large (over ${MAX_REQUEST_BYTES / 1048576} MB); nothing was done. Split the batch and import the parts.`));
  }
  let reply;
  try {
    reply = bytes ? callJson(core, 'gp_call_data', request, bytes, bytes.length) : callJson(core, 'gp_call', request);
    if (!reply.ok && typeof reply.set_aside === 'string') reply = await setAside(reply.set_aside);
    if (state.household) {
      const failed = await state.writeHousehold();
      if (failed) return errorReply(failed);
    }
  } catch (e) {
    // The wasm runtime aborted (out of memory, a trap): nothing after this is safe.
    broken = message('core.crashed', '程序内部错误，请刷新页面。本次操作未保存。',
      'Internal error; reload the page. This action was not saved.', { detail: String(e && e.message || e) });
    return errorReply(broken);
  }
  if (!reply.ok && table.lastFailure) {
    // Say what the storage itself reported (quota, lost handle), not only SQLite's summary.
    reply.error = Object.assign(storageFailure(table.lastFailure.op, table.lastFailure), { core: reply.error });
  }
  // retention.apply's reply (the only one with a cutoff): the core said which moment is past the
  // period; the quarantined copies it cannot see follow the same cutoff.
  if (reply.ok && typeof reply.cutoff === 'number') {
    try {
      reply.quarantine_removed = await pruneQuarantine(reply.cutoff);
    } catch (e) {
      reply.quarantine_removed = 0;
    }
  }
  if (state.storage === 'idbfs' && !state.household) {
    try {
      await persistIdbfs();
    } catch (e) {
      // Committed in memory but not stored: refuse everything until a reload reloads the stored state.
      broken = storageFailure('syncfs', e);
      return errorReply(broken);
    }
    // The write is stored; a marker that cannot be written only weakens telling a loss
    // from a first start (Durability above), so it does not fail the write.
    await markStored().catch(() => {});
  }
  return JSON.stringify(reply);
}

/// A face's own message type: `handler(msg, callCore)` runs in the request
/// queue like a call and resolves to a reply object ({ok, ...}); `callCore(request)`
/// sends one request object to the core and returns its parsed reply. What the
/// handler works on stays in this worker: the page sees only the reply.
export function addMessage(type, handler) {
  faceMessages.set(type, handler);
}

const keptFromPage = new Set(); // ops only this worker's own code may call (keepFromPage)

/// `op` answers only a face's worker code (callCore), never a page's call:
/// its reply holds what must not reach page JS (the gate's upload token).
export function keepFromPage(op) {
  keptFromPage.add(op);
}

/// The op a page's request names, as the core will read it: parsed whole
/// (JSON's last duplicate key wins, in the core as here), so no spelling of
/// the name slips by. Only when some op is kept from the page.
function refusedForPage(request) {
  if (!keptFromPage.size) return null;
  // Fast path (a 50 MB import is not parsed twice): without a \u escape the
  // name can only appear spelled out.
  if (!request.includes('\\u') && ![...keptFromPage].some((op) => request.includes(op))) return null;
  let op;
  try {
    op = JSON.parse(request)?.op;
  } catch {
    return null; // not JSON: the core refuses it in its own words
  }
  return keptFromPage.has(op)
    ? message('request.not_for_page', '此操作只能由程序内部执行。', 'This operation is not available to the page.')
    : null;
}

/// One core call from a face's worker code. It takes its turn in the request
/// queue like a page's call; the face's message itself does not hold the
/// queue, so its slow parts (an upload's POST) never stop the scans.
function callCore(request) {
  const turn = queue.then(() => handleCall(0, JSON.stringify(request)));
  queue = turn;
  return turn.then((reply) => JSON.parse(reply));
}

/// One core call of an import, in its turn; the import hears the core's progress meanwhile.
function importCall(id, request, bytes, onProgress) {
  const turn = queue.then(async () => {
    progressSink = onProgress;
    try {
      return await handleCall(id, JSON.stringify(request), bytes);
    } finally {
      progressSink = null;
    }
  });
  queue = turn;
  return turn.then((reply) => JSON.parse(reply));
}

/// The page's {type:'import'}: the file to the core in parts, in order, then
/// the end that verifies and merges it whole. Nothing is stored before the end.
async function importFile({ id, file, staff, tz }) {
  if (broken) return JSON.parse(errorReply(broken));
  if (!state) return JSON.parse(errorReply(message('core.closed', '数据库未打开。', 'The database is not open.')));
  const onProgress = (progress) => self.postMessage({ type: 'progress', id, progress });
  const request = (op, args = {}) => Object.assign({ op, tz }, args);
  try {
    let reply = await importCall(id, request('batch.import.begin', { size: file.size }), null, onProgress);
    for (let at = 0; reply.ok && at < file.size; at += PART_BYTES) {
      if (cancelledImports.has(id)) return await importCall(id, request('batch.import.cancel'), null, null);
      let bytes;
      try {
        bytes = new Uint8Array(await file.slice(at, at + PART_BYTES).arrayBuffer());
      } catch {
        // The file vanished or changed under us: the core drops the import and words why (batch.unreadable).
        return await importCall(id, request('batch.import.cancel', { why: 'unreadable' }), null, null);
      }
      reply = await importCall(id, request('batch.import.part', { at }), bytes, onProgress);
    }
    if (!reply.ok) return reply;
    if (cancelledImports.has(id)) return await importCall(id, request('batch.import.cancel'), null, null);
    return await importCall(id, request('batch.import.end', { staff: String(staff ?? '') }), null, onProgress);
  } finally {
    cancelledImports.delete(id);
  }
}

async function handleFaceMessage(msg) {
  if (broken) return errorReply(broken);
  if (!state) return errorReply(message('core.closed', '数据库未打开。', 'The database is not open.'));
  try {
    return JSON.stringify(await faceMessages.get(msg.type)(msg, callCore));
  } catch (e) {
    return errorReply(message('core.failed', '操作失败，未保存任何内容。', `The action failed (${e && e.message || e}); nothing was saved.`));
  }
}

self.onmessage = (event) => {
  const msg = event.data;
  if (msg.type === 'open') {
    queue = queue.then(() => open(msg)).then(
      (info) => self.postMessage({ type: 'ready', info }),
      (error) => {
        const e = error && error.code ? error : message('core.open', '无法打开数据库。', `Cannot open the database (${error && error.message || error}).`);
        self.postMessage({ type: 'fatal', error: e });
      });
  } else if (msg.type === 'fault' && testHooks) {
    queue = queue.then(() => { fault = msg.fault && Object.assign({ count: 1 }, msg.fault); });
  } else if (msg.type === 'call') {
    queue = queue.then(() => {
      const refused = refusedForPage(msg.request);
      return refused ? errorReply(refused) : handleCall(msg.id, msg.request);
    }).then((reply) => self.postMessage({ type: 'reply', id: msg.id, reply }));
  } else if (msg.type === 'import') {
    // After everything sent before it; each of its parts then takes its own turn.
    queue.then(() => importFile(msg)).then(
      (reply) => self.postMessage({ type: 'reply', id: msg.id, reply: JSON.stringify(reply) }),
      (e) => self.postMessage({ type: 'reply', id: msg.id, reply: errorReply(message('core.failed', '操作失败，未保存任何内容。', `The action failed (${e && e.message || e}); nothing was saved.`)) }));
  } else if (msg.type === 'import.cancel') {
    cancelledImports.add(msg.id);
  } else if (faceMessages.has(msg.type)) {
    // After everything sent before it (the database is open by then), but
    // without holding the queue: its core calls take their turns (callCore).
    queue.then(() => handleFaceMessage(msg)).then(
      (reply) => self.postMessage({ type: 'reply', id: msg.id, reply }));
  }
};
