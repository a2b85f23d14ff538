// The office benchmark: 50 simulated gates upload 1,000-entry batches at once
// to `gatepass office serve`, on SQLite and on PostgreSQL, beside each
// database's own bulk load of the same rows (office_bench bulk: SQLite one
// transaction of prepared inserts, PostgreSQL COPY); then the product's reads
// (the dashboard's overview and search, the upload reply, the CSV export's
// readers, through OfficeDb) over a synthetic office database (BENCH_ENTRIES / BENCH_PERSONS,
// default 1,000,000 / 100,000; BENCH_RUNS each, default 20); the service's
// memory (VmHWM).
// Run: build-scripts/bench-office
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import os from 'node:os';
import { join } from 'node:path';
import { BIN, GP, MAKE_BATCH, startPostgres, startService, upload } from '../tests/office/lib.mjs';

const run = promisify(execFile);
const GATES = Number(process.env.BENCH_GATES || 50);
const PER_BATCH = Number(process.env.BENCH_BATCH_ENTRIES || 1000);
const SYN_ENTRIES = Number(process.env.BENCH_ENTRIES || 1_000_000);
const SYN_PERSONS = Number(process.env.BENCH_PERSONS || 100_000);
const RUNS = Number(process.env.BENCH_RUNS || 20);
const BENCH = join(BIN, 'bench/office/office_bench');
const work = mkdtempSync(join(os.tmpdir(), 'gatepass-bench-office-'));
const load = () => os.loadavg().map((x) => x.toFixed(2)).join(' ');

async function pool(items, width, fn) {
  const out = [];
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < items.length) { const i = next++; out[i] = await fn(items[i], i); }
  }));
  return out;
}

const memory = (pid) => {
  const s = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (k) => Number(new RegExp(`${k}:\\s+(\\d+)`).exec(s)[1]);
  return { rss_mb: kb('VmRSS') / 1024, peak_mb: kb('VmHWM') / 1024 };
};

console.log(`bench-office: ${os.cpus().length} CPUs (${os.cpus()[0].model}), load before: ${load()}`);
await run(GP, ['community', 'init', '--code', 'C001', '--name', '八角路社区', '--site', 'https://gate.example.org/', '--out', join(work, 'key')]);
const gates = Array.from({ length: GATES }, (_, i) => `门${String(i + 1).padStart(2, '0')}`);
// Each gate's batch carries its MAC (Batch.h format 2), so it is made once the office enrolled the gate.
const makeFiles = (backend, enrolled) => pool(gates, 2, async (gate, i) => {
  const out = join(work, `${backend}-b${i}.batch`);
  await run(MAKE_BATCH, ['--out', out, '--gate', gate, '--persons', '200', '--person-offset', String(i * 200), '--entries', String(PER_BATCH),
    '--enrollment', enrolled[i].code, '--passphrase', enrolled[i].passphrase]);
  return out;
});

