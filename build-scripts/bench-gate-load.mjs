#!/usr/bin/env node
// What the gate laptop pays to open the console the first time: bytes over the
// network (gzip, as a static host sends them) and time, until
//   - the console is usable (lock screen drawn with the first font, core open:
//     the page's `gatepass:ready` mark),
//   - every name character can be drawn (the second font merged: `gatepass:fonts`),
//   - the offline copy is ready (the service worker active),
// side by side, in the same run, with the console as it was before the fonts
// were split: one font holding every character, loaded before the console is
// usable (a copy of the site whose first font is the union of the two and
// whose page never fetches the second).
//
//   build-scripts/bench-gate-load [--runs N] [--site build/site] [--throttle]
//
// --throttle serves through a slow link (1.6 Mbit/s shared by all requests,
// 150 ms per request), modelled at the test server so that it applies to the
// service worker's downloads as well. Times are medians over N fresh browser
// profiles (default 3) at the console's size (1280×800).
import { chromium } from 'playwright-core';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { tmpdir } from 'node:os';
import { buildManifest, writeServiceWorker } from '../web/sw/precache-manifest.mjs';
import { serveSite, SITE as DEFAULT_SITE } from '../tests/browser/harness.mjs';

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : dflt;
};
const RUNS = Number(opt('--runs', 3));
const SITE = resolve(opt('--site', DEFAULT_SITE));
const THROTTLE = args.includes('--throttle');

if (!existsSync(join(SITE, 'gate/sw.js')) || !existsSync(join(SITE, 'fonts/gate-cjk-more.otf'))) {
  console.error(`bench-gate-load: ${SITE} lacks the console or its fonts: run build-scripts/build first`);
  process.exit(1);
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const kb = (n) => `${(n / 1000).toFixed(0)} KB`;
const ms = (n) => `${(n / 1000).toFixed(1)} s`;

/** One fresh gate laptop: the first visit until usable, all fonts, the offline copy. */
// A fresh persistent profile, as a gate laptop has: an incognito context keeps
// its HTTP cache in memory and does not store a 7 MB font there, so the
// service worker's install would download it a second time.
async function visit(server, oneFont) {
  const profile = await mkdtemp(join(tmpdir(), 'gp-bench-profile-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.GATEPASS_CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-dev-shm-usage', '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream'],
    viewport: { width: 1280, height: 800 }, locale: 'zh-CN', permissions: ['camera'],
  });
  const page = await context.newPage();
  const mark = (name) => page.evaluate((n) => performance.getEntriesByName(n)[0]?.startTime ?? NaN, name);
  const sumSince = (from) => server.log.slice(from).reduce((s, r) => s + (r.bytes ?? 0), 0);
  const r = {};
  const at = server.log.length;
  await page.goto(`${server.url}gate/`);
  await page.waitForFunction(() => performance.getEntriesByName('gatepass:ready').length > 0, null, { timeout: 600000 });
  r.usable = await mark('gatepass:ready');
  // The requests made before the console was usable (on a slow link the
  // second font's download has begun by the time this line runs).
  const usableAt = (await page.evaluate(() => performance.timeOrigin)) + r.usable;
  r.usableGzip = server.log.slice(at).filter((e) => e.at <= usableAt).reduce((s, e) => s + (e.bytes ?? 0), 0);
  if (!oneFont) {
    await page.waitForFunction(() => performance.getEntriesByName('gatepass:fonts').length > 0, null, { timeout: 600000 });
    r.fonts = await mark('gatepass:fonts');
  } else r.fonts = r.usable;
  r.offlineReady = await page.evaluate(() => navigator.serviceWorker.ready.then(() => performance.now()));
  r.totalGzip = sumSince(at);
  if (process.env.BENCH_FILES) for (const e of server.log.slice(at)) if ((e.bytes ?? 0) > 50e3) console.error(e.status, e.bytes, e.path);
  await context.close();
  await rm(profile, { recursive: true, force: true });
  return r;
}

