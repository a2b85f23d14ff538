// The office dashboard (issue 11) in a real browser against `gatepass office
// serve`, the same tests on SQLite and on a throwaway PostgreSQL cluster:
// accounts made with `office add-account` (password on stdin); sign-in, a
// wrong password, lock-out after 5, sign-out; a viewer cannot reach the audit
// log (403); forged cookies and cross-origin POSTs refused; the overview's
// counts equal what the uploaded batches (made by make_batch, MACed by their
// enrolled gates) say, counted here from the files themselves; the audit log
// lists the sign-ins. Screenshots at 1366×768 in tests/output/.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { freshProfile, launch, removeProfile, screenshot, SITE } from './harness.mjs';
import { addAccount, gp, gpJson, makeBatch, officeBrowserSuite, startService, upload } from '../office/lib.mjs';

const VIEWPORT = { width: 1366, height: 768 };
const OFFSET_MS = 8 * 3_600_000; // the service's local day: UTC+8 (kDefaultUtcOffsetMinutes)
const FEVER = 37.3;              // Rules::feverAtOrAbove
const DAY = 86_400_000;
const PASSWORDS = { 主任: 'admin-pass-八角路-2026', 小李: 'viewer-pass-2026', 值班: 'staff-pass-2026', 干事: 'staff-2-pass-2026' };
const FULL_ID = /\d{17}[\dX]/;

const { work, pg, skipFor, backends } = officeBrowserSuite('dashboard', SITE);


/** What the batch files carry (make_batch's FILE.body: the files themselves are sealed), counted here: the oracle for the overview. */
function expectedCounts(files) {
  const persons = new Map();
  const entries = [];
  for (const f of files) {
    for (const line of readFileSync(`${f}.body`, 'utf8').split('\n').filter(Boolean)) {
      const l = JSON.parse(line);
      if (l.person) { const p = l.person.person ?? l.person; persons.set(p.doc_number, p); }
      if (l.entry) entries.push(l.entry);
    }
  }
  const dayOf = (ms) => Math.floor((ms + OFFSET_MS) / DAY);
  const today = dayOf(Date.now());
  const byDay = (list) => Array.from({ length: 14 }, (_, i) => list.filter((e) => dayOf(e.at) === today - 13 + i).length);
  const last = new Map();
  for (const e of [...entries].sort((a, b) => a.at - b.at)) if (e.verdict !== 'deny') last.set(e.doc_number, e);
  const byType = {};
  for (const p of persons.values()) byType[p.person_type] = (byType[p.person_type] ?? 0) + 1;
  const gates = {};
  for (const e of entries) (gates[e.gate] ??= []).push(e);
  const dayOfDate = (ymd) => Date.parse(`${ymd}T00:00:00Z`) / DAY;
  return {
    returned_recently: [...persons.values()].filter((p) => p.left_city && today - dayOfDate(p.return_date) < 14).length,
    observed: [...persons.values()].filter((p) => p.home_observation),
    last,
    persons: persons.size,
    byType,
    under_observation: [...persons.values()].filter((p) => p.home_observation).length,
    inside_now: [...last.values()].filter((e) => e.direction === 'in').length,
    fever_today: entries.filter((e) => dayOf(e.at) === today && e.temperature >= FEVER).length,
    entries_by_day: byDay(entries),
    gates: Object.fromEntries(Object.entries(gates).map(([g, list]) => [g, byDay(list)])),
  };
}

/**
 * One HTTP request with exactly these headers (fetch would not send Host, and
 * adds its own Origin rules): {status, json, setCookie}.
 */
