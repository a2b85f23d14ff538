// Settings at the gate console: the form is the core's (settings.get "form"):
// every field it words is drawn, a value outside its range is refused in the
// core's words under that field and changes nothing, a good one is kept.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { screenshot, removeProfile } from './harness.mjs';
import { makeEmptyClip } from './clips/make-clip.mjs';
import { openConsole, waitState, click, setPin, typeInto, coreCall, scrollTo, gateSession } from './gate-lib.mjs';

const session = gateSession({
  makeClips: (clip) => makeEmptyClip({ out: clip('empty.y4m'), width: 640, height: 480, seconds: 1, fps: 10 }),
});
const { skip, clip } = session;

test('the settings form is drawn from the core and refuses what the core refuses', { skip, timeout: 180000 }, async () => {
  const { context, page, profile, errors } = await openConsole(session.site.url, clip('empty.y4m'), 'gate-settings');
  try {
    await setPin(page);
    await click(page, 'tab.settings');
    const form = (await coreCall(page, 'settings.get')).form;
    const keys = form.flatMap((s) => s.fields.map((f) => f.key));
    assert.ok(keys.includes('rules.max_visitors_inside') && keys.includes('rules.pass_max_age_seconds') && keys.includes('gate_name'));
    let s = await waitState(page, (st) => st.settingsFields.length === keys.length, 'the form adopted');
    assert.deepEqual(s.settingsFields, keys);
    // Every field the core words is drawn, in the core's order (top to bottom).
    const ys = [];
    for (const k of keys) {
      const r = await page.evaluate((id) => window.gatepass.itemRect(id), `setting.${k}`);
      assert.ok(r, `setting.${k} drawn`);
      ys.push(r.y);
    }
    assert.deepEqual([...ys].sort((a, b) => a - b), ys, 'drawn in the form\'s order');
    await screenshot(page, 'gate-60-settings');

    // Above the fever range: refused with the core's words, under the field; nothing changes.
    const before = (await coreCall(page, 'settings.get')).settings;
    await scrollTo(page, 'setting.rules.fever_at_or_above');
    await typeInto(page, 'setting.rules.fever_at_or_above', '41');
    await scrollTo(page, 'settings.save');
    await click(page, 'settings.save');
    s = await waitState(page, (st) => st.settingsError, 'refused');
    assert.equal(s.settingsError.code, 'settings.invalid');
    assert.equal(s.settingsError.field, 'rules.fever_at_or_above');
    assert.match(s.settingsError.zh, /36\.0 至 40\.0/);
    assert.deepEqual((await coreCall(page, 'settings.get')).settings, before);
    await scrollTo(page, 'setting.rules.fever_at_or_above');
    await screenshot(page, 'gate-61-settings-refused');

    // In range, with a visitors cap further down: both kept, the message gone.
    await typeInto(page, 'setting.rules.fever_at_or_above', '37.5');
    await scrollTo(page, 'setting.rules.max_visitors_inside');
    await typeInto(page, 'setting.rules.max_visitors_inside', '12');
    await scrollTo(page, 'settings.save');
    await click(page, 'settings.save');
    s = await waitState(page, (st) => !st.settingsError && st.settings?.rules?.max_visitors_inside === 12, 'saved');
    assert.equal(s.settings.rules.fever_at_or_above, 37.5);
    const stored = (await coreCall(page, 'settings.get')).settings.rules;
    assert.equal(stored.fever_at_or_above, 37.5);
    assert.equal(stored.max_visitors_inside, 12);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
    removeProfile(profile);
  }
});
