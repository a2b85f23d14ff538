// Both faces are installable (issue 15): each has a web app manifest with an
// icon, Chromium's own installability check (DevTools Page.getInstallabilityErrors)
// finds nothing missing once the service worker runs, and the app as installed
// — the manifest's start_url, no query, no network — opens from the precache:
// the resident page with the household's pass, the console ready.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { SITE, removeProfile } from './harness.mjs';
import { makeClip, passText } from './clips/make-clip.mjs';
import { PEOPLE, PIN, openConsole, waitState, click, setPin, gateSession } from './gate-lib.mjs';
import { launchPhone, openResident, fillPerson, submitForm, waitPass, waitReady, person, idNumber } from './resident-lib.mjs';

const session = gateSession({
  makeClips: async (clip) => {
    await makeClip({ text: passText(PEOPLE.zhe), out: clip('zhe.y4m') });
  },
});
const { skip, clip } = session;

/** Chromium's verdict and the manifest it read: {errors: [ids], manifest, url}. */
async function installability(page) {
  const cdp = await page.context().newCDPSession(page);
  const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
  const { url, data, errors } = await cdp.send('Page.getAppManifest');
  assert.deepEqual(errors, [], 'the manifest parses without errors');
  return { errors: installabilityErrors.map((e) => e.errorId), manifest: JSON.parse(data), url };
}

/** The manifest's own start_url, resolved as the browser launches an installed app. */
const startUrl = ({ manifest, url }) => new URL(manifest.start_url, url).href;

test('the resident page is installable, and the installed app opens offline with the pass', { skip, timeout: 180000 }, async () => {
  const phone = await launchPhone();
  try {
    const { page, context } = phone;
    // Before registering, from the poster: the service worker installs meanwhile.
    await openResident(page, session.site.url);
    await fillPerson(page, person({ name: '陈安', doc_number: idNumber('110105', '19750606', '014') }));
    assert.equal(await submitForm(page), 'saved');
    await waitPass(page);
    await page.evaluate(() => navigator.serviceWorker.ready);
    await page.reload(); // now controlled: what Chromium checks is the page as a returning visitor sees it
    await waitPass(page);

    const found = await installability(page);
    assert.deepEqual(found.errors, [], 'Chromium finds the resident page installable');
    assert.equal(found.manifest.display, 'standalone');
    assert.ok(found.manifest.icons.some((i) => i.purpose === 'any'), 'an icon');
    assert.equal(new URL(startUrl(found)).pathname, '/resident/');
    assert.equal(new URL(startUrl(found)).search, '', 'no personal data, no poster key in the start URL');

    await context.setOffline(true);
    await page.goto(startUrl(found));
    await waitReady(page);
    await waitPass(page);
    assert.equal(await page.textContent('#pass-name'), '陈安');
  } finally {
    await phone.context.setOffline(false);
    await phone.close();
  }
});

test('the console is installable, and the installed app starts offline', { skip, timeout: 180000 }, async () => {
  const { context, page, profile, errors } = await openConsole(session.site.url, clip('zhe.y4m'), 'gate-install');
  try {
    await setPin(page);
    await page.evaluate(() => navigator.serviceWorker.ready);
    await page.reload();
    await waitState(page, (s) => s.phase === 'ready' && s.locked, 'console ready, locked', 30000);

    const found = await installability(page);
    assert.deepEqual(found.errors, [], 'Chromium finds the console installable');
    assert.equal(found.manifest.display, 'standalone');
    assert.equal(new URL(startUrl(found)).pathname, '/gate/');
    // What the manifest names is served and precached, so the installed app has its icon offline.
    const precache = JSON.parse(fs.readFileSync(path.join(SITE, 'gate', 'precache.json'), 'utf8'));
    for (const icon of found.manifest.icons) {
      const rel = new URL(icon.src, found.url).pathname.replace(/^\//, '');
      assert.ok(rel in precache.files, `${rel} precached`);
    }
    assert.ok('gate/manifest.webmanifest' in precache.files, 'the manifest precached');

    await context.setOffline(true);
    await page.goto(startUrl(found));
    await waitState(page, (s) => s.phase === 'ready' && s.locked, 'console started offline, locked', 30000);
    for (const d of PIN) await click(page, `key.${d}`);
    await click(page, 'key.OK');
    await waitState(page, (s) => s.coreReady && !s.locked, 'console unlocked offline', 30000);
    assert.deepEqual(errors, []);
  } finally {
    await context.setOffline(false);
    await context.close();
    removeProfile(profile);
  }
});
