// The face service worker (web/sw) on a small made-up site, so that what it
// promises is tested apart from the core: everything precached, offline after
// one visit (the page and a worker it starts), a new version installed beside
// the old one without mixing, and a half-uploaded deploy refused.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, writeFile, copyFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { buildManifest, writeServiceWorker } from '../../web/sw/precache-manifest.mjs';
import { ROOT, launchPhone } from './resident-lib.mjs';
import { serveSite } from './harness.mjs';

let site, server, phone;

const PAGE = `<!doctype html><meta charset="utf-8"><title>sw test</title>
<p id="a">…</p><p id="b">…</p>
<script type="module">
import { registerFaceWorker } from '../sw/register.js';
window.updateReady = false;
window.applyUpdate = null;
window.registration = registerFaceWorker({ onUpdateReady(apply) { window.updateReady = true; window.applyUpdate = apply; } });
const a = await (await fetch('../shared/a.txt')).text();
document.getElementById('a').textContent = a;
const w = new Worker('./w.js', { type: 'module' });
w.onmessage = (e) => { document.getElementById('b').textContent = e.data; document.body.dataset.done = '1'; };
</script>`;

// A worker is controlled by the service worker whose scope holds the worker's
// own URL, so a face starts shared workers through a stub in its folder.
const WORKER = `fetch(new URL('./b.txt', import.meta.url)).then((r) => r.text()).then((t) => postMessage(t), (e) => postMessage('error ' + e));`;
const WORKER_STUB = `import '../shared/w.js';`;

async function publish(version, { corruptAfterManifest = false } = {}) {
  await writeFile(join(site, 'shared/a.txt'), `${version}-a`);
  await writeFile(join(site, 'shared/b.txt'), `${version}-b`);
  const manifest = buildManifest({ site, face: 'resident', include: ['resident/', 'shared/', 'sw/register.js'] });
  writeServiceWorker(site, manifest);
  // A deploy caught half-way: sw.js says one thing, a file is already another.
  if (corruptAfterManifest) await writeFile(join(site, 'shared/b.txt'), `${version}-b-partial`);
  return manifest;
}

async function pageText(page) {
  await page.waitForFunction(() => document.body.dataset.done === '1');
  return page.evaluate(() => [document.getElementById('a').textContent, document.getElementById('b').textContent]);
}

const cacheNames = (page) => page.evaluate(() => caches.keys());

before(async () => {
  site = await mkdtemp(join(tmpdir(), 'gp-sw-site-'));
  await mkdir(join(site, 'resident'));
  await mkdir(join(site, 'shared'));
  await mkdir(join(site, 'sw'));
  await writeFile(join(site, 'resident/index.html'), PAGE);
  await writeFile(join(site, 'shared/w.js'), WORKER);
  await writeFile(join(site, 'resident/w.js'), WORKER_STUB);
  await copyFile(join(ROOT, 'web/sw/register.js'), join(site, 'sw/register.js'));
  server = await serveSite({ root: site, gzip: true });
  phone = await launchPhone();
});

after(async () => {
  await phone?.close();
  await server?.close();
  if (site) await rm(site, { recursive: true, force: true });
});

test('manifest lists every file of the face with its hash, and skips sw.js itself', async () => {
  const m = await publish('v1');
  assert.deepEqual(Object.keys(m.files).sort(), ['resident/index.html', 'resident/w.js', 'shared/a.txt', 'shared/b.txt', 'shared/w.js', 'sw/register.js']);
  assert.match(m.version, /^[0-9a-f]{16}$/);
  const again = buildManifest({ site, face: 'resident', include: ['resident/', 'shared/', 'sw/register.js'] });
  assert.equal(again.version, m.version, 'same files, same version');
  assert.throws(() => buildManifest({ site, face: 'resident', include: ['resident/', 'missing/'] }), /missing/);
});

test('after one visit the page and its worker load offline, from the precache', async () => {
  const { page, context } = phone;
  const m = await publish('v1');
  await page.goto(`${server.url}resident/?c=test`);
  assert.deepEqual(await pageText(page), ['v1-a', 'v1-b']);
  await page.evaluate(() => navigator.serviceWorker.ready);
  assert.deepEqual(await cacheNames(page), [`gatepass-resident-${m.version}`]);

  await context.setOffline(true);
  try {
    await page.reload();
    assert.deepEqual(await pageText(page), ['v1-a', 'v1-b']);
    assert.ok(await page.evaluate(() => !!navigator.serviceWorker.controller), 'page is controlled');
    // Another query string (another poster) is the same cached page.
    await page.goto(`${server.url}resident/?c=other&n=x`);
    assert.deepEqual(await pageText(page), ['v1-a', 'v1-b']);
  } finally {
    await context.setOffline(false);
  }
});

test('a new version installs beside the old one; the open page keeps the old files until it switches', async () => {
  const { page } = phone;
  const v1 = buildManifest({ site, face: 'resident', include: ['resident/', 'shared/', 'sw/register.js'] });
  await page.goto(`${server.url}resident/`);
  assert.deepEqual(await pageText(page), ['v1-a', 'v1-b']);

  const v2 = await publish('v2');
  assert.notEqual(v2.version, v1.version);
  await page.evaluate(async () => (await window.registration).update());
  await page.waitForFunction(() => window.updateReady === true, null, { timeout: 15000 });

  // Both versions are cached; the running page still sees v1 only.
  assert.deepEqual((await cacheNames(page)).sort(), [`gatepass-resident-${v1.version}`, `gatepass-resident-${v2.version}`].sort());
  assert.equal(await page.evaluate(async () => (await fetch('../shared/a.txt')).text()), 'v1-a');
  assert.equal(await page.evaluate(() => new Promise((ok) => {
    const w = new Worker('./w.js', { type: 'module' });
    w.onmessage = (e) => ok(e.data);
  })), 'v1-b');

  // The user taps "update": the page reloads onto v2 whole, and v1's cache is gone.
  await Promise.all([page.waitForEvent('load'), page.evaluate(() => window.applyUpdate())]);
  assert.deepEqual(await pageText(page), ['v2-a', 'v2-b']);
  await page.waitForFunction((name) => caches.keys().then((k) => k.length === 1 && k[0] === name), `gatepass-resident-${v2.version}`);
});

test('a half-uploaded deploy (a file that does not match sw.js) is refused; the phone keeps the last good version', async () => {
  const { page } = phone;
  const good = buildManifest({ site, face: 'resident', include: ['resident/', 'shared/', 'sw/register.js'] });
  await page.goto(`${server.url}resident/`);
  assert.deepEqual(await pageText(page), ['v2-a', 'v2-b']);

  await publish('v3', { corruptAfterManifest: true });
  const state = await page.evaluate(async () => {
    const reg = await window.registration;
    await reg.update().catch(() => {});
    const next = reg.installing ?? reg.waiting;
    if (next && next.state !== 'redundant') {
      await new Promise((ok) => {
        next.addEventListener('statechange', () => (next.state === 'installed' || next.state === 'redundant') && ok());
        if (next.state === 'installed') ok();
      });
    }
    return { next: next?.state ?? null, waiting: !!reg.waiting };
  });
  assert.equal(state.waiting, false, 'the bad version never becomes ready');
  assert.deepEqual(await cacheNames(page), [`gatepass-resident-${good.version}`]);
  await page.reload();
  assert.deepEqual(await pageText(page), ['v2-a', 'v2-b']);
});
