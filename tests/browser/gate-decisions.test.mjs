// The gate console when things are not simple: a fever (refer, with its
// reason and sound), settings typed by staff, uploading a batch to the
// configured address (a failed POST is retried, an accepted batch is never
// sent twice), a foreign QR code (message, nothing stored), and a second gate
// importing the first gate's batch (once; again adds nothing).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import fs from 'node:fs';
import { serveSite, siteBuilt, screenshot, removeProfile } from './harness.mjs';
import { makeClip, passText } from './clips/make-clip.mjs';
import {
  CLI, PEOPLE, openConsole, waitState, click, setPin, typeInto, coreCall, ensureClipDir, removeClips, scrollTo,
} from './gate-lib.mjs';

const ready = siteBuilt() && fs.existsSync(CLI);
const skip = ready ? false : 'build/site (with the wasm core) and build/native/gatepass are needed: run build-scripts/build';
let site;
let office; // the upload address: fails the first POST, accepts the rest
const posts = [];
const clip = ensureClipDir();

before(async () => {
  if (!ready) return;
  site = await serveSite();
  await makeClip({ text: passText(PEOPLE.yue), out: clip('yue.y4m') });
  await makeClip({ text: 'https://example.com/menu?table=7', out: clip('foreign.y4m') });
  office = http.createServer((req, res) => {
    res.setHeader('Access-Control-Allow-Origin', '*');
    res.setHeader('Access-Control-Allow-Headers', 'Content-Type, X-Gatepass-Batch');
    if (req.method === 'OPTIONS') { res.writeHead(204); res.end(); return; }
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', () => {
      posts.push({ name: req.headers['x-gatepass-batch'], body });
      res.writeHead(posts.length === 1 ? 503 : 200);
      res.end();
    });
  });
  await new Promise((r) => office.listen(0, '127.0.0.1', r));
});
after(async () => {
  await site?.close();
  office?.close();
  removeClips();
});

