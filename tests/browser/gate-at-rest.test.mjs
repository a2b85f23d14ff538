// The gate's database sealed at rest in the browser (issue 13; src/core/SealedGate.h
// through the core worker): after a person is registered at the gate, their ID
// number and phone are in no file of the browser profile (OPFS, IndexedDB,
// caches: every file under the profile directory, byte for byte), while the
// same person stored in a plain database (test.sqlite, which stays plain) is
// found by the same search. Lock and unlock keep the data, across a browser
// restart; a wrong PIN opens nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { freshProfile, removeProfile, launch, openCorePage } from './harness.mjs';
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
