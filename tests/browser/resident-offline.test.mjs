// Resident page offline: after one visit the service worker has every asset,
// so with the network off the page loads, shows the passes, and still saves;
// also after a browser restart. The first visit loads nothing the gate alone
// needs (no ImGui, no QR reader, not the gate's full core).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { serveSite } from './harness.mjs';
import {
  SITE, launchPhone, openResident, waitReady, fillPerson, submitForm, readShownPass, decodePassText,
  person, idNumber,
} from './resident-lib.mjs';

const skip = existsSync(join(SITE, 'resident/sw.js')) ? false : 'build/site is not built (run build-scripts/build)';

let server, phone, profile;

before(async () => {
  if (skip) return;
  server = await serveSite({ gzip: true });
  phone = await launchPhone();
  profile = phone.dir;
});

after(async () => {
  await phone?.context.close();
  await server?.close();
  if (profile) await rm(profile, { recursive: true, force: true });
});

const first = person({ name: '陈静', doc_number: idNumber('310104', '19900505', '081') });
const second = person({ name: '陈立', doc_number: idNumber('310104', '19600202', '091') });

test('first visit: every asset the page loads is in the precache list, and nothing gate-only is loaded', { skip }, async () => {
  const { page } = phone;
  await openResident(page, server.url);
  await fillPerson(page, first);
  assert.equal(await submitForm(page), 'saved');
  assert.deepEqual(decodePassText(await readShownPass(page)), first);
  await page.evaluate(() => navigator.serviceWorker.ready);

  const manifest = JSON.parse(readFileSync(join(SITE, 'resident/precache.json'), 'utf8'));
  const loaded = [...new Set(server.log.filter((r) => r.status === 200 || r.status === 304).map((r) => r.path.replace(/^\//, '')))];
  const pageAssets = loaded.filter((p) => p !== 'resident/sw.js' && !p.endsWith('/'));
  const missing = pageAssets.filter((p) => !(p in manifest.files));
  assert.deepEqual(missing, [], 'loaded but not precached');
  // The resident's own core (no SQLite), never the gate's full one.
  assert.ok(loaded.includes('shared/gatepass-resident.wasm'));
  assert.ok(!loaded.includes('shared/gatepass-core.wasm'));
  assert.ok(loaded.includes('vendor/uqr/index.mjs'));
  // Nothing of zxing-wasm: the resident page writes QR codes with uqr and never reads them.
  const gateOnly = loaded.filter((p) => /jsimgui|zxing|^gate\/|^fonts\//.test(p));
  assert.deepEqual(gateOnly, []);
  assert.deepEqual(server.log.filter((r) => r.status >= 400), [], 'no failed requests');
  // The service worker's install revalidated what the page had loaded instead of downloading it again.
  const twice = server.log.filter((r) => r.status === 200 && server.log.some((o) => o !== r && o.path === r.path && o.status === 200));
  assert.deepEqual(twice.map((r) => r.path), [], 'downloaded twice');
});

// Offline is the server unreachable as well as the browser's offline emulation:
// the emulation does not cover the browser's own service-worker update checks,
// which may reach a live server at any moment (a race this test once lost).
async function offline(context, on) {
  server.setReachable(!on);
  await context.setOffline(on);
}

test('offline: reload shows the pass, and a new person can still be saved', { skip }, async () => {
  const { page, context } = phone;
  await offline(context, true);
  try {
    const before = server.log.length;
    await page.reload();
    await waitReady(page);
    assert.equal(await page.evaluate(() => document.body.dataset.view), 'pass');
    assert.deepEqual(decodePassText(await readShownPass(page)), first);

    await page.click('#pass-household');
    await page.click('#household-add');
    await fillPerson(page, second);
    assert.equal(await submitForm(page), 'saved');
    assert.deepEqual(decodePassText(await readShownPass(page)), second);
    assert.deepEqual(server.log.slice(before).map((r) => r.path), [], 'nothing reached the server');
  } finally {
    await offline(context, false);
  }
});

test('offline after a browser restart: both passes are there', { skip }, async () => {
  await phone.context.close();
  phone = await launchPhone({ profile });
  const { page, context } = phone;
  await offline(context, true);
  try {
    const before = server.log.length;
    await page.goto(`${server.url}resident/?c=hd-qh-07&n=%E6%B8%85%E6%B2%B3%E5%B0%8F%E5%8C%BA`);
    await waitReady(page);
    assert.equal(await page.locator('#person-switch button').count(), 2);
    assert.deepEqual(decodePassText(await readShownPass(page)), first);
    await page.locator('#person-switch button').nth(1).click();
    await page.waitForFunction(() => document.getElementById('pass-name').textContent === '陈立');
    assert.deepEqual(decodePassText(await readShownPass(page)), second);
    assert.deepEqual(server.log.slice(before).map((r) => r.path), [], 'nothing reached the server');
  } finally {
    await offline(context, false);
  }
});