function request(base, path, { method = 'GET', headers = {}, body } = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request(new URL(path, base), { method, headers, agent: false }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        let json = null;
        try { json = JSON.parse(Buffer.concat(chunks).toString('utf8')); } catch { /* asserted by the caller */ }
        resolve({ status: res.statusCode, json, setCookie: (res.headers['set-cookie'] ?? []).join('\n') || null });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function signIn(page, user, password) {
  await page.fill('#user', user);
  await page.fill('#password', password);
  await page.click('#sign-in-submit');
}

const errorCode = (page, sel) => page.waitForFunction((s) => { const e = document.querySelector(s); return e && !e.hidden && e.dataset.code; }, sel)
  .then((h) => h.jsonValue());

for (const backend of backends) {
  describe(`office dashboard on ${backend}`, { skip: skipFor(backend) }, () => {
    let db, svc, context, profile, files;
    const origin = () => svc.url.replace(/\/$/, '');
    const shot = (page, name) => screenshot(page, `office-dashboard-${backend}-${name}`);
    /** A new tab on the dashboard, signed out (each test signs in as whom it needs). */
    const openPage = async () => {
      await context.clearCookies();
      const page = await context.newPage();
      await page.goto(`${svc.url}office/`);
      await page.waitForSelector('#sign-in:not([hidden])');
      return page;
    };

    before(async () => {
      db = backend === 'sqlite' ? join(work, `${backend}.sqlite`) : pg().createdb('dashboard');
      const key = join(work, `key-${backend}`);
      assert.equal(gp('community', 'init', '--code', 'C001', '--name', '八角路社区', '--site', 'https://gate.example.org/', '--out', key).status, 0);
      assert.equal(gp('office', 'add-community', '--db', db, '--key', key, '--retention-days', '30').status, 0);
      const enroll = (gate) => gpJson('office', 'enroll-gate', '--db', db, '--community', 'C001', '--gate', gate, '--url', 'https://office.example.org/', '--json');
      const north = enroll('北门'), south = enroll('南门');
      enroll('西门'); // enrolled, never uploads: behind
      for (const [user, role] of [['主任', 'admin'], ['小李', 'viewer'], ['值班', 'staff'], ['干事', 'staff']]) {
        const r = addAccount(db, user, role, PASSWORDS[user]);
        assert.equal(r.status, 0, r.stderr);
      }
      if (backend === 'postgresql') { // a second community, without any entry: the chart's empty state (a SQLite office holds one)
        const key2 = join(work, 'key-C002');
        assert.equal(gp('community', 'init', '--code', 'C002', '--name', '南湖社区', '--site', 'https://gate.example.org/', '--out', key2).status, 0);
        assert.equal(gp('office', 'add-community', '--db', db, '--key', key2).status, 0);
      }
      svc = await startService(db);
      // A known set of batches: residents today at 北门, visitors with fevers
      // and tenants under observation at 南门 today, residents 3 days ago at 南门
      // (back in the city 5 days ago), residents at 北门 back 20 days ago.
      const as = (e) => ({ enrollment: e.code, passphrase: e.passphrase });
      const mk = (name, opts) => makeBatch(work, `${backend}-${name}.batch`, opts);
      files = [
        [north, mk('n1', { ...as(north), persons: 6, entries: 9 })],
        [south, mk('s1', { ...as(south), persons: 3, entries: 3, 'person-offset': 100, 'person-type': 'visitor', temperature: 38.1 })],
        [south, mk('s2', { ...as(south), persons: 2, entries: 4, 'person-offset': 200, 'person-type': 'tenant', observation: true })],
        [south, mk('s3', { ...as(south), persons: 4, entries: 5, 'person-offset': 300, 'days-ago': 3, 'returned-days-ago': 5 })],
        [north, mk('n2', { ...as(north), persons: 2, entries: 2, 'person-offset': 400, 'returned-days-ago': 20 })],
      ];
      for (const [gate, f] of files) {
        const r = await upload(svc.url, gate.token, readFileSync(f));
        assert.equal(r.status, 200, r.text);
      }
      profile = freshProfile(`dashboard-${backend}`);
      context = await launch(profile, { viewport: VIEWPORT, testMode: false });
    });
    after(async () => {
      await context?.close();
      if (profile) removeProfile(profile);
      await svc?.stop();
    });

    test('sign-in page, a wrong password, then the overview; sign-out ends the session', async () => {
      const page = await openPage();
      assert.match(await page.textContent('#sign-in h2'), /登录\s*Sign in/);
      await shot(page, 'sign-in');
      await signIn(page, '主任', 'not the password');
      assert.equal(await errorCode(page, '#sign-in-error'), 'office.sign_in_failed');
      assert.match(await page.textContent('#sign-in-error'), /用户名或密码不正确.*Wrong user name or password/);
      await shot(page, 'wrong-password');
      await signIn(page, '主任', PASSWORDS['主任']);
      await page.waitForSelector('#overview:not([hidden]) article.community');
      assert.equal(await page.textContent('#who-name'), '主任');
      assert.match(await page.textContent('#who-role'), /管理员/);
      const cookies = await context.cookies(`${svc.url}office/`);
      const c = cookies.find((k) => k.name === 'gatepass_office');
      assert.ok(c, 'session cookie set');
      assert.equal(c.httpOnly, true);
      assert.equal(c.sameSite, 'Strict');
      assert.equal(await page.evaluate(() => document.cookie), '', 'the page cannot read the cookie');
      await page.click('#sign-out');
      await page.waitForSelector('#sign-in:not([hidden])');
      // The old token is dead on the server, not only forgotten by the browser.
      const again = await request(svc.url, 'office/api/overview', { headers: { Cookie: `gatepass_office=${c.value}` } });
      assert.equal(again.status, 401);
      assert.equal(again.json.error.code, 'office.signed_out');
      await page.close();
    });

    test('the overview shows the counts the uploaded batches add up to, per community and per gate', async () => {
      const want = expectedCounts(files.map(([, f]) => f));
      assert.ok(want.fever_today > 0 && want.under_observation > 0 && want.inside_now > 0 && want.returned_recently > 0, 'the batches exercise every count');
      assert.ok(want.returned_recently < want.persons, 'and someone back longer ago');
      const page = await openPage();
      await signIn(page, '主任', PASSWORDS['主任']);
      const box = 'article.community[data-community="C001"]';
      await page.waitForSelector(box);
      const num = async (sel) => Number(await page.textContent(sel));
      for (const k of ['persons', 'inside_now', 'fever_today', 'under_observation', 'returned_recently'])
        assert.equal(await num(`${box} .tile[data-count="${k}"] .n`), want[k], k);
      assert.equal(await num(`${box} .tile[data-count="entries_today"] .n`), want.entries_by_day[13], 'entries today');
      // Entries a day: drawn by the chart (a canvas, hidden from screen readers), the numbers as a table for them.
      await page.waitForSelector(`${box} figure.chart .plot[aria-hidden="true"] canvas`);
      const series = (sel) => page.$$eval(`${box} table.days tbody tr ${sel}`, (tds) => tds.map((td) => Number(td.textContent)));
      assert.deepEqual(await series('td[data-series="all"]'), want.entries_by_day);
      for (const [gate, list] of Object.entries(want.gates)) assert.deepEqual(await series(`td[data-gate="${gate}"]`), list, gate);
      assert.match(await page.textContent(`${box} table.days caption`), /每日出入人次.*Entries a day/);
      // The legend names every series: all gates and each gate.
      const legend = await page.textContent(`${box} .u-legend`);
      for (const name of ['全部门岗', ...Object.keys(want.gates)]) assert.ok(legend.includes(name), name);
      for (const [type, n] of Object.entries(want.byType))
        assert.equal(await num(`${box} table.types tr[data-type="${type}"] td:nth-child(2)`), n, type);
      for (const [gate, series] of Object.entries(want.gates))
        assert.equal(await num(`${box} table.gates tr[data-gate="${gate}"] td:nth-child(2)`), series[13], gate);
      // 西门 never uploaded: behind; the two that did are not.
      assert.equal(await page.getAttribute(`${box} table.gates tr[data-gate="西门"]`, 'class'), 'behind');
      assert.match(await page.textContent(`${box} table.gates tr[data-gate="西门"]`), /从未上传.*Never uploaded/);
      assert.equal(await page.getAttribute(`${box} table.gates tr[data-gate="北门"]`, 'class'), null);
      // The community's own retention period, stated (not the 28-day default).
      assert.match(await page.textContent(`${box} p.retention`), /数据保存 30 天.*Data is kept 30 days/);
      // An admin sees who is under home observation: masked as search rows are, the building, since when, the last movement.
      const rows = await page.$$eval(`${box} section.observation table.observed tbody tr`, (trs) => trs.map((tr) => [...tr.cells].map((td) => td.textContent)));
      assert.equal(rows.length, want.under_observation);
      assert.ok(want.observed.some((p) => want.last.has(p.doc_number)) && want.observed.some((p) => !want.last.has(p.doc_number)),
        'one observed person with a movement, one whose every movement was refused');
      for (const p of want.observed) {
        const row = rows.find((r) => r[0] === p.name);
        assert.ok(row, p.name);
        assert.equal(row[1], `${p.doc_number.slice(0, 4)}${'*'.repeat(p.doc_number.length - 8)}${p.doc_number.slice(-4)}`, 'the core\'s mask');
        assert.match(row[2], /^\d{3}\*{4}\d{4}$/);
        const day = Math.floor((Date.now() + OFFSET_MS) / DAY) - Date.parse(`${p.observation_start}T00:00:00Z`) / DAY + 1;
        assert.match(row[3], new RegExp(`^${p.observation_start}（第 ${day} 天）`));
        assert.equal(row[4], p.address.split('-')[0]);
        const last = want.last.get(p.doc_number); // none when every movement was refused (going out under observation)
        // The gate once, in the Chinese line; the English line under it only the direction.
        if (last) {
          assert.ok(row[5].endsWith(` · ${last.gate} ${last.direction === 'in' ? '进In' : '出Out'}`), row[5]);
          assert.equal(row[5].split(last.gate).length, 2, `the gate once: ${row[5]}`);
        } else assert.match(row[5], /没有出入记录/);
      }
      // Never a full number; the note above says what is shown.
      assert.doesNotMatch(await page.textContent('body'), FULL_ID);
      assert.match(await page.textContent('#overview-note'), /居家观察人员名单（号码已遮挡）/);
      await shot(page, 'overview');
      await page.locator(`${box} section.observation`).scrollIntoViewIfNeeded();
      await shot(page, 'overview-observation');
      if (backend === 'postgresql') { // C002: no entries: the chart's empty state in words, no blank box
        const empty = 'article.community[data-community="C002"] figure.chart';
        assert.match(await page.textContent(`${empty} p.empty`), /近 14 天没有出入记录.*No entries in the last 14 days/);
        assert.equal(await page.$$eval(`${empty} canvas`, (c) => c.length), 0);
        assert.match(await page.textContent('article.community[data-community="C002"] section.observation'), /没有居家观察人员/);
        assert.match(await page.textContent('article.community[data-community="C002"] p.gates-empty'), /还没有登记门岗.*No gate enrolled yet/);
        await page.locator(empty).scrollIntoViewIfNeeded();
        await shot(page, 'overview-empty');
      }
      await page.close();
    });

    test('a viewer sees the counts but not the audit log (403), and has no link to it', async () => {
      const page = await openPage();
      await signIn(page, '小李', PASSWORDS['小李']);
      await page.waitForSelector('#overview:not([hidden]) article.community');
      assert.equal(await page.isHidden('#nav-audit'), true);
      assert.match(await page.textContent('#who-role'), /查看者/);
      // Counts only, enforced by the service: the reply itself holds no list, the page no name.
      const reply = await page.evaluate(async () => (await fetch('api/overview')).json());
      assert.ok(reply.communities.length > 0 && reply.communities.every((c) => !('observation' in c)), 'no observation list for a viewer');
      assert.equal(reply.communities[0].under_observation > 0, true, 'the count is there');
      assert.equal(await page.$$eval('section.observation', (s) => s.length), 0);
      assert.doesNotMatch(await page.textContent('body'), /测试|\d{3}\*{4}\d{4}/);
      assert.match(await page.textContent('#overview-note'), /仅显示统计数字/);
      const status = await page.evaluate(async () => (await fetch('api/audit')).status);
      assert.equal(status, 403);
      await page.goto(`${svc.url}office/#audit`);
      assert.equal(await errorCode(page, '#page-error'), 'office.forbidden');
      assert.equal(await page.isHidden('#audit'), true);
      assert.equal(await page.$$eval('#audit-table tbody tr', (r) => r.length), 0);
      await shot(page, 'viewer-audit-forbidden');
      await page.click('#sign-out');
      await page.waitForSelector('#sign-in:not([hidden])');
      await page.close();
    });

    test('a staff member sees the observation list too, masked', async () => {
      const page = await openPage();
      await signIn(page, '干事', PASSWORDS['干事']);
      const box = 'article.community[data-community="C001"]';
      await page.waitForSelector(`${box} section.observation table.observed`);
      const want = expectedCounts(files.map(([, f]) => f));
      assert.equal(await page.$$eval(`${box} table.observed tbody tr`, (r) => r.length), want.under_observation);
      const reply = await page.evaluate(async () => (await fetch('api/overview')).json());
      assert.ok(reply.communities.find((c) => c.code === 'C001').observation.persons.every((p) => !/\d{17}[\dX]/.test(JSON.stringify(p))));
      await page.click('#sign-out');
      await page.waitForSelector('#sign-in:not([hidden])');
      await page.close();
    });

    test('five wrong passwords lock the account: the right one is refused too, in words, until the stated time', async () => {
      const page = await openPage();
      for (let i = 1; i <= 4; i++) {
        await signIn(page, '值班', `wrong-${i}`);
        await page.waitForFunction(() => !document.querySelector('#sign-in-submit').disabled && document.querySelector('#sign-in-error').dataset.code);
        assert.equal(await page.getAttribute('#sign-in-error', 'data-code'), 'office.sign_in_failed', `try ${i}`);
        await page.evaluate(() => { delete document.querySelector('#sign-in-error').dataset.code; });
      }
      await signIn(page, '值班', 'wrong-5');
      assert.equal(await errorCode(page, '#sign-in-error'), 'office.account_locked');
      assert.match(await page.textContent('#sign-in-error'), /已锁定 15 分钟.*Locked for 15 minutes after 5 wrong passwords/);
      await page.evaluate(() => { delete document.querySelector('#sign-in-error').dataset.code; });
      await signIn(page, '值班', PASSWORDS['值班']);
      assert.equal(await errorCode(page, '#sign-in-error'), 'office.account_locked');
      assert.equal(await page.isHidden('#overview'), true);
      await shot(page, 'locked');
      // Another account is not affected.
      await signIn(page, '小李', PASSWORDS['小李']);
      await page.waitForSelector('#overview:not([hidden])');
      await page.click('#sign-out');
      await page.waitForSelector('#sign-in:not([hidden])');
      await page.close();
    });

    test('forged cookies and requests from another origin are refused; the page\'s own POSTs go through', async () => {
      const forged = await request(svc.url, 'office/api/overview', { headers: { Cookie: 'gatepass_office=' + 'A'.repeat(43) } });
      assert.equal(forged.status, 401);
      assert.equal(forged.json.error.code, 'office.signed_out');
      const body = JSON.stringify({ user: '主任', password: PASSWORDS['主任'] });
      const post = (path, headers, b = body) => request(svc.url, path, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: b });
      for (const headers of [{}, { Origin: 'https://evil.example' }, { Origin: 'null' }, { Origin: `${origin()}.evil.example` }]) {
        const r = await post('office/api/sign-in', headers);
        assert.equal(r.status, 403, JSON.stringify(headers));
        assert.equal(r.json.error.code, 'office.cross_origin');
        assert.equal(r.setCookie, null);
      }
      const form = await post('office/api/sign-in', { Origin: origin(), 'Content-Type': 'text/plain' });
      assert.equal(form.status, 400, 'a form post cannot sign in');
      const ok = await post('office/api/sign-in', { Origin: origin() });
      assert.equal(ok.status, 200);
      assert.match(ok.setCookie, /HttpOnly/);
      assert.match(ok.setCookie, /SameSite=Strict/);
      assert.doesNotMatch(ok.setCookie, /Secure/, 'no Secure on 127.0.0.1 (plain http)');
      const token = /gatepass_office=([^;]+)/.exec(ok.setCookie)[1];
      const viaProxy = await post('office/api/sign-in', { Origin: 'https://office.example.org', Host: 'office.example.org' });
      assert.equal(viaProxy.status, 200);
      assert.match(viaProxy.setCookie, /; Secure/, 'Secure when served under a real host name');
      // The gates' upload endpoint is untouched: it still wants a gate token.
      const up = await upload(svc.url, undefined, 'GATEPASS-BATCH 2\n');
      assert.equal(up.status, 401);
      const outFromElsewhere = await post('office/api/sign-out', { Origin: 'https://evil.example', Cookie: `gatepass_office=${token}` }, '{}');
      assert.equal(outFromElsewhere.status, 403);
      const still = await request(svc.url, 'office/api/session', { headers: { Cookie: `gatepass_office=${token}` } });
      assert.equal(still.status, 200, 'a cross-origin sign-out changed nothing');
      const out = await post('office/api/sign-out', { Origin: origin(), Cookie: `gatepass_office=${token}` }, '{}');
      assert.equal(out.status, 200);
      assert.match(out.setCookie, /Max-Age=0/);
    });

    test('the audit log (admin) lists sign-ins, failures, the lock-out, sign-outs and the accounts made', async () => {
      const page = await openPage();
      await signIn(page, '主任', PASSWORDS['主任']);
      await page.waitForSelector('#nav-audit:not([hidden])');
      await page.click('#nav-audit');
      await page.waitForSelector('#audit:not([hidden]) #audit-table tbody tr');
      const rows = await page.$$eval('#audit-table tbody tr', (trs) => trs.map((tr) => ({ action: tr.dataset.action, account: tr.cells[1].textContent })));
      const count = (account, action) => rows.filter((r) => r.account === account && r.action === action).length;
      assert.equal(count('主任', 'account_added'), 1);
      assert.equal(count('小李', 'account_added'), 1);
      assert.ok(count('主任', 'sign_in') >= 3, 'admin sign-ins');
      assert.equal(count('主任', 'sign_in_failed'), 1);
      assert.equal(count('小李', 'sign_in'), 2);
      assert.equal(count('值班', 'sign_in_failed'), 5);
      assert.equal(count('值班', 'locked'), 1);
      assert.equal(count('值班', 'sign_in_locked'), 1);
      assert.equal(count('值班', 'sign_in'), 0);
      assert.ok(count('主任', 'sign_out') >= 1 && count('小李', 'sign_out') >= 2);
      assert.equal(rows[0].action, 'sign_in', 'newest first: this sign-in');
      assert.match(await page.textContent('#audit-table tbody tr:first-child'), /登录.*Signed in/);
      await shot(page, 'audit');
      await page.close();
    });
  });
}
