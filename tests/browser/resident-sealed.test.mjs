// The resident's live pass: opened from a poster URL made by the office CLI
// (its k = the community public key), the page keeps the key with the
// household and shows a pass sealed in its core worker (libsodium-wrappers)
// beside the ticking clock and the day's band. The office CLI opens what the
// phone shows (`gatepass pass decode --key`); a QR reader without the key
// learns nothing personal; the pass is made again when the page becomes visible.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { openResident, fillPerson, submitForm, readShownPass, person, idNumber, siteMissing, phoneSession } from './resident-lib.mjs';
import { makeCommunity, openNatively, base45Decode, personalForms } from './sealed-lib.mjs';

const skip = siteMissing();
const session = phoneSession();
const community = skip ? null : makeCommunity('C001', '八角路社区');
after(() => community?.remove());

const resident = person({
  name: '欧阳玥', doc_number: idNumber('440305', '19920817', '046'), phone: '13912345678', person_type: 'tenant', address: '7-1-1203',
});

test('a pass made on the phone is sealed to the poster key, opens with the office CLI, and shows nothing to a plain QR reader', { skip }, async () => {
  const { page } = session.phone;
  const poster = new URL(community.posterUrl);
  assert.equal(poster.searchParams.get('k'), community.publicKey);
  await openResident(page, session.server.url, poster.search);
  // The key is kept with the household: a later visit without it in the URL still seals.
  await page.goto(`${session.server.url}resident/`);
  await page.waitForFunction(() => document.body.dataset.ready === 'true');

  await fillPerson(page, resident);
  assert.equal(await submitForm(page), 'saved');
  const text = await readShownPass(page);
  await page.screenshot({ path: join(session.out, 'resident-live-pass.png') });
  assert.match(text, /^GP2:[0-9A-Z $%*+\-./:]+$/);

  const opened = openNatively(community, text);
  assert.ok(opened.ok, opened.stderr);
  for (const k of Object.keys(resident)) assert.deepEqual(opened.json.person[k], resident[k], k);
  const madeAt = Number(await page.getAttribute('#pass', 'data-made-at'));
  assert.equal(opened.json.made_at, madeAt);
  assert.ok(Math.abs(madeAt - Date.now()) < 60000, 'made just now');

  // What any QR app reads: Base45 of bytes that hold none of the person's numbers or name, in any packing.
  const bytes = base45Decode(text.slice(4));
  for (const [form, needle] of Object.entries(personalForms(resident)))
    assert.equal(bytes.indexOf(needle), -1, `${form} is not in the QR bytes`);
  assert.equal(bytes.subarray(0, 4).toString('hex'), community.keyId, 'the key id leads the bytes');

  // The live element: the clock ticks, the band wears the core's colour of the day.
  const clock1 = await page.textContent('#pass-clock');
  await page.waitForFunction((c) => document.getElementById('pass-clock').textContent !== c, clock1, { timeout: 5000 });
  assert.match(await page.textContent('#pass-clock'), /^\d\d:\d\d:\d\d$/);
  const band = await page.getAttribute('#pass-band', 'data-colour');
  assert.match(band, /^#[0-9A-F]{6}$/);
  assert.ok(await page.isVisible('#pass-band'));
  assert.equal(await page.getAttribute('#pass', 'data-live'), 'true');

  // Shown again (the page became visible): a fresh pass, which opens too.
  await page.evaluate(() => document.dispatchEvent(new Event('visibilitychange')));
  await page.waitForFunction((old) => document.getElementById('pass-qr').dataset.pass !== old, text, { timeout: 10000 });
  const again = await readShownPass(page);
  assert.notEqual(again, text);
  assert.ok(openNatively(community, again).ok);
  // Another community's key opens neither.
  const other = makeCommunity('C002', '其他社区');
  try {
    assert.match(openNatively(other, again).stderr, /pass\.other_community/);
  } finally {
    other.remove();
  }
});
