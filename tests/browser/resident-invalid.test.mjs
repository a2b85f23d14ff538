// Resident page: each invalid case gets the core's message at its own field,
// announced to screen readers, and saves nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import {
  openResident, waitReady, fillPerson, submitForm, person, idNumber, badChecksum, siteMissing, phoneSession,
} from './resident-lib.mjs';

const skip = siteMissing();

const session = phoneSession();

/** The messages shown at fields: {key: text} for every field marked invalid. */
async function shownErrors(page) {
  return page.$$eval('#form-fields .field.invalid', (fields) => Object.fromEntries(fields.map((f) => [
    f.dataset.key, f.querySelector('.error').textContent,
  ])));
}

/** The field's error is tied to its input for screen readers. */
async function describedByError(page, key) {
  return page.evaluate((k) => {
    const input = document.querySelector(`#field-${k} input, #field-${k} select`);
    const ids = (input.getAttribute('aria-describedby') || '').split(/\s+/);
    return ids.includes(`err-${k}`) && input.getAttribute('aria-invalid') === 'true';
  }, key);
}

async function assertNothingSaved(page) {
  await page.reload();
  await waitReady(page);
  assert.equal(await page.evaluate(() => document.body.dataset.count), '0', 'no record stored');
  assert.equal(await page.evaluate(() => document.body.dataset.view), 'form');
}

const future = new Date(Date.now() + 400 * 86400e3).toISOString().slice(0, 10);

const cases = [
  {
    name: 'bad ID checksum',
    person: person({ doc_number: badChecksum(idNumber('110105', '19850312', '123')) }),
    fields: ['doc_number'],
    zh: /校验/,
  },
  {
    name: 'birth date in the future',
    person: person({ doc_number: idNumber('110105', future.replaceAll('-', ''), '123') }),
    fields: ['doc_number'],
    zh: /出生|日期/,
  },
  {
    name: 'bad phone number',
    person: person({ phone: '1380013800' }),
    fields: ['phone'],
    zh: /手机|电话/,
  },
  {
    name: 'left the city, without where from and when',
    person: person({ left_city: true }),
    fields: ['came_from', 'return_date'],
  },
  {
    name: 'under home observation, without a start date',
    person: person({ home_observation: true }),
    fields: ['observation_start'],
  },
  {
    name: 'return date in the future',
    person: person({ left_city: true, came_from: '上海', return_date: future }),
    fields: ['return_date'],
  },
];

for (const c of cases) {
  test(`${c.name}: message at the field, nothing saved`, { skip }, async () => {
    const { page } = session.phone;
    await openResident(page, session.server.url);
    await fillPerson(page, c.person);
    assert.equal(await submitForm(page), 'invalid');
    const errors = await shownErrors(page);
    assert.deepEqual(Object.keys(errors).sort(), [...c.fields].sort(), JSON.stringify(errors));
    for (const key of c.fields) {
      assert.match(errors[key], /[\u4e00-\u9fff]/, `${key}: a Chinese message`);
      if (c.zh) assert.match(errors[key], c.zh);
      assert.ok(await describedByError(page, key), `${key}: aria-describedby + aria-invalid`);
    }
    // Focus goes to the summary, a live alert; its first link leads to the first field in error.
    assert.equal(await page.evaluate(() => document.activeElement.id), 'form-summary');
    assert.equal(await page.getAttribute('#form-summary', 'role'), 'alert');
    assert.ok(await page.isVisible('#form-summary'));
    if (c.name === 'bad ID checksum') {
      await page.screenshot({ path: join(session.out, 'resident-error.png') });
      await page.screenshot({ path: join(session.out, 'resident-error-full.png'), fullPage: true });
    }
    await page.click('#form-summary a >> nth=0');
    assert.equal(await page.evaluate(() => document.activeElement.closest('.field')?.dataset.key), c.fields[0]);
    await assertNothingSaved(page);
  });
}

test('a field is checked when the user leaves it, before saving', { skip }, async () => {
  const { page } = session.phone;
  await openResident(page, session.server.url);
  await page.fill('#in-phone', '99');
  await page.focus('#in-address');
  await page.waitForSelector('#field-phone.invalid');
  assert.match(await page.textContent('#err-phone'), /[\u4e00-\u9fff]/);
  // Untouched fields are not scolded yet.
  assert.equal(await page.isVisible('#err-name'), false);
  await page.fill('#in-phone', '13800138000');
  await page.focus('#in-address');
  await page.waitForSelector('#field-phone:not(.invalid)');
});

test('an empty form names every required item and saves nothing', { skip }, async () => {
  const { page } = session.phone;
  await openResident(page, session.server.url);
  assert.equal(await submitForm(page), 'invalid');
  const errors = await shownErrors(page);
  for (const key of ['name', 'doc_type', 'doc_number', 'phone', 'person_type', 'address', 'left_city',
    'epidemic_contact', 'symptoms', 'home_observation']) {
    assert.ok(errors[key], `${key} reported`);
  }
  assert.equal(errors.employer, undefined, 'optional item not reported');
  // The summary at the top reads in form order, one line per field in error.
  const summary = await page.$$eval('#form-summary li', (n) => n.map((x) => x.textContent));
  assert.deepEqual(summary, Object.values(errors));
  await assertNothingSaved(page);
});
