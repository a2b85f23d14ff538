// Nothing acknowledged is lost when the browser dies right after (or during) a write.
//
// Each round: relaunch the same profile, check that every write acknowledged so
// far is there and integrity_check is ok, write one record and wait for its
// acknowledgment, start a few more writes without waiting, then SIGKILL the
// browser a random 0–15 ms later (no unload, no clean shutdown). Losses are
// counted over all rounds and must be zero; on IDBFS a store the browser itself
// deleted must be said (storage.lost), and is counted apart. GATEPASS_CRASH_ROUNDS sets the
// number of OPFS rounds (default 50), GATEPASS_IDBFS_ROUNDS the IDBFS ones
// (default 10), GATEPASS_SEALED_ROUNDS those of the gate's database sealed at
// rest (default 15: each round unlocks it, Argon2id and a check of every page).
// On a loss the assertion message says, per round, what IndexedDB held before
// the worker opened it and what the opened database held.
// GATEPASS_CRASH_CHROMIUM_LOG=DIR keeps Chromium's own log of each round there.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { serveSite, siteBuilt, freshProfile, removeProfile, launch, killBrowser, openCorePage, testPerson, storedDocNumbers } from './harness.mjs';

const skip = siteBuilt() ? false : 'build/site with the wasm core is missing (run build-scripts/build)';
const ROUNDS = Number(process.env.GATEPASS_CRASH_ROUNDS || 50);
const IDBFS_ROUNDS = Number(process.env.GATEPASS_IDBFS_ROUNDS || 10);
const SEALED_ROUNDS = Number(process.env.GATEPASS_SEALED_ROUNDS || 15);
const PIN = '246813';
const CHROMIUM_LOG = process.env.GATEPASS_CRASH_CHROMIUM_LOG || '';
let site;
before(async () => { if (!skip) site = await serveSite(); });
after(async () => { if (site) await site.close(); });

// What the IDBFS store holds, read from the page before the worker opens it:
// each file's stored mtime, size and SQLite change counter (header offset 24).
// Never creates the IndexedDB database when it is absent.
function idbfsSnapshot() {
  const req = (r) => new Promise((resolve, reject) => { r.onsuccess = () => resolve(r.result); r.onerror = () => reject(r.error); });
  const files = async () => {
    const db = await req(indexedDB.open('/gatepass'));
    try {
      if (!db.objectStoreNames.contains('FILE_DATA')) return 'no FILE_DATA store';
      const store = db.transaction('FILE_DATA', 'readonly').objectStore('FILE_DATA');
      const [keys, values] = await Promise.all([req(store.getAllKeys()), req(store.getAll())]);
      return keys.map((key, i) => {
        const { timestamp, contents: c } = values[i];
        return { key, mtime: timestamp && timestamp.getTime(), size: c ? c.length : null,
          counter: c && c.length >= 28 ? ((c[24] << 24) | (c[25] << 16) | (c[26] << 8) | c[27]) >>> 0 : null };
      });
    } finally {
      db.close();
    }
  };
  return (async () => {
    try {
      const names = (await indexedDB.databases()).map((d) => `${d.name}@${d.version}`);
      return { names, files: names.some((n) => n.startsWith('/gatepass@')) ? await files() : null };
    } catch (e) {
      return { error: `${e.name}: ${e.message}` }; // the browser could not open its store
    }
  })();
}

