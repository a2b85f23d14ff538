// Privacy by default (issue 13): the lock is in the core, not on the canvas —
// a script on the console's page gets nothing while it is locked, a wrong-PIN
// loop slows down and a reload does not reset it; the console and the resident
// page live on two origins (build-scripts/serve.mjs startFaces, as
// build-scripts/run serves them), and the resident origin cannot open the
// gate's database.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { freshProfile, removeProfile, launch, siteBuilt, SITE } from './harness.mjs';
import { makeEmptyClip } from './clips/make-clip.mjs';
import { PIN, PEOPLE, waitState, click, setPin, coreCall, VIEWPORT, ensureClipDir, removeClips } from './gate-lib.mjs';
import { startFaces } from '../../build-scripts/serve.mjs';

const skip = siteBuilt() ? false : 'build/site (with the wasm core) is needed: run build-scripts/build';
const clip = ensureClipDir();
let faces = null;
before(async () => {
  if (skip) return;
  faces = await startFaces({ root: SITE, quiet: true });
  makeEmptyClip({ out: clip('empty.y4m'), width: 640, height: 480, seconds: 1, fps: 10 });
});
after(async () => {
  await faces?.close();
  removeClips();
});

async function launchBrowser(tag) {
  const profile = freshProfile(tag);
  const context = await launch(profile, {
    viewport: VIEWPORT,
    args: ['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-video-capture=${clip('empty.y4m')}`],
  });
  return { context, profile };
}

async function openConsole(context) {
  const page = await context.newPage();
  await page.goto(`${faces.gate.url}gate/`);
  await waitState(page, (s) => s.phase === 'ready' && s.coreReady && s.lockState, 'console ready', 30000);
  return page;
}

async function typePin(page, pin) {
  for (const d of pin) await click(page, `key.${d}`);
  await click(page, 'key.OK');
}

test('locked means locked: a script gets nothing; short PINs refused; wrong PINs slow down, across a reload', { skip, timeout: 240000 }, async () => {
  const { context, profile } = await launchBrowser('gate-lock');
  try {
    let page = await openConsole(context);
    let s = await page.evaluate(() => window.gatepass.state());
    assert.equal(s.lockState, 'new');
    // Before any PIN: nothing but the lock answers.
    for (const op of ['person.list', 'settings.get', 'entries.today']) {
      const r = await coreCall(page, op);
      assert.equal(r.ok, false);
      assert.equal(r.error.code, 'lock.locked');
    }
    // A 4-digit PIN is refused by the core, in its words.
    await typePin(page, '2468');
    s = await waitState(page, (st) => st.pinError, 'short PIN refused');
    assert.match(s.pinError, /6/);
    assert.equal(s.pinStage, 'first');

    await setPin(page);
    await waitState(page, (st) => st.camera?.running, 'camera running');
    const saved = await coreCall(page, 'person.save', { person: PEOPLE.zhe });
    assert.equal(saved.ok, true);

    // Locked: the camera stops, and the page's own core connection is refused everything.
    await click(page, 'lock');
    await waitState(page, (st) => st.locked && !st.camera?.running, 'locked, camera off');
    for (const [op, args] of [['person.get', { doc_number: PEOPLE.zhe.doc_number }], ['person.list', {}],
      ['settings.set', { settings: { upload_url: 'https://evil.example/' } }], ['batch.export', {}], ['search', { query: '张喆' }]]) {
      const r = await coreCall(page, op, args);
      assert.equal(r.ok, false, op);
      assert.equal(r.error.code, 'lock.locked', op);
    }

    // Two typos are free; the third wrong PIN starts a wait that even the right PIN must sit out.
    for (let i = 0; i < 3; i++) {
      await typePin(page, '111111');
      await waitState(page, (st) => st.pinError && !st.pinBusy, `wrong PIN ${i + 1}`);
    }
    s = await page.evaluate(() => window.gatepass.state());
    assert.ok(s.lockWaitMs > 0, `a wait after three wrong PINs: ${JSON.stringify(s.lockWaitMs)}`);
    const early = await coreCall(page, 'lock.unlock', { pin: PIN });
    assert.equal(early.error.code, 'lock.wait');

    // A reload (or clearing the page's localStorage) does not reset the count: it is in the database.
    await page.close();
    page = await openConsole(context);
    let st = await coreCall(page, 'lock.status');
    assert.equal(st.failures, 3);
    if (st.wait_ms > 0) {
      assert.equal((await coreCall(page, 'lock.unlock', { pin: PIN })).error.code, 'lock.wait');
      await page.waitForTimeout(st.wait_ms + 200);
    }
    // One more wrong PIN after the reload counts on from 3: the wait doubles
    // (were the count reset, it would be a free typo).
    await typePin(page, '111111');
    await waitState(page, (x) => x.pinError && !x.pinBusy, 'wrong PIN after the reload');
    st = await coreCall(page, 'lock.status');
    assert.equal(st.failures, 4);
    assert.ok(st.wait_ms > 5000, JSON.stringify(st));
    assert.equal((await coreCall(page, 'lock.unlock', { pin: PIN })).error.code, 'lock.wait');
    await page.waitForTimeout(st.wait_ms + 200);
    await typePin(page, PIN);
    await waitState(page, (x) => !x.locked, 'unlocked after the wait');
    const got = await coreCall(page, 'person.get', { doc_number: PEOPLE.zhe.doc_number });
    assert.equal(got.ok, true);
    assert.equal((await coreCall(page, 'lock.status')).failures, 0);

    // The console ran retention at start; the Data tab states the policy in the core's words.
    await click(page, 'tab.data');
    s = await waitState(page, (x) => x.retention?.policy, 'retention policy');
    assert.equal(s.retention.retention_days, 28);
    assert.match(s.retention.policy.zh, /28/);
    assert.equal(s.retention.held, 0);
    assert.ok(await page.evaluate(() => window.gatepass.itemRect('retention.policy')), 'the policy line is drawn');
  } finally {
    await context.close();
    removeProfile(profile);
  }
});

test('own origin: the resident origin cannot open the gate database; the gate origin can', { skip, timeout: 180000 }, async () => {
  assert.notEqual(new URL(faces.resident.url).origin, new URL(faces.gate.url).origin);
  const { context, profile } = await launchBrowser('gate-origin');
  try {
    // Quarantined copies of a damaged database (as the core worker names them: a plain
    // one from before and a sealed one): two older than the retention period, one from
    // today. The console's retention at start removes only the old ones.
    const prep = await context.newPage();
    await prep.goto(faces.gate.url);
    const today = new Date().toISOString().replace(/[:.]/g, '-');
    await prep.evaluate(async (stamp) => {
      const dir = await (await navigator.storage.getDirectory()).getDirectoryHandle('quarantine', { create: true });
      for (const name of ['gate.sqlite.2020-01-02T03-04-05-678Z', 'gate.sealed.2020-01-02T03-04-05-678Z', `gate.sqlite.${stamp}`]) {
        const w = await (await dir.getFileHandle(name, { create: true })).createWritable();
        await w.write('damaged');
        await w.close();
      }
    }, today);
    await prep.close();

    const page = await openConsole(context);
    await setPin(page);
    const ret = await waitState(page, (x) => x.retention, 'retention at start');
    assert.equal(ret.retention.quarantine_removed, 2);
    assert.equal((await coreCall(page, 'person.save', { person: PEOPLE.yue })).ok, true);
    await page.close(); // lets go of the database's handles

    const opfs = (p) => p.evaluate(async () => {
      const root = await navigator.storage.getDirectory();
      const names = [];
      for await (const n of root.keys()) names.push(n);
      let opened = false;
      let error = '';
      try {
        const h = await root.getFileHandle('gate.sealed'); // the database, sealed at rest (gate.sqlite: a plain one from before)
        opened = (await h.getFile()).size > 0;
      } catch (e) {
        error = e.name;
      }
      return { names, opened, error };
    });

    // The public page's origin: no gate database to be found.
    const resident = await context.newPage();
    await resident.goto(`${faces.resident.url}resident/`);
    const seen = await opfs(resident);
    assert.ok(!seen.names.some((n) => n.startsWith('gate.')), JSON.stringify(seen));
    assert.equal(seen.opened, false);
    assert.equal(seen.error, 'NotFoundError');
    // Its link to the console leads to the gate's own origin.
    await resident.goto(`${faces.resident.url}gate/`);
    assert.equal(new URL(resident.url()).origin, new URL(faces.gate.url).origin);
    await resident.close();

    // The gate's origin holds it (a page there that is not the console).
    const other = await context.newPage();
    await other.goto(faces.gate.url);
    const mine = await opfs(other);
    assert.ok(mine.names.includes('gate.sealed') && mine.names.includes('gate.keys'), JSON.stringify(mine));
    assert.equal(mine.opened, true);
    const kept = await other.evaluate(async () => {
      const dir = await (await navigator.storage.getDirectory()).getDirectoryHandle('quarantine');
      const names = [];
      for await (const n of dir.keys()) names.push(n);
      return names;
    });
    assert.deepEqual(kept, [`gate.sqlite.${today}`]);
    // And the resident path on the gate origin leads back to the resident origin.
    await other.goto(`${faces.gate.url}resident/?c=X`);
    assert.equal(new URL(other.url()).origin, new URL(faces.resident.url).origin);
    assert.equal(new URL(other.url()).searchParams.get('c'), 'X');
  } finally {
    await context.close();
    removeProfile(profile);
  }
});