test('fever → refer; settings; upload retried, never doubled; foreign QR stores nothing; second gate imports once', { skip, timeout: 240000 }, async () => {
  const uploadUrl = `http://127.0.0.1:${office.address().port}/batches`;
  let batchFile = null;

  // --- gate 1: a fever ---------------------------------------------------------------
  const g1 = await openConsole(site.url, clip('yue.y4m'), 'gate-fever');
  try {
    await setPin(g1.page);
    await waitState(g1.page, (s) => s.flow.step === 'verify', 'the first-time record', 30000);
    await click(g1.page, 'verify');
    await waitState(g1.page, (s) => s.flow.step === 'measure', 'measure step');
    await typeInto(g1.page, 'temp', '38.2');
    let s = await waitState(g1.page, (st) => st.flow.step === 'decided', 'a decision');
    assert.equal(s.flow.verdict, 'refer');
    assert.ok(s.flow.reasons.includes('fever'), `fever among the reasons: ${s.flow.reasons}`);
    assert.ok(s.sounds.includes('refer'));
    await screenshot(g1.page, 'gate-10-fever-refer');
    await click(g1.page, 'confirm');
    s = await waitState(g1.page, (st) => st.flow.step === 'done', 'logged');
    const today = await coreCall(g1.page, 'entries.today');
    assert.equal(today.entries.length, 1);
    assert.equal(today.entries[0].verdict, 'refer');
    assert.equal(today.entries[0].temperature, 38.2);

    // Stats count the fever and draw the hourly plot.
    await click(g1.page, 'tab.stats');
    s = await waitState(g1.page, (st) => st.stats, 'stats');
    assert.equal(s.stats.fever_today, 1);
    assert.equal(s.stats.entries_today, 1);
    // Referred and let through: inside now, on the top bar and in the stats.
    assert.equal(s.stats.inside_now, 1);
    assert.equal(s.inside?.inside_now, 1, 'the top bar\u2019s count');
    assert.ok(await g1.page.evaluate(() => window.gatepass.itemRect('inside')), 'inside now on the top bar');
    assert.ok(await g1.page.evaluate(() => window.gatepass.itemRect('stats.inside')), 'inside by type in the stats');
    await screenshot(g1.page, 'gate-11-stats');

    // Settings typed by staff: gate name, community, upload address.
    await click(g1.page, 'tab.settings');
    await scrollTo(g1.page, 'setting.gate_name');
    await typeInto(g1.page, 'setting.gate_name', '东门');
    await scrollTo(g1.page, 'setting.community_code');
    await typeInto(g1.page, 'setting.community_code', 'hd-qh-07');
    await scrollTo(g1.page, 'setting.upload_url');
    await typeInto(g1.page, 'setting.upload_url', uploadUrl);
    await scrollTo(g1.page, 'settings.save'); // below the fields
    await click(g1.page, 'settings.save');
    await screenshot(g1.page, 'gate-12-settings');
    s = await waitState(g1.page, (st) => st.settings?.upload_url === uploadUrl, 'settings saved');
    assert.equal(s.settings.gate_name, '东门');
    await screenshot(g1.page, 'gate-12-settings');

    // Export uploads at once: the office answers 503 the first time …
    await click(g1.page, 'tab.data');
    g1.page.on('download', async (d) => {
      if (!d.suggestedFilename().endsWith('.csv')) {
        batchFile = `/tmp/gatepass-gate-${process.pid}-${d.suggestedFilename()}`;
        await d.saveAs(batchFile);
      }
    });
    await click(g1.page, 'export');
    await waitState(g1.page, (st) => st.batches.length === 1 && posts.length === 1, 'first upload attempt');
    s = await g1.page.evaluate(() => window.gatepass.state());
    assert.equal(s.batches[0].uploaded, false, 'a refused upload is not marked sent');
    // … staff press "upload now": accepted and marked.
    await click(g1.page, 'upload');
    s = await waitState(g1.page, (st) => st.batches[0]?.uploaded && !st.uploading, 'upload accepted');
    assert.equal(posts.length, 2);
    assert.equal(posts[1].body, posts[0].body, 'the same batch bytes were sent again');
    // Going offline and online again sends nothing more: the console looks
    // for batches to send (uploadChecks counts each look, whatever it found).
    const checks = s.uploadChecks;
    await g1.context.setOffline(true);
    await waitState(g1.page, (st) => !st.online, 'offline shown');
    await g1.context.setOffline(false);
    s = await waitState(g1.page, (st) => st.online && st.uploadChecks > checks, 'back online: pending batches looked for');
    assert.equal(s.uploadChecks, checks + 1, 'looked once');
    assert.equal(posts.length, 2, 'an accepted batch is never sent twice');
    await screenshot(g1.page, 'gate-13-uploaded');
    assert.deepEqual(g1.errors, []);
    assert.equal((await g1.page.evaluate(() => window.gatepass.state())).drawErrors, 0, 'every screen drew without error');
  } finally {
    await g1.context.close();
    removeProfile(g1.profile);
  }
  assert.ok(batchFile && fs.existsSync(batchFile), 'batch file downloaded');

  // --- gate 2: a foreign QR code, then gate 1's batch ------------------------------------
  const g2 = await openConsole(site.url, clip('foreign.y4m'), 'gate-foreign');
  try {
    await setPin(g2.page);
    let s = await waitState(g2.page, (st) => st.flow.step === 'error', 'the not-a-pass message', 30000);
    assert.equal(s.flow.error.code, 'pass.foreign');
    assert.ok(s.sounds.includes('error'));
    await screenshot(g2.page, 'gate-20-foreign');
    // The foreign code stays in view: one message and one sound, not one per frame.
    await g2.page.waitForTimeout(6000);
    s = await g2.page.evaluate(() => window.gatepass.state());
    assert.equal(s.sounds.filter((x) => x === 'error').length, 1, `sounds: ${s.sounds}`);
    assert.equal((await coreCall(g2.page, 'person.list')).records.length, 0, 'nothing stored');
    assert.equal((await coreCall(g2.page, 'entries.today')).entries.length, 0, 'no entry');
    assert.deepEqual([s.pending.persons, s.pending.entries, s.pending.exportable], [0, 0, false]);

    // A console set up for no community takes no community's batch: it says so and stores nothing.
    await click(g2.page, 'tab.data');
    {
      const chooser = g2.page.waitForEvent('filechooser');
      await click(g2.page, 'import');
      await (await chooser).setFiles(batchFile);
      s = await waitState(g2.page, (st) => st.message?.kind === 'error', 'the no-community refusal');
      assert.match(s.message.zh, /还没有指定所属社区/);
      assert.match(s.message.en, /belongs to no community/);
      assert.equal((await coreCall(g2.page, 'person.list')).records.length, 0, 'nothing stored');
    }
    await click(g2.page, 'tab.settings');
    await scrollTo(g2.page, 'setting.community_code');
    await typeInto(g2.page, 'setting.community_code', 'hd-qh-07');
    await scrollTo(g2.page, 'settings.save');
    await click(g2.page, 'settings.save');
    await waitState(g2.page, (st) => st.settings?.community_code === 'hd-qh-07', 'community saved');
    await click(g2.page, 'tab.data');
    for (const round of [1, 2]) {
      const chooser = g2.page.waitForEvent('filechooser');
      await click(g2.page, 'import');
      await (await chooser).setFiles(batchFile);
      // Round 1 adds; round 2 is the same batch again (already imported).
      s = await waitState(g2.page, (st) => st.lastImport?.already === (round === 2), `import ${round}`);
      if (round === 1) {
        assert.equal(s.lastImport.added_persons, 1);
        assert.equal(s.lastImport.added_entries, 1);
      } else {
        assert.equal(s.lastImport.already, true);
      }
    }
    const persons = await coreCall(g2.page, 'person.list');
    assert.equal(persons.records.length, 1);
    assert.equal(persons.records[0].person.name, PEOPLE.yue.name);
    // Another gate's batch cannot be checked here (its MAC is under that gate's
    // key, issue 12): the person is known, but this gate checks the ID card once.
    assert.equal(persons.records[0].verified_at ?? null, null, 'another gate\u2019s verification is not believed');
    await screenshot(g2.page, 'gate-21-imported');
    assert.deepEqual(g2.errors, []);
    assert.equal((await g2.page.evaluate(() => window.gatepass.state())).drawErrors, 0);
  } finally {
    await g2.context.close();
    removeProfile(g2.profile);
    fs.rmSync(batchFile, { force: true });
  }
});