/// `db`: test.sqlite (plain), or gate.sqlite: sealed at rest behind the PIN (SealedGate.h), set at
/// the first round and given at each later one; the unlock checks every page of the sealed file.
async function crashLoop(storage, rounds, db = 'test.sqlite') {
  const profile = freshProfile(`crash-${storage}-${db}`);
  const acked = [];
  const log = []; // per round: what was there, what was missing
  const dropped = []; // rounds where the browser dropped its IndexedDB store and the worker said so (storage.lost)
  let losses = 0;
  let kept = 0;
  let context = null;
  try {
    for (let round = 0; round <= rounds; round++) {
      const args = CHROMIUM_LOG
        ? ['--enable-logging', '--v=0', `--log-file=${path.join(CHROMIUM_LOG, `${storage}-round-${String(round).padStart(4, '0')}.log`)}`]
        : [];
      if (CHROMIUM_LOG) fs.mkdirSync(CHROMIUM_LOG, { recursive: true });
      context = await launch(profile, { args });
      const page = await context.newPage();
      await page.goto(`${site.url}__test/core.html`);
      await page.waitForFunction(() => window.gpLoaded === true);
      const before = storage === 'idbfs' ? await page.evaluate(idbfsSnapshot) : null;
      let result = await page.evaluate((o) => window.gpOpen(o), { db, storage });
      if (storage === 'idbfs' && !result.ok && result.error.code === 'storage.lost') {
        // Chromium's IndexedDB deleted its whole store (the torn-log test below makes
        // it happen every time): said, never silent. What was acknowledged is gone
        // with the browser's store, counted apart; a person agrees and it goes on.
        dropped.push({ round, acked: acked.length, words: Boolean(result.error.zh && result.error.en) });
        acked.length = 0;
        result = await page.evaluate((o) => window.gpOpen(o), { db, storage, acceptLoss: true });
      }
      if (!result.ok) log.push({ round, records: null, acked: acked.length, lost: [], before, error: result.error.code });
      assert.equal(result.ok, true, `round ${round}: open failed: ${JSON.stringify(result.error)}\n${story(log)}`);
      assert.equal(result.info.integrity, 'ok', `round ${round}: integrity_check`);
      assert.equal(result.info.quarantined, null, `round ${round}: database was quarantined`);
      if (db === 'gate.sqlite') {
        const unlocked = await page.evaluate(([op, pin]) => window.gpCall(op, { pin }), [round === 0 ? 'lock.set_pin' : 'lock.unlock', PIN]);
        assert.equal(unlocked.ok, true, `round ${round}: unlock failed: ${JSON.stringify(unlocked.error)}\n${story(log)}`);
        assert.equal(unlocked.locked, false);
        assert.equal(unlocked.quarantined, undefined, `round ${round}: the sealed file failed its check and was set aside`);
      }
      const stored = new Set(await storedDocNumbers(page));
      const lost = acked.filter((d) => !stored.has(d));
      losses += lost.length;
      kept = stored.size;
      log.push({ round, records: stored.size, acked: acked.length, lost, before });
      if (round === rounds) {
        await context.close();
        break;
      }

      const i = round * 10;
      const reply = await page.evaluate((p) => window.gpCall('person.save', { person: p }), testPerson(i));
      assert.equal(reply.ok, true, `round ${round}: save failed: ${JSON.stringify(reply.error)}`);
      acked.push(testPerson(i).doc_number);
      // Writes in flight when the browser dies: they may or may not be kept, but must never damage the file.
      await page.evaluate((people) => { for (const p of people) window.gpCall('person.save', { person: p }); },
        [1, 2, 3].map((k) => testPerson(i + k)));
      await new Promise((r) => setTimeout(r, Math.floor(Math.random() * 16)));
      await killBrowser(profile, context);
    }
  } finally {
    await context?.close().catch(() => {}); // a failed round leaves its browser running
    removeProfile(profile);
  }
  // Rounds where more went missing than the round before (each a new loss, not the same one counted again).
  const events = log.filter((r, k) => k > 0 && r.lost.length > log[k - 1].lost.length).map((r) => r.round);
  return { acked: acked.length, losses, inFlightKept: kept - (acked.length - losses), story: story(log), events, dropped };
}

// The first round that missed an acknowledged record or failed to open, and the rounds before it, in words.
function story(log) {
  const first = log.findIndex((r) => r.lost.length || r.error);
  return first < 0 ? '' : log.slice(Math.max(0, first - 2), first + 2).map((r) =>
    `round ${r.round}: ${r.error ? `open failed (${r.error})` : `${r.records} records`}, ${r.lost.length} of ${r.acked} acknowledged missing `
    + `(${r.lost.join(' ')}); stored before open: ${JSON.stringify(r.before)}`).join('\n');
}

test(`opfs: SIGKILL the browser right after an ack, ${ROUNDS} rounds: 0 losses, integrity ok`, { skip, timeout: 600000 }, async () => {
  const r = await crashLoop('opfs', ROUNDS);
  console.log(`opfs crash loop: ${r.acked} acknowledged, ${r.losses} lost, ${r.inFlightKept} unacknowledged in-flight writes kept`);
  assert.equal(r.acked, ROUNDS);
  assert.equal(r.losses, 0, r.story);
});

test(`opfs, sealed at rest (gate.sqlite): SIGKILL during sealed writes, ${SEALED_ROUNDS} rounds: 0 losses, every page authentic`, { skip, timeout: 600000 }, async () => {
  const r = await crashLoop('opfs', SEALED_ROUNDS, 'gate.sqlite');
  console.log(`sealed crash loop: ${r.acked} acknowledged, ${r.losses} lost, ${r.inFlightKept} unacknowledged in-flight writes kept`);
  assert.equal(r.acked, SEALED_ROUNDS);
  assert.equal(r.losses, 0, r.story);
});

