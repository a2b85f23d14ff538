#!/usr/bin/env node
// What a resident's phone pays for the resident page: bytes over the network
// (gzip, as a static host sends them) and time to interactive, for
//   - a first visit (the form usable; then the offline copy made in the background),
//   - a repeat visit (straight to the pass, served by the service worker),
//   - a repeat visit offline,
// side by side with the alternatives measured in the same run: uncompressed
// and brotli bytes, a service worker that downloads its precache again instead
// of revalidating what the page just loaded, and the page without its preload
// of the core wasm.
//
//   build-scripts/bench-resident [--runs N] [--site build/site] [--throttle] [--alt-core DIR]
//
// Columns: ours (the resident's own core, gatepass-resident.wasm); the full core
// the page ran before (gatepass-core.wasm with SQLite: resident-lib.mjs
// siteWithFullCore); a service worker that downloads everything again; no preload
// of the core wasm; and the QR writer the pages used before uqr (zxing-wasm's
// writer, lazily loaded), so the writer's share of the bytes shows side by side.
// Each column also counts pass round trips per second from a page through the
// resident worker and its core (pass.live, sealed with libsodium; pass.encode).
//
// --alt-core DIR adds a column with other builds of the wasm cores
// (DIR/gatepass-core.{js,wasm} and/or DIR/gatepass-resident.{js,wasm}, e.g.
// linked with -Oz) in a copy of the site.
//
// --throttle serves through a slow mobile link (1.6 Mbit/s shared by all
// requests, 150 ms per request: Lighthouse's mobile profile), modelled at the
// test server so that it applies to the service worker's downloads as well
// (Chromium's own network emulation does not reach the service worker).
// Times are medians over N fresh browser contexts (default 5), at a phone
// viewport (390×844, DPR 2). Localhost: the network part is near zero, so the
// unthrottled times are the page's own work (wasm compile, core open, render).
import { chromium } from 'playwright-core';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { tmpdir } from 'node:os';
import { generateKeyPairSync } from 'node:crypto';
import { constants as zc, gzipSync, brotliCompressSync } from 'node:zlib';
import { buildManifest, writeServiceWorker } from '../web/sw/precache-manifest.mjs';
import { fillPerson, submitForm, person, siteWithFullCore } from '../tests/browser/resident-lib.mjs';
import { serveSite, SITE as DEFAULT_SITE, REPO as REPO_ROOT } from '../tests/browser/harness.mjs';

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : dflt;
};
const RUNS = Number(opt('--runs', 5));
const SITE = resolve(opt('--site', DEFAULT_SITE));
const THROTTLE = args.includes('--throttle');
const QUERY = '?c=hd-qh-07&n=%E6%B8%85%E6%B2%B3%E5%B0%8F%E5%8C%BA';
const GATE_ONLY = /jsimgui|zxing_reader|es\/reader\/|^\/gate\/|^\/fonts\//;

