#!/usr/bin/env node
// The gate database sealed at rest (src/core/SealedGate.h) vs plain, in the
// browser through the core worker on OPFS and on the IndexedDB fallback
// (IDBFS), side by side in one run:
//
//   node build-scripts/bench-atrest.mjs [--persons N] [--writes N] [--lookups N] [--storage opfs,idbfs]
//
// plain: test.sqlite (the same Store and Api, never sealed, no lock);
// sealed: gate.sqlite (gate.sealed + gate.keys, after its first PIN).
// Each in its own fresh Chromium profile. Figures, ms, timed on the page from
// the call to its reply (a write's reply comes once it is durable):
//   open      openCore until ready (worker, wasm, libsodium for the sealed one)
//   set PIN   sealed: the first PIN (random key, Argon2id, the ring, an empty sealed database)
//   unlock    sealed: lock.lock then lock.unlock (Argon2id at the lock's limits, then the
//             database opened through the shim), median of 3
//   first unlock  sealed: a new page (a new worker) opened on the filled database, then
//             lock.unlock: Argon2id, and every page checked (authenticated, integrity_check)
//             as the first unlock of a worker's life does
//   person.save ×N  filling the database (durable), median and p95
//   entry.record    durable single writes at N persons, alternating blocks of 10 between the two
//   person.get      lookups of random stored persons at N persons, median and p95
import os from 'node:os';
import { execFileSync } from 'node:child_process';
import { serveSite, siteBuilt, freshProfile, removeProfile, launch, openCorePage } from '../tests/browser/harness.mjs';

const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 && i + 1 < args.length ? Number(args[i + 1]) : fallback;
};
const PERSONS = opt('--persons', 2000);
const WRITES = opt('--writes', 60);
const LOOKUPS = opt('--lookups', 100);
const STORAGES = (args.includes('--storage') ? args[args.indexOf('--storage') + 1] : 'opfs,idbfs').split(',');
const BLOCK = 10;
const PIN = '246813';

const quantile = (sorted, q) => {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  return sorted[lo] + (sorted[Math.ceil(pos)] - sorted[lo]) * (pos - lo);
};
const stats = (times) => {
  const s = times.slice().sort((a, b) => a - b);
  return { n: s.length, median: quantile(s, 0.5), p95: quantile(s, 0.95) };
};
const timed = (page, op, a) => page.evaluate(async ([op, a]) => {
  const t = performance.now();
  const r = await window.gpCall(op, a);
  return { ms: performance.now() - t, r };
}, [op, a]);

async function prepare(site, kind, storage) {
  const profile = freshProfile(`bench-atrest-${kind}-${storage}`);
  const context = await launch(profile);
  const t0 = Date.now();
  const db = kind === 'sealed' ? 'gate.sqlite' : 'test.sqlite';
  const { page, result } = await openCorePage(context, site.url, { db, storage });
  if (!result.ok) throw new Error(`${kind}: open failed: ${JSON.stringify(result.error)}`);
  const b = { kind, storage, db, profile, context, page, openMs: Date.now() - t0, writes: [] };
  if (kind === 'sealed') {
    const set = await timed(page, 'lock.set_pin', { pin: PIN });
    if (!set.r.ok) throw new Error(`set_pin: ${JSON.stringify(set.r.error)}`);
    b.setPinMs = set.ms;
  }
  const fill = await page.evaluate((n) => window.gpTimeWrites(n, 'person.save', `(i) => ({ person: {
    name: '测试' + String.fromCodePoint(0x4e00 + (i % 500)), doc_type: 'passport', doc_number: 'E' + String(1000000 + i),
    phone: '13800138000', person_type: 'resident', address: '3-2-501', left_city: false, epidemic_contact: false,
    symptoms: false, home_observation: false } })`), PERSONS);
  if (!fill.ok) throw new Error(`${kind}: person.save: ${JSON.stringify(fill.error)}`);
  b.save = stats(fill.times);
  return b;
}

async function unlockTimes(b) {
  const times = [];
  for (let i = 0; i < 3; i++) {
    await b.page.evaluate(() => window.gpCall('lock.lock'));
    const u = await timed(b.page, 'lock.unlock', { pin: PIN });
    if (!u.r.ok) throw new Error(`unlock: ${JSON.stringify(u.r.error)}`);
    times.push(u.ms);
  }
  return stats(times);
}

