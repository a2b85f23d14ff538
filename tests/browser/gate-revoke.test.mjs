// A card revoked at a gate travels to the other gates (issue 9), end to end:
// two consoles enrolled at one real `gatepass office serve`, the office's
// printed card in front of the fake camera. At console A (北门) staff revoke
// the card from the scan screen (what the core offers for the card read, a
// one-tap reason from the core, confirmed); A refuses the card at once, and
// a lost card is revoked by its number in the Data tab. A uploads. Console B
// (南门) still reads the card until its own upload, whose reply brings A's
// revocation: then B refuses the card with A's reason, storing nothing.
// A single-use visitor pass travels the same way (VisitorUse.h): let in at
// console C, refused coming in at console D once D's upload reply brings the use.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { screenshot } from './harness.mjs';
import { makeClip } from './clips/make-clip.mjs';
import { PEOPLE, relock, openConsole, enrollConsole, waitState, click, typeInto, coreCall } from './gate-lib.mjs';
import { issueCardNatively } from './sealed-lib.mjs';
import { BIN, gpJson } from '../office/lib.mjs';
import { communityOfficeSession } from './office-gate-lib.mjs';

let card = null; // {number, text}: the office's card for PEOPLE.zhe
const session = communityOfficeSession({
  tag: 'revoke', clipName: 'revoke.y4m',
  makePass: (community) => { card = issueCardNatively(community, PEOPLE.zhe); return card.text; },
});
const { skip, clip, env } = session;

async function uploadFromData(page) {
  await click(page, 'tab.data');
  await click(page, 'export');
  const s = await waitState(page, (st) => st.batches.length === 1 && st.batches[0].uploaded && !st.uploading, 'uploaded', 30000);
  assert.equal(s.uploadMessage.code, 'upload.ok');
}

async function expectRefused(page, reason, shot) {
  const s = await waitState(page, (st) => st.flow.step === 'error' && st.flow.error, 'the revoked card refused', 30000);
  assert.equal(s.flow.error.code, 'pass.revoked');
  assert.equal(s.flow.refusal.tone, 'deny');
  assert.ok(s.flow.error.zh.includes(reason) && s.flow.error.zh.includes(card.number), s.flow.error.zh);
  await screenshot(page, shot);
}

test('a card revoked at one console is refused there at once, and at another console of the community after both uploaded', { skip, timeout: 420000 }, async () => {
  const enroll = (gate) => gpJson('office', 'enroll-gate', '--db', env.db, '--community', 'C001', '--gate', gate, '--url', env.svc.url, '--json');
  const codeA = enroll('北门'), codeB = enroll('南门');
  assert.equal(card.number, 'OF-1');

  // Console A: the card is read, and staff revoke it from the scan screen.
  const a = await openConsole(session.site.url, clip('revoke.y4m'), 'gate-revoke-a');
  let reason;
  try {
    await enrollConsole(a.page, codeA);
    await relock(a.page);
    let s = await waitState(a.page, (st) => st.flow.step === 'verify' && st.flow.card, 'the card read at A', 30000);
    assert.deepEqual(s.flow.revoke, ['card', 'person']); // the core's offers: this card, or every pass of the person
    await click(a.page, 'revoke.open');
    s = await waitState(a.page, (st) => st.revoke.scan.open && st.revokeReasons > 0, 'the revoke form with the core\'s reasons');
    await click(a.page, 'revoke.what.0');
    await click(a.page, 'revoke.reason.0');
    s = await waitState(a.page, (st) => st.revoke.scan.reason !== '', 'a reason picked');
    reason = s.revoke.scan.reason;
    assert.equal(reason, '卡丢失'); // the core's words, in the console's language
    await screenshot(a.page, 'gate-revoke-01-form');
    await click(a.page, 'revoke.confirm');
    s = await waitState(a.page, (st) => st.message?.zh.includes('已注销') && st.flow.step !== 'verify', 'revoked');
    assert.equal((await coreCall(a.page, 'batch.pending')).revocations, 1);
    const logged = (await coreCall(a.page, 'staff.actions', { here: true })).actions.filter((x) => x.kind === 'revoke');
    assert.deepEqual(logged.map((x) => x.detail.en), ['pass card OF-1']);

    // Refused at once: the very next read of the card.
    await relock(a.page);
    await expectRefused(a.page, reason, 'gate-revoke-02-refused-here');

    // A lost card by its number, without the card in hand (Data tab); a bad number is the core's named error.
    await click(a.page, 'tab.data');
    await typeInto(a.page, 'revoke.card.number', 'OF 2');
    await click(a.page, 'revoke.card.reason.1');
    await click(a.page, 'revoke.card.confirm');
    s = await waitState(a.page, (st) => st.revoke.data.error, 'a bad number refused');
    assert.equal(s.revoke.data.error, 'card.number_invalid');
    await typeInto(a.page, 'revoke.card.number', 'of-2');
    await click(a.page, 'revoke.card.confirm');
    s = await waitState(a.page, (st) => !st.revoke.data.error && st.message?.zh.includes('OF-2'), 'OF-2 revoked');
    assert.equal((await coreCall(a.page, 'batch.pending')).revocations, 2);
    await screenshot(a.page, 'gate-revoke-03-data');

    // Only revocations are pending, and they are what an export carries: the top
    // bar says so (the core's words), and coming back online sends them.
    s = await waitState(a.page, (st) => st.pending.revocations === 2, 'the revocations pending');
    assert.deepEqual([s.pending.persons, s.pending.entries, s.pending.exportable], [0, 0, true]);
    assert.ok(s.pending.words.zh.endsWith('2 项撤销'), s.pending.words.zh);
    // A uploads when it comes back online: the revocations alone make its batch.
    await a.context.setOffline(true);
    await waitState(a.page, (st) => !st.online, 'offline shown');
    await a.context.setOffline(false);
    s = await waitState(a.page, (st) => st.batches.length === 1 && st.batches[0].uploaded && !st.uploading, 'uploaded on coming online', 30000);
    assert.equal(s.uploadMessage.code, 'upload.ok');
    assert.equal((await coreCall(a.page, 'batch.pending')).revocations, 0);
    assert.deepEqual(a.errors, []);
  } finally {
    await a.context.close();
  }

  // Console B: reads the card until its own upload brings A's revocation back from the office.
  const b = await openConsole(session.site.url, clip('revoke.y4m'), 'gate-revoke-b');
  try {
    await enrollConsole(b.page, codeB);
    await relock(b.page);
    const s = await waitState(b.page, (st) => st.flow.step === 'verify' && st.flow.card, 'the card read at B before its upload', 30000);
    assert.equal(s.flow.card, card.number);
    await click(b.page, 'cancel');
    assert.equal((await coreCall(b.page, 'entry.record', { person: PEOPLE.yue, direction: 'in', temperature: 36.5, staff: '小王' })).ok, true);
    await uploadFromData(b.page);
    const before = await coreCall(b.page, 'batch.pending');
    await relock(b.page);
    await expectRefused(b.page, reason, 'gate-revoke-04-refused-at-b');
    assert.deepEqual(await coreCall(b.page, 'batch.pending'), before); // nothing stored
    // The lost card revoked by its number at A is refused at B too.
    const lost = await coreCall(b.page, 'decide', { person: PEOPLE.zhe, card: 'OF-2', direction: 'in', temperature: 36.5 });
    assert.equal(lost.error?.code, 'pass.revoked');
    assert.deepEqual(b.errors, []);
  } finally {
    await b.context.close();
  }
});

