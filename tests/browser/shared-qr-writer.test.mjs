// The one QR writer loader of both faces (web/shared/qr-writer.js): a load
// that failed (offline before the files were cached, a dropped connection) is
// tried again on the next use, instead of failing every later poster, pass
// card or pass for the page's lifetime (the gate's own loader once did).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveSite, siteBuilt, freshProfile, launch, removeProfile } from './harness.mjs';

const skip = siteBuilt() ? false : 'build/site is not built (run build-scripts/build)';
let site;
before(async () => { if (!skip) site = await serveSite(); });
after(async () => { await site?.close(); });

test('a failed writer load is retried on the next use', { skip, timeout: 60000 }, async () => {
  const profile = freshProfile('qr-writer');
  const context = await launch(profile);
  try {
    const page = await context.newPage();
    await page.goto(`${site.url}__test/core.html`);
    let offline = true; // the writer's wasm cannot be fetched until this is false
    let asked = 0;
    await page.route('**/zxing_writer.wasm', (route) => { asked++; return offline ? route.abort('internetdisconnected') : route.continue(); });
    const attempt = () => page.evaluate(async () => {
      const { qrSvg } = await import('/shared/qr-writer.js');
      return qrSvg('GP:TEST').then((svg) => ({ ok: svg.includes('<svg') && svg.includes('viewBox') }), (e) => ({ ok: false, error: String(e?.message ?? e) }));
    });
    const first = await attempt();
    assert.equal(first.ok, false, 'the first use fails: the writer could not load');
    const askedWhileOffline = asked;
    offline = false;
    assert.deepEqual(await attempt(), { ok: true }, 'the next use loads the writer again and draws');
    assert.ok(asked > askedWhileOffline, 'the wasm was fetched again');
  } finally {
    await context.close();
    removeProfile(profile);
  }
});
