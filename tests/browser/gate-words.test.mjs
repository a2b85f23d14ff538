// The console words nothing itself: times, directions, verdicts and
// temperatures are the core's words, in the zone of the browser the console
// runs in (each request carries `tz`) — not China time assumed in JavaScript;
// a record shows the core's `display` (only the items asked of this person).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveSite, siteBuilt, screenshot, removeProfile, freshProfile, launch } from './harness.mjs';
import { makeEmptyClip } from './clips/make-clip.mjs';
import { waitState, click, setPin, typeInto, coreCall, ensureClipDir, removeClips, VIEWPORT, PEOPLE } from './gate-lib.mjs';

const skip = siteBuilt() ? false : 'build/site (with the wasm core) is needed: run build-scripts/build';
const ZONE = 'America/New_York'; // far from UTC+8, and not the test machine's UTC
let site;
const clip = ensureClipDir();

before(async () => {
  if (skip) return;
  site = await serveSite();
  makeEmptyClip({ out: clip('empty.y4m'), width: 640, height: 480, seconds: 1, fps: 10 });
});
after(async () => {
  await site?.close();
  removeClips();
});

/** HH:MM and YYYY-MM-DD HH:MM of `ms` in `zone`, as a reader there reads a clock. */
function wallClock(ms, zone) {
  const p = Object.fromEntries(new Intl.DateTimeFormat('en-CA', {
    timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
  }).formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
  return { time: `${p.hour}:${p.minute}`, dateTime: `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}` };
}

test('times in the console are the core\'s words in the browser\'s own zone; records show the core\'s display', { skip, timeout: 180000 }, async () => {
  const profile = freshProfile('gate-words');
  const context = await launch(profile, {
    viewport: VIEWPORT,
    timezoneId: ZONE,
    args: ['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-video-capture=${clip('empty.y4m')}`],
  });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  try {
    await page.goto(`${site.url}gate/`);
    await waitState(page, (s) => s.phase === 'ready' && s.coreReady, 'console ready', 30000);
    await setPin(page);
    const person = { ...PEOPLE.zhe, left_city: true, came_from: '武汉', return_date: '2026-11-20' };
    const verified = await coreCall(page, 'person.verify', { person, staff: 'test' });
    assert.equal(verified.ok, true, JSON.stringify(verified.error));
    const entry = (await coreCall(page, 'entry.record', { doc_number: person.doc_number, direction: 'in', temperature: 36.8, staff: 'test' })).entry;

    await click(page, 'tab.today');
    const s = await waitState(page, (st) => st.today.length === 1, 'the entry in Today');
    const want = wallClock(entry.at, ZONE);
    assert.equal(s.today[0].words.time, want.time, `Today shows ${ZONE} time`);
    assert.equal(s.today[0].words.date_time, want.dateTime);
    assert.notEqual(want.time, wallClock(entry.at, 'Asia/Shanghai').time, 'the zones differ, so the test can tell');
    assert.equal(s.today[0].words.temperature.startsWith('36.8'), true, s.today[0].words.temperature);
    assert.ok(s.today[0].words.verdict.zh && s.today[0].words.direction.zh, 'verdict and direction in words');
    await screenshot(page, 'gate-50-today-words');

    // Found by search and taken to the scan screen: the record as the core
    // words it — the travel items shown because this person left the city,
    // the ID number masked.
    await click(page, 'tab.search');
    await typeInto(page, 'search.query', person.name);
    await waitState(page, (st) => st.searchResults.length === 1, 'found');
    await click(page, 'search.use.0');
    const shown = await waitState(page, (st) => st.flow.step === 'measure', 'the person on the scan screen');
    const keys = shown.flow.display.map((d) => d.key);
    assert.ok(keys.includes('came_from') && keys.includes('return_date'), `travel items shown: ${keys}`);
    assert.ok(!JSON.stringify(shown.flow.display).includes(person.doc_number), 'the ID number is masked');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
    removeProfile(profile);
  }
});