if (!existsSync(join(SITE, 'resident/sw.js'))) {
  console.error(`bench-resident: ${SITE}/resident/sw.js is missing: run build-scripts/build first`);
  process.exit(1);
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const kb = (n) => `${(n / 1000).toFixed(0)} KB`;
const ms = (n) => `${n.toFixed(0)} ms`;

const PASS_MS = 2000;
// A community public key (X25519, 32 bytes as unpadded base64url) for pass.live.
const COMMUNITY_KEY = Buffer.from(generateKeyPairSync('x25519').publicKey.export({ type: 'spki', format: 'der' }).subarray(-32)).toString('base64url');

/** In the page: a resident worker of its own; round trips per second of pass.live and pass.encode. */
async function passRoundTrips({ ms, key }) {
  const worker = new Worker('/resident/core-worker.js', { type: 'module' });
  const waiting = new Map();
  let id = 0;
  const opened = new Promise((resolve, reject) => {
    worker.onmessage = ({ data: m }) => {
      if (m.type === 'ready') resolve();
      else if (m.type === 'fatal') reject(new Error(m.error.en));
      else if (m.type === 'reply') { waiting.get(m.id)(JSON.parse(m.reply)); waiting.delete(m.id); }
    };
  });
  worker.postMessage({ type: 'open', db: 'resident.sqlite' });
  await opened;
  const call = (request) => new Promise((resolve) => {
    waiting.set(++id, resolve);
    worker.postMessage({ type: 'call', id, request: JSON.stringify(request) });
  });
  await call({ op: 'settings.set', settings: { community_public_key: key } });
  const { records } = await call({ op: 'person.list' });
  const rate = async (request) => {
    const start = performance.now();
    let n = 0;
    while (performance.now() - start < ms) {
      const reply = await call(request);
      if (!reply.ok) throw new Error(`${request.op}: ${reply.error.en}`);
      n++;
    }
    return n / ((performance.now() - start) / 1000);
  };
  const passLivePerS = await rate({ op: 'pass.live', doc_number: records[0].person.doc_number });
  const passEncodePerS = await rate({ op: 'pass.encode', person: records[0].person });
  worker.terminate();
  return { passLivePerS, passEncodePerS };
}

/** One fresh phone: first visit, save a person, repeat visit, repeat visit offline. */
async function visit(browser, server) {
  const context = await browser.newContext({
    viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN',
  });
  const page = await context.newPage();
  const mark = () => page.evaluate(() => performance.getEntriesByName('gatepass:ready')[0]?.startTime ?? NaN);
  const ready = () => page.waitForFunction(() => document.body.dataset.ready === 'true', null, { timeout: 120000 });
  const sumSince = (from, key = 'bytes') => server.log.slice(from).reduce((s, r) => s + (r[key] ?? 0), 0);

  const r = {};
  let at = server.log.length;
  await page.goto(`${server.url}resident/${QUERY}`);
  await ready();
  r.firstTti = await mark();
  r.firstPageGzip = sumSince(at);
  r.firstPageRaw = sumSince(at, 'raw');
  r.firstFiles = server.log.slice(at).filter((e) => e.status === 200).map((e) => e.path.replace(/^\//, ''));
  // The offline copy: wait until the service worker is active.
  r.offlineReady = await page.evaluate(() => navigator.serviceWorker.ready.then(() => performance.now()));
  r.firstTotalGzip = sumSince(at);
  r.firstTotalRaw = sumSince(at, 'raw');
  r.gateOnly = server.log.slice(at).filter((e) => GATE_ONLY.test(e.path)).map((e) => e.path);
  r.precached = server.log.slice(at).filter((e) => e.status === 200 || e.status === 304).map((e) => e.path.replace(/^\//, ''));

  await fillPerson(page, person());
  if ((await submitForm(page)) !== 'saved') throw new Error('could not save the bench person');

  at = server.log.length;
  await page.reload();
  await ready();
  r.repeatTti = await mark();
  r.repeatGzip = sumSince(at);

  await context.setOffline(true);
  await page.reload();
  await ready();
  r.offlineTti = await mark();
  await context.setOffline(false);

  // Pass round trips from a page through the resident's worker and core, as the page makes
  // them: pass.live (the live pass sealed to the community key, libsodium in the worker)
  // and pass.encode (the core alone), each for PASS_MS, one after another.
  await page.goto(server.url); // the resident page's worker goes, and with it its hold on the household
  Object.assign(r, await page.evaluate(passRoundTrips, { ms: PASS_MS, key: COMMUNITY_KEY }));
  await context.close();
  return r;
}

async function series(site, label) {
  const server = await serveSite({ root: site, gzip: true, throttle: THROTTLE ? { bitsPerSecond: 1.6e6, rttMs: 150 } : null });
  const browser = await chromium.launch({
    executablePath: process.env.GATEPASS_CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-dev-shm-usage'],
  });
  const runs = [];
  try {
    // One unmeasured visit: the very first Chromium start on a machine is slow.
    await visit(browser, server);
    for (let i = 0; i < RUNS; i++) runs.push(await visit(browser, server));
  } finally {
    await browser.close();
    await server.close();
  }
  const m = (k) => median(runs.map((x) => x[k]));
  return {
    label,
    firstPageGzip: m('firstPageGzip'), firstPageRaw: m('firstPageRaw'),
    firstTotalGzip: m('firstTotalGzip'), firstTotalRaw: m('firstTotalRaw'),
    repeatGzip: m('repeatGzip'),
    passLivePerS: m('passLivePerS'), passEncodePerS: m('passEncodePerS'),
    firstTti: m('firstTti'), repeatTti: m('repeatTti'), offlineTti: m('offlineTti'), offlineReady: m('offlineReady'),
    files: runs[0].firstFiles, precached: runs[0].precached, gateOnly: runs.flatMap((x) => x.gateOnly),
  };
}

// The alternative service worker: the same site, but install downloads every
// file again past the HTTP cache (what a plain `cache.addAll` with cache-busting does).
async function refetchingSite() {
  const dir = await mkdtemp(join(tmpdir(), 'gp-bench-site-'));
  await cp(SITE, dir, { recursive: true });
  const sw = join(dir, 'resident/sw.js');
  const text = await readFile(sw, 'utf8');
  const patched = text.replace("[[url, 'no-cache'], ", '[');
  if (patched === text) throw new Error('sw.js does not have the expected revalidation step');
  await writeFile(sw, patched);
  return dir;
}

// The page without its preload of the core wasm (the worker then asks for it
// only after the module graph and the worker have started).
async function noPreloadSite() {
  const dir = await mkdtemp(join(tmpdir(), 'gp-bench-site-'));
  await cp(SITE, dir, { recursive: true });
  const html = join(dir, 'resident/index.html');
  const text = await readFile(html, 'utf8');
  const patched = text.replace(/<link rel="preload" href="[^"]*gatepass-(core|resident)\.wasm"[^>]*>\n?/, '');
  if (patched === text) throw new Error('index.html has no preload of the core wasm');
  await writeFile(html, patched);
  writeServiceWorker(dir, buildManifest({ site: dir, face: 'resident' }));
  return dir;
}

// Another build of the wasm core (e.g. -Oz) in the same site, with its own sw.js.
async function altCoreSite(coreDir) {
  const dir = await mkdtemp(join(tmpdir(), 'gp-bench-site-'));
  await cp(SITE, dir, { recursive: true });
  for (const f of ['gatepass-core.js', 'gatepass-core.wasm', 'gatepass-resident.js', 'gatepass-resident.wasm'])
    if (existsSync(join(coreDir, f))) await cp(join(coreDir, f), join(dir, 'shared', f));
  writeServiceWorker(dir, buildManifest({ site: dir, face: 'resident' }));
  return dir;
}

// The QR writer the pages used before uqr: zxing-wasm's writer (a multi-format
// wasm), loaded lazily as web/shared/qr-writer.js did, in the same site.
const ZXING_WRITER_JS = `
const WRITER_JS = new URL('../vendor/zxing-wasm/es/writer/index.js', import.meta.url).href;
const WRITER_WASM = new URL('../vendor/zxing-wasm/writer/zxing_writer.wasm', import.meta.url).href;
let writer;
function loadWriter() {
  writer ??= import(WRITER_JS).then(async (zxing) => {
    await zxing.prepareZXingModule({ overrides: { locateFile: (p, prefix) => (p.endsWith('.wasm') ? WRITER_WASM : prefix + p) }, fireImmediately: true });
    return zxing;
  });
  return writer;
}
export async function qrSvg(text, ecLevel = 'M') {
  const zxing = await loadWriter();
  const result = await zxing.writeBarcode(text, { format: 'QRCode', ecLevel, withQuietZones: true });
  if (result.error || !result.svg) throw new Error(result.error || 'no image');
  return result.svg.replace(/<svg width="(\\d+)" height="(\\d+)"/, (all, w, h) => \`<svg width="\${w}" height="\${h}" viewBox="0 0 \${w} \${h}" shape-rendering="crispEdges"\`);
}
export async function qrImageUrl(text, ecLevel = 'M') {
  return URL.createObjectURL(new Blob([await qrSvg(text, ecLevel)], { type: 'image/svg+xml' }));
}
`;

async function zxingWriterSite() {
  const dir = await mkdtemp(join(tmpdir(), 'gp-bench-site-'));
  await cp(SITE, dir, { recursive: true });
  const zx = join(REPO_ROOT, 'node_modules/zxing-wasm/dist');
  await cp(join(zx, 'es/writer'), join(dir, 'vendor/zxing-wasm/es/writer'), { recursive: true });
  await cp(join(zx, 'writer/zxing_writer.wasm'), join(dir, 'vendor/zxing-wasm/writer/zxing_writer.wasm'));
  await writeFile(join(dir, 'shared/qr-writer.js'), ZXING_WRITER_JS);
  await rm(join(dir, 'vendor/uqr'), { recursive: true, force: true });
  const include = ['resident/', 'shared/', 'sw/register.js', 'vendor/zxing-wasm/writer/', 'vendor/zxing-wasm/es/writer/',
    'vendor/zxing-wasm/es/share.js', 'vendor/libsodium-sumo/'];
  writeServiceWorker(dir, buildManifest({ site: dir, face: 'resident', include }));
  return dir;
}

/** Sizes of the files a first visit loads, under each encoding a host may use. */
async function encodings(site, files) {
  let raw = 0, gz = 0, br = 0;
  const rows = [];
  for (const path of [...new Set(files.map((f) => (f.endsWith('/') ? `${f}index.html` : f)))].sort()) {
    const data = await readFile(join(site, path));
    const g = gzipSync(data, { level: 9 }).length;
    const b = brotliCompressSync(data, { params: { [zc.BROTLI_PARAM_QUALITY]: 11, [zc.BROTLI_PARAM_SIZE_HINT]: data.length } }).length;
    raw += data.length; gz += g; br += b;
    rows.push([path, data.length, g, b]);
  }
  return { raw, gz, br, rows };
}

const columns = [{ label: 'ours', site: SITE }];
const temp = [];
try {
  temp.push(await siteWithFullCore(SITE));
  columns.push({ label: 'full core (before)', site: temp.at(-1) });
  temp.push(await refetchingSite());
  columns.push({ label: 'refetching sw', site: temp.at(-1) });
  temp.push(await noPreloadSite());
  columns.push({ label: 'no wasm preload', site: temp.at(-1) });
  temp.push(await zxingWriterSite());
  columns.push({ label: 'zxing writer', site: temp.at(-1) });
  const altCore = opt('--alt-core', null);
  if (altCore) {
    temp.push(await altCoreSite(resolve(altCore)));
    columns.push({ label: `core from ${altCore.replace(/\/+$/, '').split('/').pop()}`, site: temp.at(-1) });
  }
  for (const c of columns) c.r = await series(c.site, c.label);
  for (const c of columns) c.enc = await encodings(c.site, c.r.files.concat(c.r.precached));
} finally {
  for (const d of temp) await rm(d, { recursive: true, force: true });
}

const net = THROTTLE ? 'served at 1.6 Mbit/s + 150 ms per request' : 'localhost';
console.log(`bench-resident: ${RUNS} fresh phones per column (390×844 DPR 2, zh-CN), ${net}; medians; KB = 1000 bytes`);
console.log('');
const rows = [
  ['first visit, page until the form is usable, gzip', (r) => kb(r.firstPageGzip)],
  ['first visit incl. offline copy, gzip', (r) => kb(r.firstTotalGzip)],
  ['first visit incl. offline copy, uncompressed', (r) => kb(r.firstTotalRaw)],
  ['  same files, brotli (if the host serves br)', (r, c) => kb(c.enc.br)],
  ['repeat visit, bytes over the network', (r) => kb(r.repeatGzip)],
  ['time to interactive, first visit (form)', (r) => ms(r.firstTti)],
  ['first visit, until the offline copy is ready', (r) => ms(r.offlineReady)],
  ['time to interactive, repeat visit (pass shown)', (r) => ms(r.repeatTti)],
  ['time to interactive, repeat visit offline (pass)', (r) => ms(r.offlineTti)],
  ['pass.live round trips per second (page ↔ worker ↔ core)', (r) => `${r.passLivePerS.toFixed(0)}/s`],
  ['pass.encode round trips per second', (r) => `${r.passEncodePerS.toFixed(0)}/s`],
];
const w0 = Math.max(...rows.map((r) => r[0].length));
const cw = Math.max(16, ...columns.map((c) => c.label.length));
console.log(`${''.padEnd(w0)}${columns.map((c) => `  ${c.label.padStart(cw)}`).join('')}`);
for (const [name, f] of rows) console.log(`${name.padEnd(w0)}${columns.map((c) => `  ${f(c.r, c).padStart(cw)}`).join('')}`);
console.log('');
const ours = columns[0];
console.log(`goal: first visit ≤ 600 KB gzip → ${ours.r.firstTotalGzip <= 600e3 ? 'met' : 'NOT met'} (${kb(ours.r.firstTotalGzip)})`);
console.log(`gate-only files loaded (ImGui, QR reader, fonts): ${ours.r.gateOnly.length ? ours.r.gateOnly.join(', ') : 'none'}`);
console.log('');
console.log('files of a first visit (ours), bytes: raw / gzip -9 / brotli 11');
for (const [path, raw, g, b] of ours.enc.rows) console.log(`  ${path.padEnd(44)} ${String(raw).padStart(8)} ${String(g).padStart(8)} ${String(b).padStart(8)}`);
if (ours.r.gateOnly.length) process.exitCode = 1;
