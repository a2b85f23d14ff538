// The gate's database sealed at rest in the browser (issue 13; src/core/SealedGate.h
// through the core worker): after a person is registered at the gate, their ID
// number and phone are in no file of the browser profile (OPFS, IndexedDB,
// caches: every file under the profile directory, byte for byte), while the
// same person stored in a plain database (test.sqlite, which stays plain) is
// found by the same search. Lock and unlock keep the data, across a browser
// restart; a wrong PIN opens nothing. A sealed file damaged on disk is set
// aside with the right PIN only (kept byte for byte in quarantine/), a new
// sealed database started under the same PIN, and staff told in a red banner.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { freshProfile, removeProfile, launch, openCorePage, screenshot, testPerson } from './harness.mjs';
import { makeEmptyClip } from './clips/make-clip.mjs';
import { PIN, PEOPLE, openConsole, waitState, click, setPin, coreCall, gateSession } from './gate-lib.mjs';

const session = gateSession({
  makeClips: (clip) => makeEmptyClip({ out: clip('empty.y4m'), width: 640, height: 480, seconds: 1, fps: 10 }),
});
const { skip } = session;
const person = PEOPLE.zhe;

/** Every file under `dir` whose bytes hold `text` (as UTF-8 or UTF-16LE), and how many bytes were read. */
function filesHolding(dir, text) {
  const needles = [Buffer.from(text, 'utf8'), Buffer.from(text, 'utf16le')];
  const found = [];
  let bytes = 0;
  let files = 0;
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) {
        let data;
        try { data = fs.readFileSync(p); } catch { continue; } // a lock file, gone meanwhile
        files++;
        bytes += data.length;
        if (needles.some((n) => data.includes(n))) found.push(path.relative(dir, p));
      }
    }
  };
  walk(dir);
  return { found, bytes, files };
}

async function typePin(page, pin) {
  for (const d of pin) await click(page, `key.${d}`);
  await click(page, 'key.OK');
}

test('sealed at rest: the ID number and phone are in no file of the profile; lock, wrong PIN, restart, unlock keep the data', { skip, timeout: 300000 }, async () => {
  const profile = freshProfile('gate-at-rest');
  try {
    let { context, page } = await openConsole(session.site.url, session.clip('empty.y4m'), 'gate-at-rest', profile);
    await setPin(page);
    assert.equal((await coreCall(page, 'person.save', { person })).ok, true);
    const entry = await coreCall(page, 'entry.record', { doc_number: person.doc_number, direction: 'in', temperature: 36.6, staff: '小李' });
    assert.equal(entry.ok, true, JSON.stringify(entry.error));

    // Locked: the camera stops, the database is closed and the key dropped; a wrong PIN opens nothing.
    await click(page, 'lock');
    await waitState(page, (s) => s.locked && !s.camera?.running, 'locked, camera off');
    assert.equal((await coreCall(page, 'person.get', { doc_number: person.doc_number })).error.code, 'lock.locked');
    assert.equal((await coreCall(page, 'lock.unlock', { pin: '135791' })).error.code, 'lock.wrong_pin');
    assert.equal((await coreCall(page, 'person.get', { doc_number: person.doc_number })).error.code, 'lock.locked');
    await context.close();

    const scan = filesHolding(profile, person.doc_number);
    assert.ok(scan.files > 10 && scan.bytes > 100000, `the profile was read: ${JSON.stringify({ files: scan.files, bytes: scan.bytes })}`);
    assert.deepEqual(scan.found, [], 'the ID number in a profile file');
    assert.deepEqual(filesHolding(profile, person.phone).found, [], 'the phone number in a profile file');

    // A new browser on the same profile: still locked, the PIN opens the same data.
    ({ context, page } = await openConsole(session.site.url, session.clip('empty.y4m'), 'gate-at-rest', profile));
    const st = await coreCall(page, 'lock.status');
    assert.equal(st.state, 'set');
    assert.equal(st.locked, true);
    assert.equal((await coreCall(page, 'person.list')).error.code, 'lock.locked');
    await typePin(page, PIN);
    await waitState(page, (s) => !s.locked, 'unlocked after the restart');
    const got = await coreCall(page, 'person.get', { doc_number: person.doc_number });
    assert.equal(got.ok, true, JSON.stringify(got.error));
    assert.equal(got.record.person.phone, person.phone);
    const today = await coreCall(page, 'entries.today');
    assert.equal(today.entries.length, 1);
    await context.close();
  } finally {
    removeProfile(profile);
  }
});

