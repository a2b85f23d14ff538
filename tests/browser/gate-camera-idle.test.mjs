// The idle camera (issue 14): with nobody seen for a while, frames go to the
// reader at half size, and a pass too small to read there is still read — the
// half-size frame's contrast look (or a symbol detected but not decoded) sends
// the next frame at full size at once, and that frame's region is decoded.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { removeProfile } from './harness.mjs';
import { makeClip, passText } from './clips/make-clip.mjs';
import { PEOPLE, openConsole, waitState, setPin, gateSession } from './gate-lib.mjs';

const EMPTY_S = 6;
const session = gateSession({
  makeClips: async (clip) => {
    // 2 px/module at 1280×720: 1 at half size, which the decoder cannot read.
    await makeClip({ text: passText(PEOPLE.zhe), out: clip('far.y4m'), seconds: 4, emptyFirst: EMPTY_S, qrScale: 2, motion: 0 });
  },
});
const { skip, clip } = session;

for (const [path, bitmaps] of [['VideoFrames (Chromium)', false], ['ImageBitmaps (elsewhere)', true]]) test(`idle, ${path}: half-size frames; a small pass is read from the next full-size frame`, { skip, timeout: 120000 }, async () => {
  const { context, page, profile, errors } = await openConsole(session.site.url, clip('far.y4m'), 'gate-camera-idle');
  try {
    await page.evaluate(() => window.gatepass.cameraIdleAfter(1000));
    if (bitmaps) await page.evaluate(() => window.gatepass.cameraBitmapsOnly());
    await setPin(page);
    await waitState(page, (s) => s.camera?.running, 'camera running');
    // Idle from 1 s after the start; the pass comes EMPTY_S s into the clip.
    await waitState(page, (s) => s.flow.step === 'verify', 'the small pass read', 30000);
    const st = await page.evaluate(() => window.gatepass.cameraStats());
    assert.equal(st.path, bitmaps ? 'bitmaps' : 'frames');
    assert.equal(st.width, 1280);
    assert.ok(st.how.small > 0, `idle frames read at half size: ${JSON.stringify(st.how)}`);
    // The first read: a full-size region right after a half-size frame that saw the code.
    assert.deepEqual(st.firstFound, { how: 'region', before: 'small' }, JSON.stringify(st.recent));
    // Its outline is drawn in camera pixels.
    const o = (await page.evaluate(() => window.gatepass.state())).outline;
    assert.equal(o?.width, 1280);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
    removeProfile(profile);
  }
});
