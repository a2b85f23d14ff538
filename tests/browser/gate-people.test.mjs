// People lists: two residents of the same name are told apart by their
// masked ID numbers in the Today list; a search result shows the person's
// entries on any day (the core's entries.of), newest first, up to 20; keys
// typed faster than frames are all handled (Enter after a typed query searches).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveSite, siteBuilt, screenshot, removeProfile, freshProfile, launch } from './harness.mjs';
import { makeEmptyClip } from './clips/make-clip.mjs';
import { waitState, click, setPin, coreCall, ensureClipDir, removeClips, VIEWPORT, PEOPLE } from './gate-lib.mjs';

const skip = siteBuilt() ? false : 'build/site (with the wasm core) is needed: run build-scripts/build';
let site;
let context;
let profile;
let page;
const errors = [];
const clip = ensureClipDir();

// Two people called 张喆: the resident from gate-lib and a tenant with a passport.
const A = PEOPLE.zhe;
const B = { ...PEOPLE.yue, name: A.name, doc_number: 'E1234567' };

before(async () => {
  if (skip) return;
  site = await serveSite();
  makeEmptyClip({ out: clip('empty.y4m'), width: 640, height: 480, seconds: 1, fps: 10 });
  profile = freshProfile('gate-people');
  context = await launch(profile, {
    viewport: VIEWPORT,
    args: ['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-video-capture=${clip('empty.y4m')}`],
  });
  page = await context.newPage();
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${site.url}gate/`);
  await waitState(page, (s) => s.phase === 'ready' && s.coreReady, 'console ready', 30000);
  await setPin(page);
  for (const person of [A, B]) {
    const rep = await coreCall(page, 'person.verify', { person, staff: 'test' });
    assert.equal(rep.ok, true, JSON.stringify(rep.error));
  }
});
after(async () => {
  await context?.close();
  if (profile) removeProfile(profile);
  await site?.close();
  removeClips();
});

async function record(person, extra = {}) {
  const rep = await coreCall(page, 'entry.record', { doc_number: person.doc_number, direction: 'in', temperature: 36.5, staff: 'test', ...extra });
  assert.equal(rep.ok, true, JSON.stringify(rep.error));
  return rep.entry;
}

test('Today: two people of the same name show different masked ID numbers', { skip, timeout: 120000 }, async () => {
  const a = await record(A);
  const b = await record(B);
  await click(page, 'tab.today');
  const s = await waitState(page, (st) => st.today.length === 2, 'both in the Today list');
  const byId = new Map(s.today.map((e) => [e.id, e]));
  const ma = byId.get(a.id).masked_doc_number;
  const mb = byId.get(b.id).masked_doc_number;
  assert.equal(byId.get(a.id).name, byId.get(b.id).name);
  assert.ok(ma && mb && ma !== mb, `not told apart: ${ma} / ${mb}`);
  for (const [m, full] of [[ma, A.doc_number], [mb, B.doc_number]]) {
    assert.match(m, /\*/, 'shown masked');
    assert.notEqual(m, full);
    assert.ok(!JSON.stringify(s.today).includes(full), 'the full number reached the screen state');
  }
  await page.waitForTimeout(200);
  for (const id of [a.id, b.id]) {
    const r = await page.evaluate((i) => window.gatepass.itemRect(`today.doc.${i}`), id);
    assert.ok(r && r.w > 0, `masked number of entry ${id} not drawn`);
  }
  await screenshot(page, 'gate-50-today-same-name');
  const st = await page.evaluate(() => window.gatepass.state());
  assert.equal(st.drawErrors, 0, st.lastDrawError);
  assert.deepEqual(errors, []);
});

test('Search: each result shows that person\'s history (earlier days too), newest first, 5 then up to 20', { skip, timeout: 120000 }, async () => {
  // 22 earlier visits for A (one a day, 10:00 China time), none for B beyond today.
  const DAY = 86400000;
  const todayStart = Date.UTC(...(() => { const d = new Date(Date.now() + 8 * 3600000); return [d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()]; })()) - 8 * 3600000;
  for (let k = 22; k >= 1; k--) await record(A, { now: todayStart - k * DAY + 10 * 3600000, direction: k % 2 ? 'in' : 'out' });
  const all = await coreCall(page, 'entries.of', { doc_number: A.doc_number, limit: 100 });
  assert.equal(all.ok, true);
  assert.equal(all.entries.length, 23);

  await click(page, 'tab.search');
  // Typed, then the search button (the gloved way; Enter: the burst test below).
  await click(page, 'search.query');
  await page.keyboard.press('Control+A');
  await page.keyboard.type(A.name);
  await page.waitForTimeout(150);
  await click(page, 'search.go');
  const s = await waitState(page, (st) => st.searchResults.length === 2 && st.searchResults.every((r) => r.history.length > 0), 'results with histories');
  const ia = s.searchResults.findIndex((r) => r.masked.doc_number === all.entries[0].masked_doc_number);
  assert.ok(ia >= 0, JSON.stringify(s.searchResults.map((r) => r.masked)));
  const ha = s.searchResults[ia].history;
  const hb = s.searchResults[1 - ia].history;
  assert.equal(ha.length, 20, 'A: the latest 20 of 23');
  assert.deepEqual(ha.map((e) => e.id), all.entries.slice(0, 20).map((e) => e.id), 'A: newest first, as the core gives them');
  assert.ok(ha[0].at >= todayStart, 'A: today first');
  assert.ok(ha.filter((e) => e.at < todayStart).length === 19, 'A: earlier days are there (not today only)');
  assert.equal(hb.length, 1, 'B: only their own entry');

  await page.waitForTimeout(200);
  const drawn = async (id) => page.evaluate((i) => window.gatepass.itemRect(i), id);
  assert.ok(await drawn(`search.history.${ia}.4`), 'A: five lines at first');
  assert.equal(await drawn(`search.history.${ia}.5`), null, 'A: not more than five before asked');
  assert.ok(await drawn(`search.history.${1 - ia}.0`), 'B: its line');
  const more = await drawn(`search.more.${ia}`);
  assert.ok(more && more.h >= 44 && more.w >= 150, `gloved-hand button: ${JSON.stringify(more)}`);
  await screenshot(page, 'gate-51-search-history');
  await click(page, `search.more.${ia}`);
  await page.waitForTimeout(200);
  assert.ok(await drawn(`search.history.${ia}.19`), 'A: all 20 after "more"');
  await screenshot(page, 'gate-52-search-history-all');

  // A new entry for B shows at the top of B's history when the list comes back.
  const b2 = await record(B, { direction: 'out' });
  await click(page, 'tab.today');
  await click(page, 'tab.search');
  const s2 = await waitState(page, (st) => st.searchResults[1 - ia]?.history.length === 2, 'B history refreshed');
  assert.equal(s2.searchResults[1 - ia].history[0].id, b2.id);
  const st = await page.evaluate(() => window.gatepass.state());
  assert.equal(st.drawErrors, 0, st.lastDrawError);
  assert.deepEqual(errors, []);
});

test('a burst of keys faster than frames (select all, a query, Enter in one go) is handled whole: Enter searches', { skip, timeout: 120000 }, async () => {
  await click(page, 'tab.search');
  // By name (both 张喆) and by the last digits of B's phone.
  for (const [i, [query, want]] of [['5678', 1], [A.name, 2], ['5678', 1], [A.name, 2]].entries()) {
    await click(page, 'search.query');
    // Everything in one task, before any animation frame: ImGui takes these a
    // few per frame, so the console must keep drawing until its queue is empty.
    await page.evaluate((q) => {
      const input = document.getElementById('ime-bridge');
      const key = (type, k, code, ctrlKey = false) => input.dispatchEvent(new KeyboardEvent(type, { key: k, code, ctrlKey, bubbles: true }));
      key('keydown', 'Control', 'ControlLeft', true);
      key('keydown', 'a', 'KeyA', true);
      key('keyup', 'a', 'KeyA', true);
      key('keyup', 'Control', 'ControlLeft');
      input.value = q;
      input.dispatchEvent(new InputEvent('input', { data: q, inputType: 'insertText', bubbles: true }));
      key('keydown', 'Enter', 'Enter');
      key('keyup', 'Enter', 'Enter');
    }, query);
    await waitState(page, (st) => st.searchQuery === query && st.searchResults.length === want, `burst ${i}: Enter searched`, 3000)
      .catch(async () => {
        const st = await page.evaluate(() => window.gatepass.state());
        throw new Error(`burst ${i}: Enter did not search: query ${JSON.stringify(st.searchQuery)}, ${st.searchResults.length} results`);
      });
  }
  const st = await page.evaluate(() => window.gatepass.state());
  assert.equal(st.drawErrors, 0, st.lastDrawError);
});
