#!/usr/bin/env node
// Importing a 50 MB batch: the office CLI natively beside the browser core,
// the browser both ways — in parts (the Data tab's way: the worker reads the
// picked File in slices, batch.import.begin/part/end) and as one batch.import
// request (the page reads the file into a string: the way before issue 12).
//
//   node build-scripts/bench-import.mjs [--runs N] [--entries N] [--json FILE]
//
// The batch is made once by make_gate_db + `gatepass batch export` (N entries,
// 165,000 ≈ 50 MB). Each run imports it into a fresh database: natively with
// `gatepass batch import` (wall time of the process); in Chromium on the core
// test page (OPFS), timed on the page from the pick to the reply, with the
// longest gap between two animation frames on the page meanwhile (how long the
// page stood still) and the wasm heap's size afterwards (it only grows: the
// peak). The three ways alternate within a run, so background load hits all
// alike. Medians of the runs; uptime's load before and after.
// In parts, the time of each of the core's steps (reading, checking, merging:
// src/core/ImportProgress.h), from the first progress of a step to the first
// of the next (the last to the reply), and each step's share of the whole:
// the figures the progress bar's shares are set from.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { REPO, serveSite, siteBuilt, freshProfile, removeProfile, launch, openCorePage } from '../tests/browser/harness.mjs';

