// Storage failures reach the UI as clear messages and nothing half-written is acknowledged;
// a damaged database is kept aside (not deleted) and the user is told.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveSite, siteBuilt, freshProfile, removeProfile, launch, killBrowser, openCorePage, screenshot, testPerson, storedDocNumbers, dropIndexedDb } from './harness.mjs';

const skip = siteBuilt() ? false : 'build/site with the wasm core is missing (run build-scripts/build)';
let site;
before(async () => { if (!skip) site = await serveSite(); });
after(async () => { if (site) await site.close(); });

test('opfs: quota exhausted mid-session → storage.full in zh/en, the failed write absent, earlier acks kept', { skip, timeout: 180000 }, async () => {
  const profile = freshProfile('quota');
  let context = await launch(profile);
  try {
    // Padding (one transaction) brings the file close to the 1 MiB an OPFS handle holds at first, so the
    // quota is hit after a few hundred saves instead of thousands.
    let { page, result } = await openCorePage(context, site.url, { db: 'test.sqlite', bench: { padBytes: 14 * 65536 } });
    assert.equal(result.ok, true);
    const cdp = await context.newCDPSession(page);
    const origin = new URL(site.url).origin;
    // Below what is already used: the next growth of a file past the space it already holds fails.
    await cdp.send('Storage.overrideQuotaForOrigin', { origin, quotaSize: 1 });
    const run = await page.evaluate(async (people) => {
      const person = (i) => Object.assign({}, people, { doc_number: 'E' + String(1000000 + i) });
      for (let i = 0; i < 20000; i++) {
        const reply = await window.gpCall('person.save', { person: person(i) });
        if (!reply.ok) return { acked: i, reply };
      }
      return { acked: 20000, reply: null };
    }, testPerson(0));
    assert.ok(run.reply, 'quota was never hit');
    assert.equal(run.reply.error.code, 'storage.full');
    assert.match(run.reply.error.zh, /存储空间已满，数据未保存/);
    assert.match(run.reply.error.en, /Storage is full; nothing was saved/);
    assert.ok(run.acked > 0);

    // Still usable for reading while full.
    assert.equal((await storedDocNumbers(page)).length, run.acked);
    await cdp.send('Storage.overrideQuotaForOrigin', { origin });
    await context.close();

    context = await launch(profile);
    ({ page, result } = await openCorePage(context, site.url, { db: 'test.sqlite' }));
    assert.equal(result.ok, true, JSON.stringify(result.error));
    assert.equal(result.info.integrity, 'ok');
    const stored = new Set(await storedDocNumbers(page));
    assert.equal(stored.size, run.acked, 'exactly the acknowledged records are stored');
    assert.ok(!stored.has('E' + String(1000000 + run.acked)), 'the failed write is not there');
    assert.equal((await page.evaluate((p) => window.gpCall('person.save', { person: p }), testPerson(99999))).ok, true);
  } finally {
    await context.close().catch(() => {});
    removeProfile(profile);
  }
});

test('opfs: quota too small to open → open fails with storage.full, no worker left holding the lock', { skip, timeout: 120000 }, async () => {
  const profile = freshProfile('quota-open');
  const context = await launch(profile);
  try {
    const page = await context.newPage();
    await page.goto(`${site.url}__test/core.html`);
    const cdp = await context.newCDPSession(page);
    const origin = new URL(site.url).origin;
    await cdp.send('Storage.overrideQuotaForOrigin', { origin, quotaSize: 1 });
    await page.waitForFunction(() => window.gpLoaded === true);
    const failed = await page.evaluate(() => window.gpOpen({ db: 'test.sqlite' }));
    assert.equal(failed.ok, false);
    assert.equal(failed.error.code, 'storage.full');
    assert.ok(failed.error.zh && failed.error.en);
    await cdp.send('Storage.overrideQuotaForOrigin', { origin });
    const retried = await page.evaluate(() => window.gpOpen({ db: 'test.sqlite' }));
    assert.equal(retried.ok, true, JSON.stringify(retried.error));
  } finally {
    await context.close().catch(() => {});
    removeProfile(profile);
  }
});

