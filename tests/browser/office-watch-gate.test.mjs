// The dashboard's watch list reaching the gate, end to end (issue 11): a real
// `gatepass office serve` on a temporary SQLite file, the console enrolled
// with the office's code, a staff member adding the resident on the office
// page (/office/#watch, typed with spaces and a small x), the console's next
// upload whose reply brings the row, and then the watched resident's live
// pass through the fake camera: the scan screen shows the core's deny, red,
// with the reason typed at the office. (office-reply.test.mjs does the same
// with the CLI's `office watch`.)
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { screenshot } from './harness.mjs';
import { makeClip } from './clips/make-clip.mjs';
import { PEOPLE, PIN, openConsole, waitState, click, setPin, typeInto, coreCall, gateSession } from './gate-lib.mjs';
import { makeCommunity, sealNatively } from './sealed-lib.mjs';
import { GP, gp, gpJson, startService } from '../office/lib.mjs';

const REASON = '区疾控通知：居家观察至12月6日';
const STAFF = ['值班', 'staff-pass-2026'];
let community = null;
let live = null;
let work, db, svc;
const session = gateSession({
  needsCli: true,
  makeClips: async (clip) => {
    community = makeCommunity('C001', '八角路社区', 'https://bajiao.example.org/');
    live = sealNatively(community, PEOPLE.zhe);
    await makeClip({ text: live, out: clip('watched.y4m') });
    // The office of that community (here: the session's setup runs first, with the key).
    work = mkdtempSync(join(tmpdir(), 'gatepass-watch-gate-'));
    db = join(work, 'office.sqlite');
    const add = gp('office', 'add-community', '--db', db, '--key', community.dir);
    assert.equal(add.status, 0, add.stderr);
    const account = spawnSync(GP, ['office', 'add-account', '--db', db, '--user', STAFF[0], '--role', 'staff'], { input: `${STAFF[1]}\n`, encoding: 'utf8' });
    assert.equal(account.status, 0, account.stderr);
    svc = await startService(db);
  },
});
const { skip, clip } = session;
after(async () => {
  await svc?.stop();
  community?.remove();
  if (work) rmSync(work, { recursive: true, force: true });
});

