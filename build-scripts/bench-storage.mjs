#!/usr/bin/env node
// Durable single-entry write latency in the browser: the OPFS VFS vs the IDBFS
// fallback, with the database at about 1, 10 and 50 MB, in one run.
//
//   node build-scripts/bench-storage.mjs [--writes N] [--sizes 1,10,50] [--json FILE]
//
// Each measurement is one `entry.record` through the core client, timed on the
// page from the call until its acknowledgment, i.e. until the write is durable
// (OPFS: the handle was flushed; IDBFS: FS.syncfs completed). The database is
// grown first with a padding table of random 64 KiB blobs (one transaction).
// Each storage × size runs in its own fresh Chromium profile; at each size the
// OPFS and IDBFS writes alternate in blocks of 10, so background load hits both alike.
import fs from 'node:fs';
import os from 'node:os';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serveSite, siteBuilt, freshProfile, removeProfile, launch, openCorePage, testPerson } from '../tests/browser/harness.mjs';

const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : fallback;
};
const WRITES = Number(opt('--writes', 60));
const WARMUP = 3;
const BLOCK = 10;
const SIZES = opt('--sizes', '1,10,50').split(',').map(Number);
const STORAGES = ['opfs', 'idbfs'];
const MB = 1024 * 1024;

function quantile(sorted, q) {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

// One browser (own fresh profile) with the core open on a padded database.
async function prepare(site, storage, sizeMb) {
  const profile = freshProfile(`bench-${storage}-${sizeMb}`);
  const context = await launch(profile);
  const t0 = Date.now();
  const { page, result } = await openCorePage(context, site.url, {
    db: 'bench.sqlite', storage, bench: { padBytes: sizeMb * MB },
  });
  if (!result.ok) throw new Error(`${storage} ${sizeMb} MB: open failed: ${JSON.stringify(result.error)}`);
  const openMs = Date.now() - t0;
  const saved = await page.evaluate((p) => window.gpCall('person.save', { person: p }), testPerson(1));
  if (!saved.ok) throw new Error(`person.save failed: ${JSON.stringify(saved.error)}`);
  const usage = (await page.evaluate(() => navigator.storage.estimate())).usage;
  return { storage, sizeMb, profile, context, page, openMs, usageMb: usage / MB, times: [] };
}

// One write, timed on the page from the call to its acknowledgment.
async function timeOneWrite(b, i) {
  const r = await b.page.evaluate(async ({ doc, i }) => {
    const t = performance.now();
    const reply = await window.gpCall('entry.record', { doc_number: doc, temperature: 36.5, direction: i % 2 ? 'out' : 'in', staff: 'bench' });
    return { ms: performance.now() - t, error: reply.ok ? null : reply.error };
  }, { doc: testPerson(1).doc_number, i });
  if (r.error) throw new Error(`${b.storage}: entry.record failed: ${JSON.stringify(r.error)}`);
  if (i >= WARMUP) b.times.push(r.ms);
}

// Both storages at one size, in alternating blocks so that whatever else the
// machine is doing slows both alike.
async function measureSize(site, sizeMb) {
  const browsers = [];
  try {
    for (const storage of STORAGES) browsers.push(await prepare(site, storage, sizeMb));
    // Blocks of BLOCK writes, alternating storages; `sync` before each block so that one
    // storage's pending write-back (IDBFS rewrites the whole file) is not paid by the other's fsync.
    const counts = browsers.map(() => 0);
    while (counts.some((c) => c < WRITES + WARMUP)) {
      for (const [k, b] of browsers.entries()) {
        execFileSync('sync');
        for (let j = 0; j < BLOCK && counts[k] < WRITES + WARMUP; j++) await timeOneWrite(b, counts[k]++);
      }
    }
    return browsers.map((b) => {
      const times = b.times.slice().sort((x, y) => x - y);
      return { storage: b.storage, sizeMb, openMs: b.openMs, usageMb: b.usageMb, n: times.length,
        median: quantile(times, 0.5), p95: quantile(times, 0.95), min: times[0], max: times[times.length - 1] };
    });
  } finally {
    for (const b of browsers) {
      await b.context.close().catch(() => {});
      removeProfile(b.profile);
    }
  }
}

if (!siteBuilt()) {
  console.error('bench-storage: build/site with the wasm core is missing; run build-scripts/build first');
  process.exit(1);
}
const site = await serveSite();
const results = [];
const loadBefore = os.loadavg()[0];
try {
  for (const sizeMb of SIZES) {
    for (const r of await measureSize(site, sizeMb)) {
      results.push(r);
      console.error(`  ${r.storage.padEnd(5)} ${String(sizeMb).padStart(3)} MB: median ${r.median.toFixed(1)} ms, p95 ${r.p95.toFixed(1)} ms (open ${r.openMs} ms, origin usage ${r.usageMb.toFixed(1)} MB)`);
    }
  }
} finally {
  await site.close();
}

const f = (x) => x.toFixed(1).padStart(7);
console.log(`\nDurable single-entry write (entry.record → ack), ${WRITES} writes each after ${WARMUP} warm-up, ms`);
console.log('db size | OPFS median |  OPFS p95 | IDBFS median | IDBFS p95 | IDBFS/OPFS (median)');
console.log('------- | ----------- | --------- | ------------ | --------- | -------------------');
for (const sizeMb of SIZES) {
  const o = results.find((r) => r.storage === 'opfs' && r.sizeMb === sizeMb);
  const i = results.find((r) => r.storage === 'idbfs' && r.sizeMb === sizeMb);
  console.log(`${String(sizeMb).padStart(4)} MB | ${f(o.median)}     | ${f(o.p95)}   | ${f(i.median)}      | ${f(i.p95)}   | ${(i.median / o.median).toFixed(1).padStart(6)}×`);
}
console.log(`(${os.cpus().length} cores; 1-min load average ${loadBefore.toFixed(1)} before, ${os.loadavg()[0].toFixed(1)} after)`);
const jsonOut = opt('--json', null);
if (jsonOut) {
  fs.mkdirSync(path.dirname(path.resolve(jsonOut)), { recursive: true });
  fs.writeFileSync(jsonOut, JSON.stringify({ writes: WRITES, results }, null, 2));
}
