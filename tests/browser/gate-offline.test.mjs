// The gate often has no network: after one visit the console starts from the
// service worker's copy — every file it loaded is in the gate's precache list,
// and with the network gone a reload still gives a working console (font,
// ImGui, camera reader, database).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { screenshot, removeProfile, SITE } from './harness.mjs';
import { makeClip, passText } from './clips/make-clip.mjs';
import { PEOPLE, openConsole, waitState, click, setPin, PIN, gateSession } from './gate-lib.mjs';

const session = gateSession({
  needsCli: true,
  makeClips: async (clip) => {
    await makeClip({ text: passText(PEOPLE.zhe), out: clip('zhe.y4m') });
  },
});
const { skip, clip } = session;

test('offline after one visit: the console starts from the precache and still reads a pass', { skip, timeout: 180000 }, async () => {
  const { context, page, profile, errors } = await openConsole(session.site.url, clip('zhe.y4m'), 'gate-offline');
  const requested = new Set();
  page.on('request', (r) => {
    const u = new URL(r.url());
    if (u.origin === new URL(session.site.url).origin) requested.add(u.pathname.replace(/^\//, ''));
  });
  try {
    await page.reload(); // log every request of a whole start
    await waitState(page, (s) => s.phase === 'ready' && s.coreReady, 'console ready', 30000);
    await setPin(page);
    await waitState(page, (s) => s.flow.step === 'verify', 'the pass read', 30000);
    await page.evaluate(() => navigator.serviceWorker.ready);

    const manifest = JSON.parse(fs.readFileSync(path.join(SITE, 'gate', 'precache.json'), 'utf8'));
    const assets = [...requested].filter((p) => p !== 'gate/sw.js' && !p.endsWith('/'));
    assert.deepEqual(assets.filter((p) => !(p in manifest.files)), [], 'loaded but not precached');
    for (const must of ['fonts/gate-cjk.otf', 'vendor/jsimgui/loader-extensions.js', 'vendor/zxing-wasm/reader/zxing_reader.wasm', 'shared/gatepass-core.wasm']) {
      assert.ok(requested.has(must), `${must} was loaded`);
    }

    await context.setOffline(true);
    requested.clear();
    await page.reload();
    // The browser tells the page it is offline in its own time: the console
    // must show it whenever that is (it once kept a copy taken too early).
    let s = await waitState(page, (st) => st.phase === 'ready' && st.coreReady && !st.online, 'console ready offline, shown offline', 30000);
    for (const d of PIN) await click(page, `key.${d}`);
    await click(page, 'key.OK');
    s = await waitState(page, (st) => st.flow.step === 'verify', 'the pass read offline', 30000);
    assert.equal(s.flow.name, PEOPLE.zhe.name);
    await screenshot(page, 'gate-40-offline');
    assert.deepEqual(errors, []);
    assert.equal(s.drawErrors, 0, s.lastDrawError);
  } finally {
    await context.setOffline(false);
    await context.close();
    removeProfile(profile);
  }
});

test('the network goes while the console is still starting: it shows offline, and online again later', { skip, timeout: 180000 }, async () => {
  const { context, page, profile, errors } = await openConsole(session.site.url, clip('zhe.y4m'), 'gate-offline-boot');
  try {
    await page.evaluate(() => navigator.serviceWorker.ready);
    await page.reload();
    // The page has loaded; the console is still opening its database.
    await context.setOffline(true);
    let s = await waitState(page, (st) => st.phase === 'ready' && st.coreReady, 'console ready', 30000);
    s = await waitState(page, (st) => !st.online, 'offline shown after an offline event during start');
    await context.setOffline(false);
    s = await waitState(page, (st) => st.online, 'online shown again');
    assert.deepEqual(errors, []);
    assert.equal(s.drawErrors, 0, s.lastDrawError);
  } finally {
    await context.setOffline(false);
    await context.close();
    removeProfile(profile);
  }
});
