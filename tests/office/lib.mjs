// Helpers for the office service tests and benchmark: a throwaway PostgreSQL
// cluster, the service as a child process, uploads over real HTTP.
import { spawn, spawnSync, execFileSync } from 'node:child_process';
import { before, after } from 'node:test';
import { mkdtempSync, rmSync, chmodSync, readdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import http from 'node:http';
import net from 'node:net';
import readline from 'node:readline';

export const BIN = process.env.GATEPASS_BIN || 'build/native';
export const GP = join(BIN, 'gatepass');
export const MAKE_BATCH = join(BIN, 'tests/office/make_batch');

/** Runs the CLI; returns {status, stdout, stderr}. */
export function gp(...args) {
  const r = spawnSync(GP, args, { encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

export function gpJson(...args) {
  const r = gp(...args);
  if (r.status !== 0) throw new Error(`gatepass ${args.join(' ')}: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

/** Writes a batch file (tests/office/MakeBatch.cpp) and returns its path. `true`: a flag without a value. */
export function makeBatch(dir, name, opts = {}) {
  const out = join(dir, name);
  const args = ['--out', out];
  for (const [k, v] of Object.entries(opts)) args.push(...(v === true ? [`--${k}`] : [`--${k}`, String(v)]));
  execFileSync(MAKE_BATCH, args);
  return out;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

/**
 * initdb into a temporary directory as an unprivileged user (created with
 * useradd when running as root and missing), on a free port with its unix
 * socket in that directory; `stop()` shuts it down and removes it. fsync is
 * off for tests (nothing there must survive a power cut), on for benchmarks.
 */
export async function startPostgres({ fsync = false } = {}) {
  const bins = readdirSync('/usr/lib/postgresql').sort((a, b) => Number(b) - Number(a));
  if (!bins.length) throw new Error('PostgreSQL server not installed (build-scripts/setup installs postgresql)');
  const bin = `/usr/lib/postgresql/${bins[0]}/bin`;
  const dir = mkdtempSync(join(tmpdir(), 'gatepass-pg-'));
  const asUser = [];
  if (process.getuid() === 0) {
    const user = 'gatepass-pg';
    if (spawnSync('id', [user]).status !== 0)
      execFileSync('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', user]);
    execFileSync('chown', [user, dir]);
    asUser.push('runuser', '-u', user, '--');
  }
  chmodSync(dir, 0o755);
  const run = (cmd, args) => {
    const full = [...asUser, join(bin, cmd), ...args];
    const r = spawnSync(full[0], full.slice(1), { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${cmd}: ${r.stderr || r.stdout}`);
  };
  const data = join(dir, 'data');
  run('initdb', ['-D', data, '-U', 'gatepass', '--auth=trust', '--encoding=UTF8', '--locale=C.UTF-8', '-N']);
  const port = await freePort();
  // -w: pg_ctl returns once the server accepts connections.
  run('pg_ctl', ['-D', data, '-w', '-l', join(dir, 'log'), '-o',
    `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=${fsync ? 'on' : 'off'} -c max_connections=200`, 'start']);
  run('createdb', ['-h', dir, '-p', String(port), '-U', 'gatepass', 'gatepass']);
  const uri = (db = 'gatepass') => `postgresql://gatepass@127.0.0.1:${port}/${db}`;
  return {
    dir, port, uri, bin,
    createdb(name) { run('createdb', ['-h', dir, '-p', String(port), '-U', 'gatepass', name]); return uri(name); },
    psql(db, sql) {
      const full = [...asUser, join(bin, 'psql'), '-h', dir, '-p', String(port), '-U', 'gatepass', '-d', db, '-tAc', sql];
      const r = spawnSync(full[0], full.slice(1), { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`psql: ${r.stderr}`);
      return r.stdout.trim();
    },
    stop() {
      try { run('pg_ctl', ['-D', data, '-w', '-m', 'fast', 'stop']); } finally { rmSync(dir, { recursive: true, force: true }); }
    },
  };
}

/**
 * Starts `gatepass office serve` on a free port; resolves once it prints
 * that it listens (it prints after the port is bound, so it accepts).
 */
export function startService(db, extra = []) {
  const proc = spawn(GP, ['office', 'serve', '--db', db, '--port', '0', ...extra], { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  proc.stderr.setEncoding('utf8');
  proc.stderr.on('data', (d) => { log += d; });
  return new Promise((resolve, reject) => {
    const lines = readline.createInterface({ input: proc.stdout });
    proc.once('exit', (code) => reject(new Error(`office serve exited (${code}): ${log}`)));
    lines.on('line', (line) => {
      const m = /^listening on (http:\/\/\S+\/)/.exec(line);
      if (m) resolve({
        url: m[1], proc, log: () => log,
        stop: () => new Promise((done) => { if (proc.exitCode !== null) return done(); proc.once('exit', done); proc.kill('SIGTERM'); }),
      });
    });
  });
}

/**
 * POSTs a batch the way the gate console does, plus the bearer token. Each
 * upload on a connection of its own (agent: false): the tests block this
 * process in spawnSync (make_batch, the CLI) between uploads, so a pooled
 * keep-alive socket's idle timer cannot run, and the next request could go
 * out on a socket the service already closed after its 5 s keep-alive
 * ("fetch failed").
 */
export function upload(url, token, body, name = 'gatepass-batch.batch') {
  const headers = { 'Content-Type': 'application/octet-stream', 'X-Gatepass-Batch': encodeURIComponent(name) };
  if (token !== undefined) headers.Authorization = `Bearer ${token}`;
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  headers['Content-Length'] = String(bytes.length);
  return new Promise((resolve, reject) => {
    const req = http.request(new URL('api/upload', url), { method: 'POST', headers, agent: false }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json = null;
        try { json = JSON.parse(text); } catch { /* reported by the caller's assertion */ }
        const h = new Headers();
        for (const [k, v] of Object.entries(res.headers)) h.set(k, Array.isArray(v) ? v.join(', ') : v);
        resolve({ status: res.statusCode, json, text, headers: h });
      });
    });
    req.on('error', reject);
    req.end(bytes);
  });
}

export const hasPostgres = () => existsSync('/usr/lib/postgresql');

/** Adds an office account with `gatepass office add-account` (the password on stdin): {status, stdout, stderr}. */
export function addAccount(db, user, role, password) {
  return spawnSync(GP, ['office', 'add-account', '--db', db, '--user', user, '--role', role], { input: `${password}\n`, encoding: 'utf8' });
}

/**
 * What each office browser suite (tests/browser/office-*.test.mjs) sets up
 * alike, registered here at the file's top level: why it skips (no build),
 * a temporary work folder, and one throwaway PostgreSQL cluster started
 * before the file's tests and stopped after them (with the folder removed).
 * `site`: the assembled tree the harness serves (harness.mjs SITE).
 * Returns {skip, work, pg(), skipFor(backend), backends}: describe each
 * backend with {skip: skipFor(backend)}; pg() is the cluster once started.
 */
export function officeBrowserSuite(name, site) {
  const skip = !existsSync(GP) || !existsSync(join(site, 'office', 'index.html'))
    ? 'build/native/gatepass and build/site/office are needed: run build-scripts/build' : false;
  const work = skip ? null : mkdtempSync(join(tmpdir(), `gatepass-${name}-`));
  let pg = null;
  before(async () => { if (!skip && hasPostgres()) pg = await startPostgres(); });
  after(() => { pg?.stop(); if (work) rmSync(work, { recursive: true, force: true }); });
  return {
    skip, work, pg: () => pg, backends: ['sqlite', 'postgresql'],
    skipFor: (backend) => skip || (backend === 'postgresql' && !hasPostgres() && 'PostgreSQL not installed'),
  };
}
