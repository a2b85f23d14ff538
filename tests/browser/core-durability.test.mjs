// An acknowledged write survives a reload and a browser restart, on OPFS and on the IDBFS fallback.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveSite, siteBuilt, freshProfile, removeProfile, launch, openCorePage, testPerson, storedDocNumbers } from './harness.mjs';

const skip = siteBuilt() ? false : 'build/site with the wasm core is missing (run build-scripts/build)';
let site;
before(async () => { if (!skip) site = await serveSite(); });
after(async () => { if (site) await site.close(); });

for (const storage of ['opfs', 'idbfs']) {
  test(`${storage}: ack → reload → present; ack → browser close and relaunch → present`, { skip, timeout: 120000 }, async () => {
    const profile = freshProfile(`durable-${storage}`);
    let context = await launch(profile);
    try {
      let { page, result } = await openCorePage(context, site.url, { db: 'test.sqlite', storage });
      assert.equal(result.ok, true, JSON.stringify(result.error));
      assert.equal(result.info.storage, storage);
      assert.equal(result.info.integrity, 'ok');
      assert.ok(result.info.schema_version >= 1);
      assert.equal(typeof result.info.estimate.quota, 'number');
      assert.equal(typeof result.info.persisted, 'boolean');

      const first = await page.evaluate((p) => window.gpCall('person.save', { person: p }), testPerson(1));
      assert.equal(first.ok, true, JSON.stringify(first.error));

      await page.reload();
      await page.waitForFunction(() => window.gpLoaded === true);
      result = await page.evaluate((o) => window.gpOpen(o), { db: 'test.sqlite', storage });
      assert.equal(result.ok, true, JSON.stringify(result.error));
      assert.deepEqual(await storedDocNumbers(page), [testPerson(1).doc_number]);

      const second = await page.evaluate((p) => window.gpCall('person.save', { person: p }), testPerson(2));
      assert.equal(second.ok, true);
      await context.close();

      context = await launch(profile);
      ({ page, result } = await openCorePage(context, site.url, { db: 'test.sqlite', storage }));
      assert.equal(result.ok, true, JSON.stringify(result.error));
      assert.equal(result.info.integrity, 'ok');
      assert.deepEqual((await storedDocNumbers(page)).sort(), [testPerson(1).doc_number, testPerson(2).doc_number]);
    } finally {
      await context.close().catch(() => {});
      removeProfile(profile);
    }
  });
}