test('the control: the same person in a plain database (test.sqlite) is found by the same search', { skip, timeout: 120000 }, async () => {
  const profile = freshProfile('gate-at-rest-plain');
  try {
    const context = await launch(profile);
    const { page, result } = await openCorePage(context, session.site.url, { db: 'test.sqlite' });
    assert.equal(result.ok, true, JSON.stringify(result));
    const saved = await page.evaluate((p) => window.gpCall('person.save', { person: p }), person);
    assert.equal(saved.ok, true);
    await context.close();
    const scan = filesHolding(profile, person.doc_number);
    assert.ok(scan.found.some((f) => f.includes('File System')), `the plain OPFS file holds the ID number: ${JSON.stringify(scan.found)}`);
    assert.ok(filesHolding(profile, person.phone).found.length > 0, 'the phone number is found');
  } finally {
    removeProfile(profile);
  }
});

/** What OPFS holds at the origin of `page` (a page that is not the console): root names, quarantine/ names. */
function opfsNames(page) {
  return page.evaluate(async () => {
    const root = await navigator.storage.getDirectory();
    const names = [];
    for await (const n of root.keys()) names.push(n);
    const quarantine = [];
    try {
      for await (const n of (await root.getDirectoryHandle('quarantine')).keys()) quarantine.push(n);
    } catch (e) { /* none yet */ }
    return { names, quarantine };
  });
}

/** SHA-256 (hex) of an OPFS file, by path ('gate.sealed', 'quarantine/…'). */
function opfsHash(page, file) {
  return page.evaluate(async (f) => {
    let dir = await navigator.storage.getDirectory();
    const parts = f.split('/');
    for (const d of parts.slice(0, -1)) dir = await dir.getDirectoryHandle(d);
    const bytes = await (await (await dir.getFileHandle(parts.at(-1))).getFile()).arrayBuffer();
    return { size: bytes.byteLength, sha: [...new Uint8Array(await crypto.subtle.digest('SHA-256', bytes))].map((b) => b.toString(16).padStart(2, '0')).join('') };
  }, file);
}

test('a damaged gate.sealed: a wrong PIN moves nothing; the right PIN keeps it aside, starts a new sealed database, and says so', { skip, timeout: 300000 }, async () => {
  const profile = freshProfile('gate-sealed-damaged');
  try {
    let { context, page, errors } = await openConsole(session.site.url, session.clip('empty.y4m'), 'gate-sealed-damaged', profile);
    await setPin(page);
    for (let i = 0; i < 40; i++) { // several pages: the damage lands in one the open itself does not read
      const saved = await coreCall(page, 'person.save', { person: testPerson(i) });
      assert.equal(saved.ok, true, JSON.stringify(saved.error));
    }
    await click(page, 'lock');
    await waitState(page, (s) => s.locked, 'locked');

    // Bytes in the middle of page 3 changed while no console holds the file (a disk error, an editor).
    await page.goto(session.site.url);
    await page.evaluate(async () => {
      const handle = await (await navigator.storage.getDirectory()).getFileHandle('gate.sealed');
      for (let attempt = 0; ; attempt++) {
        try {
          const w = await handle.createWritable({ keepExistingData: true });
          await w.write({ type: 'write', position: 2 * 4096 + 1000, data: new Uint8Array([0x13, 0x37, 0x13, 0x37]) });
          await w.close();
          return;
        } catch (e) {
          if (attempt > 50) throw e; // the old worker lets go of its handle shortly after the page left
          await new Promise((r) => setTimeout(r, 100));
        }
      }
    });
    const damaged = await opfsHash(page, 'gate.sealed');
    assert.ok(damaged.size > 3 * 4096, JSON.stringify(damaged));

    // A wrong PIN: refused, and nothing is moved.
    await page.goto(`${session.site.url}gate/`);
    await waitState(page, (s) => s.phase === 'ready' && s.coreReady && s.lockState === 'set', 'console ready, locked');
    await typePin(page, '135791');
    await waitState(page, (s) => s.pinError, 'the wrong PIN said');
    assert.equal((await coreCall(page, 'person.list')).error.code, 'lock.locked');
    const probe = await context.newPage();
    await probe.goto(session.site.url);
    assert.deepEqual((await opfsNames(probe)).quarantine, [], 'a wrong PIN set something aside');

    // The right PIN: the damaged file is kept aside, a new sealed database opened, staff told.
    await typePin(page, PIN);
    const s = await waitState(page, (st) => !st.locked, 'unlocked', 30000);
    assert.equal(s.storageNotes.length, 1, JSON.stringify(s.storageNotes));
    assert.equal(s.storageNotes[0].code, 'storage.quarantined');
    assert.match(s.storageNotes[0].zh, /已另存为 quarantine\/gate\.sealed\.\d{4}-/);
    assert.match(s.storageNotes[0].en, /kept aside as quarantine\/gate\.sealed\.\d{4}-/);
    await page.waitForTimeout(300);
    assert.ok(await page.evaluate(() => window.gatepass.itemRect('storage.quarantined')), 'no banner under the top bar');
    await screenshot(page, 'gate-65-sealed-quarantined');
    assert.equal((await coreCall(page, 'person.list')).records.length, 0);
    assert.equal((await coreCall(page, 'person.save', { person })).ok, true);
    const { quarantine } = await opfsNames(probe);
    assert.equal(quarantine.length, 1, JSON.stringify(quarantine));
    assert.match(quarantine[0], /^gate\.sealed\.\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d-\d{3}Z$/);
    assert.deepEqual(await opfsHash(probe, `quarantine/${quarantine[0]}`), damaged, 'the damaged file kept byte for byte');
    await probe.close();
    assert.deepEqual(errors, []);
    await context.close();

    // A restart: the same PIN opens the new database, healthy, with no banner.
    ({ context, page } = await openConsole(session.site.url, session.clip('empty.y4m'), 'gate-sealed-damaged', profile));
    await waitState(page, (st) => st.lockState === 'set', 'locked after the restart');
    await typePin(page, PIN);
    const after = await waitState(page, (st) => !st.locked, 'unlocked after the restart', 30000);
    assert.deepEqual(after.storageNotes, []);
    assert.equal((await coreCall(page, 'person.get', { doc_number: person.doc_number })).ok, true);
    await context.close();
  } finally {
    removeProfile(profile);
  }
});