// A new worker on the filled database: its first unlock checks every page.
async function firstUnlock(site, b) {
  await b.page.close();
  const { page, result } = await openCorePage(b.context, site.url, { db: b.db, storage: b.storage });
  if (!result.ok) throw new Error(`reopen: ${JSON.stringify(result.error)}`);
  b.page = page;
  const u = await timed(page, 'lock.unlock', { pin: PIN });
  if (!u.r.ok || u.r.quarantined) throw new Error(`first unlock: ${JSON.stringify(u.r)}`);
  return u.ms;
}

if (!siteBuilt()) {
  console.error('bench-atrest: build/site with the wasm core is missing; run build-scripts/build first');
  process.exit(1);
}
const site = await serveSite();
const loadBefore = os.loadavg()[0];
const browsers = [];
try {
  for (const storage of STORAGES)
    for (const kind of ['plain', 'sealed']) browsers.push(await prepare(site, kind, storage));
  const counts = browsers.map(() => 0);
  while (counts.some((c) => c < WRITES)) {
    for (const [k, b] of browsers.entries()) {
      execFileSync('sync');
      for (let j = 0; j < BLOCK && counts[k] < WRITES; j++) {
        const w = await timed(b.page, 'entry.record', { doc_number: 'E1000001', temperature: 36.5, direction: counts[k] % 2 ? 'out' : 'in', staff: 'bench' });
        if (!w.r.ok) throw new Error(`${b.kind}: entry.record: ${JSON.stringify(w.r.error)}`);
        b.writes.push(w.ms);
        counts[k]++;
      }
    }
  }
  for (const b of browsers) {
    const times = [];
    for (let i = 0; i < LOOKUPS; i++) {
      const n = 1000000 + Math.floor(Math.random() * PERSONS);
      const g = await timed(b.page, 'person.get', { doc_number: `E${n}` });
      if (!g.r.ok) throw new Error(`${b.kind}: person.get: ${JSON.stringify(g.r.error)}`);
      times.push(g.ms);
    }
    b.get = stats(times);
    b.usageMb = (await b.page.evaluate(() => navigator.storage.estimate())).usage / 1048576;
  }
  for (const b of browsers.filter((x) => x.kind === 'sealed')) {
    b.unlock = await unlockTimes(b);
    b.firstUnlockMs = await firstUnlock(site, b);
  }
} finally {
  for (const b of browsers) {
    await b.context.close().catch(() => {});
    removeProfile(b.profile);
  }
  await site.close();
}

const f = (x) => (x === undefined ? '—' : x.toFixed(1)).padStart(8);
const head = browsers.map((b) => `${b.kind} ${b.storage}`.padStart(14)).join(' | ');
const row = (label, pick) => console.log(`${label.padEnd(30)}| ${browsers.map((b) => f(pick(b)).padStart(14)).join(' | ')}`);
console.log(`\nGate database, plain vs sealed at rest, on ${STORAGES.join(' and ')}, ${PERSONS} persons, ms (median / p95)`);
console.log(`${''.padEnd(30)}| ${head}`);
row('open (worker ready)', (b) => b.openMs);
row('first PIN (key, ring, db)', (b) => b.setPinMs);
row('unlock (Argon2id + open)', (b) => b.unlock?.median);
row('first unlock (+ every page)', (b) => b.firstUnlockMs);
row(`person.save ×${PERSONS} median`, (b) => b.save.median);
row('person.save p95', (b) => b.save.p95);
row(`entry.record ×${WRITES} median`, (b) => stats(b.writes).median);
row('entry.record p95', (b) => stats(b.writes).p95);
row(`person.get ×${LOOKUPS} median`, (b) => b.get.median);
row('person.get p95', (b) => b.get.p95);
row('origin usage, MB', (b) => b.usageMb);
console.log(`(${os.cpus().length} cores; 1-min load average ${loadBefore.toFixed(1)} before, ${os.loadavg()[0].toFixed(1)} after)`);
