// A keyboard-wedge scanner (USB or Bluetooth, typing the code's text and Enter)
// at the gate console, with the camera on an empty scene: a burst at scanner
// speed with no field focused is a read like the camera's; the same text typed
// at a person's speed is nothing; a burst cut short is dropped, not joined to
// the next one; a burst that is not a pass gets the camera's "not a pass" and
// stores nothing; text pasted on the console is a read too.
// The keys are real key events through the browser: a scanner's stamped 5 ms
// apart (keyBurst in gate-lib.mjs), a person's from Playwright's keyboard at 120 ms.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeEmptyClip, passText } from './clips/make-clip.mjs';
import { PEOPLE, gateSession, openConsole, waitState, setPin, click, coreCall, keyBurst } from './gate-lib.mjs';
import { removeProfile } from './harness.mjs';

const session = gateSession({
  needsCli: true,
  makeClips: (clip) => makeEmptyClip({ out: clip('empty.y4m') }),
});

const SCANNER_MS = 5; // between keys: a scanner types a character every 1–20 ms
const PERSON_MS = 120; // a quick typist

// Key handlers run before the key's dispatch returns, and a read starts synchronously
// (flow step 'reading', a core call): the state right after the keys says whether one started.
const state = (page) => page.evaluate(() => window.gatepass.state());
const focusedField = (page) => page.evaluate(() => ['INPUT', 'TEXTAREA'].includes(document.activeElement?.tagName));

test('a scanner burst is a read like the camera\'s; typing, a cut-short burst and a foreign code are not passes', { skip: session.skip, timeout: 180000 }, async () => {
  const zhe = passText(PEOPLE.zhe);
  const yue = passText(PEOPLE.yue);
  const { context, page, profile, errors } = await openConsole(session.site.url, session.clip('empty.y4m'), 'gate-wedge');
  try {
    await setPin(page);
    await waitState(page, (s) => s.camera?.running && s.tab === 'scan' && s.flow.step === 'idle', 'camera running on the scan screen');
    assert.equal(await focusedField(page), false, 'no text field has the focus on the scan screen');
    const pending0 = await coreCall(page, 'batch.pending');

    // A person typing the pass and Enter (Playwright's keyboard, in real time): no read.
    let calls = (await state(page)).calls;
    await page.keyboard.type(zhe, { delay: PERSON_MS });
    await page.keyboard.press('Enter');
    let s = await state(page);
    assert.equal(s.flow.step, 'idle');
    assert.equal(s.calls, calls, 'typing at a person\'s speed started no read');

    // A burst cut short (the scanner stops half way), its Enter ~850 ms later: dropped.
    calls = s.calls;
    // (The fragment is stamped seconds ago and the Enter now: stamps in the
    // future are not kept by the browser, so a pause is made in the past.)
    await keyBurst(page, zhe.slice(0, 30), SCANNER_MS, { enter: false, start: Date.now() / 1000 - 3 });
    await keyBurst(page, '', SCANNER_MS);
    s = await state(page);
    assert.equal(s.flow.step, 'idle');
    assert.equal(s.calls, calls, 'a burst without its Enter is not read');

    // A scanned code that is not a pass: the camera's answer, and nothing stored.
    await keyBurst(page, 'https://example.com/menu?table=7', SCANNER_MS);
    s = await waitState(page, (st) => st.flow.step === 'error', 'not a pass');
    assert.equal(s.flow.error.code, 'pass.foreign');
    assert.deepEqual(await coreCall(page, 'batch.pending'), pending0, 'nothing stored for a foreign code');
    await waitState(page, (st) => st.flow.step === 'idle', 'the message cleared (after a few seconds)');

    // A cut-short burst, a pause, then a whole one: the whole one is read on its
    // own (joined to the fragment it would be a damaged pass).
    await keyBurst(page, zhe.slice(0, 25), SCANNER_MS, { enter: false, start: Date.now() / 1000 - 3 });
    await keyBurst(page, zhe, SCANNER_MS);
    s = await waitState(page, (st) => st.flow.step === 'verify' || st.flow.step === 'error', 'the scanned pass');
    assert.equal(s.flow.error, null);
    assert.equal(s.flow.name, '张喆');
    assert.equal(s.flow.known, false);
    await click(page, 'cancel');
    await waitState(page, (st) => st.flow.step === 'idle', 'ready again');
    assert.deepEqual(await coreCall(page, 'batch.pending'), pending0, 'a read stores nothing until staff act');

    // A busy page: the rest of a burst still queued when the pause timer runs
    // (here the burst's second half is sent 300 ms after its first, stamped
    // without a gap). Read whole: before, the timer dropped the first half and
    // the second, read on its own, was "not a pass".
    // (Another person's pass: one read within the last minute is not read again.)
    const li = passText({ ...PEOPLE.yue, name: '李思', doc_number: 'E1234568' });
    const half = 40;
    const next = await keyBurst(page, li.slice(0, half), SCANNER_MS, { enter: false, start: Date.now() / 1000 - 3 });
    await page.waitForTimeout(300); // the stall: longer than the pause timer
    await keyBurst(page, li.slice(half), SCANNER_MS, { start: next });
    s = await waitState(page, (st) => st.flow.step === 'verify' || st.flow.step === 'error', 'the stalled burst');
    assert.equal(s.flow.error, null);
    assert.equal(s.flow.name, '李思');
    await click(page, 'cancel');
    await waitState(page, (st) => st.flow.step === 'idle', 'ready again');

    // Pasted on the console (no field focused): a read too.
    await page.evaluate((text) => {
      const data = new DataTransfer();
      data.setData('text/plain', `${text}\n`);
      document.activeElement.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true }));
    }, yue);
    s = await waitState(page, (st) => st.flow.step === 'verify', 'the pasted pass');
    assert.equal(s.flow.name, '王玥');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
    removeProfile(profile);
  }
});

test('a scanner burst on the locked console is not read', { skip: session.skip, timeout: 120000 }, async () => {
  const { context, page, profile, errors } = await openConsole(session.site.url, session.clip('empty.y4m'), 'gate-wedge-locked');
  try {
    const s0 = await state(page);
    assert.equal(s0.locked, true);
    assert.equal(await focusedField(page), false, 'the lock screen has no text field focused (the burst reaches the scanner hook)');
    await keyBurst(page, passText(PEOPLE.zhe), SCANNER_MS);
    const s = await state(page);
    assert.equal(s.flow.step, 'idle');
    assert.equal(s.flow.name, null);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
    removeProfile(profile);
  }
});