// Overwrites bytes of the closed database from the page (OPFS is reachable from the main thread too).
async function damage(page, db, at, length) {
  return page.evaluate(async ({ db, at, length }) => {
    const root = await navigator.storage.getDirectory();
    const handle = await root.getFileHandle(db);
    for (let attempt = 0; ; attempt++) {
      try {
        const w = await handle.createWritable({ keepExistingData: true });
        const junk = new Uint8Array(length);
        for (let i = 0; i < length; i++) junk[i] = (i * 151 + 7) & 0xff;
        await w.write({ type: 'write', position: at, data: junk });
        await w.close();
        return (await handle.getFile()).size;
      } catch (e) {
        // The terminated worker's handles are released shortly after terminate().
        if (attempt > 50) throw e;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  }, { db, at, length });
}

async function quarantined(page) {
  return page.evaluate(async () => {
    const root = await navigator.storage.getDirectory();
    const dir = await root.getDirectoryHandle('quarantine');
    const out = [];
    for await (const [name, h] of dir.entries()) out.push({ name, size: (await h.getFile()).size });
    return out;
  });
}

for (const [label, at, length] of [['header', 0, 100], ['b-tree pages', 4096, 3 * 4096]]) {
  test(`opfs: damaged ${label} → kept aside in quarantine/, user told, a fresh database works`, { skip, timeout: 120000 }, async () => {
    const profile = freshProfile('corrupt');
    const context = await launch(profile);
    try {
      const { page, result } = await openCorePage(context, site.url, { db: 'test.sqlite' });
      assert.equal(result.ok, true);
      for (let i = 0; i < 40; i++)
        assert.equal((await page.evaluate((p) => window.gpCall('person.save', { person: p }), testPerson(i))).ok, true);
      await page.evaluate(() => window.core.close());
      const size = await damage(page, 'test.sqlite', at, length);

      const reopened = await page.evaluate(() => window.gpOpen({ db: 'test.sqlite' }));
      assert.equal(reopened.ok, true, JSON.stringify(reopened.error));
      const q = reopened.info.quarantined;
      assert.ok(q, 'the damage was not reported');
      assert.equal(q.code, 'storage.quarantined');
      assert.match(q.zh, /数据库文件已损坏，已另存为 quarantine\/test\.sqlite\..*（未删除）/);
      assert.match(q.en, /kept aside/);
      const kept = await quarantined(page);
      assert.equal(kept.length, 1);
      assert.equal(kept[0].size, size, 'the damaged file is kept whole');
      assert.deepEqual(await storedDocNumbers(page), []);
      assert.equal((await page.evaluate((p) => window.gpCall('person.save', { person: p }), testPerson(1))).ok, true);
      await screenshot(page, `core-quarantine-${label.replace(/\W+/g, '-')}`);
    } finally {
      await context.close().catch(() => {});
      removeProfile(profile);
    }
  });
}

test('opfs: injected handle failures (write, flush, truncate) → clear error, nothing acknowledged, nothing half-written', { skip, timeout: 120000 }, async () => {
  const profile = freshProfile('fault');
  let context = await launch(profile);
  try {
    let { page, result } = await openCorePage(context, site.url, { db: 'test.sqlite', testHooks: true });
    assert.equal(result.ok, true, JSON.stringify(result.error));
    const save = (i) => page.evaluate((p) => window.gpCall('person.save', { person: p }), testPerson(i));
    assert.equal((await save(1)).ok, true);

    // A one-off failure of each handle operation during a save: that save fails, in words; the next one works.
    let n = 10;
    for (const [op, name] of [['write', 'InvalidStateError'], ['flush', 'InvalidStateError'], ['truncate', 'NotReadableError']]) {
      await page.evaluate((f) => window.gpFault(f), { op, name });
      const failed = await save(n);
      assert.equal(failed.ok, false, `${op} failure was acknowledged`);
      assert.equal(failed.error.code, 'storage.io', JSON.stringify(failed.error));
      assert.match(failed.error.zh, /数据未保存/);
      assert.match(failed.error.en, /nothing was saved/);
      assert.equal((await save(n + 1)).ok, true, `after a ${op} failure the next save works`);
      n += 10;
    }
    const expected = [1, 11, 21, 31].map((i) => testPerson(i).doc_number).sort();
    assert.deepEqual((await storedDocNumbers(page)).sort(), expected);

    // The handle is lost for good in the middle of a save, then the browser dies: the hot
    // journal is rolled back at the next open.
    await page.evaluate(() => window.gpFault({ op: 'flush', name: 'InvalidStateError', count: 1e9 }));
    assert.equal((await save(50)).ok, false);
    await killBrowser(profile, context);

    context = await launch(profile);
    ({ page, result } = await openCorePage(context, site.url, { db: 'test.sqlite' }));
    assert.equal(result.ok, true, JSON.stringify(result.error));
    assert.equal(result.info.integrity, 'ok');
    assert.equal(result.info.quarantined, null);
    assert.deepEqual((await storedDocNumbers(page)).sort(), expected);
  } finally {
    await context.close().catch(() => {});
    removeProfile(profile);
  }
});

test('idbfs fallback: damaged database record → kept aside in quarantine/, user told, a fresh database works', { skip, timeout: 120000 }, async () => {
  const profile = freshProfile('corrupt-idb');
  const context = await launch(profile);
  try {
    const { page, result } = await openCorePage(context, site.url, { db: 'test.sqlite', storage: 'idbfs' });
    assert.equal(result.ok, true);
    for (let i = 0; i < 5; i++)
      assert.equal((await page.evaluate((p) => window.gpCall('person.save', { person: p }), testPerson(i))).ok, true);
    await page.evaluate(() => window.core.close());
    // IDBFS keeps each file as one record {timestamp, mode, contents} keyed by its path.
    const size = await page.evaluate(() => new Promise((resolve, reject) => {
      const req = indexedDB.open('/gatepass');
      req.onerror = () => reject(req.error);
      req.onsuccess = () => {
        const tx = req.result.transaction('FILE_DATA', 'readwrite');
        const store = tx.objectStore('FILE_DATA');
        const get = store.get('/gatepass/test.sqlite');
        get.onsuccess = () => {
          const entry = get.result;
          for (let i = 0; i < 100; i++) entry.contents[i] = (i * 151 + 7) & 0xff;
          store.put(entry, '/gatepass/test.sqlite');
          tx.oncomplete = () => { req.result.close(); resolve(entry.contents.length); };
        };
      };
    }));
    const reopened = await page.evaluate(() => window.gpOpen({ db: 'test.sqlite', storage: 'idbfs' }));
    assert.equal(reopened.ok, true, JSON.stringify(reopened.error));
    assert.equal(reopened.info.quarantined && reopened.info.quarantined.code, 'storage.quarantined');
    assert.deepEqual(await storedDocNumbers(page), []);
    const kept = await page.evaluate(() => new Promise((resolve) => {
      const req = indexedDB.open('/gatepass');
      req.onsuccess = () => {
        const all = req.result.transaction('FILE_DATA').objectStore('FILE_DATA').getAllKeys();
        all.onsuccess = () => resolve(all.result);
      };
    }));
    const aside = kept.filter((k) => k.startsWith('/gatepass/quarantine/test.sqlite.'));
    assert.equal(aside.length, 1, JSON.stringify(kept));
    assert.ok(size > 0);
  } finally {
    await context.close().catch(() => {});
    removeProfile(profile);
  }
});

test('idbfs fallback: the browser drops its whole IndexedDB store → storage.lost in zh/en on every open, never an empty database, until a person accepts', { skip, timeout: 120000 }, async () => {
  const profile = freshProfile('lost-idb');
  let context = await launch(profile);
  try {
    let { page, result } = await openCorePage(context, site.url, { db: 'test.sqlite', storage: 'idbfs' });
    assert.equal(result.ok, true);
    for (let i = 0; i < 3; i++)
      assert.equal((await page.evaluate((p) => window.gpCall('person.save', { person: p }), testPerson(i))).ok, true);
    await page.evaluate(() => window.core.close());
    // What Chromium does when it finds its IndexedDB LevelDB corrupt (a log torn by a killed browser):
    // every IndexedDB database of the origin is deleted and the store starts empty.
    await dropIndexedDb(page);
    const lost = await page.evaluate(() => window.gpOpen({ db: 'test.sqlite', storage: 'idbfs' }));
    assert.equal(lost.ok, false, 'an empty database was started in place of the lost one');
    assert.equal(lost.error.code, 'storage.lost');
    assert.match(lost.error.zh, /数据库/);
    assert.match(lost.error.en, /gone/);
    await screenshot(page, 'core-idbfs-lost');

    // Still said after a browser restart: only a person's acknowledgment ends it.
    await killBrowser(profile, context);
    context = await launch(profile);
    ({ page, result } = await openCorePage(context, site.url, { db: 'test.sqlite', storage: 'idbfs' }));
    assert.equal(result.ok, false);
    assert.equal(result.error.code, 'storage.lost');

    const accepted = await page.evaluate(() => window.gpOpen({ db: 'test.sqlite', storage: 'idbfs', acceptLoss: true }));
    assert.equal(accepted.ok, true, JSON.stringify(accepted.error));
    assert.deepEqual(await storedDocNumbers(page), []);
    assert.equal((await page.evaluate((p) => window.gpCall('person.save', { person: p }), testPerson(7))).ok, true);
    await page.evaluate(() => window.core.close());
    const again = await page.evaluate(() => window.gpOpen({ db: 'test.sqlite', storage: 'idbfs' }));
    assert.equal(again.ok, true, JSON.stringify(again.error));
    assert.deepEqual(await storedDocNumbers(page), [testPerson(7).doc_number]);
  } finally {
    await context.close().catch(() => {});
    removeProfile(profile);
  }
});
