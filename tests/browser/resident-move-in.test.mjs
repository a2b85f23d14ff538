// A phone that kept its household in the SQLite file of before (the full core,
// resident.sqlite) keeps it when the page with the resident's own core
// (gatepass-resident.wasm, the household file) opens: the full core is loaded
// once to read it, the household file is written, and only then is the old
// file removed. Where the full core cannot be loaded (offline just then),
// nothing is removed and the page says it could not open; the next open moves it.
// On OPFS and on the IndexedDB fallback alike.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { startServer } from '../../build-scripts/serve.mjs';
import { launch, freshProfile, removeProfile, screenshot, SITE } from './harness.mjs';
import {
  fillPerson, submitForm, readShownPass, waitReady, person, idNumber, siteMissing, siteWithFullCore,
} from './resident-lib.mjs';
import { makeCommunity, openNatively } from './sealed-lib.mjs';

const skip = siteMissing();
const community = skip ? null : makeCommunity('C001', '八角路社区');
after(() => community?.remove());

const first = person({ name: '林小雨', doc_number: idNumber('350102', '19880808', '041') });
const second = person({ name: '林大山', doc_number: idNumber('350102', '19580303', '051') });

// No service worker: each phase is served the page of its own site, never the other's cached copy.
const phone = (profile) => launch(profile, {
  viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN', serviceWorkers: 'block',
});

// The resident's files where the worker keeps them: OPFS, or the IDBFS fallback's IndexedDB store.
async function storedNames(page, idbfs) {
  const all = await page.evaluate(async (idbfs) => {
    if (!idbfs) {
      const names = [];
      for await (const name of (await navigator.storage.getDirectory()).keys()) names.push(name);
      return names;
    }
    const db = await new Promise((resolve, reject) => {
      const r = indexedDB.open('/gatepass');
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
    const keys = await new Promise((resolve) => {
      const r = db.transaction('FILE_DATA').objectStore('FILE_DATA').getAllKeys();
      r.onsuccess = () => resolve(r.result.map((k) => String(k).replace('/gatepass/', '')));
    });
    db.close();
    return keys;
  }, idbfs);
  return all.filter((n) => n.startsWith('resident.')).sort();
}

/** The worker without OPFS sync handles: the IndexedDB fallback (as resident-storage.test.mjs). */
async function withoutOpfs(context) {
  await context.route('**/resident/core-worker.js', async (route) => {
    const real = await route.fetch();
    route.fulfill({ contentType: 'text/javascript', body: `import './test-no-opfs.js';\n${await real.text()}` });
  });
  await context.route('**/resident/test-no-opfs.js', (route) => route.fulfill({
    contentType: 'text/javascript', body: 'delete FileSystemFileHandle.prototype.createSyncAccessHandle;\n',
  }));
}

for (const idbfs of [false, true]) {
test(`a household saved by the full core moves into the household file, once, and nothing is lost (${idbfs ? 'IndexedDB fallback' : 'OPFS'})`, { skip, timeout: 240000 }, async () => {
  const before = await siteWithFullCore(SITE);
  const profile = freshProfile('resident-move-in');
  // One origin for both builds: the same port, one server after the other.
  let server = await startServer({ root: before, port: 0, quiet: true, gzip: true });
  const port = new URL(server.url).port;
  try {
    let context = await phone(profile);
    if (idbfs) await withoutOpfs(context);
    let page = context.pages()[0] ?? await context.newPage();
    const poster = new URL(community.posterUrl);
    await page.goto(`${server.url}resident/${poster.search}`);
    await waitReady(page);
    await fillPerson(page, first);
    assert.equal(await submitForm(page), 'saved');
    await page.click('#pass-household');
    await page.click('#household-add');
    await fillPerson(page, second);
    assert.equal(await submitForm(page), 'saved');
    assert.ok(server.log.some((r) => r.path === '/shared/gatepass-core.wasm'), 'the page of before ran the full core');
    assert.deepEqual(await storedNames(page, idbfs), idbfs ? ['resident.sqlite'] : ['resident.sqlite', 'resident.sqlite-journal']);
    await context.close();
    await server.close();

    // The new page, but the full core cannot be fetched: nothing is removed, the page says it could not open.
    server = await startServer({ root: SITE, port: Number(port), quiet: true, gzip: true });
    context = await phone(profile);
    if (idbfs) await withoutOpfs(context);
    await context.route('**/shared/gatepass-core.js', (route) => route.abort());
    page = context.pages()[0] ?? await context.newPage();
    await page.goto(`${server.url}resident/`);
    await page.waitForFunction(() => document.body.dataset.ready === 'failed', null, { timeout: 60000 });
    assert.deepEqual(await storedNames(page, idbfs), idbfs ? ['resident.sqlite'] : ['resident.sqlite', 'resident.sqlite-journal']);
    await context.unroute('**/shared/gatepass-core.js');

    // Opened again: moved in. Both persons, the community key with them (the pass is sealed to it).
    const at = server.log.length;
    await page.goto(`${server.url}resident/`);
    await waitReady(page);
    const loaded = server.log.slice(at).map((r) => r.path);
    assert.ok(loaded.includes('/shared/gatepass-resident.wasm'));
    assert.ok(loaded.includes('/shared/gatepass-core.wasm'), 'the full core, once, to read the old file');
    assert.equal(await page.evaluate(() => document.body.dataset.view), 'pass');
    assert.equal(await page.locator('#person-switch button').count(), 2);
    const text = await readShownPass(page);
    const opened = openNatively(community, text);
    assert.ok(opened.ok, opened.stderr);
    assert.equal(opened.json.person.name, first.name);
    assert.equal(opened.json.person.doc_number, first.doc_number);
    await page.locator('#person-switch button').nth(1).click();
    await page.waitForFunction(() => document.getElementById('pass-name').textContent === '林大山');
    await screenshot(page, idbfs ? 'resident-moved-in-idbfs' : 'resident-moved-in');
    assert.deepEqual(await storedNames(page, idbfs), ['resident.household']);

    // Later opens need only the resident's core.
    const again = server.log.length;
    await page.reload();
    await waitReady(page);
    assert.equal(await page.locator('#person-switch button').count(), 2);
    assert.ok(!server.log.slice(again).some((r) => r.path === '/shared/gatepass-core.wasm'), 'the full core is not loaded again');
    await context.close();
  } finally {
    await server.close();
    removeProfile(profile);
    await rm(before, { recursive: true, force: true });
  }
});
}