async function series(site, oneFont) {
  const server = await serveSite({ root: site, gzip: true, throttle: THROTTLE ? { bitsPerSecond: 1.6e6, rttMs: 150 } : null });
  const runs = [];
  try {
    for (let i = 0; i < RUNS; i++) runs.push(await visit(server, oneFont));
  } finally {
    await server.close();
  }
  const m = (k) => median(runs.map((x) => x[k]));
  return { usable: m('usable'), usableGzip: m('usableGzip'), fonts: m('fonts'), offlineReady: m('offlineReady'), totalGzip: m('totalGzip') };
}

// Before the split: one font with every character (the union of the two, made
// here with fontTools as make-font makes them), the second never fetched.
async function oneFontSite() {
  const dir = await mkdtemp(join(tmpdir(), 'gp-bench-gate-'));
  await cp(SITE, dir, { recursive: true });
  const fonts = join(dir, 'fonts');
  execFileSync('/usr/bin/python3', ['-c', `import sys
from fontTools.ttLib import TTFont
cps = set()
for p in sys.argv[1:3]:
    cps |= {c for c in TTFont(p).getBestCmap() if not 0xE000 <= c <= 0xF8FF}
open(sys.argv[3], 'w').write(' '.join('U+%04X' % c for c in sorted(cps)))`,
  join(fonts, 'gate-cjk.otf'), join(fonts, 'gate-cjk-more.otf'), join(dir, 'all.txt')]);
  execFileSync('/usr/bin/python3', ['-m', 'fontTools.subset', '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc',
    '--font-number=2', `--unicodes-file=${join(dir, 'all.txt')}`, '--layout-features=kern', '--no-hinting', "--name-IDs=*",
    `--output-file=${join(fonts, 'gate-cjk.otf')}`]);
  await rm(join(dir, 'all.txt'));
  await rm(join(fonts, 'gate-cjk-more.otf'));
  await rm(join(fonts, 'gate-cjk-more.json'));
  const app = join(dir, 'gate/app.js');
  const text = await readFile(app, 'utf8');
  const patched = text.replace('mergeMoreGlyphs(io).then(', 'Promise.resolve().then(');
  if (patched === text) throw new Error('app.js does not call mergeMoreGlyphs(io) as expected');
  await writeFile(app, patched);
  writeServiceWorker(dir, buildManifest({ site: dir, face: 'gate' }));
  return dir;
}

const columns = [{ label: 'two fonts (ours)', site: SITE, oneFont: false }];
const temp = [];
try {
  temp.push(await oneFontSite());
  columns.push({ label: 'one font (before)', site: temp[0], oneFont: true });
  for (const c of columns) c.r = await series(c.site, c.oneFont);
} finally {
  for (const d of temp) await rm(d, { recursive: true, force: true });
}

const net = THROTTLE ? 'served at 1.6 Mbit/s + 150 ms per request' : 'localhost';
console.log(`bench-gate-load: ${RUNS} fresh browser profiles per column (1280×800, zh-CN), ${net}; medians; KB = 1000 bytes`);
console.log('');
const rows = [
  ['first load until the console is usable, gzip', (r) => kb(r.usableGzip)],
  ['first load incl. the offline copy, gzip', (r) => kb(r.totalGzip)],
  ['time until the console is usable', (r) => ms(r.usable)],
  ['time until every name character is drawable', (r) => ms(r.fonts)],
  ['time until the offline copy is ready', (r) => ms(r.offlineReady)],
];
const w0 = Math.max(...rows.map((r) => r[0].length));
const cw = Math.max(18, ...columns.map((c) => c.label.length));
console.log(`${''.padEnd(w0)}${columns.map((c) => `  ${c.label.padStart(cw)}`).join('')}`);
for (const [name, f] of rows) console.log(`${name.padEnd(w0)}${columns.map((c) => `  ${f(c.r).padStart(cw)}`).join('')}`);
console.log('');
const ours = columns[0].r;
console.log(`goal: first load until usable ≤ 3 MB gzip → ${ours.usableGzip <= 3e6 ? 'met' : 'NOT met'} (${kb(ours.usableGzip)})`);
