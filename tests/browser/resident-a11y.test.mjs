// Resident page, accessibility (issue 15): an automated audit (axe-core, WCAG
// 2.x A/AA rules) finds nothing serious or critical on the empty form, the form
// with its error summary, and the pass; the pass QR's text alternative reads
// the name and the masked number; the error summary is wholly in view when it
// appears after a failed save.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import {
  openResident, fillPerson, submitForm, waitPass, person, idNumber, badChecksum, siteMissing, phoneSession,
} from './resident-lib.mjs';

const skip = siteMissing();
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

const session = phoneSession();

/** axe-core's serious and critical violations on the page as it is: [{id, help, targets}]. */
async function seriousViolations(page) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.addScriptTag({ path: AXE });
  const results = await page.evaluate(() => window.axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
  }));
  if (results.passes.length < 10) throw new Error(`axe checked almost nothing (${results.passes.length} rules passed)`);
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ id: v.id, help: v.help, targets: v.nodes.map((n) => n.target.join(' ')) }));
}

const resident = person({ name: '林小雨', doc_number: idNumber('350102', '19881103', '025'), phone: '13712345678' });

test('the form, its error summary and the pass pass the audit; the QR reads the name and masked number', { skip }, async () => {
  const { page } = session.phone;
  await openResident(page, session.server.url);
  assert.deepEqual(await seriousViolations(page), [], 'empty form');

  // A failed save: the summary appears, wholly in view, focused, and audited.
  await fillPerson(page, { ...resident, doc_number: badChecksum(resident.doc_number), phone: '1371234567' });
  assert.equal(await submitForm(page), 'invalid');
  const box = await page.evaluate(() => {
    const r = document.getElementById('form-summary').getBoundingClientRect();
    return { top: r.top, bottom: r.bottom, height: window.innerHeight, focused: document.activeElement?.id };
  });
  assert.ok(box.top >= 0 && box.bottom <= box.height, `summary in view: ${JSON.stringify(box)}`);
  assert.equal(box.focused, 'form-summary', 'focus on the summary, whose links lead to the fields');
  assert.ok((await page.locator('#form-summary li').count()) >= 2, 'both faults listed');
  await page.screenshot({ path: join(session.out, 'resident-a11y-summary.png') });
  assert.deepEqual(await seriousViolations(page), [], 'form with errors');

  // A link of the summary takes the person to the field.
  await page.click('#form-summary a >> nth=0');
  assert.match(await page.evaluate(() => document.activeElement?.id ?? ''), /^in-/);

  await fillPerson(page, resident);
  assert.equal(await submitForm(page), 'saved');
  await waitPass(page);
  const alt = await page.getAttribute('#pass-qr', 'alt');
  const masked = await page.textContent('#pass-doc');
  assert.ok(alt.includes('林小雨'), alt);
  assert.ok(masked && alt.includes(masked.trim()), `alt "${alt}" reads the masked number "${masked}"`);
  assert.ok(!alt.includes(resident.doc_number), 'never the whole number');
  assert.deepEqual(await seriousViolations(page), [], 'pass');
  await page.screenshot({ path: join(session.out, 'resident-a11y-pass.png') });
});
