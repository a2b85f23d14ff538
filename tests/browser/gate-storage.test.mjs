// What the core worker says about its storage reaches the staff: a browser
// without OPFS sync handles (the slower IndexedDB fallback) and a damaged
// database that was kept aside are both shown as a banner under the top bar,
// Chinese first, English after the switch — and on the lock screen too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { screenshot, removeProfile, freshProfile, launch, dropIndexedDb } from './harness.mjs';
import { makeEmptyClip } from './clips/make-clip.mjs';
import { PIN, waitState, click, setPin, VIEWPORT, gateSession } from './gate-lib.mjs';

const session = gateSession({
  makeClips: (clip) => {
    makeEmptyClip({ out: clip('empty.y4m'), width: 640, height: 480, seconds: 1, fps: 10 });
  },
});
const { skip, clip } = session;

/** Whether the console draws item `id` within 10 s (state changes land a frame before the pixels). */
const drawn = (page, id) =>
  page.waitForFunction((i) => window.gatepass.itemRect(i), id, { timeout: 10000 }).then(() => true, () => false);

async function launchConsole(tag) {
  const profile = freshProfile(tag);
  const context = await launch(profile, {
    viewport: VIEWPORT,
    // The offline copy would serve gate/core-worker.js itself, past the routes below.
    serviceWorkers: 'block',
    args: ['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-video-capture=${clip('empty.y4m')}`],
  });
  return { context, profile };
}

/** A browser like those without FileSystemSyncAccessHandle: the gate's core
 *  worker starts after a module that removes it, so the worker's own
 *  detection picks the fallback (nothing in the console is told). */
async function withoutOpfs(context) {
  await context.route('**/gate/core-worker.js', (route) => route.fulfill({
    contentType: 'text/javascript',
    body: "import './test-no-opfs.js';\nimport '../shared/core-worker.js';\n",
  }));
  await context.route('**/gate/test-no-opfs.js', (route) => route.fulfill({
    contentType: 'text/javascript',
    body: 'delete FileSystemFileHandle.prototype.createSyncAccessHandle;\n',
  }));
}

test('no OPFS sync handles: the console runs on IndexedDB and says so (zh, then en), lock screen included', { skip, timeout: 120000 }, async () => {
  const { context, profile } = await launchConsole('gate-idbfs');
  await withoutOpfs(context);
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  try {
    await page.goto(`${session.site.url}gate/`);
    let s = await waitState(page, (st) => st.phase === 'ready' && st.coreReady, 'console ready', 30000);
    assert.equal(s.storage, 'idbfs');
    assert.equal(s.storageNotes.length, 1, JSON.stringify(s.storageNotes));
    assert.equal(s.storageNotes[0].code, 'storage.fallback');
    assert.match(s.storageNotes[0].zh, /IndexedDB/);
    // Before the PIN: staff see it on the lock screen. The state changes
    // before the frame that draws it, so wait for the drawn item.
    assert.ok(await drawn(page, 'storage.fallback'), 'no banner on the lock screen');
    await screenshot(page, 'gate-60-idbfs-lock');

    await setPin(page);
    await waitState(page, (st) => st.camera?.running, 'camera running');
    assert.ok(await drawn(page, 'storage.fallback'), 'no storage banner under the top bar');
    const r = await page.evaluate(() => window.gatepass.itemRect('storage.fallback'));
    const tabs = await page.evaluate(() => window.gatepass.itemRect('tab.scan'));
    assert.ok(r.y < tabs.y, 'the banner sits above the tabs');
    assert.ok(r.w > 800 && r.h >= 30, `banner too small: ${JSON.stringify(r)}`);
    await screenshot(page, 'gate-61-idbfs-zh');

    await click(page, 'lang');
    await waitState(page, (st) => st.lang === 'en', 'English');
    await page.waitForTimeout(200);
    assert.ok(await drawn(page, 'storage.fallback'));
    await screenshot(page, 'gate-62-idbfs-en');

    // Still a working console: a write is acknowledged on the fallback.
    const saved = await page.evaluate(() => window.gatepass.call('settings.get'));
    assert.equal(saved.ok, true);
    s = await page.evaluate(() => window.gatepass.state());
    assert.equal(s.drawErrors, 0, s.lastDrawError);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
    removeProfile(profile);
  }
});

test('the browser deleted its IndexedDB store (fallback): the console says so and starts empty only after two taps', { skip, timeout: 120000 }, async () => {
  const { context, profile } = await launchConsole('gate-idbfs-lost');
  await withoutOpfs(context);
  let page = await context.newPage();
  try {
    await page.goto(`${session.site.url}gate/`);
    await waitState(page, (st) => st.phase === 'ready' && st.coreReady, 'console ready', 30000);
    await setPin(page);
    await page.close();
    // What Chromium does when it finds its IndexedDB damaged after a killed browser
    // (tests/browser/core-crash.test.mjs): every database of the origin goes.
    page = await context.newPage();
    await page.goto(session.site.url);
    await dropIndexedDb(page);
    await page.goto(`${session.site.url}gate/`);
    let s = await waitState(page, (st) => st.phase === 'failed', 'the console failed to open', 30000);
    assert.equal(s.bootErrorCode, 'storage.lost', s.bootError);
    assert.ok(await drawn(page, 'lost.start'), 'no way on after storage.lost');
    await screenshot(page, 'gate-63-idbfs-lost');
    await click(page, 'lost.start');
    assert.ok(await drawn(page, 'lost.confirm'), 'starting anew is not confirmed first');
    await screenshot(page, 'gate-64-idbfs-lost-confirm');
    // Cancel keeps it as it was; a reload still says it (nothing was started).
    await click(page, 'lost.cancel');
    assert.ok(await drawn(page, 'lost.start'));
    await page.reload();
    s = await waitState(page, (st) => st.phase === 'failed', 'still failed after a reload', 30000);
    assert.equal(s.bootErrorCode, 'storage.lost');
    await click(page, 'lost.start');
    await click(page, 'lost.confirm');
    s = await waitState(page, (st) => st.phase === 'ready' && st.coreReady && st.lockState === 'new', 'a first start', 30000);
    await setPin(page);
    s = await page.evaluate(() => window.gatepass.state());
    assert.equal(s.drawErrors, 0, s.lastDrawError);
  } finally {
    await context.close();
    removeProfile(profile);
  }
});

test('damaged database: kept aside, a red banner names the file; OPFS alone shows no banner', { skip, timeout: 120000 }, async () => {
  const { context, profile } = await launchConsole('gate-quarantine');
  const page = await context.newPage();
  try {
    // A normal start on OPFS: no banner at all.
    await page.goto(`${session.site.url}gate/`);
    let s = await waitState(page, (st) => st.phase === 'ready' && st.coreReady, 'console ready', 30000);
    assert.equal(s.storage, 'opfs');
    assert.deepEqual(s.storageNotes, []);
    await setPin(page);
    await page.waitForTimeout(300);
    const items = await page.evaluate(() => window.gatepass.items());
    assert.ok(!items.some((i) => i.startsWith('storage.')), `unexpected banner: ${items}`);

    // A plain database from before encryption at rest (gate.sqlite; the data
    // itself is in gate.sealed now) is overwritten with junk while no console holds it.
    await page.goto(`${session.site.url}`);
    await page.evaluate(async () => {
      const root = await navigator.storage.getDirectory();
      const handle = await root.getFileHandle('gate.sqlite');
      for (let attempt = 0; ; attempt++) {
        try {
          const w = await handle.createWritable({ keepExistingData: true });
          const junk = new Uint8Array(8192);
          for (let i = 0; i < junk.length; i++) junk[i] = (i * 151 + 7) & 0xff;
          await w.write({ type: 'write', position: 0, data: junk });
          await w.close();
          return;
        } catch (e) {
          if (attempt > 50) throw e; // the old worker lets go of its handle shortly after the page left
          await new Promise((r) => setTimeout(r, 100));
        }
      }
    });

    await page.goto(`${session.site.url}gate/`);
    s = await waitState(page, (st) => st.phase === 'ready' && st.coreReady, 'console ready', 30000);
    assert.equal(s.storageNotes.length, 1, JSON.stringify(s.storageNotes));
    assert.equal(s.storageNotes[0].code, 'storage.quarantined');
    assert.match(s.storageNotes[0].zh, /已另存为 quarantine\/gate\.sqlite\./);
    assert.match(s.storageNotes[0].en, /the encrypted data is not affected/);
    // The damaged file is kept aside; the sealed data and its PIN are untouched,
    // and the lock screen shows the banner.
    s = await waitState(page, (st) => st.lockState === 'set', 'the sealed database behind its PIN');
    await page.waitForTimeout(300);
    assert.ok(await drawn(page, 'storage.quarantined'), 'no banner on the lock screen');
    await screenshot(page, 'gate-63-quarantined-lock');
    for (const d of PIN) await click(page, `key.${d}`);
    await click(page, 'key.OK');
    await waitState(page, (st) => !st.locked, 'unlocked');
    await page.waitForTimeout(300);
    assert.ok(await drawn(page, 'storage.quarantined'), 'no banner under the top bar');
    await screenshot(page, 'gate-64-quarantined');
  } finally {
    await context.close();
    removeProfile(profile);
  }
});
