// The camera's start (issue 14): the reader is warmed up before the camera is
// asked for — a made frame with a small QR, read each way the reader reads a
// camera frame (a contrast candidate's region, the whole frame, a half-size
// idle frame) — so the camera's first frame runs on warm code; a pass in view
// from the camera's first frame is read from that frame, from its own
// contrast look's region. (How soon is a benchmark's business:
// build-scripts/bench-camera --only start.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { removeProfile } from './harness.mjs';
import { makeClip, passText } from './clips/make-clip.mjs';
import { PEOPLE, openConsole, waitState, setPin, gateSession } from './gate-lib.mjs';

const session = gateSession({
  needsCli: true,
  makeClips: async (clip) => {
    await makeClip({ text: passText(PEOPLE.zhe), out: clip('start.y4m'), seconds: 2, fps: 30, motion: 0 });
  },
});
const { skip, clip } = session;

test('camera start: the reader is warmed up at boot; the first camera frame is read from its own look', { skip, timeout: 120000 }, async () => {
  const { context, page, profile, errors } = await openConsole(session.site.url, clip('start.y4m'), 'gate-camera-start');
  try {
    await setPin(page);
    await waitState(page, (s) => s.flow.step === 'verify', 'the pass read');
    const st = await page.evaluate(() => window.gatepass.cameraStats());
    assert.equal(st.path, 'frames');
    // The made frame was read each way, the made code found in each.
    assert.deepEqual(st.warm, [{ how: 'region', found: true }, { how: 'full', found: true }, { how: 'small', found: true }]);
    // The first camera frame: the look's region, read (no region or lead left over from the warm-up).
    assert.equal(st.recent[0].found, true, JSON.stringify(st.recent));
    assert.equal(st.recent[0].how, 'region', JSON.stringify(st.recent));
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
    removeProfile(profile);
  }
});
