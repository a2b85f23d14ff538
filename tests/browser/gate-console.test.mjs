// The console itself, with the camera looking at an empty gate: crisp at
// devicePixelRatio 2, no redraws while nothing happens, PIN lock (wrong PIN
// refused, relock after inactivity), manual registration by staff of someone
// without a phone, today's list, and printing (poster QR, pass card) through
// the DOM rather than the canvas.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { execFileSync } from 'node:child_process';
import { screenshot, removeProfile, freshProfile, launch } from './harness.mjs';
import { makeEmptyClip } from './clips/make-clip.mjs';
import { readPrintedCard, PIN, waitState, click, setPin, typeInto, coreCall, scrollTo, VIEWPORT, gateSession } from './gate-lib.mjs';

const session = gateSession({
  makeClips: (clip) => {
    makeEmptyClip({ out: clip('empty.y4m'), width: 640, height: 480, seconds: 1, fps: 10 });
  },
});
const { skip, clip } = session;

async function launchConsole(tag, extra = {}) {
  const profile = freshProfile(tag);
  const context = await launch(profile, {
    viewport: VIEWPORT,
    args: ['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-video-capture=${clip('empty.y4m')}`],
    ...extra,
  });
  return { context, profile };
}

test('crisp at devicePixelRatio 2: the canvas backing store follows the DPR', { skip, timeout: 120000 }, async () => {
  const { context, profile } = await launchConsole('gate-dpr', { deviceScaleFactor: 2 });
  const page = await context.newPage();
  try {
    await page.goto(`${session.site.url}gate/`);
    await waitState(page, (s) => s.phase === 'ready' && s.coreReady, 'console ready', 30000);
    const dims = await page.evaluate(() => {
      const c = document.getElementById('console');
      return { w: c.width, h: c.height, cw: c.clientWidth, ch: c.clientHeight, dpr: devicePixelRatio };
    });
    assert.equal(dims.dpr, 2);
    assert.equal(dims.w, dims.cw * 2);
    assert.equal(dims.h, dims.ch * 2);
    await setPin(page);
    await waitState(page, (s) => s.camera?.running, 'camera running');
    await screenshot(page, 'gate-30-dpr2');

    // A message under the tabs coming and going moves nothing below it.
    await click(page, 'tab.settings');
    const rectOf = (id) => page.evaluate((i) => window.gatepass.itemRect(i), id);
    await page.evaluate(() => window.gatepass.clearNote());
    await waitState(page, () => true, 'a frame without the message');
    const without = await rectOf('settings.enroll');
    await page.evaluate(() => window.gatepass.note('已保存', 'Saved'));
    await waitState(page, () => true, 'a frame with the message');
    assert.ok(await rectOf('message'), 'the message is drawn');
    assert.deepEqual(await rectOf('settings.enroll'), without);

  } finally {
    await context.close();
    removeProfile(profile);
  }
});

test('second tab, PIN lock, idle redraw, manual registration, today, print poster and card', { skip, timeout: 240000 }, async () => {
  const { context, profile } = await launchConsole('gate-console');
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  try {
    await page.goto(`${session.site.url}gate/`);
    await waitState(page, (s) => s.phase === 'ready' && s.coreReady, 'console ready', 30000);
    await setPin(page);
    await waitState(page, (s) => s.camera?.running, 'camera running');

    // A second tab on the same database is told so and changes nothing.
    const second = await context.newPage();
    await second.goto(`${session.site.url}gate/`);
    const s2 = await waitState(second, (st) => st.phase === 'failed', 'second tab refused', 30000);
    assert.equal(s2.bootErrorCode, 'storage.locked');
    await screenshot(second, 'gate-35-second-tab');
    await second.close();
    await page.bringToFront(); // a background tab gets no animation frames

    // Lock; a wrong PIN is refused; the right one opens.
    await click(page, 'lock');
    let s = await waitState(page, (st) => st.locked, 'locked');
    for (const d of '111111') await click(page, `key.${d}`);
    await click(page, 'key.OK');
    s = await waitState(page, (st) => st.pinError, 'wrong PIN message');
    assert.equal(s.locked, true);
    for (const d of PIN) await click(page, `key.${d}`);
    await click(page, 'key.OK');
    await waitState(page, (st) => !st.locked, 'unlocked');

    // Nobody at the gate, camera on: the live view is the browser's <video>, the
    // reader finds nothing, so the console draws nothing.
    await page.waitForTimeout(800);
    const c0 = await page.evaluate(() => window.gatepass.frames());
    const scanned0 = (await page.evaluate(() => window.gatepass.cameraStats())).scanned;
    await page.waitForTimeout(2500);
    assert.ok((await page.evaluate(() => window.gatepass.frames())) - c0 <= 1, 'camera on, empty scene: no redraws');
    assert.ok((await page.evaluate(() => window.gatepass.cameraStats())).scanned > scanned0, 'the reader kept reading');

    // Nothing happening (camera off): no frames drawn. A mouse move draws again.
    await click(page, 'camera.stop');
    await waitState(page, (st) => !st.camera.running, 'camera stopped');
    await page.waitForTimeout(800);
    const f0 = await page.evaluate(() => window.gatepass.frames());
    await page.waitForTimeout(2500);
    const f1 = await page.evaluate(() => window.gatepass.frames());
    assert.ok(f1 - f0 <= 1, `idle console drew ${f1 - f0} frames in 2.5 s`);
    await page.mouse.move(200, 300);
    await page.mouse.move(220, 320);
    await page.waitForTimeout(300);
    assert.ok((await page.evaluate(() => window.gatepass.frames())) > f1, 'input draws a frame');

    // Manual registration of a resident without a phone, then an entry for them.
    await click(page, 'tab.search');
    await click(page, 'manual.new');
    await typeInto(page, 'manual.name', '李堃');
    await typeInto(page, 'manual.doc_number', '110105198001011238');
    await typeInto(page, 'manual.phone', '13700001111');
    await typeInto(page, 'manual.address', '7-1-101');
    // Each health question is asked (none comes pre-answered): staff tap the answer.
    for (const k of (await waitState(page, (st) => st.manual, 'the form')).manual.unanswered) {
      await scrollTo(page, `manual.${k}.no`, { bottom: 112 }); // the form scrolls above its Save row (its top at ~614 px)
      await click(page, `manual.${k}.no`);
    }
    await screenshot(page, 'gate-31-manual');
    await click(page, 'manual.save');
    s = await waitState(page, (st) => st.flow.step === 'measure' || st.flow.step === 'verify', 'the registered person');
    assert.equal(s.flow.name, '李堃');
    assert.equal(s.flow.verified, true);
    const stored = await coreCall(page, 'person.get', { doc_number: '110105198001011238' });
    assert.ok(stored.ok && stored.record.verified_at, 'stored as verified');
    await typeInto(page, 'temp', '36.6');
    s = await waitState(page, (st) => st.flow.step === 'decided', 'decision');
    assert.equal(s.flow.verdict, 'allow');
    await click(page, 'confirm');
    await waitState(page, (st) => st.flow.step === 'done', 'logged');

    await click(page, 'tab.today');
    s = await waitState(page, (st) => st.today.length === 1, 'today list');
    assert.equal(s.today[0].name, '李堃');
    await screenshot(page, 'gate-32-today');

    // Printing: the poster carries the resident page URL on the enrolled site (never this
    // console's own address) with the community, as a QR.
    await coreCall(page, 'settings.set', { settings: { community_code: 'hd-qh-07', community_name: '清河小区', gate_name: '北门', site: 'https://qh.example.org/gate-app/' } });
    await page.evaluate(() => { window.printed = 0; window.print = () => { window.printed++; }; });
    await page.reload();
    await waitState(page, (st) => st.phase === 'ready' && st.coreReady, 'console ready again', 30000);
    await page.evaluate(() => { window.printed = 0; window.print = () => { window.printed++; }; });
    for (const d of PIN) await click(page, `key.${d}`);
    await click(page, 'key.OK');
    await waitState(page, (st) => !st.locked, 'unlocked');
    await click(page, 'tab.data');
    await click(page, 'poster');
    await page.waitForFunction(() => window.printed === 1, null, { timeout: 10000 });
    const poster = await page.evaluate(() => ({
      svg: !!document.querySelector('#print-root .poster-qr svg'),
      url: document.querySelector('#print-root .poster-url')?.textContent,
      title: document.querySelector('#print-root h1')?.textContent,
    }));
    assert.ok(poster.svg, 'poster QR drawn');
    assert.equal(poster.title, '清河小区');
    const u = new URL(poster.url);
    assert.equal(u.origin, 'https://qh.example.org');
    assert.equal(u.pathname, '/gate-app/resident/');
    assert.equal(u.searchParams.get('c'), 'hd-qh-07');
    assert.equal(u.searchParams.get('n'), '清河小区');
    await page.emulateMedia({ media: 'print' });
    await screenshot(page, 'gate-33-poster-print');
    await page.emulateMedia({ media: 'screen' });
    await page.waitForTimeout(300);
    await page.evaluate(() => window.gatepass.invalidate());
    await page.waitForTimeout(300);

    // A pass card for the resident without a phone.
    await click(page, 'tab.search');
    await typeInto(page, 'search.query', '李');
    await waitState(page, (st) => st.searchResults.length === 1, 'found');
    await click(page, 'search.card.0');
    await page.waitForFunction(() => window.printed === 2, null, { timeout: 10000 });
    const card = await page.evaluate(() => ({
      cards: document.querySelectorAll('#print-root .card').length,
      name: document.querySelector('#print-root .card-name')?.textContent,
      doc: document.querySelector('#print-root .card-doc')?.textContent,
    }));
    assert.deepEqual(card, { cards: 1, name: '李堃', doc: '1101**********1238' });
    // The printed QR is a real pass: read it back from the card's SVG and let the core decode it.
    const readBack = await readPrintedCard(page);
    assert.ok(readBack?.ok, `card QR decodes to a pass: ${JSON.stringify(readBack?.error)}`);
    assert.equal(readBack.person.name, '李堃');
    await page.emulateMedia({ media: 'print' });
    await screenshot(page, 'gate-34-card-print');
    await page.emulateMedia({ media: 'screen' });
    await page.waitForTimeout(300);
    await page.evaluate(() => window.gatepass.invalidate());
    await page.waitForTimeout(300);

    // Inactivity locks the console again, and nothing personal stays on screen.
    await page.evaluate(() => window.gatepass.setIdleLock(1500));
    s = await waitState(page, (st) => st.locked, 'relocked after inactivity', 6000);
    assert.equal(s.searchResults.length, 0);
    assert.deepEqual(errors, []);
    assert.equal(s.drawErrors, 0, s.lastDrawError);
  } finally {
    await context.close();
    removeProfile(profile);
  }
});

const FONTS = ['build/site/fonts/gate-cjk.otf', 'build/site/fonts/gate-cjk-more.otf'];
test('the served fonts: common characters and every word in the first, rare name characters in the second, none in both',
  { skip: FONTS.every((f) => fs.existsSync(f)) ? false : 'fonts not built' }, () => {
    const check = `import sys
from fontTools.ttLib import TTFont
first, more = (set(TTFont(p).getBestCmap()) for p in sys.argv[1:3])
print(''.join(c for c in sys.argv[3] if ord(c) not in first) + '|' + ''.join(c for c in sys.argv[4] if ord(c) not in more) + '|' + str(len(first & more)))`;
    const [firstLacks, moreLacks, both] = execFileSync('/usr/bin/python3',
      ['-c', check, ...FONTS, '扫码进门体温张王李通行码℃，。Aa0', '喆堃玥珺赟昇祎镕旻璟㐀𠮷']).toString().trim().split('|');
    assert.equal(firstLacks, '', `first font lacks: ${firstLacks}`);
    assert.equal(moreLacks, '', `second font lacks: ${moreLacks}`);
    assert.equal(both, '0');
  });

// 𠮷 (Extension B) in the console: the fallback '?' is half as wide as a
// hanzi, so the font's widths tell whether the glyph is there.
test('rare name characters (𠮷, 喆) are drawn once the second font is merged; without it the console still works', { skip, timeout: 120000 }, async () => {
  for (const blocked of [false, true]) {
    const { context, profile } = await launchConsole(`gate-rare-${blocked}`);
    const page = await context.newPage();
    if (blocked) await page.route('**/gate-cjk-more.otf', (route) => route.abort());
    try {
      await page.goto(`${session.site.url}gate/`);
      await waitState(page, (s) => s.phase === 'ready', 'console ready', 30000);
      // The second font is fetched once the core is open: wait for its outcome, not for the absence of 'loading'.
      await page.waitForFunction(() => ['merged', 'failed'].includes(window.gatepass.moreFont()), null, { timeout: 60000 });
      const width = (text) => page.evaluate((t) => window.gatepass.textWidth(t), text);
      const [han, rare, rareB, fallback] = [await width('田'), await width('喆'), await width('𠮷'), await width('?')];
      assert.ok(fallback < han * 0.75, `'?' ${fallback} vs 田 ${han}`);
      if (!blocked) {
        assert.equal(await page.evaluate(() => window.gatepass.moreFont()), 'merged');
        assert.equal(rare, han);
        assert.equal(rareB, han);
      } else {
        assert.equal(await page.evaluate(() => window.gatepass.moreFont()), 'failed');
        assert.equal(rareB, fallback);
        assert.equal(rare, fallback);
      }
    } finally {
      await context.close();
      removeProfile(profile);
    }
  }
});

test('the shipped console has no test API: window.gatepass exists only in test mode', { skip, timeout: 120000 }, async () => {
  const { context, profile } = await launchConsole('gate-no-hooks', { testMode: false });
  const page = await context.newPage();
  const requested = [];
  page.on('request', (r) => requested.push(new URL(r.url()).pathname));
  try {
    await page.goto(`${session.site.url}gate/`);
    // The console has drawn (its canvas took the page's size): boot is well under way.
    await page.waitForFunction(() => document.getElementById('console').width === window.innerWidth);
    await page.waitForLoadState('networkidle');
    assert.equal(await page.evaluate(() => typeof window.gatepass), 'undefined');
    assert.ok(!requested.some((p) => p.endsWith('/test-api.js')), 'the test API module was not even loaded');
  } finally {
    await context.close();
    removeProfile(profile);
  }
});
