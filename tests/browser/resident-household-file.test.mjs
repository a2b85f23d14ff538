// The resident's household file (web/shared/core-worker.js with useResidentCore,
// src/core/Household.h): a write that fails answers the storage error and
// changes nothing, in memory or on disk; what was acknowledged is there after a
// reopen; a damaged file is kept aside in quarantine/, never deleted, and said.
// Driven through the resident's own worker, as the page's core client does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serveSite, freshProfile, removeProfile, launch } from './harness.mjs';
import { person, idNumber, siteMissing } from './resident-lib.mjs';

const skip = siteMissing();

// In the page: the resident's worker, opened; returns {info} or {error}, and keeps `call` on window.
async function openWorker() {
  window.gpWorker?.terminate();
  const worker = new Worker('/resident/core-worker.js', { type: 'module' });
  window.gpWorker = worker;
  const waiting = new Map();
  let id = 0;
  const opened = new Promise((resolve) => {
    worker.onmessage = ({ data: m }) => {
      if (m.type === 'ready') resolve({ info: m.info });
      else if (m.type === 'fatal') resolve({ error: m.error });
      else if (m.type === 'reply') { waiting.get(m.id)(JSON.parse(m.reply)); waiting.delete(m.id); }
    };
  });
  window.gpCall = (request) => new Promise((resolve) => {
    waiting.set(++id, resolve);
    worker.postMessage({ type: 'call', id, request: JSON.stringify(request) });
  });
  window.gpFault = (fault) => worker.postMessage({ type: 'fault', fault });
  worker.postMessage({ type: 'open', db: 'resident.sqlite', testHooks: true });
  return opened;
}

test('a failed write changes nothing; a damaged household file is kept aside and said', { skip, timeout: 120000 }, async () => {
  const server = await serveSite({ gzip: true });
  const profile = freshProfile('resident-household-file');
  const context = await launch(profile, { serviceWorkers: 'block' });
  try {
    const page = context.pages()[0] ?? await context.newPage();
    await page.goto(server.url);
    const a = person({ name: '周一', doc_number: idNumber('110105', '19800101', '011') });
    const b = person({ name: '周二', doc_number: idNumber('110105', '19820202', '021') });
    assert.ok((await page.evaluate(openWorker)).info);
    assert.equal((await page.evaluate((p) => gpCall({ op: 'person.save', person: p }), a)).ok, true);

    // The flush of the new file fails (a full disk): the error is the storage's, nothing changed.
    await page.evaluate(() => gpFault({ op: 'flush', name: 'QuotaExceededError' }));
    const failed = await page.evaluate((p) => gpCall({ op: 'person.save', person: p }), b);
    assert.equal(failed.ok, false);
    assert.equal(failed.error.code, 'storage.full');
    const names = async () => (await page.evaluate(() => gpCall({ op: 'person.list' }))).records.map((r) => r.person.name);
    assert.deepEqual(await names(), ['周一']);
    await page.evaluate(() => gpFault({ op: 'write', name: 'InvalidStateError' }));
    const deleted = await page.evaluate((doc) => gpCall({ op: 'person.delete', doc_number: doc }), a.doc_number);
    assert.equal(deleted.error.code, 'storage.io');
    assert.deepEqual(await names(), ['周一']);

    // Written: there after a reopen, and the file is one file.
    assert.equal((await page.evaluate((p) => gpCall({ op: 'person.save', person: p }), b)).ok, true);
    assert.ok((await page.evaluate(openWorker)).info);
    assert.deepEqual(await names(), ['周一', '周二']);
    const files = await page.evaluate(async () => {
      const out = [];
      for await (const n of (await navigator.storage.getDirectory()).keys()) out.push(n);
      return out.sort();
    });
    assert.deepEqual(files.filter((n) => n.startsWith('resident.')), ['resident.household']);

    // Damaged on disk (cut in half): kept aside, an empty household, the page is told.
    await page.evaluate(async () => {
      window.gpWorker.terminate();
      await new Promise((r) => setTimeout(r, 300)); // its hold on the household goes with it
      const root = await navigator.storage.getDirectory();
      const file = await (await root.getFileHandle('resident.household')).getFile();
      const text = await file.text();
      const out = await (await root.getFileHandle('resident.household')).createWritable();
      await out.write(text.slice(0, text.length >> 1));
      await out.close();
    });
    const reopened = await page.evaluate(openWorker);
    assert.equal(reopened.info.quarantined.code, 'storage.quarantined');
    assert.match(reopened.info.quarantined.file, /^quarantine\/resident\.household\./);
    assert.deepEqual(await names(), []);
    const kept = await page.evaluate(async () => {
      const out = [];
      for await (const n of (await (await navigator.storage.getDirectory()).getDirectoryHandle('quarantine')).keys()) out.push(n);
      return out;
    });
    assert.equal(kept.length, 1);
  } finally {
    await context.close();
    removeProfile(profile);
    await server.close();
  }
});