const pg = await startPostgres({ fsync: true });
const results = {};
const services = new Set();
process.once('SIGINT', () => { for (const s of services) s.proc.kill('SIGTERM'); pg.stop(); process.exit(130); });
try {
  for (const backend of ['sqlite', 'postgresql']) {
    const db = (name) => (backend === 'sqlite' ? join(work, `${name}.sqlite`) : pg.createdb(name));
    const office = db('office');
    await run(GP, ['office', 'add-community', '--db', office, '--key', join(work, 'key')]);
    const enrolled = await pool(gates, 4, async (gate) => JSON.parse((await run(GP, ['office', 'enroll-gate', '--db', office,
      '--community', 'C001', '--gate', gate, '--url', 'https://office.example.org/', '--json'])).stdout));
    const tokens = enrolled.map((e) => e.token);
    const files = await makeFiles(backend, enrolled);
    const bodies = files.map((f) => readFileSync(f));
    const mb = bodies.reduce((n, b) => n + b.length, 0) / 1048576;
    console.log(`${backend}: ${GATES} batches × ${PER_BATCH} entries (200 persons each), ${mb.toFixed(1)} MB in all`);
    const svc = await startService(office, ['--threads', '8', '--burst', '100']);
    services.add(svc);
    const timed = async () => {
      const lat = [];
      const t0 = performance.now();
      const replies = await Promise.all(bodies.map(async (b, i) => {
        const s = performance.now();
        const r = await upload(svc.url, tokens[i], b);
        lat.push(performance.now() - s);
        return r;
      }));
      const seconds = (performance.now() - t0) / 1000;
      lat.sort((a, b) => a - b);
      return { replies, seconds, p50: lat[Math.floor(lat.length / 2)], p95: lat[Math.floor(lat.length * 0.95)] };
    };
    const loadAt = load();
    const first = await timed();
    const bad = first.replies.filter((r) => r.status !== 200 || r.json.added.entries !== PER_BATCH);
    if (bad.length) throw new Error(`${backend}: ${bad.length} uploads failed: ${bad[0].text}`);
    const replay = await timed();
    if (replay.replies.some((r) => !r.json?.already)) throw new Error(`${backend}: a replay was merged again`);
    const mem = memory(svc.proc.pid);
    await svc.stop();
    services.delete(svc);

    const bulk = JSON.parse((await run(BENCH, ['bulk', '--db', db('bulk'), '--key', join(work, 'key'), ...files])).stdout);
    const synthDb = db('synth');
    // Registered like a real office's, so the product's reads see its rows.
    await run(GP, ['office', 'add-community', '--db', synthDb, '--key', join(work, 'key')]);
    const t0 = performance.now();
    const synth = JSON.parse((await run(BENCH, ['synth', '--db', synthDb, '--entries', String(SYN_ENTRIES), '--persons', String(SYN_PERSONS)],
      { maxBuffer: 1 << 20 })).stdout);
    const synthWall = (performance.now() - t0) / 1000;
    const q = JSON.parse((await run(BENCH, ['queries', '--db', synthDb, '--runs', String(RUNS)])).stdout).queries;
    results[backend] = { first, replay, mem, bulk, synth, synthWall, q, loadAt };

    const entries = GATES * PER_BATCH;
    console.log(`\n== ${backend} == (load at start: ${loadAt})`);
    console.log(`service, ${GATES} concurrent uploads: ${entries} entries in ${first.seconds.toFixed(2)} s = ${Math.round(entries / first.seconds)} entries/s` +
      ` (request p50 ${first.p50.toFixed(0)} ms, p95 ${first.p95.toFixed(0)} ms)`);
    console.log(`service, the same ${GATES} again (replays): ${replay.seconds.toFixed(2)} s (p50 ${replay.p50.toFixed(0)} ms)`);
    console.log(`bulk load of the same rows (${backend === 'sqlite' ? 'one transaction of prepared inserts' : 'COPY'}): ` +
      `${bulk.load_seconds.toFixed(2)} s = ${Math.round(bulk.entries_per_second)} entries/s (+ parse ${bulk.parse_seconds.toFixed(2)} s)`);
    console.log(`service memory: RSS ${mem.rss_mb.toFixed(1)} MB, peak ${mem.peak_mb.toFixed(1)} MB`);
    console.log(`queries over ${synth.entries} entries / ${synth.persons} persons (bulk load ${synth.load_seconds.toFixed(1)} s), ${RUNS} runs each:`);
    for (const [name, t] of Object.entries(q))
      console.log(`  ${name.padEnd(22)} p50 ${t.p50_ms.toFixed(2)} ms   p95 ${t.p95_ms.toFixed(2)} ms   (${t.runs} runs; ${t.rows} rows)`);
  }
} finally {
  for (const s of services) await s.stop();
  pg.stop();
  rmSync(work, { recursive: true, force: true });
}
console.log(`\nload after: ${load()}`);