const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : fallback;
};
const RUNS = Number(opt('--runs', 3));
const ENTRIES = Number(opt('--entries', 165000));
const MAKE_GATE_DB = path.join(REPO, 'build', 'native', 'tests', 'cli', 'make_gate_db');
const GATEPASS = path.join(REPO, 'build', 'native', 'gatepass');
if (!siteBuilt() || !fs.existsSync(MAKE_GATE_DB)) {
  console.error('bench-import: build/site and build/native are needed (build-scripts/build)');
  process.exit(1);
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const load = () => os.loadavg().map((x) => x.toFixed(2)).join(' ');

const work = fs.mkdtempSync(path.join(fs.existsSync('/dev/shm') ? '/dev/shm' : os.tmpdir(), 'gatepass-bench-import-'));
const loadBefore = load();
const gateDb = path.join(work, 'gate.sqlite');
execFileSync(MAKE_GATE_DB, [gateDb, '北门', String(ENTRIES), '7']);
const out = path.join(work, 'out');
fs.mkdirSync(out);
execFileSync(GATEPASS, ['batch', 'export', '--db', gateDb, '--out', out]);
const batch = path.join(out, fs.readdirSync(out).find((f) => f.endsWith('.batch')));
const bytes = fs.statSync(batch).size;
// The office database's community, as an office sets it up (the batch's is C001).
const communityDir = path.join(work, 'community');
execFileSync(GATEPASS, ['community', 'init', '--code', 'C001', '--name', '幸福里社区', '--site', 'https://gate.example.org/', '--out', communityDir], { stdio: 'pipe' });

function native(run) {
  const db = path.join(work, `office-${run}.sqlite`);
  execFileSync(GATEPASS, ['office', 'add-community', '--db', db, '--key', communityDir], { stdio: 'pipe' });
  const t0 = process.hrtime.bigint();
  execFileSync(GATEPASS, ['batch', 'import', '--db', db, '--community', 'C001', '--accept-unauthenticated', batch], { stdio: 'pipe' });
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  fs.rmSync(db, { force: true });
  return { s };
}

async function browser(site, run, way) {
  const profile = freshProfile(`bench-import-${way}-${run}`);
  const context = await launch(profile);
  try {
    const { page, result } = await openCorePage(context, site.url, { db: 'test.sqlite', testHooks: true });
    if (!result.ok) throw new Error(JSON.stringify(result.error));
    const set = await page.evaluate(() => window.gpCall('settings.set', { settings: { community_code: 'C001' } }));
    if (!set.ok) throw new Error(JSON.stringify(set.error));
    await page.evaluate(() => { const i = document.createElement('input'); i.type = 'file'; i.id = 'bench-file'; document.body.appendChild(i); });
    await page.setInputFiles('#bench-file', batch);
    const r = await page.evaluate(async (w) => {
      const file = document.getElementById('bench-file').files[0];
      let maxGap = 0;
      let last = performance.now();
      let running = true;
      const tick = () => { const n = performance.now(); maxGap = Math.max(maxGap, n - last); last = n; if (running) requestAnimationFrame(tick); };
      requestAnimationFrame(tick);
      const t0 = performance.now();
      let updates = 0;
      const firsts = {}; // step code → ms after the pick of its first progress
      const onProgress = (p) => {
        updates++;
        const code = p.progress && p.progress.code;
        if (code && !(code in firsts)) firsts[code] = performance.now() - t0;
      };
      const rep = w === 'parts'
        ? await window.core.importFile(file, onProgress).done
        : await window.gpCall('batch.import', { text: await file.text() });
      const end = performance.now() - t0;
      const s = end / 1000;
      running = false;
      const steps = {};
      const order = ['batch.import.reading', 'batch.import.checking', 'batch.import.merging'];
      order.forEach((code, i) => {
        if (code in firsts) steps[code.split('.').pop()] = ((i + 1 < order.length ? firsts[order[i + 1]] : end) - firsts[code]) / 1000;
      });
      return { s, maxGapMs: maxGap, updates, steps, ok: rep.ok, error: rep.error, added: rep.added_entries };
    }, way);
    if (!r.ok || r.added !== ENTRIES) throw new Error(`${way}: ${JSON.stringify(r)}`);
    const heap = await page.workers()[0].evaluate(() => self.gatepassHeapBytes());
    return { ...r, heapMiB: heap / 1048576 };
  } finally {
    await context.close().catch(() => {});
    removeProfile(profile);
  }
}

const site = await serveSite();
const results = { native: [], parts: [], whole: [] };
try {
  for (let run = 0; run < RUNS; run++) {
    results.native.push(native(run));
    results.parts.push(await browser(site, run, 'parts'));
    results.whole.push(await browser(site, run, 'whole'));
  }
} finally {
  await site.close();
  fs.rmSync(work, { recursive: true, force: true });
}
const loadAfter = load();

const m = (way, key) => median(results[way].map((r) => r[key]));
const f = (x, d = 1) => (x === undefined || Number.isNaN(x) ? '—' : x.toFixed(d));
const row = (label, a, b, c) => console.log(label.padEnd(34) + a.padStart(12) + b.padStart(16) + c.padStart(18));
console.log(`import benchmark: a ${(bytes / 1e6).toFixed(1)} MB batch (${ENTRIES} entries), median of ${RUNS} runs`);
console.log(`load (uptime 1/5/15 min): before ${loadBefore}; after ${loadAfter}; ${os.cpus().length} cores`);
row('metric', 'native CLI', 'browser parts', 'browser 1 request');
row('import time (s)', f(m('native', 's')), f(m('parts', 's')), f(m('whole', 's')));
row('  ÷ native', '1.0×', `${f(m('parts', 's') / m('native', 's'))}×`, `${f(m('whole', 's') / m('native', 's'))}×`);
row('page stood still, longest (ms)', '—', f(m('parts', 'maxGapMs'), 0), f(m('whole', 'maxGapMs'), 0));
row('wasm heap afterwards (MiB)', '—', f(m('parts', 'heapMiB'), 0), f(m('whole', 'heapMiB'), 0));
row('progress updates', '—', f(m('parts', 'updates'), 0), f(m('whole', 'updates'), 0));
// The steps of the import in parts (the progress bar's shares come from these).
const stepMedian = (step) => median(results.parts.map((r) => r.steps[step]));
const stepTotal = ['reading', 'checking', 'merging'].reduce((t, step) => t + stepMedian(step), 0);
for (const step of ['reading', 'checking', 'merging'])
  row(`  in parts: ${step} (s, share)`, '—', `${f(stepMedian(step))} ${f(100 * stepMedian(step) / stepTotal, 0)}%`, '—');
const json = opt('--json', null);
if (json) fs.writeFileSync(json, JSON.stringify({ bytes, entries: ENTRIES, runs: RUNS, loadBefore, loadAfter, results }, null, 2));
