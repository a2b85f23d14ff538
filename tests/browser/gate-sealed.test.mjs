// The console end to end with a live sealed pass: a community made by the
// office CLI, the gate given its key through settings.set (as an enrollment
// does), the fake camera playing a pass sealed natively (`gatepass pass
// encode --community`) → opened in the gate's core worker with
// libsodium-wrappers → first visit, verified, allowed, logged. Then, through
// the core's `now` (no sleeping): the same pass replayed after the window is
// refused and within it read; a plain pass, another community's pass and an
// altered one are refused with their codes, and none stores anything.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { removeProfile, screenshot } from './harness.mjs';
import { makeClip, passText } from './clips/make-clip.mjs';
import { PIN, PEOPLE, openConsole, waitState, click, setPin, typeInto, coreCall, gateSession } from './gate-lib.mjs';
import { makeCommunity, sealNatively } from './sealed-lib.mjs';

let community = null;
let other = null;
let live = null; // {text, madeAt}

const session = gateSession({
  needsCli: true,
  makeClips: async (clip) => {
    community = makeCommunity('C001', '八角路社区');
    other = makeCommunity('C002', '其他社区');
    const madeAt = Date.now();
    live = { text: sealNatively(community, PEOPLE.zhe, madeAt), madeAt: Math.floor(madeAt / 1000) * 1000 };
    await makeClip({ text: live.text, out: clip('live.y4m') });
  },
});
const { skip, clip } = session;
after(() => { community?.remove(); other?.remove(); });

test('a live pass sealed natively is opened by the enrolled console, shown with its age, verified and logged; replays and foreign passes are refused', { skip, timeout: 240000 }, async () => {
  const { context, page, profile, errors } = await openConsole(session.site.url, clip('live.y4m'), 'gate-sealed');
  try {
    // Not enrolled yet: the console says so, and the live pass in front of the camera cannot be read.
    await setPin(page);
    let s = await waitState(page, (st) => st.enrolled === false, 'the not-enrolled notice');
    s = await waitState(page, (st) => st.flow.error?.code === 'pass.not_enrolled', 'the camera\'s read refused', 30000);
    assert.equal((await coreCall(page, 'scan', { text: live.text })).error.code, 'pass.not_enrolled');

    // Enrolment's part (the enroll helper's screen sets the same): the community key.
    // The clip was made before the browser started, so the age limit is widened
    // here; the 2-minute window itself is checked below through `now`.
    const set = await coreCall(page, 'settings.set', { settings: { keys: community.keys, rules: { pass_max_age_seconds: 900 } } });
    assert.equal(set.ok, true);
    assert.deepEqual(set.key_ids, [community.keyId]);
    assert.ok(!JSON.stringify(set).includes(community.secretKey), 'the secret key is in no reply');
    assert.ok(!JSON.stringify(await coreCall(page, 'settings.get')).includes(community.secretKey), 'nor in settings.get');

    // Lock and unlock (the camera stops and starts again), as staff would after enrolling.
    await click(page, 'lock');
    await waitState(page, (st) => st.locked, 'locked');
    for (const d of PIN) await click(page, `key.${d}`);
    await click(page, 'key.OK');
    await waitState(page, (st) => !st.locked, 'unlocked');
    s = await waitState(page, (st) => st.flow.step === 'verify', 'the live pass read through the camera', 30000);
    assert.equal(s.enrolled, true);
    assert.equal(s.flow.name, PEOPLE.zhe.name);
    assert.equal(s.flow.live, true);
    assert.ok(s.flow.ageSeconds >= 0 && s.flow.ageSeconds < 900, `age ${s.flow.ageSeconds}`);
    const clock = await coreCall(page, 'live.clock');
    assert.equal(s.flow.band, clock.band.colour, 'today\'s band colour is shown beside the age');
    assert.ok(await page.evaluate(() => window.gatepass.itemRect('pass.age')), 'the age is on screen');
    assert.equal(s.flow.masked.doc_number, '1101**********002X');
    await screenshot(page, 'gate-sealed-01-live-pass');

    await click(page, 'verify');
    await waitState(page, (st) => st.flow.step === 'measure', 'measure step');
    await typeInto(page, 'temp', '36.5');
    s = await waitState(page, (st) => st.flow.step === 'decided', 'a decision');
    assert.equal(s.flow.verdict, 'allow');
    await click(page, 'confirm');
    await waitState(page, (st) => st.flow.step === 'done', 'logged');
    assert.equal((await coreCall(page, 'entries.today')).entries.length, 1);

    // The window, through the core's clock: a replay 121 s after the pass was made is refused, 119 s is read.
    await coreCall(page, 'settings.set', { settings: { rules: { pass_max_age_seconds: 120 } } });
    const at = (ms) => coreCall(page, 'scan', { text: live.text, now: live.madeAt + ms });
    const stale = await at(121000);
    assert.equal(stale.error.code, 'pass.stale');
    assert.equal(stale.refusal.tone, 'retry'); // show the live pass: amber, not the "not a pass" panel
    assert.equal(stale.refusal.title.zh, '请出示实时通行码');
    const within = await at(119000);
    assert.equal(within.ok, true);
    assert.equal(within.made_at, live.madeAt);
    assert.equal(within.age.seconds, 119);
    assert.equal((await at(-301000)).error.code, 'pass.clock');

    // Refused, each with its words, storing nothing.
    const before = await coreCall(page, 'batch.pending');
    const refusals = {
      'pass.plain': [passText(PEOPLE.yue), 'retry'],
      'pass.other_community': [sealNatively(other, PEOPLE.yue), 'deny'],
      'pass.damaged': [live.text.slice(0, 60) + (live.text[60] === 'A' ? 'B' : 'A') + live.text.slice(61), 'error'],
    };
    const titles = new Set();
    for (const [code, [text, tone]] of Object.entries(refusals)) {
      const r = await coreCall(page, 'scan', { text });
      assert.equal(r.error?.code, code, `${code}: ${JSON.stringify(r.error)}`);
      assert.ok(r.error.zh && r.error.en);
      assert.equal(r.refusal?.tone, tone, code);
      titles.add(r.refusal.title.zh);
    }
    assert.equal(titles.size, 3, 'each refusal has its own heading');
    assert.deepEqual(await coreCall(page, 'batch.pending'), before);
    assert.equal((await coreCall(page, 'person.get', { doc_number: PEOPLE.yue.doc_number })).ok, false);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
    removeProfile(profile);
  }
});
