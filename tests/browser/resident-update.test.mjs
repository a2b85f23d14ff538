// Resident page: a new version of the app is picked up cleanly. The phone
// keeps running the old version whole until the resident taps "update"; then
// the page reloads onto the new version whole, and the saved passes are
// untouched.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { buildManifest, writeServiceWorker } from '../../web/sw/precache-manifest.mjs';
import { serveSite } from './harness.mjs';
import {
  SITE, launchPhone, openResident, waitReady, fillPerson, submitForm, readShownPass, decodePassText, person, ensureOutput,
} from './resident-lib.mjs';

const skip = existsSync(join(SITE, 'resident/sw.js')) ? false : 'build/site is not built (run build-scripts/build)';

let site, server, phone;

before(async () => {
  if (skip) return;
  site = await mkdtemp(join(tmpdir(), 'gp-resident-update-'));
  await cp(SITE, site, { recursive: true });
  server = await serveSite({ root: site, gzip: true });
  phone = await launchPhone();
});

after(async () => {
  await phone?.close();
  await server?.close();
  if (site) await rm(site, { recursive: true, force: true });
});

const hint = (page) => page.textContent('#view-pass .hint');
const cacheNames = (page) => page.evaluate(() => caches.keys());

test('a new version waits for the tap, then replaces the old one whole', { skip }, async () => {
  const { page } = phone;
  const p = person();
  await openResident(page, server.url);
  await fillPerson(page, p);
  assert.equal(await submitForm(page), 'saved');
  await page.evaluate(() => navigator.serviceWorker.ready);
  const v1 = JSON.parse(await readFile(join(site, 'resident/precache.json'), 'utf8')).version;
  const oldHint = await hint(page);

  // Publish v2: one string changed, sw.js regenerated as assemble-site does.
  const strings = join(site, 'resident/strings.js');
  await writeFile(strings, (await readFile(strings, 'utf8')).replace(`brightness: '${oldHint}'`, `brightness: '${oldHint}（新版）'`));
  const v2 = buildManifest({ site, face: 'resident' });
  writeServiceWorker(site, v2);
  assert.notEqual(v2.version, v1);

  // Next visit: still v1 everywhere, the banner offers v2.
  await page.reload();
  await waitReady(page);
  await page.waitForSelector('#update:not([hidden])', { timeout: 20000 });
  assert.equal(await hint(page), oldHint, 'the running page is v1 whole');
  await page.screenshot({ path: join(await ensureOutput(), 'resident-update-banner.png') });
  assert.deepEqual((await cacheNames(page)).sort(), [`gatepass-resident-${v1}`, `gatepass-resident-${v2.version}`].sort());

  await Promise.all([page.waitForEvent('load'), page.click('#update-apply')]);
  await waitReady(page);
  assert.equal(await hint(page), `${oldHint}（新版）`);
  assert.equal(await page.isVisible('#update'), false);
  await page.waitForFunction((name) => caches.keys().then((k) => k.length === 1 && k[0] === name), `gatepass-resident-${v2.version}`);
  assert.deepEqual(decodePassText(await readShownPass(page)), p, 'the saved pass survives the update');
});