test('staff add a resident to the watch list on the office page: the next upload reply brings it, and the console shows their pass red with that reason', { skip, timeout: 300000 }, async () => {
  const code = gpJson('office', 'enroll-gate', '--db', db, '--community', 'C001', '--gate', '北门', '--url', svc.url, '--json');
  const { context, page, errors } = await openConsole(session.site.url, clip('watched.y4m'), 'office-watch-gate');
  try {
    await setPin(page);
    // Enrolled as staff do it: the code pasted, the passphrase typed.
    await click(page, 'tab.settings');
    await click(page, 'settings.enroll');
    await click(page, 'enroll.code');
    await page.keyboard.insertText(code.code);
    await page.keyboard.press('Enter');
    await typeInto(page, 'enroll.passphrase', code.passphrase);
    await waitState(page, (st) => st.enroll.code === code.code.length && st.enroll.passphrase === code.passphrase.length, 'code typed');
    await click(page, 'enroll.submit');
    await waitState(page, (st) => st.settings?.community_code === 'C001' && !st.enroll.busy, 'enrolled', 30000);
    await click(page, 'enroll.close');
    // The clip was sealed before the browser started: widen the age limit (gate-sealed.test.mjs checks the window).
    assert.equal((await coreCall(page, 'settings.set', { settings: { rules: { pass_max_age_seconds: 900 } } })).ok, true);
    // Before the office's reply the resident is nobody special.
    assert.equal((await coreCall(page, 'scan', { text: live })).alert, undefined);

    // The office: a staff member signs in and adds the resident, typed as people type numbers.
    const office = await context.newPage();
    await office.setViewportSize({ width: 1366, height: 768 });
    await office.goto(`${svc.url}office/`);
    await office.waitForSelector('#sign-in:not([hidden])');
    await office.fill('#user', STAFF[0]);
    await office.fill('#password', STAFF[1]);
    await office.click('#sign-in-submit');
    await office.waitForSelector('#overview:not([hidden])');
    await office.click('#nav-watch');
    await office.waitForSelector('#watch:not([hidden]) #watch-add:not([hidden])');
    const doc = PEOPLE.zhe.doc_number;
    await office.fill('#watch-doc', `${doc.slice(0, 6)} ${doc.slice(6)}`.toLowerCase());
    await office.fill('#watch-reason', REASON);
    await office.click('#watch-submit');
    await office.waitForSelector('#watch-lists table.watch tbody tr');
    assert.equal(await office.textContent('#watch-lists table.watch tbody tr td:nth-child(2)'), REASON);
    await screenshot(office, 'office-watch-gate-01-office');
    await office.close();

    // Another resident's entry is exported and uploaded; the reply brings the watch list.
    const other = PEOPLE.yue;
    assert.equal((await coreCall(page, 'entry.record', { person: other, direction: 'in', temperature: 36.5, staff: '小李' })).ok, true);
    await click(page, 'tab.data');
    await click(page, 'export');
    let s = await waitState(page, (st) => st.batches.length === 1 && st.batches[0].uploaded && !st.uploading, 'uploaded', 30000);
    assert.equal(s.uploadError, null);
    assert.equal(s.uploadMessage.code, 'upload.ok');

    // The camera reads the watched resident's pass (the lock forgets what it saw before).
    await click(page, 'tab.scan');
    await waitState(page, (st) => st.tab === 'scan', 'scan tab');
    await click(page, 'lock');
    await waitState(page, (st) => st.locked, 'locked');
    for (const d of PIN) await click(page, `key.${d}`);
    await click(page, 'key.OK');
    await waitState(page, (st) => !st.locked, 'unlocked');
    s = await waitState(page, (st) => st.flow.step === 'verify' && st.flow.alert && st.tab === 'scan', 'the watched pass read through the camera', 30000);
    assert.equal(s.flow.name, PEOPLE.zhe.name);
    assert.equal(s.flow.alert.verdict, 'deny');
    assert.equal(s.flow.alert.words.zh, '不得进入');
    assert.deepEqual(s.flow.alert.reasons.map((r) => r.code), ['watch_list']);
    assert.ok(s.flow.alert.reasons[0].zh.includes(REASON), s.flow.alert.reasons[0].zh);
    assert.ok(s.sounds.includes('deny'), `sounds: ${s.sounds}`);
    await page.evaluate(() => window.gatepass.nextFrame());
    const rect = await page.evaluate(() => window.gatepass.itemRect('alert'));
    assert.ok(rect, 'the alert is on screen');
    const file = await screenshot(page, 'office-watch-gate-02-console');
    // Red where the alert is drawn (COLORS.deny), read from the screenshot's pixels.
    const png = await page.screenshot({ clip: { x: rect.x + 4, y: rect.y + 4, width: 4, height: 4 } });
    const pixel = await page.evaluate(async (b64) => {
      const img = new Image();
      img.src = `data:image/png;base64,${b64}`;
      await img.decode();
      const c = new OffscreenCanvas(4, 4).getContext('2d');
      c.drawImage(img, 0, 0);
      return [...c.getImageData(1, 1, 1, 1).data];
    }, png.toString('base64'));
    assert.ok(pixel[0] > 150 && pixel[1] < 80 && pixel[2] < 80, `alert colour ${pixel} (${file})`);

    // The staff go on: the decision denies with the office's reason first.
    await click(page, 'verify');
    await waitState(page, (st) => st.flow.step === 'measure', 'measure step');
    await typeInto(page, 'temp', '36.5');
    s = await waitState(page, (st) => st.flow.step === 'decided', 'decided', 30000);
    assert.equal(s.flow.verdict, 'deny');
    assert.equal(s.flow.reasons[0], 'watch_list');
    assert.deepEqual(errors, []);
    assert.equal(s.drawErrors, 0, 'every screen drew without error');
  } finally {
    await context.close();
  }
});
