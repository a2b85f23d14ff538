// Resident page on the IndexedDB fallback (a phone without OPFS sync handles):
// when the browser deletes its stored registrations, the page says so and never
// shows an empty form in silence; it starts anew only once the person agrees.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serveSite, freshProfile, removeProfile, launch, screenshot, dropIndexedDb } from './harness.mjs';
import { openResident, fillPerson, submitForm, person, idNumber, siteMissing } from './resident-lib.mjs';

const skip = siteMissing();

test('the browser deleted its IndexedDB store: said, and an empty start only after the person agrees', { skip, timeout: 120000 }, async () => {
  const server = await serveSite({ gzip: true });
  const profile = freshProfile('resident-lost');
  // No service worker: it would serve the page's own worker past the route below.
  const context = await launch(profile, { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN', serviceWorkers: 'block' });
  try {
    // The resident worker starts after a module that removes OPFS sync handles: the fallback.
    await context.route('**/resident/core-worker.js', async (route) => {
      const real = await route.fetch();
      route.fulfill({ contentType: 'text/javascript', body: `import './test-no-opfs.js';\n${await real.text()}` });
    });
    await context.route('**/resident/test-no-opfs.js', (route) => route.fulfill({
      contentType: 'text/javascript', body: 'delete FileSystemFileHandle.prototype.createSyncAccessHandle;\n',
    }));
    const page = await context.newPage();
    await openResident(page, server.url);
    await fillPerson(page, person({ name: '林小雨', doc_number: idNumber('350102', '19880808', '041') }));
    assert.equal(await submitForm(page), 'saved');

    // What Chromium does when it finds its IndexedDB damaged: every database of the origin goes.
    await page.goto(server.url);
    await dropIndexedDb(page);

    await page.goto(`${server.url}resident/?c=hd-qh-07`);
    await page.waitForFunction(() => document.body.dataset.ready === 'failed', null, { timeout: 30000 });
    assert.match(await page.textContent('#failed-text'), /登记已被浏览器删除/);
    assert.equal(await page.isVisible('#failed-anew'), true, 'no way on after storage.lost');
    await screenshot(page, 'resident-idbfs-lost');

    // Declined: nothing started, still said.
    page.once('dialog', (d) => d.dismiss());
    await page.click('#failed-anew');
    assert.equal(await page.evaluate(() => document.body.dataset.ready), 'failed');
    assert.equal(await page.isVisible('#failed-anew'), true);

    page.once('dialog', (d) => {
      assert.match(d.message(), /无法找回/);
      d.accept();
    });
    await page.click('#failed-anew');
    await page.waitForFunction(() => document.body.dataset.ready === 'true', null, { timeout: 30000 });
    assert.equal(await page.evaluate(() => document.body.dataset.count), '0');
    assert.equal(await page.evaluate(() => document.body.dataset.view), 'form');
  } finally {
    await context.close();
    removeProfile(profile);
    await server.close();
  }
});