test(`idbfs fallback: SIGKILL right after an ack, ${IDBFS_ROUNDS} rounds: 0 losses, integrity ok`, { skip, timeout: 300000 * Math.max(1, IDBFS_ROUNDS / 10) }, async () => {
  const r = await crashLoop('idbfs', IDBFS_ROUNDS);
  console.log(`idbfs crash loop: ${r.acked} acknowledged, ${r.losses} lost, ${r.inFlightKept} unacknowledged in-flight writes kept`
    + (r.events.length ? `; new losses at rounds ${r.events.join(' ')}` : '')
    + (r.dropped.length ? `; Chromium dropped its IndexedDB store at rounds ${r.dropped.map((d) => `${d.round} (${d.acked} acknowledged)`).join(', ')}, said as storage.lost` : ''));
  // Never lost in silence. A store Chromium's IndexedDB deleted (google/leveldb#1287,
  // about 1 round in 330 here) is said as storage.lost with words in zh and en; no
  // user meets it in Chromium, which always has OPFS ('auto' takes IDBFS only in
  // browsers without OPFS sync handles, whose IndexedDB is not LevelDB).
  assert.equal(r.losses, 0, r.story);
  for (const d of r.dropped) assert.ok(d.words, `round ${d.round}: storage.lost without its words`);
});

// The IDBFS losses above, made to happen every time: a browser killed while its IndexedDB
// (Chromium: LevelDB) appended a record leaves that record half written at the log's end.
// LevelDB reads the half record as the end, reuses the log and appends after it
// (google/leveldb#1287); the next start reads a checksum mismatch and Chromium deletes
// the origin's whole IndexedDB ("recovering from a corrupted (and deleted) database").
test('idbfs fallback: IndexedDB log torn by a killed browser → the browser drops the store; the worker says storage.lost, never starts an empty database', { skip, timeout: 120000 }, async () => {
  const profile = freshProfile('torn-idb');
  const saveAndKill = async (i) => {
    const context = await launch(profile);
    const { page, result } = await openCorePage(context, site.url, { db: 'test.sqlite', storage: 'idbfs' });
    assert.equal(result.ok, true, JSON.stringify(result.error));
    assert.equal((await page.evaluate((p) => window.gpCall('person.save', { person: p }), testPerson(i))).ok, true);
    await killBrowser(profile, context);
  };
  try {
    await saveAndKill(0);
    await saveAndKill(1);
    const dir = path.join(profile, 'Default', 'IndexedDB');
    const store = fs.readdirSync(dir).find((d) => d.endsWith('.indexeddb.leveldb'));
    assert.ok(store, `no LevelDB IndexedDB store in ${fs.readdirSync(dir)}`);
    const log = path.join(dir, store, fs.readdirSync(path.join(dir, store)).filter((f) => f.endsWith('.log')).sort().pop());
    // LevelDB's log: 32 KiB blocks of records, each a 7-byte header (crc32c, length u16, type) and its payload.
    const bytes = fs.readFileSync(log);
    let last = null;
    for (let at = 0; at + 7 <= bytes.length;) {
      const blockEnd = (Math.floor(at / 32768) + 1) * 32768;
      const length = bytes.readUInt16LE(at + 4);
      if (blockEnd - at < 7 || (length === 0 && bytes[at + 6] === 0)) { at = blockEnd; continue; }
      last = { at, length };
      at += 7 + length;
    }
    fs.truncateSync(log, last.at + 7 + Math.floor(last.length / 2)); // the kill landed inside the last record
    await saveAndKill(2); // opens fine (the half record is dropped), and appends after it

    const context = await launch(profile);
    try {
      const { result } = await openCorePage(context, site.url, { db: 'test.sqlite', storage: 'idbfs' });
      assert.equal(result.ok, false, 'the worker started an empty database in place of the one the browser dropped');
      assert.equal(result.error.code, 'storage.lost');
    } finally {
      await context.close();
    }
  } finally {
    removeProfile(profile);
  }
});

test('opfs: renderer crash (CDP Page.crash) after an ack → a new page in the same browser reopens, record there', { skip, timeout: 120000 }, async () => {
  const profile = freshProfile('page-crash');
  const context = await launch(profile);
  try {
    for (let round = 0; round < 5; round++) {
      const { page, result } = await openCorePage(context, site.url, { db: 'test.sqlite' });
      assert.equal(result.ok, true, `round ${round}: ${JSON.stringify(result.error)}`);
      assert.equal(result.info.integrity, 'ok');
      const stored = await storedDocNumbers(page);
      assert.equal(stored.length, round, `round ${round}: stored ${stored.length}`);
      const reply = await page.evaluate((p) => window.gpCall('person.save', { person: p }), testPerson(round));
      assert.equal(reply.ok, true);
      const cdp = await context.newCDPSession(page);
      const crashed = page.waitForEvent('crash');
      cdp.send('Page.crash').catch(() => {}); // never answers: the renderer is gone
      await crashed;
      await page.close();
    }
  } finally {
    await context.close().catch(() => {});
    removeProfile(profile);
  }
});
