#!/usr/bin/env node
// The gate database sealed at rest (src/core/SealedGate.h) vs plain, in the
// browser through the core worker on OPFS, side by side in one run:
//
//   node build-scripts/bench-atrest.mjs [--persons N] [--writes N] [--lookups N]
//
// plain: test.sqlite (the same Store and Api, never sealed, no lock);
// sealed: gate.sqlite (gate.sealed + gate.keys, after its first PIN).
// Each in its own fresh Chromium profile. Figures, ms, timed on the page from
// the call to its reply (a write's reply comes once it is durable):
//   open      openCore until ready (worker, wasm, libsodium for the sealed one)
//   set PIN   sealed: the first PIN (random key, Argon2id, the ring, an empty sealed database)
//   unlock    sealed: lock.lock then lock.unlock (Argon2id at the lock's limits, then the
//             database opened through the shim), median of 3
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

async function prepare(site, kind) {
  const profile = freshProfile(`bench-atrest-${kind}`);
  const context = await launch(profile);
  const t0 = Date.now();
  const { page, result } = await openCorePage(context, site.url, { db: kind === 'sealed' ? 'gate.sqlite' : 'test.sqlite', storage: 'opfs' });
  if (!result.ok) throw new Error(`${kind}: open failed: ${JSON.stringify(result.error)}`);
  const b = { kind, profile, context, page, openMs: Date.now() - t0, writes: [] };
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

if (!siteBuilt()) {
  console.error('bench-atrest: build/site with the wasm core is missing; run build-scripts/build first');
  process.exit(1);
}
const site = await serveSite();
const loadBefore = os.loadavg()[0];
const browsers = [];
try {
  for (const kind of ['plain', 'sealed']) browsers.push(await prepare(site, kind));
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
  const sealed = browsers.find((b) => b.kind === 'sealed');
  sealed.unlock = await unlockTimes(sealed);
} finally {
  for (const b of browsers) {
    await b.context.close().catch(() => {});
    removeProfile(b.profile);
  }
  await site.close();
}

const f = (x) => (x === undefined ? '—' : x.toFixed(1)).padStart(8);
const [p, s] = browsers;
console.log(`\nGate database on OPFS, plain vs sealed at rest, ${PERSONS} persons, ms (median / p95)`);
console.log('                              |    plain |   sealed');
console.log(`open (worker ready)           | ${f(p.openMs)} | ${f(s.openMs)}`);
console.log(`first PIN (key, ring, db)     | ${f(undefined)} | ${f(s.setPinMs)}`);
console.log(`unlock (Argon2id + open)      | ${f(undefined)} | ${f(s.unlock.median)}`);
console.log(`person.save ×${String(PERSONS).padEnd(6)} median    | ${f(p.save.median)} | ${f(s.save.median)}`);
console.log(`person.save p95               | ${f(p.save.p95)} | ${f(s.save.p95)}`);
console.log(`entry.record ×${String(WRITES).padEnd(4)} median     | ${f(stats(p.writes).median)} | ${f(stats(s.writes).median)}`);
console.log(`entry.record p95              | ${f(stats(p.writes).p95)} | ${f(stats(s.writes).p95)}`);
console.log(`person.get ×${String(LOOKUPS).padEnd(4)} median       | ${f(p.get.median)} | ${f(s.get.median)}`);
console.log(`person.get p95                | ${f(p.get.p95)} | ${f(s.get.p95)}`);
console.log(`origin usage, MB              | ${f(p.usageMb)} | ${f(s.usageMb)}`);
console.log(`(${os.cpus().length} cores; 1-min load average ${loadBefore.toFixed(1)} before, ${os.loadavg()[0].toFixed(1)} after)`);
