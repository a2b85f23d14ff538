// The browser tests' one harness (node --test tests/browser/; the face
// helpers gate-lib.mjs and resident-lib.mjs build on it, and so do the
// benchmarks): serve build/site on a free 127.0.0.1 port (build-scripts/serve.mjs),
// launch Debian's Chromium through playwright-core with a persistent profile
// under /tmp and the pages in test mode, crash it hard, take screenshots into
// tests/output/.
//
//   import { serveSite, freshProfile, launch, killBrowser, screenshot } from './harness.mjs';
//   const site = await serveSite();                // site.url = 'http://127.0.0.1:PORT/', site.log: every request
//   const profile = freshProfile('core');          // a new empty profile dir
//   const context = await launch(profile);         // playwright BrowserContext (persistent)
//   const page = await context.newPage(); await page.goto(site.url + 'resident/');
//   killBrowser(profile);                          // SIGKILL the browser process: no unload, no clean shutdown
//
// The test pages in tests/browser/pages/ are served under /__test/.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startServer } from '../../build-scripts/serve.mjs';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
// GATEPASS_SITE_DIR: serve another assembled tree (build-scripts/assemble-site writes there too).
export const SITE = path.resolve(process.env.GATEPASS_SITE_DIR || path.join(REPO, 'build', 'site'));
export const OUTPUT = path.join(REPO, 'tests', 'output');
export const CHROMIUM = process.env.GATEPASS_CHROMIUM || '/usr/bin/chromium';

// As root in a container Chromium needs --no-sandbox; the rest keeps headless runs quiet and steady.
export const DEFAULT_ARGS = [
  '--no-sandbox',
  '--disable-dev-shm-usage',
  '--no-first-run',
  '--no-default-browser-check',
  '--disable-background-timer-throttling',
  '--disable-renderer-backgrounding',
];

/** True when the assembled site (with the wasm core) is there; tests skip with a reason otherwise. */
export function siteBuilt() {
  return fs.existsSync(path.join(SITE, 'shared', 'gatepass-core.wasm'));
}

/**
 * Serves build/site (or `root`) plus the test pages under /__test/. Returns
 * {url, log, close()}. `gzip` compresses as a static host would; `throttle`
 * ({rttMs, bitsPerSecond}) models a slow link (build-scripts/serve.mjs).
 */
export async function serveSite({ root = SITE, mounts = {}, gzip = false, throttle = null } = {}) {
  return startServer({
    root,
    port: 0,
    quiet: true,
    gzip,
    throttle,
    mounts: Object.assign({ '/__test/': path.join(REPO, 'tests', 'browser', 'pages') }, mounts),
  });
}

/** A new, empty profile directory under /tmp (removed by removeProfile or left for inspection). */
export function freshProfile(tag = 'profile') {
  return fs.mkdtempSync(path.join(os.tmpdir(), `gatepass-${tag}-`));
}

export function removeProfile(dir) {
  fs.rmSync(dir, { recursive: true, force: true });
}

/**
 * Launches Chromium with a persistent profile (so OPFS/IndexedDB survive a relaunch).
 * Its pages open in test mode (window.gatepassTestMode, set before any page
 * script: the gate console then installs its test API, window.gatepass);
 * `testMode: false` opens them as staff would.
 * @param {string} profileDir
 * @param {{args?: string[], viewport?: object, headless?: boolean, testMode?: boolean}} [options]
 */
export async function launch(profileDir, { args = [], viewport = { width: 1280, height: 800 }, headless = true, testMode = true, ...rest } = {}) {
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM,
    headless,
    viewport,
    args: [...DEFAULT_ARGS, ...args],
    ...rest,
  });
  if (testMode) await context.addInitScript(() => { window.gatepassTestMode = true; });
  return context;
}

/** The pid of the browser (not renderer) process running with this profile, or null. */
export function browserPid(profileDir) {
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let cmd;
    try {
      cmd = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
    } catch {
      continue;
    }
    if (cmd.includes(`--user-data-dir=${profileDir}`) && !cmd.some((a) => a.startsWith('--type='))) return Number(entry);
  }
  return null;
}

/**
 * Kills the browser of this profile with SIGKILL — no unload handlers, no
 * clean shutdown, like a power cut for the browser — and waits until it and
 * its child processes are gone.
 */
export async function killBrowser(profileDir, context) {
  const pid = browserPid(profileDir);
  // Without the pid the "crash" would be a clean close: fail loudly rather than test less.
  if (!pid) throw new Error(`killBrowser: no browser process found for ${profileDir}`);
  process.kill(pid, 'SIGKILL');
  if (context) await context.close().catch(() => {});
  const deadline = Date.now() + 10000;
  while (Date.now() < deadline && (browserPid(profileDir) || childrenOf(profileDir).length)) {
    await new Promise((r) => setTimeout(r, 50));
  }
  for (const child of childrenOf(profileDir)) {
    try { process.kill(child, 'SIGKILL'); } catch { /* gone */ }
  }
}

function childrenOf(profileDir) {
  const out = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmd = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (cmd.includes(`--user-data-dir=${profileDir}`)) out.push(Number(entry));
    } catch { /* gone */ }
  }
  return out;
}

/** Saves a PNG into tests/output/ and returns its path. */
/** What Chromium does when it finds its IndexedDB damaged (a log torn by a killed
 *  browser, tests/browser/core-crash.test.mjs): every IndexedDB database of the
 *  page's origin is deleted. No worker may hold one open (they wait until it lets go). */
export async function dropIndexedDb(page) {
  await page.evaluate(async () => {
    for (const { name } of await indexedDB.databases()) {
      await new Promise((resolve, reject) => {
        const del = indexedDB.deleteDatabase(name);
        del.onsuccess = resolve;
        del.onerror = () => reject(del.error);
      });
    }
  });
}

export async function screenshot(page, name) {
  fs.mkdirSync(OUTPUT, { recursive: true });
  const file = path.join(OUTPUT, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

/** Opens the core test page and opens the core on it; returns {page, result}. */
export async function openCorePage(context, siteUrl, options = { db: 'test.sqlite' }) {
  const page = await context.newPage();
  await page.goto(`${siteUrl}__test/core.html`);
  await page.waitForFunction(() => window.gpLoaded === true);
  const result = await page.evaluate((o) => window.gpOpen(o), options);
  return { page, result };
}

/** A valid person for the core (passport: no ID-number checksum to satisfy); `i` makes the number unique. */
export function testPerson(i) {
  return {
    name: '测试' + String.fromCodePoint(0x4e00 + (i % 500)),
    doc_type: 'passport',
    doc_number: 'E' + String(1000000 + i),
    phone: '13800138000',
    person_type: 'resident',
    address: '3-2-501',
    left_city: false,
    epidemic_contact: false,
    symptoms: false,
    home_observation: false,
  };
}

/** The document numbers stored in the page's core (person.list). */
export async function storedDocNumbers(page) {
  const reply = await page.evaluate(() => window.gpCall('person.list'));
  if (!reply.ok) throw new Error(`person.list failed: ${JSON.stringify(reply.error)}`);
  return reply.records.map((r) => r.person.doc_number);
}
