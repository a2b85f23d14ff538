// Large requests reach the core through memory it allocates, never the wasm
// stack (issue 12): a batch of a few MB imports and the core keeps answering;
// a request over the stated limit is refused in words and changes nothing.
// Before the fix a 716 KB batch trapped the core and every later call failed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO, serveSite, siteBuilt, freshProfile, removeProfile, launch, openCorePage } from './harness.mjs';

const MAKE_GATE_DB = path.join(REPO, 'build', 'native', 'tests', 'cli', 'make_gate_db');
const GATEPASS = path.join(REPO, 'build', 'native', 'gatepass');
const skip = siteBuilt() && fs.existsSync(MAKE_GATE_DB) ? false : 'build/site or the native tools are missing (run build-scripts/build)';
let site;
let work;
let batchText;
const ENTRIES = 3000; // 900 people (make_gate_db's distinct numbers), 3,000 entries: over 1 MB, more than what used to trap

before(async () => {
  if (skip) return;
  site = await serveSite();
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'gatepass-large-'));
  const db = path.join(work, 'gate.sqlite');
  execFileSync(MAKE_GATE_DB, [db, '北门', String(ENTRIES), '7']);
  execFileSync(GATEPASS, ['batch', 'export', '--db', db, '--out', work]);
  const file = fs.readdirSync(work).find((f) => f.endsWith('.batch'));
  batchText = fs.readFileSync(path.join(work, file), 'utf8');
});
after(async () => {
  if (site) await site.close();
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

test('a batch of several MB imports in the browser core, which keeps answering', { skip, timeout: 300000 }, async () => {
  assert.ok(batchText.length > 1_000_000, `batch is ${batchText.length} characters`);
  const profile = freshProfile('large-request');
  const context = await launch(profile);
  try {
    const { page, result } = await openCorePage(context, site.url, { db: 'gate.sqlite' });
    assert.equal(result.ok, true, JSON.stringify(result.error));
    // The gate's database answers once a PIN is set (first start), and takes
    // batches of its own community only (make_gate_db's is C001).
    assert.equal((await page.evaluate(() => window.gpCall('lock.set_pin', { pin: '246813' }))).ok, true);
    const set = await page.evaluate(() => window.gpCall('settings.set', { settings: { community_code: 'C001' } }));
    assert.equal(set.ok, true, JSON.stringify(set.error));
    const imported = await page.evaluate((text) => window.gpCall('batch.import', { text }), batchText);
    assert.equal(imported.ok, true, JSON.stringify(imported.error));
    // Everything the file holds was merged (its header counts what it holds).
    assert.equal(imported.header.counts.entries, ENTRIES);
    assert.ok(imported.header.counts.persons > 0);
    assert.equal(imported.added_persons, imported.header.counts.persons);
    assert.equal(imported.added_entries, ENTRIES);
    // The core is intact: it answers, and a second import of the same bytes adds nothing.
    const info = await page.evaluate(() => window.gpCall('info', {}));
    assert.equal(info.ok, true, JSON.stringify(info.error));
    const again = await page.evaluate((text) => window.gpCall('batch.import', { text }), batchText);
    assert.equal(again.ok, true, JSON.stringify(again.error));
    assert.equal(again.already, true);
    const integrity = await page.evaluate(() => window.gpCall('integrity', {}));
    assert.equal(integrity.result, 'ok');
  } finally {
    await context.close().catch(() => {});
    removeProfile(profile);
  }
});

test('a request over the limit is refused in words, and the core keeps answering', { skip, timeout: 300000 }, async () => {
  const profile = freshProfile('too-large-request');
  const context = await launch(profile);
  try {
    const { page, result } = await openCorePage(context, site.url, { db: 'gate.sqlite' });
    assert.equal(result.ok, true, JSON.stringify(result.error));
    assert.equal((await page.evaluate(() => window.gpCall('lock.set_pin', { pin: '246813' }))).ok, true);
    const refused = await page.evaluate(() => window.gpCall('batch.import', { text: 'x'.repeat(128 * 1024 * 1024 + 1) }));
    assert.equal(refused.ok, false);
    assert.equal(refused.error.code, 'request.too_large');
    assert.match(refused.error.zh, /请求过大/);
    assert.match(refused.error.en, /too large/);
    const list = await page.evaluate(() => window.gpCall('person.list', {}));
    assert.equal(list.ok, true, JSON.stringify(list.error));
    assert.deepEqual(list.records, []);
  } finally {
    await context.close().catch(() => {});
    removeProfile(profile);
  }
});
