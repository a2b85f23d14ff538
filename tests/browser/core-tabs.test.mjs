// One writer per database: a second tab is told so in words and changes nothing; the first keeps working.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveSite, siteBuilt, freshProfile, removeProfile, launch, openCorePage, screenshot, testPerson, storedDocNumbers } from './harness.mjs';

const skip = siteBuilt() ? false : 'build/site with the wasm core is missing (run build-scripts/build)';
let site;
before(async () => { if (!skip) site = await serveSite(); });
after(async () => { if (site) await site.close(); });

for (const storage of ['opfs', 'idbfs']) {
  test(`${storage}: second tab on the same database gets a clear message; the first keeps working`, { skip, timeout: 120000 }, async () => {
    const profile = freshProfile(`tabs-${storage}`);
    const context = await launch(profile);
    try {
      const first = await openCorePage(context, site.url, { db: 'gate.sqlite', storage });
      assert.equal(first.result.ok, true, JSON.stringify(first.result.error));
      // The gate's database answers once its PIN is set (first start) or typed.
      assert.equal((await first.page.evaluate(() => window.gpCall('lock.set_pin', { pin: '246813' }))).ok, true);
      assert.equal((await first.page.evaluate((p) => window.gpCall('person.save', { person: p }), testPerson(1))).ok, true);

      const second = await openCorePage(context, site.url, { db: 'gate.sqlite', storage });
      assert.equal(second.result.ok, false);
      assert.equal(second.result.error.code, 'storage.locked');
      assert.match(second.result.error.zh, /门岗控制台已在另一个标签页或窗口中打开/);
      assert.match(second.result.error.en, /already open in another tab/);
      await screenshot(second.page, `core-second-tab-${storage}`);

      // The first tab is undisturbed: it writes and reads as before.
      assert.equal((await first.page.evaluate((p) => window.gpCall('person.save', { person: p }), testPerson(2))).ok, true);
      assert.deepEqual((await storedDocNumbers(first.page)).sort(), [testPerson(1).doc_number, testPerson(2).doc_number]);

      // Another face's database is not blocked by this one.
      const other = await second.page.evaluate(() => window.gpOpen({ db: 'resident.sqlite' }));
      assert.equal(other.ok, true, JSON.stringify(other.error));
      await second.page.close();

      // Once the first tab is closed, a new tab opens the database and sees both records.
      await first.page.close();
      const third = await openCorePage(context, site.url, { db: 'gate.sqlite', storage });
      assert.equal(third.result.ok, true, JSON.stringify(third.result.error));
      assert.equal((await third.page.evaluate(() => window.gpCall('lock.unlock', { pin: '246813' }))).ok, true);
      assert.deepEqual((await storedDocNumbers(third.page)).sort(), [testPerson(1).doc_number, testPerson(2).doc_number]);
    } finally {
      await context.close().catch(() => {});
      removeProfile(profile);
    }
  });
}
