// Resident page at 200 % zoom: a 390 px phone zoomed to 200 % lays out like a
// 195 px wide window. Nothing may need sideways scrolling, and the pass must
// still fit on the screen. Also long words (a long community name, a long
// minority name) wrap instead of overflowing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import {
  openResident, fillPerson, submitForm, readShownPass, decodePassText, person, idNumber, siteMissing, phoneSession,
} from './resident-lib.mjs';

const skip = siteMissing();

const session = phoneSession({ viewport: { width: 195, height: 422 }, deviceScaleFactor: 4 });

const overflow = (page) => page.evaluate(() => {
  const width = document.documentElement.clientWidth;
  const wide = [...document.querySelectorAll('body *')]
    .filter((n) => n.offsetParent && n.getBoundingClientRect().right > width + 1)
    .map((n) => n.id || n.className || n.tagName);
  return { scroll: document.documentElement.scrollWidth - width, wide };
});

const longName = '阿卜杜热合曼·买买提依明·艾力克木';
const community = encodeURIComponent('朝阳区望京街道望京西园四区第三社区居民委员会');

test('form and errors at 200 % zoom: no sideways scrolling', { skip }, async () => {
  const { page } = session.phone;
  await openResident(page, session.server.url, `?c=cy-wj-0403&n=${community}`);
  assert.deepEqual(await overflow(page), { scroll: 0, wide: [] });
  await page.check('#in-left_city-true');
  assert.equal(await submitForm(page), 'invalid');
  assert.deepEqual(await overflow(page), { scroll: 0, wide: [] });
  await page.screenshot({ path: join(session.out, 'resident-zoom200-form.png') });
});

test('pass at 200 % zoom: the whole QR is on screen and reads', { skip }, async () => {
  const { page } = session.phone;
  const p = person({ name: longName, doc_number: idNumber('650102', '19880808', '111'), person_type: 'resident' });
  await page.reload();
  await fillPerson(page, p);
  assert.equal(await submitForm(page), 'saved');
  assert.deepEqual(decodePassText(await readShownPass(page)), p);
  await page.evaluate(() => window.scrollTo(0, 0));
  const box = await page.locator('#pass-qr').boundingBox();
  assert.ok(box.x >= 0 && box.x + box.width <= 195, `QR from ${box.x} to ${box.x + box.width}`);
  assert.ok(box.width >= 150, `QR ${box.width} px wide`);
  assert.deepEqual(await overflow(page), { scroll: 0, wide: [] });
  await page.screenshot({ path: join(session.out, 'resident-zoom200-pass.png'), fullPage: true });
  await page.click('#pass-household');
  assert.deepEqual(await overflow(page), { scroll: 0, wide: [] });
});
