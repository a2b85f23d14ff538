// Helpers for the resident page tests (tests/browser/resident-*.test.mjs) and
// build-scripts/bench-resident.mjs, on top of harness.mjs: a phone-sized
// Chromium with a fresh profile, form filling, QR decoding, and test
// identities with valid (or deliberately invalid) ID checksums. The server is
// harness.mjs's serveSite({gzip: true}): a static host's gzip and 304s.
//
// Not a test file itself (node --test picks *.test.mjs only).
import { before, after } from 'node:test';
import { cp, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { launch, freshProfile, removeProfile, serveSite, REPO as ROOT, SITE, OUTPUT } from './harness.mjs';
import { buildManifest, writeServiceWorker } from '../../web/sw/precache-manifest.mjs';

export { REPO as ROOT, SITE, OUTPUT } from './harness.mjs';

/** A phone: 390×844 CSS px, DPR 2, touch, zh-CN, fresh profile under /tmp (harness.mjs launches it). */
export async function launchPhone({ profile, locale = 'zh-CN', viewport = { width: 390, height: 844 }, deviceScaleFactor = 2 } = {}) {
  const dir = profile ?? freshProfile('resident');
  const context = await launch(dir, { viewport, deviceScaleFactor, isMobile: true, hasTouch: true, locale });
  const errors = [];
  context.on('weberror', (e) => errors.push(String(e.error())));
  const page = context.pages()[0] ?? (await context.newPage());
  const close = async ({ keepProfile = false } = {}) => {
    await context.close();
    if (!keepProfile && !profile) removeProfile(dir);
  };
  return { context, page, dir, errors, close };
}

/** Opens the resident page and waits until it has decided what to show. */
export async function openResident(page, base, query = '?c=hd-qh-07&n=%E6%B8%85%E6%B2%B3%E5%B0%8F%E5%8C%BA') {
  await page.goto(`${base}resident/${query}`);
  await waitReady(page);
}

export async function waitReady(page) {
  await page.waitForFunction(() => document.body.dataset.ready, null, { timeout: 30000 });
  const ready = await page.evaluate(() => document.body.dataset.ready);
  if (ready !== 'true') {
    const why = await page.evaluate(() => document.getElementById('failed-text')?.textContent);
    throw new Error(`resident page failed to open: ${why}`);
  }
}

/** Waits for the pass view with its QR drawn. */
export async function waitPass(page) {
  await page.waitForFunction(
    () => document.body.dataset.view === 'pass' && document.getElementById('pass').dataset.ready === 'true',
    null,
    { timeout: 20000 },
  );
}

/**
 * Checks a radio the way a person does: tap, look, tap again if it did not
 * take. On a loaded 2-core CI machine a tap can land while the form is still
 * moving (a field's message appearing above it after the previous blur);
 * Playwright then reports "did not change its state". The assertion that
 * matters stays: the radio ends up checked, or this throws.
 */
async function checkRadio(page, selector) {
  for (let attempt = 1; ; attempt++) {
    try {
      await page.check(selector, { timeout: 5000 });
    } catch (e) {
      if (attempt >= 3) throw e;
    }
    if (await page.isChecked(selector)) return;
    if (attempt >= 3) throw new Error(`${selector} would not check`);
  }
}

/** Fills the form: strings into text/date/select inputs, booleans into yes/no radios. */
export async function fillPerson(page, person) {
  // Yes/no first: they reveal the conditional parts.
  for (const [key, value] of Object.entries(person)) {
    if (typeof value === 'boolean') await checkRadio(page, `#in-${key}-${value}`);
  }
  for (const [key, value] of Object.entries(person)) {
    if (typeof value === 'boolean') continue;
    const tag = await page.$eval(`#in-${key}`, (n) => n.tagName);
    if (tag === 'SELECT') await page.selectOption(`#in-${key}`, value);
    else await page.fill(`#in-${key}`, value);
  }
}

export async function submitForm(page) {
  await page.click('#form-save');
  await page.waitForFunction(() => {
    const s = document.getElementById('person-form').dataset.state;
    return s === 'invalid' || s === 'saved';
  }, null, { timeout: 20000 });
  return page.evaluate(() => document.getElementById('person-form').dataset.state);
}

// --- QR decoding (zxing-wasm reader in node; the page itself never loads it) ---

let reader;
export async function decodeQr(png) {
  reader ??= (async () => {
    const zx = await import('zxing-wasm/reader');
    await zx.prepareZXingModule({
      fireImmediately: true,
      overrides: { wasmBinary: readFileSync(join(ROOT, 'node_modules/zxing-wasm/dist/reader/zxing_reader.wasm')) },
    });
    return zx;
  })();
  const zx = await reader;
  const found = await zx.readBarcodes(new Uint8Array(png), { formats: ['QRCode'], maxNumberOfSymbols: 2 });
  return found.filter((r) => r.isValid).map((r) => r.text);
}

// --- test identities ---

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';

/** An 18-character resident ID number (GB 11643) with a correct check character. */
export function idNumber(region, birth /* YYYYMMDD */, seq /* 3 digits */) {
  const body = `${region}${birth}${seq}`;
  const sum = [...body].reduce((s, d, i) => s + Number(d) * WEIGHTS[i], 0);
  return body + CHECK[sum % 11];
}

/** The same number with a wrong check character. */
export function badChecksum(id) {
  const right = id[17];
  const wrong = CHECK[(CHECK.indexOf(right) + 1) % 11];
  return id.slice(0, 17) + wrong;
}

export function person(overrides = {}) {
  return {
    name: '张三',
    doc_type: 'resident_id',
    doc_number: idNumber('110105', '19850312', '123'),
    phone: '13800138000',
    person_type: 'resident',
    address: '3-2-501',
    left_city: false,
    epidemic_contact: false,
    symptoms: false,
    home_observation: false,
    ...overrides,
  };
}

export async function ensureOutput() {
  await mkdir(OUTPUT, { recursive: true });
  return OUTPUT;
}

export function siteBuilt() {
  return existsSync(join(SITE, 'resident/index.html')) && existsSync(join(SITE, 'resident/sw.js'));
}

// --- the pass on screen ---

export const CLI = join(ROOT, 'build/native/gatepass');

/** The person in a pass text, read by the office CLI (the native core). */
export function decodePassText(text) {
  const out = execFileSync(CLI, ['pass', 'decode', text], { encoding: 'utf8' });
  const json = JSON.parse(out);
  return json.person ?? json;
}

/** Screenshots the QR on the pass view and reads it: the text of the one QR code there. */
export async function readShownPass(page) {
  await waitPass(page);
  const png = await page.locator('#pass-qr').screenshot();
  const texts = await decodeQr(png);
  if (texts.length !== 1) throw new Error(`expected one QR code on the pass, read ${texts.length}`);
  return texts[0];
}

/** What the page shows as text (for "never shows the full number" checks). */
export const visibleText = (page) => page.evaluate(() => document.body.innerText);

// --- one phone session per test file ---

/** The skip reason for a file whose tests need build/site, or false. */
export const siteMissing = () =>
  existsSync(join(SITE, 'resident/sw.js')) ? false : 'build/site is not built (run build-scripts/build)';

/**
 * Registers the usual before/after of a test file: the screenshot folder, a
 * server for build/site and one phone (launchPhone's options); returns the
 * session, filled in by the time the tests run.
 */
export function phoneSession(phoneOptions) {
  const session = {};
  before(async () => {
    if (siteMissing()) return;
    session.out = await ensureOutput();
    session.server = await serveSite({ gzip: true });
    session.phone = await launchPhone(phoneOptions);
  });
  after(async () => {
    await session.phone?.close();
    await session.server?.close();
  });
  return session;
}

/**
 * A copy of `site` as the resident page was before its own core: the full core
 * (gatepass-core.wasm, SQLite, the household in resident.sqlite) in its worker,
 * preload and offline copy. Returns the folder; the caller removes it.
 * For build-scripts/bench-resident.mjs (the column beside ours) and the move-in test.
 */
export async function siteWithFullCore(site = SITE) {
  const dir = await mkdtemp(join(tmpdir(), 'gp-full-core-site-'));
  await cp(site, dir, { recursive: true });
  const patch = async (rel, from, to) => {
    const file = join(dir, rel);
    const text = await readFile(file, 'utf8');
    if (!text.includes(from)) throw new Error(`${rel} does not have ${from}`);
    await writeFile(file, text.replace(from, to));
  };
  await patch('resident/core-worker.js', '\nuseResidentCore();\n', '\n');
  await patch('resident/index.html', 'shared/gatepass-resident.wasm', 'shared/gatepass-core.wasm');
  writeServiceWorker(dir, buildManifest({ site: dir, face: 'resident', exclude: ['shared/gatepass-resident.js', 'shared/gatepass-resident.wasm'] }));
  return dir;
}