/** Removes OPFS files of the origin of `page` (a page that is not the console), once the old worker let go. */
function removeOpfs(page, names) {
  return page.evaluate(async (list) => {
    const root = await navigator.storage.getDirectory();
    for (const name of list) {
      for (let attempt = 0; ; attempt++) {
        try {
          await root.removeEntry(name);
          break;
        } catch (e) {
          if (e.name === 'NotFoundError') break;
          if (attempt > 50) throw e; // the old worker lets go of its handle shortly after the page left
          await new Promise((r) => setTimeout(r, 100));
        }
      }
    }
  }, names);
}

test('gate.keys lost: its second copy (gate.keys2) opens the data with the same PIN; both lost: a lock-out', { skip, timeout: 300000 }, async () => {
  const profile = freshProfile('gate-keys-lost');
  try {
    const { context, page, errors } = await openConsole(session.site.url, session.clip('empty.y4m'), 'gate-keys-lost', profile);
    await setPin(page);
    assert.equal((await coreCall(page, 'person.save', { person })).ok, true);
    await click(page, 'lock');
    await waitState(page, (s) => s.locked, 'locked');

    await page.goto(session.site.url);
    assert.ok((await opfsNames(page)).names.includes('gate.keys2'), 'no second copy of the ring');
    await removeOpfs(page, ['gate.keys', 'gate.keys-journal']);
    await page.goto(`${session.site.url}gate/`);
    const s = await waitState(page, (st) => st.phase === 'ready' && st.coreReady && st.lockState, 'console ready');
    assert.equal(s.lockState, 'set', 'gate.keys lost: the second copy holds the PIN');
    await typePin(page, PIN);
    await waitState(page, (st) => !st.locked, 'unlocked through the second copy', 30000);
    assert.equal((await coreCall(page, 'person.get', { doc_number: person.doc_number })).ok, true);
    await click(page, 'lock');
    await waitState(page, (st) => st.locked, 'locked again');

    await page.goto(session.site.url);
    await removeOpfs(page, ['gate.keys', 'gate.keys-journal', 'gate.keys2', 'gate.keys2-journal']);
    await page.goto(`${session.site.url}gate/`);
    const gone = await waitState(page, (st) => st.phase === 'ready' && st.coreReady && st.lockState, 'console ready');
    assert.equal(gone.lockState, 'lockout', 'both copies lost: a lock-out, never a first start');
    assert.deepEqual(errors, []);
    await context.close();
  } finally {
    removeProfile(profile);
  }
});