test('a single-use visitor pass let in at one console is refused coming in at another after both uploaded; its visitor may still go out there', { skip, timeout: 420000 }, async () => {
  // Enrolled before C's upload: D's code does not carry the use, only D's upload reply can.
  const enroll = (gate) => gpJson('office', 'enroll-gate', '--db', env.db, '--community', 'C001', '--gate', gate, '--url', env.svc.url, '--json');
  const codeC = enroll('东门'), codeD = enroll('西门');
  const text = execFileSync(join(BIN, 'tests/cli/make_visitor_pass'), [env.community.dir], { encoding: 'utf8' }).trim();
  // Out of view 5 s of every 7: a read after a relock is a new read.
  await makeClip({ text, out: clip('visitor-gates.y4m'), emptyFirst: 5 });
  const visitorRead = (page, at) => waitState(page, (st) => st.flow.visitor && st.flow.step === 'measure', `the visitor pass read at ${at}`, 30000);

  const c = await openConsole(session.site.url, clip('visitor-gates.y4m'), 'gate-revoke-c');
  try {
    await enrollConsole(c.page, codeC);
    await relock(c.page);
    const s = await visitorRead(c.page, 'C');
    assert.equal(s.flow.visitor.uses.en, 'Single use');
    await click(c.page, 'cancel');
    const entered = await coreCall(c.page, 'entry.record', { visitor_pass: text, direction: 'in', temperature: 36.5, staff: '小李' });
    assert.equal(entered.ok, true, JSON.stringify(entered.error));
    assert.equal(entered.pending.visitor_uses, 1);
    await uploadFromData(c.page);
    assert.equal((await coreCall(c.page, 'batch.pending')).visitor_uses, 0);
    assert.deepEqual(c.errors, []);
  } finally {
    await c.context.close();
  }

  const d = await openConsole(session.site.url, clip('visitor-gates.y4m'), 'gate-revoke-d');
  try {
    await enrollConsole(d.page, codeD);
    await relock(d.page);
    let s = await visitorRead(d.page, 'D before its upload');
    assert.equal(s.flow.visitor.uses.en, 'Single use');
    assert.equal(s.flow.direction, 'in');
    await click(d.page, 'cancel');
    assert.equal((await coreCall(d.page, 'entry.record', { person: PEOPLE.yue, direction: 'in', temperature: 36.5, staff: '小王' })).ok, true);
    await uploadFromData(d.page);
    const before = await coreCall(d.page, 'batch.pending');
    // The reply brought C's use: the pass reads (its visitor may be leaving here), offered out, in the core's words.
    await relock(d.page);
    s = await visitorRead(d.page, 'D after its upload');
    assert.equal(s.flow.direction, 'out');
    assert.equal(s.flow.visitor.uses.zh, '单次已用 · 只可出门');
    await screenshot(d.page, 'gate-revoke-05-visitor-used-at-d');
    const refused = await coreCall(d.page, 'entry.record', { visitor_pass: text, direction: 'in', temperature: 36.5, staff: '小王' });
    assert.equal(refused.error?.code, 'visitor.used');
    assert.deepEqual(await coreCall(d.page, 'batch.pending'), before); // nothing stored
    const out = await coreCall(d.page, 'entry.record', { visitor_pass: text, direction: 'out', temperature: 36.5, staff: '小王' });
    assert.equal(out.ok, true, JSON.stringify(out.error));
    assert.deepEqual(d.errors, []);
  } finally {
    await d.context.close();
  }
});
