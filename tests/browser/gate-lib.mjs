// Helpers for the gate console tests: a Chromium whose fake camera plays a
// clip, clicks on the console's own item rectangles (the canvas has no DOM),
// and waits on its test API (window.gatepass).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { freshProfile, launch, screenshot, serveSite, siteBuilt } from './harness.mjs';
import { CLI } from './clips/make-clip.mjs';

export { CLI };
export const PIN = '246813';

/** Small viewport: SwiftShader draws every pixel on the CPU. */
export const VIEWPORT = { width: 1100, height: 720 };

/** Starts Chromium with `clip` as its camera and opens the console. */
export async function openConsole(siteUrl, clip, tag = 'gate', profile = freshProfile(tag)) {
  const context = await launch(profile, {
    viewport: VIEWPORT,
    acceptDownloads: true,
    args: [
      '--use-fake-ui-for-media-stream',
      '--use-fake-device-for-media-stream',
      `--use-file-for-fake-video-capture=${clip}`,
      '--autoplay-policy=no-user-gesture-required',
    ],
  });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${siteUrl}gate/`);
  await waitState(page, (s) => s.phase === 'ready' && s.coreReady, 'console ready', 30000);
  return { context, page, profile, errors };
}

/**
 * Waits until `pred(state)` holds and a frame has been drawn since: the
 * screen then shows that state (its item rectangles are those of a frame
 * that drew it — a state change reaches the canvas only with the next
 * animation frame, and on a loaded machine that can be late). The failure
 * message carries the last state.
 */
export async function waitState(page, pred, what, timeout = 20000) {
  const deadline = Date.now() + timeout;
  let last = null;
  while (Date.now() < deadline) {
    last = await page.evaluate(() => window.gatepass?.state?.() ?? null);
    if (last && pred(last)) {
      await page.evaluate(() => window.gatepass.nextFrame());
      return last;
    }
    await page.waitForTimeout(100);
  }
  // What the screen showed, to find the race (the state alone has not told it).
  const shot = await screenshot(page, `timeout-${what.replace(/[^A-Za-z0-9]+/g, '-')}`).catch(() => 'none');
  throw new Error(`timed out waiting for ${what} (screen: ${shot}); items: ${await page.evaluate(() => window.gatepass.items().join(' ')).catch(() => '?')}; last state: ${JSON.stringify(last && { phase: last.phase, locked: last.locked, flow: last.flow, camera: last.camera, bootError: last.bootError, message: last.message, batches: last.batches, settings: last.settings, enroll: last.enroll, uploadError: last.uploadError, drawErrors: last.drawErrors, lastDrawError: last.lastDrawError })}`);
}

/** Clicks the centre of a console item (waits until it is drawn). */
export async function click(page, id, timeout = 10000) {
  const deadline = Date.now() + timeout;
  let r = null;
  while (Date.now() < deadline) {
    r = await page.evaluate((i) => window.gatepass.itemRect(i), id);
    if (r) break;
    await page.waitForTimeout(100);
  }
  if (!r) throw new Error(`console item ${id} was not drawn; items: ${await page.evaluate(() => window.gatepass.items().join(' '))}`);
  await page.mouse.click(r.x + r.w / 2, r.y + r.h / 2);
  await page.waitForTimeout(120);
}

/**
 * Scrolls the screen's scrolling region (under the viewport's centre) with the
 * mouse wheel until the item `id` is drawn wholly in view, as staff scroll a
 * long form. `bottom`: the height under the region that is not part of it (a
 * row of buttons below a scrolling form).
 */
export async function scrollTo(page, id, { bottom = 10, timeout = 10000 } = {}) {
  const deadline = Date.now() + timeout;
  while (Date.now() < deadline) {
    const r = await page.evaluate((i) => window.gatepass.itemRect(i), id);
    if (!r) throw new Error(`console item ${id} was not drawn`);
    if (r.y >= 120 && r.y + r.h <= VIEWPORT.height - bottom) return r;
    await page.mouse.move(VIEWPORT.width / 2, VIEWPORT.height / 2);
    await page.mouse.wheel(0, r.y < 120 ? -120 : 120);
    await page.waitForTimeout(120);
    await page.evaluate(() => window.gatepass.nextFrame());
  }
  throw new Error(`console item ${id} did not scroll into view`);
}

/** First start: set the PIN on the keypad (twice), which unlocks the console. */
export async function setPin(page, pin = PIN) {
  for (let round = 0; round < 2; round++) {
    for (const d of pin) await click(page, `key.${d}`);
    await click(page, 'key.OK');
  }
  await waitState(page, (s) => !s.locked, 'unlocked');
}

/** Unlocks a locked console with `pin` on the on-screen keypad, as staff do. */
export async function unlockWith(page, pin = PIN) {
  for (const d of pin) await click(page, `key.${d}`);
  await click(page, 'key.OK');
  await waitState(page, (st) => !st.locked, `unlocked with ${pin.length} digits`);
}

/** Locks the console from the scan tab and unlocks it with the PIN: the lock
 * forgets what the camera saw before, so the code in view is read again after it. */
export async function relock(page) {
  await click(page, 'tab.scan');
  await waitState(page, (st) => st.tab === 'scan', 'scan tab');
  await click(page, 'lock');
  await waitState(page, (st) => st.locked, 'locked');
  await unlockWith(page);
}

/** Types into the active ImGui text field through the console's hidden input. */
export async function typeInto(page, id, text) {
  await click(page, id);
  await page.keyboard.press('Control+A');
  await page.keyboard.type(text);
  await page.keyboard.press('Enter');
  await page.waitForTimeout(150);
}

export async function coreCall(page, op, args = {}) {
  return page.evaluate(([o, a]) => window.gatepass.call(o, a), [op, args]);
}

/** A per-run folder for this file's clips (y4m is ~14 MB per second of 720p). */
let clipDir = null;
export function ensureClipDir() {
  return (name) => {
    clipDir ??= fs.mkdtempSync(path.join(os.tmpdir(), 'gatepass-gate-clips-'));
    return path.join(clipDir, name);
  };
}
export function removeClips() {
  if (clipDir) fs.rmSync(clipDir, { recursive: true, force: true });
  clipDir = null;
}

/** Two valid people (resident ID numbers with correct check characters). */
export const PEOPLE = {
  zhe: {
    name: '张喆', doc_type: 'resident_id', doc_number: '11010519491231002X', phone: '13800138000',
    person_type: 'resident', address: '3-2-501', left_city: false, epidemic_contact: false, symptoms: false,
    home_observation: false,
  },
  yue: {
    name: '王玥', doc_type: 'passport', doc_number: 'E7654321', phone: '13912345678',
    person_type: 'tenant', address: '5-1-302', left_city: false, epidemic_contact: false, symptoms: false,
    home_observation: false,
  },
};

/**
 * Registers a test file's before/after: serve build/site, make the file's
 * clips (`makeClips(clip)`, clip(name) → a path under the clip folder), and
 * clean up. `skip` is the reason to skip when the build is missing.
 */
export function gateSession({ needsCli = false, makeClips } = {}) {
  const session = { clip: ensureClipDir() };
  const built = siteBuilt() && (!needsCli || fs.existsSync(CLI));
  session.skip = built ? false
    : `build/site (with the wasm core)${needsCli ? ' and build/native/gatepass are' : ' is'} needed: run build-scripts/build`;
  before(async () => {
    if (session.skip) return;
    session.site = await serveSite();
    await makeClips?.(session.clip);
  });
  after(async () => {
    await session.site?.close();
    removeClips();
  });
  return session;
}

/**
 * Types `text` (and Enter) as a keyboard-wedge scanner does: real key events
 * through the browser's input pipeline (the DevTools protocol Playwright's own
 * keyboard uses), sent at once and stamped `msPerKey` apart. Playwright's
 * keyboard waits for each key to be handled before the next, which on a loaded
 * machine spreads a burst over 50–300 ms a key; a scanner's keys are stamped by
 * the system as they arrive, whatever the page is doing.
 * `start`: the first key's stamp (s since the epoch). The browser does not keep
 * stamps in the future (it stamps such a key when it handles it, so on a loaded
 * machine the gaps became whatever the page's pace was), so by default the
 * whole burst is stamped just before now. To put a pause between two bursts,
 * stamp the first one further in the past. Returns the stamp after the last key.
 */
export async function keyBurst(page, text, msPerKey, { enter = true, start } = {}) {
  start ??= Date.now() / 1000 - (([...text].length + 1) * msPerKey) / 1000 - 0.05;
  const cdp = await page.context().newCDPSession(page);
  let t = start;
  const sends = [];
  const key = (k, extra) => {
    const ch = k.length === 1 ? k : null;
    const upper = ch && /[A-Z]/.test(ch);
    const base = {
      key: k,
      code: ch ? (/[a-z]/i.test(ch) ? `Key${ch.toUpperCase()}` : /\d/.test(ch) ? `Digit${ch}` : '') : k,
      windowsVirtualKeyCode: ch ? (/[a-z\d]/i.test(ch) ? ch.toUpperCase().charCodeAt(0) : 0) : 13,
      modifiers: upper ? 8 : 0,
    };
    sends.push(cdp.send('Input.dispatchKeyEvent', { type: 'keyDown', text: ch ?? '\r', timestamp: t, ...base, ...extra }));
    sends.push(cdp.send('Input.dispatchKeyEvent', { type: 'keyUp', timestamp: t + 0.001, ...base }));
    t += msPerKey / 1000;
  };
  for (const ch of text) key(ch);
  if (enter) key('Enter');
  await Promise.all(sends);
  await cdp.detach();
  return t;
}

/**
 * A new PIN, then the enrollment as staff do it in Settings with an office's
 * `enroll-gate --json` answer for community C001 (the code pasted, the
 * passphrase typed); resolves to the console's state once enrolled.
 */
export async function enrollConsole(page, code) {
  await setPin(page);
  await click(page, 'tab.settings');
  await click(page, 'settings.enroll');
  await click(page, 'enroll.code');
  await page.keyboard.insertText(code.code);
  await page.keyboard.press('Enter');
  await typeInto(page, 'enroll.passphrase', code.passphrase);
  await waitState(page, (st) => st.enroll.code === code.code.length && st.enroll.passphrase === code.passphrase.length, 'code typed');
  await click(page, 'enroll.submit');
  const enrolled = await waitState(page, (st) => st.settings?.community_code === 'C001' && !st.enroll.busy, 'enrolled', 30000);
  await click(page, 'enroll.close');
  return enrolled;
}

/**
 * Enrolls the console (enrollConsole), and widens the pass age
 * limit (a clip is sealed before the browser starts; gate-sealed.test.mjs
 * checks the window). `live`, the watched resident's pass, is then nobody special.
 */
export async function enrollWithCode(page, code, live) {
  await enrollConsole(page, code);
  assert.equal((await coreCall(page, 'settings.set', { settings: { rules: { pass_max_age_seconds: 900 } } })).ok, true);
  assert.equal((await coreCall(page, 'scan', { text: live })).alert, undefined);
}

/** The colour [r, g, b, a] of the screen's pixel at (x, y), as drawn. */
async function pixelAt(page, x, y) {
  const png = await page.screenshot({ clip: { x: Math.round(x), y: Math.round(y), width: 4, height: 4 } });
  return page.evaluate(async (b64) => {
    const img = new Image();
    img.src = `data:image/png;base64,${b64}`;
    await img.decode();
    const c = new OffscreenCanvas(4, 4).getContext('2d');
    c.drawImage(img, 0, 0);
    return [...c.getImageData(1, 1, 1, 1).data];
  }, png.toString('base64'));
}

/**
 * After the office put PEOPLE.zhe on its watch list with `reason`: another
 * resident's entry is exported and uploaded (the reply brings the list), the
 * camera reads the watched resident's pass (the lock forgets what it saw
 * before), and the scan screen shows the core's deny, red (read from the
 * screenshot's pixels where the alert is drawn), with the office's reason;
 * the decision then denies with that reason first. `shot`: the screenshot's name.
 */
export async function expectWatchedAfterUpload(page, reason, shot, errors) {
  assert.equal((await coreCall(page, 'entry.record', { person: PEOPLE.yue, direction: 'in', temperature: 36.5, staff: '小李' })).ok, true);
  await click(page, 'tab.data');
  await click(page, 'export');
  let s = await waitState(page, (st) => st.batches.length === 1 && st.batches[0].uploaded && !st.uploading, 'uploaded', 30000);
  assert.equal(s.uploadError, null);
  assert.equal(s.uploadMessage.code, 'upload.ok');

  await relock(page);
  s = await waitState(page, (st) => st.flow.step === 'verify' && st.flow.alert && st.tab === 'scan', 'the watched pass read through the camera', 30000);
  assert.equal(s.flow.name, PEOPLE.zhe.name);
  assert.equal(s.flow.alert.verdict, 'deny');
  assert.equal(s.flow.alert.words.zh, '不得进入');
  assert.deepEqual(s.flow.alert.reasons.map((r) => r.code), ['watch_list']);
  assert.ok(s.flow.alert.reasons[0].zh.includes(reason), s.flow.alert.reasons[0].zh);
  assert.ok(s.sounds.includes('deny'), `sounds: ${s.sounds}`);
  await page.evaluate(() => window.gatepass.nextFrame());
  const rect = await page.evaluate(() => window.gatepass.itemRect('alert'));
  assert.ok(rect, 'the alert is on screen');
  const file = await screenshot(page, shot);
  const alertPixel = await pixelAt(page, rect.x + 4, rect.y + 4);
  assert.ok(alertPixel[0] > 150 && alertPixel[1] < 80 && alertPixel[2] < 80, `alert colour ${alertPixel} (${file})`);
  // No green "register" under the red panel: the check button takes the alert's colour.
  const verify = await page.evaluate(() => window.gatepass.itemRect('verify'));
  const verifyPixel = await pixelAt(page, verify.x + 8, verify.y + verify.h / 2);
  assert.ok(verifyPixel[0] > 150 && verifyPixel[1] < 80 && verifyPixel[2] < 80, `verify button colour ${verifyPixel} (${file})`);

  await click(page, 'verify');
  await waitState(page, (st) => st.flow.step === 'measure', 'measure step');
  await typeInto(page, 'temp', '36.5');
  s = await waitState(page, (st) => st.flow.step === 'decided', 'decided', 30000);
  assert.equal(s.flow.verdict, 'deny');
  assert.equal(s.flow.reasons[0], 'watch_list');
  assert.deepEqual(errors, []);
  assert.equal(s.drawErrors, 0, 'every screen drew without error');
}

/**
 * The first printed card's QR (#print-root) read back with zxing, as a
 * camera would, and given to the core's pass.decode: its reply, or null when
 * no code was found.
 */
export async function readPrintedCard(page) {
  return page.evaluate(async () => {
    const { prepareZXingModule, readBarcodes } = await import('/vendor/zxing-wasm/es/reader/index.js');
    await prepareZXingModule({ overrides: { locateFile: (p, pre) => (p.endsWith('.wasm') ? '/vendor/zxing-wasm/reader/zxing_reader.wasm' : pre + p) }, fireImmediately: true });
    const svg = document.querySelector('#print-root .card-qr svg').cloneNode(true);
    svg.setAttribute('width', '400');
    svg.setAttribute('height', '400');
    const img = new Image();
    img.src = URL.createObjectURL(new Blob([svg.outerHTML], { type: 'image/svg+xml' }));
    await img.decode();
    const c = new OffscreenCanvas(440, 440);
    const ctx = c.getContext('2d');
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, 440, 440);
    ctx.drawImage(img, 20, 20, 400, 400);
    const [r] = await readBarcodes(ctx.getImageData(0, 0, 440, 440), { formats: ['QRCode'] });
    if (!r) return null;
    return window.gatepass.call('pass.decode', { text: new TextDecoder().decode(r.bytes) });
  });
}