/** The IDBFS fallback's stored files (IndexedDB '/gatepass', store FILE_DATA) as {path: SHA-256 hex};
 *  with `editAt`, four bytes of gate.sealed at that offset are changed and stored first. */
function idbfsFiles(page, editAt = null) {
  return page.evaluate(async (at) => {
    const req = (r) => new Promise((resolve, reject) => { r.onsuccess = () => resolve(r.result); r.onerror = () => reject(r.error); });
    const db = await req(indexedDB.open('/gatepass'));
    try {
      const store = db.transaction('FILE_DATA', 'readwrite').objectStore('FILE_DATA');
      const keys = await req(store.getAllKeys());
      const out = {};
      for (const key of keys) {
        const value = await req(store.get(key));
        if (!value.contents) continue;
        if (at !== null && key === '/gatepass/gate.sealed') {
          value.contents.set([0x13, 0x37, 0x13, 0x37], at);
          await req(store.put(value, key));
        }
        out[key] = [...new Uint8Array(await crypto.subtle.digest('SHA-256', value.contents))].map((b) => b.toString(16).padStart(2, '0')).join('');
      }
      return out;
    } finally {
      db.close();
    }
  }, editAt);
}

test('IDBFS fallback: a damaged gate.sealed is kept aside in IndexedDB with the right PIN only, and a new sealed database started', { skip, timeout: 300000 }, async () => {
  const profile = freshProfile('gate-sealed-damaged-idbfs');
  const open = async (context) => {
    const { page, result } = await openCorePage(context, session.site.url, { db: 'gate.sqlite', storage: 'idbfs' });
    assert.equal(result.ok, true, JSON.stringify(result.error));
    return page;
  };
  const call = (page, op, args = {}) => page.evaluate(([o, a]) => window.gpCall(o, a), [op, args]);
  try {
    let context = await launch(profile);
    let page = await open(context);
    assert.equal((await call(page, 'lock.set_pin', { pin: PIN })).ok, true);
    for (let i = 0; i < 40; i++) assert.equal((await call(page, 'person.save', { person: testPerson(i) })).ok, true);
    await context.close();

    context = await launch(profile);
    const probe = await context.newPage();
    await probe.goto(`${session.site.url}__test/core.html`);
    const damaged = await idbfsFiles(probe, 2 * 4096 + 1000);
    page = await open(context);
    const wrong = await call(page, 'lock.unlock', { pin: '135791' });
    assert.equal(wrong.error.code, 'lock.wrong_pin');
    const afterWrong = await idbfsFiles(probe); // the ring counts the wrong PIN; the database is untouched
    assert.equal(afterWrong['/gatepass/gate.sealed'], damaged['/gatepass/gate.sealed'], 'a wrong PIN changed gate.sealed');
    assert.deepEqual(Object.keys(afterWrong).filter((k) => k.includes('quarantine')), [], 'a wrong PIN set something aside');
    const right = await call(page, 'lock.unlock', { pin: PIN });
    assert.equal(right.ok, true, JSON.stringify(right.error));
    assert.equal(right.quarantined.code, 'storage.quarantined');
    assert.match(right.quarantined.en, /kept aside as quarantine\/gate\.sealed\.\d{4}-/);
    assert.equal((await call(page, 'person.list')).records.length, 0);
    assert.equal((await call(page, 'person.save', { person })).ok, true);
    const after = await idbfsFiles(probe);
    const kept = Object.keys(after).filter((k) => k.startsWith('/gatepass/quarantine/gate.sealed.'));
    assert.equal(kept.length, 1, JSON.stringify(Object.keys(after)));
    assert.equal(after[kept[0]], damaged['/gatepass/gate.sealed'], 'the damaged file kept byte for byte');
    await context.close();

    context = await launch(profile);
    page = await open(context);
    const again = await call(page, 'lock.unlock', { pin: PIN });
    assert.equal(again.ok, true, JSON.stringify(again.error));
    assert.equal(again.quarantined, undefined);
    assert.equal((await call(page, 'person.get', { doc_number: person.doc_number })).ok, true);
    await context.close();
  } finally {
    removeProfile(profile);
  }
});
