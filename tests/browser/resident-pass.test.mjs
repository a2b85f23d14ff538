// Resident page, the main journey on a phone (390×844, zh-CN): the form comes
// from the core, a valid person becomes a pass whose QR code holds exactly
// that person, the page opens straight to the pass next time, and English is
// one tap away.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import {
  openResident, waitReady, fillPerson, submitForm, readShownPass, decodePassText, visibleText, person, idNumber, siteMissing, phoneSession,
} from './resident-lib.mjs';

const skip = siteMissing();

const session = phoneSession();

// Left the city and under observation: every conditional part is on the pass.
const traveller = person({
  name: '欧阳玥',
  doc_number: idNumber('440305', '19920817', '046'),
  phone: '13912345678',
  person_type: 'tenant',
  address: '7-1-1203',
  employer: '深圳市某科技有限公司',
  left_city: true,
  came_from: '湖北省武汉市',
  return_date: '2026-11-20',
  home_observation: true,
  observation_start: '2026-11-21',
});

test('the form is the core\'s twelve items, with the conditional parts hidden until asked for', { skip }, async () => {
  const { page } = session.phone;
  await openResident(page, session.server.url);
  assert.equal(await page.evaluate(() => document.body.dataset.view), 'form');
  await page.screenshot({ path: join(session.out, 'resident-empty-form.png'), fullPage: true });

  const labels = await page.$$eval('#form-fields .field:not([hidden]) .label-text', (n) => n.map((x) => x.textContent));
  assert.deepEqual(labels, ['姓名', '证件类型', '证件号码', '联系电话', '人员类型', '住址（楼-单元-门牌）', '工作单位',
    '近14天是否离开本市', '是否接触过疫区人员', '有无发热、咳嗽等症状', '是否居家观察']);
  for (const key of ['came_from', 'return_date', 'observation_start']) {
    assert.equal(await page.isVisible(`#in-${key}`), false, `${key} hidden at first`);
  }
  await page.check('#in-left_city-true');
  assert.ok(await page.isVisible('#in-came_from'));
  assert.ok(await page.isVisible('#in-return_date'));
  await page.check('#in-left_city-false');
  assert.equal(await page.isVisible('#in-came_from'), false);
  await page.check('#in-home_observation-true');
  assert.ok(await page.isVisible('#in-observation_start'));
  await page.check('#in-home_observation-false');

  // Native inputs: phone keypad, date pickers, every input named by a <label>.
  assert.equal(await page.getAttribute('#in-phone', 'type'), 'tel');
  assert.equal(await page.getAttribute('#in-phone', 'inputmode'), 'tel');
  assert.equal(await page.getAttribute('#in-return_date', 'type'), 'date');
  const unlabelled = await page.$$eval('#form-fields input, #form-fields select', (inputs) =>
    inputs.filter((i) => !i.labels || i.labels.length === 0).map((i) => i.id));
  assert.deepEqual(unlabelled, []);
  // Touch targets at least 44 CSS px high.
  const heights = await page.$$eval('#form-fields input[type=text], #form-fields select, #form-fields .choice, #form-save',
    (n) => n.filter((x) => x.offsetParent).map((x) => x.getBoundingClientRect().height));
  assert.ok(Math.min(...heights) >= 44, `smallest target ${Math.min(...heights)} px`);
});

test('a valid person is saved and shown as a pass whose QR holds exactly that person', { skip }, async () => {
  const { page } = session.phone;
  await openResident(page, session.server.url);
  await fillPerson(page, traveller);
  assert.equal(await submitForm(page), 'saved');
  const text = await readShownPass(page);
  await page.screenshot({ path: join(session.out, 'resident-pass.png') });

  assert.deepEqual(decodePassText(text), traveller);
  assert.equal(await page.textContent('#pass-name'), '欧阳玥');
  // The document number is masked by the core; the full number is nowhere on screen or in the URL.
  const doc = await page.textContent('#pass-doc');
  assert.ok(doc.includes(`4403${'*'.repeat(10)}${traveller.doc_number.slice(14)}`), doc);
  assert.ok(!(await visibleText(page)).includes(traveller.doc_number));
  assert.ok(!(await visibleText(page)).includes(traveller.phone));
  assert.ok(!page.url().includes(traveller.doc_number) && !page.url().includes(traveller.phone));
  assert.equal(await page.textContent('#pass-community'), '清河小区');
  assert.match(await page.textContent('#view-pass'), /亮度/);

  // Big and centred: the QR takes most of the width and is centred on the screen.
  const box = await page.locator('#pass-qr').boundingBox();
  assert.ok(box.width >= 300, `QR ${box.width} px wide`);
  assert.ok(Math.abs(box.x + box.width / 2 - 195) < 4, 'centred');
});

test('reload opens straight to the pass', { skip }, async () => {
  const { page } = session.phone;
  await page.reload();
  await waitReady(page);
  assert.equal(await page.evaluate(() => document.body.dataset.view), 'pass');
  assert.deepEqual(decodePassText(await readShownPass(page)), traveller);
  // Opened later without the poster's query (from a bookmark): the community is remembered.
  await page.goto(`${session.server.url}resident/`);
  await waitReady(page);
  assert.equal(await page.textContent('#pass-community'), '清河小区');
  // The poster may name the community after '#' instead of '?'.
  await page.goto(`${session.server.url}resident/#c=hd-xy-02&n=${encodeURIComponent('西苑社区')}`);
  await page.reload();
  await waitReady(page);
  assert.equal(await page.textContent('#pass-community'), '西苑社区');
  assert.equal(await page.textContent('#community'), '西苑社区');
});

test('English is one tap away, kept across reloads, for the core\'s words too', { skip }, async () => {
  const { page } = session.phone;
  await page.click('#lang');
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
  assert.match(await page.textContent('#view-pass'), /brightness/);
  await page.reload();
  await waitReady(page);
  assert.equal(await page.textContent('#pass-edit'), 'Edit');
  await page.click('#pass-edit');
  assert.equal(await page.textContent('label[for=in-name] .label-text'), 'Name');
  assert.equal(await page.inputValue('#in-came_from'), traveller.came_from, 'edit starts from the saved person');
  await page.fill('#in-phone', '12345');
  assert.equal(await submitForm(page), 'invalid');
  const error = await page.textContent('#err-phone');
  assert.match(error, /[A-Za-z]{3,}/, `English message, got "${error}"`);
  assert.doesNotMatch(error, /[\u4e00-\u9fff]/);
  await page.click('#lang');
  assert.match(await page.textContent('#err-phone'), /[\u4e00-\u9fff]/, 'the same error, now in Chinese');
  await page.click('#form-cancel');
  assert.equal(await page.evaluate(() => document.body.dataset.view), 'pass');
});

test('a second tab is told the page is open elsewhere, and changes nothing', { skip }, async () => {
  const { context, page } = session.phone;
  const second = await context.newPage();
  try {
    await second.goto(`${session.server.url}resident/`);
    await second.waitForFunction(() => document.body.dataset.ready, null, { timeout: 30000 });
    assert.equal(await second.evaluate(() => document.body.dataset.ready), 'failed');
    assert.match(await second.textContent('#failed-text'), /另一个标签页|another tab/);
    assert.equal(await second.isVisible('#person-form'), false);
  } finally {
    await second.close();
  }
  // The first tab still works and still has its person.
  await page.reload();
  await waitReady(page);
  assert.deepEqual(decodePassText(await readShownPass(page)), traveller);
});
