// The PIN record removed from a sealed gate's key ring (gate.keys, issue 13):
// the console is locked out, never at a first start; the office's enrollment
// code for this gate and a new PIN recover it with every record, and the
// settings the code carries (community, gate, upload address and token,
// retention) are applied again as at enrollment.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { removeProfile, screenshot, testPerson } from './harness.mjs';
import { makeEmptyClip } from './clips/make-clip.mjs';
import { openConsole, waitState, click, setPin, typeInto, coreCall, gateSession, enrollConsole, unlockWith } from './gate-lib.mjs';
import { gp, gpJson } from '../office/lib.mjs';

const SITE = 'https://bajiao.example.org/';
const UPLOAD = 'http://127.0.0.1:9/'; // the office's address as the code carries it (no service needed here)
const session = gateSession({
  needsCli: true,
  makeClips: (clip) => makeEmptyClip({ out: clip('empty.y4m'), width: 640, height: 480, seconds: 1, fps: 10 }),
});
const { skip, clip } = session;

let work, db;
before(() => {
  if (skip) return;
  work = mkdtempSync(join(tmpdir(), 'gatepass-recover-'));
  db = join(work, 'office.sqlite');
  assert.equal(gp('community', 'init', '--code', 'C001', '--name', '八角路社区', '--site', SITE, '--out', join(work, 'key')).status, 0);
  assert.equal(gp('office', 'add-community', '--db', db, '--key', join(work, 'key')).status, 0);
});
after(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

/** The key ring's PIN record removed, as someone with the profile could: gate.keys read out of
 *  OPFS, its `ring.pin` set to NULL with SQLite (python3's), written back whole. */
async function removePinRecord(page) {
  const bytes = await page.evaluate(async () => {
    const h = await (await navigator.storage.getDirectory()).getFileHandle('gate.keys');
    for (let attempt = 0; ; attempt++) {
      try {
        return [...new Uint8Array(await (await h.getFile()).arrayBuffer())];
      } catch (e) {
        if (attempt > 50) throw e; // the old worker lets go of its handle shortly after the page left
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  });
  const file = join(work, 'gate.keys');
  writeFileSync(file, Buffer.from(bytes));
  execFileSync('python3', ['-c', 'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute("UPDATE ring SET pin = NULL"); c.commit(); c.close()', file]);
  const edited = [...readFileSync(file)];
  await page.evaluate(async (b) => {
    const root = await navigator.storage.getDirectory();
    const w = await (await root.getFileHandle('gate.keys')).createWritable();
    await w.write(new Uint8Array(b));
    await w.close();
    localStorage.clear(); // and whatever the console kept in the page's storage
  }, edited);
}

test('PIN record removed → lock-out; the enrollment code recovers every record and reapplies its settings', { skip, timeout: 300000 }, async () => {
  const code = gpJson('office', 'enroll-gate', '--db', db, '--community', 'C001', '--gate', '北门', '--url', UPLOAD, '--json');
  const { context, page, profile, errors } = await openConsole(session.site.url, clip('empty.y4m'), 'gate-recover');
  try {
    const atEnrollment = (await enrollConsole(page, code)).settings;

    const people = Array.from({ length: 25 }, (_, i) => testPerson(i));
    for (const p of people) {
      const saved = await coreCall(page, 'person.save', { person: p });
      assert.equal(saved.ok, true, JSON.stringify(saved.error));
      assert.equal((await coreCall(page, 'entry.record', { doc_number: p.doc_number, direction: 'in', temperature: 36.5, staff: '小李' })).ok, true);
    }
    // Changed at the gate since: recovery restores what the office's code says.
    const changed = await coreCall(page, 'settings.set', { settings: { gate_name: '南门', upload_url: 'https://elsewhere.example.org/api/upload', upload_token: '', retention_days: 60 } });
    assert.equal(changed.ok, true, JSON.stringify(changed.error));
    await click(page, 'lock');
    await waitState(page, (st) => st.locked, 'locked');

    await page.goto(session.site.url);
    await removePinRecord(page);

    await page.goto(`${session.site.url}gate/`);
    let s = await waitState(page, (st) => st.phase === 'ready' && st.coreReady && st.lockState, 'console ready', 30000);
    assert.equal(s.lockState, 'lockout', 'a missing PIN record is a lock-out, never a first start');
    assert.equal((await coreCall(page, 'lock.set_pin', { pin: '111111' })).error.code, 'lock.lockout');
    assert.equal((await coreCall(page, 'person.list')).error.code, 'lock.locked');
    await page.waitForTimeout(300);
    await screenshot(page, 'gate-66-lockout-pin-record-removed');

    await click(page, 'recover.code'); // a lock-out shows the recovery form at once

    await page.keyboard.insertText(code.code);
    await page.keyboard.press('Enter');
    await typeInto(page, 'recover.passphrase', code.passphrase);
    await typeInto(page, 'recover.pin', '975310');
    await waitState(page, (st) => st.recover.code === code.code.length && st.recover.pin === 6, 'recovery typed');
    await click(page, 'recover.submit');
    s = await waitState(page, (st) => !st.locked, 'unlocked by the recovery', 60000);

    const list = await coreCall(page, 'person.list');
    assert.deepEqual(list.records.map((r) => r.person.doc_number).sort(), people.map((p) => p.doc_number).sort(), 'every record kept');
    assert.equal((await coreCall(page, 'entries.today')).entries.length, people.length);
    const settings = await coreCall(page, 'settings.get');
    for (const key of ['community_code', 'community_name', 'gate_name', 'site', 'upload_url', 'retention_days'])
      assert.equal(settings.settings[key], atEnrollment[key], `${key} as at enrollment`);
    assert.equal(settings.settings.gate_name, '北门');
    assert.ok(settings.settings.upload_url.startsWith(UPLOAD), settings.settings.upload_url);
    assert.equal(settings.upload_token_set, true);
    assert.equal(settings.keys_set, true);
    await page.waitForTimeout(300);
    await screenshot(page, 'gate-67-recovered');

    // The new PIN opens it after a lock.
    await click(page, 'lock');
    await waitState(page, (st) => st.locked, 'locked again');
    await unlockWith(page, '975310'); // the new PIN opens it
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
    removeProfile(profile);
  }
});
