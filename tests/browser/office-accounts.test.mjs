// The dashboard's account management and roles (issue 11) in a real browser
// against `gatepass office serve`, the same tests on SQLite and on a
// throwaway PostgreSQL cluster (there with a second community, C002: a
// SQLite office holds one):
//   - an admin adds a staff account limited to C001 on the account screen
//     (bad input first: passwords that differ, a short one, a taken name, an
//     unknown role — each a zh/en message, the list unchanged); that staff
//     member signs in, sees C001 only and is refused (403) on C002's data on
//     every endpoint that names a community, and on the accounts and the audit log;
//   - a viewer is offered no person screen and the service refuses every
//     person, export, import, watch-list and account call (403) made directly;
//   - the last enabled admin can be neither demoted nor disabled; a password
//     reset, disabling (the session ends: the page says so and goes back to
//     sign-in), enabling and unlocking work; each change is an audit row
//     naming who and whom, never a password; a forged cookie leads back to
//     sign-in with words.
// Screenshots at 1366×768 in tests/output/office-accounts-*.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { freshProfile, launch, removeProfile, screenshot, SITE } from './harness.mjs';
import { addAccount, gp, gpJson, makeBatch, officeBrowserSuite, startService, upload } from '../office/lib.mjs';

const VIEWPORT = { width: 1366, height: 768 };
const PASSWORDS = { 主任: 'admin-pass-八角路-2026', 小李: 'viewer-pass-2026' };
const STAFF = '街道-王芳';
const STAFF_PASSWORD = 'staff-C001-密码-2026';

const { work, pg, skipFor, backends } = officeBrowserSuite('accounts', SITE);


async function signIn(page, user, password) {
  await page.fill('#user', user);
  await page.fill('#password', password);
  await page.click('#sign-in-submit');
}

const errorCode = (page, sel) => page.waitForFunction((s) => { const e = document.querySelector(s); return e && !e.hidden && e.dataset.code; }, sel)
  .then((h) => h.jsonValue());

/** A call as the page makes it (its cookie, its origin): {status, json}. */
const pageCall = (page, path, body) => page.evaluate(async ([p, b]) => {
  const r = await fetch(`api/${p}`, b === undefined ? {} : { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(b) });
  return { status: r.status, json: await r.json().catch(() => null) };
}, [path, body]);

const rowNames = (page) => page.$$eval('#accounts-table tbody tr', (trs) => trs.map((tr) => tr.dataset.account));

for (const backend of backends) {
  describe(`office accounts on ${backend}`, { skip: skipFor(backend) }, () => {
    let db, svc, context, profile, other, otherProfile;
    const shot = (page, name) => screenshot(page, `office-accounts-${backend}-${name}`);
    /** A new tab signed in as `user`; `ctx`: a second browser (its own cookie) beside an admin's. */
    const openPage = async (user, password = PASSWORDS[user], ctx = context) => {
      await ctx.clearCookies();
      const page = await ctx.newPage();
      await page.goto(`${svc.url}office/`);
      await page.waitForSelector('#sign-in:not([hidden])');
      if (user) {
        await signIn(page, user, password);
        await page.waitForSelector('#overview:not([hidden])');
      }
      return page;
    };
    const accountsScreen = async (page) => {
      await page.click('#nav-accounts');
      await page.waitForSelector('#accounts:not([hidden]) #accounts-table tbody tr');
    };

    before(async () => {
      db = backend === 'sqlite' ? join(work, `${backend}.sqlite`) : pg().createdb('accounts');
      const codes = backend === 'sqlite' ? ['C001'] : ['C001', 'C002'];
      for (const code of codes) {
        const key = join(work, `key-${backend}-${code}`);
        assert.equal(gp('community', 'init', '--code', code, '--name', `社区${code}`, '--site', 'https://gate.example.org/', '--out', key).status, 0);
        const add = gp('office', 'add-community', '--db', db, '--key', key);
        assert.equal(add.status, 0, add.stderr);
      }
      for (const [user, role] of [['主任', 'admin'], ['小李', 'viewer']]) {
        const r = addAccount(db, user, role, PASSWORDS[user]);
        assert.equal(r.status, 0, r.stderr);
      }
      svc = await startService(db);
      // Three persons of C001 uploaded by its enrolled gate (make_batch names them 测试…).
      const north = gpJson('office', 'enroll-gate', '--db', db, '--community', 'C001', '--gate', '北门', '--url', 'https://office.example.org/', '--json');
      const batch = makeBatch(work, `${backend}-n1.batch`, { enrollment: north.code, passphrase: north.passphrase, persons: 3, entries: 3 });
      const up = await upload(svc.url, north.token, readFileSync(batch));
      assert.equal(up.status, 200, up.text);
      profile = freshProfile(`accounts-${backend}`);
      context = await launch(profile, { viewport: VIEWPORT, testMode: false });
      otherProfile = freshProfile(`accounts-other-${backend}`);
      other = await launch(otherProfile, { viewport: VIEWPORT, testMode: false });
    });
    after(async () => {
      await context?.close();
      await other?.close();
      if (profile) removeProfile(profile);
      if (otherProfile) removeProfile(otherProfile);
      await svc?.stop();
    });

    test('an admin adds a staff account limited to C001; bad input changes nothing; that staff member sees C001 only and is refused C002 everywhere', async () => {
      const admin = await openPage('主任');
      await accountsScreen(admin);
      const before = await rowNames(admin);
      assert.deepEqual(before, ['主任', '小李'].sort());
      const fill = async (name, password, again) => {
        await admin.fill('#add-name', name);
        await admin.selectOption('#add-role', 'staff');
        await admin.fill('#add-password', password);
        await admin.fill('#add-password-again', again);
        await admin.click('#account-add-submit');
      };
      const refused = async (code) => {
        assert.equal(await errorCode(admin, '#accounts-error'), code);
        assert.deepEqual(await rowNames(admin), before, `${code}: nothing changed`);
        await admin.evaluate(() => { delete document.querySelector('#accounts-error').dataset.code; });
      };
      await fill(STAFF, STAFF_PASSWORD, `${STAFF_PASSWORD}x`);
      await refused('account.password_mismatch');
      assert.match(await admin.textContent('#accounts-error'), /两次输入的密码不一致.*The two passwords typed differ/);
      await fill(STAFF, 'short', 'short');
      await refused('account.password_short');
      await fill('主任', STAFF_PASSWORD, STAFF_PASSWORD);
      await refused('account.exists');
      const role = await pageCall(admin, 'accounts/add', { name: STAFF, role: 'root', password: STAFF_PASSWORD, password_again: STAFF_PASSWORD });
      assert.equal(role.status, 400);
      assert.equal(role.json.error.code, 'account.role');
      assert.ok(role.json.error.zh && role.json.error.en);
      const adminLimited = await pageCall(admin, 'accounts/add', { name: STAFF, role: 'admin', password: STAFF_PASSWORD, password_again: STAFF_PASSWORD, communities: ['C001'] });
      assert.equal(adminLimited.json.error.code, 'account.admin_communities');
      const unknown = await pageCall(admin, 'accounts/add', { name: STAFF, role: 'staff', password: STAFF_PASSWORD, password_again: STAFF_PASSWORD, communities: ['C404'] });
      assert.equal(unknown.json.error.code, 'office.no_community');
      await admin.reload();
      await accountsScreen(admin);
      assert.deepEqual(await rowNames(admin), before, 'refused by the service: nothing changed');

      // Added as the page does it: staff, C001 ticked.
      await admin.check('#add-communities input[value="C001"]');
      await fill(STAFF, STAFF_PASSWORD, STAFF_PASSWORD);
      await admin.waitForSelector(`#accounts-table tbody tr[data-account="${STAFF}"]`);
      assert.match(await admin.textContent('#accounts-done'), /已添加账号/);
      const row = await admin.$eval(`#accounts-table tbody tr[data-account="${STAFF}"]`, (tr) => [...tr.cells].map((c) => c.textContent));
      assert.match(row[1], /工作人员/);
      assert.equal(row[2], 'C001');
      assert.equal(row[4], '—', 'never signed in');
      await shot(admin, 'added');
      await admin.close();

      const staff = await openPage(STAFF, STAFF_PASSWORD);
      await staff.waitForSelector('#overview article.community');
      assert.deepEqual(await staff.$$eval('#overview article.community', (as) => as.map((a) => a.dataset.community)), ['C001']);
      assert.equal(await staff.isVisible('#nav-persons'), true);
      assert.equal(await staff.isHidden('#nav-accounts'), true);
      assert.equal(await staff.isHidden('#nav-audit'), true);
      const session = await pageCall(staff, 'session');
      assert.deepEqual(session.json.communities.map((c) => c.code), ['C001']);
      assert.deepEqual((await pageCall(staff, 'watch-list')).json.communities.map((c) => c.code), ['C001']);
      // Their search says who is on the watch list, with the reason.
      let found = await pageCall(staff, 'persons/search', { community: 'C001', query: '测试' });
      assert.equal(found.status, 200);
      assert.equal(found.json.persons.length, 3);
      assert.ok(found.json.persons.every((p) => p.watched === undefined));
      const unmasked = await pageCall(staff, 'persons/unmask', { community: 'C001', ref: found.json.persons[0].ref });
      assert.equal((await pageCall(staff, 'watch-list/add', { community: 'C001', doc_number: unmasked.json.doc_number, reason: '居家观察' })).status, 200);
      found = await pageCall(staff, 'persons/search', { community: 'C001', query: '测试' });
      assert.deepEqual(found.json.persons.map((p) => p.watched?.zh ?? null).filter(Boolean), ['关注名单：居家观察']);
      await staff.click('#nav-persons');
      await staff.fill('#search-query', '测试');
      await staff.click('#search-submit');
      await staff.waitForSelector('#search-results:not([hidden]) td.watched:not(:empty)');
      assert.match(await staff.textContent('#search-results td.watched:not(:empty)'), /关注名单：居家观察.*On the watch list/);
      const c002 = [
        ['watch-list/add', { community: 'C002', doc_number: '11010519491231002X', reason: '居家观察' }],
        ['watch-list/remove', { community: 'C002', ref: 'A'.repeat(80) }],
        ['persons/search', { community: 'C002', query: '王' }],
        ['persons/unmask', { community: 'C002', ref: 'A'.repeat(80) }],
        ['export', { community: 'C002', what: 'persons' }],
        ['roster/import', { community: 'C002', data: 'AAAA' }],
      ];
      for (const [path, body] of c002) {
        const r = await pageCall(staff, path, body);
        assert.equal(r.status, 403, path);
        assert.equal(r.json.error.code, 'office.forbidden_community', path);
        assert.match(r.json.error.zh, /C002/);
      }
      for (const path of ['accounts', 'audit']) assert.equal((await pageCall(staff, path)).status, 403, path);
      assert.equal((await pageCall(staff, 'accounts/change', { name: STAFF, what: 'role', role: 'admin' })).status, 403);
      await shot(staff, 'staff-c001-search');
      await staff.close();
    });

    test('a viewer is offered no person screen, and the service refuses them every person, export, import, watch-list and account call', async () => {
      const viewer = await openPage('小李');
      await viewer.waitForSelector('#overview article.community');
      for (const nav of ['#nav-persons', '#nav-accounts', '#nav-audit']) assert.equal(await viewer.isHidden(nav), true, nav);
      const calls = [
        ['persons/search', { community: 'C001', query: '王' }],
        ['persons/unmask', { community: 'C001', ref: 'A'.repeat(80) }],
        ['export', { community: 'C001', what: 'persons' }],
        ['roster/import', { community: 'C001', data: 'AAAA' }],
        ['watch-list/add', { community: 'C001', doc_number: '11010519491231002X', reason: '居家观察' }],
        ['watch-list/remove', { community: 'C001', ref: 'A'.repeat(80) }],
        ['accounts/add', { name: 'x', role: 'admin', password: STAFF_PASSWORD, password_again: STAFF_PASSWORD }],
        ['accounts/change', { name: '小李', what: 'role', role: 'admin' }],
      ];
      for (const [path, body] of calls) {
        const r = await pageCall(viewer, path, body);
        assert.equal(r.status, 403, path);
        assert.equal(r.json.error.code, 'office.forbidden', path);
      }
      for (const path of ['accounts', 'audit']) assert.equal((await pageCall(viewer, path)).status, 403, path);
      // The watch list: read only, numbers masked.
      await viewer.click('#nav-watch');
      await viewer.waitForSelector('#watch:not([hidden]) #watch-read-only:not([hidden])');
      assert.equal(await viewer.isHidden('#watch-add'), true);
      // Nothing of this changed an account.
      assert.equal((await pageCall(viewer, 'session')).json.account.role, 'viewer');
      await viewer.close();
    });

    test('the last admin can be neither demoted nor disabled; reset, disable, enable and unlock work, each audited without a password', async () => {
      const admin = await openPage('主任');
      await accountsScreen(admin);
      const button = (name, what) => `#accounts-table tbody tr[data-account="${name}"] button[data-what="${what}"]`;
      // Demote the only admin: refused in words, nothing changed.
      await admin.click(button('主任', 'role'));
      await admin.waitForSelector('#account-edit:not([hidden]) fieldset[data-what="role"]:not([hidden])');
      await admin.selectOption('#edit-role', 'viewer');
      await shot(admin, 'edit-role');
      await admin.click('#account-edit-submit');
      assert.equal(await errorCode(admin, '#accounts-error'), 'account.last_admin');
      assert.match(await admin.textContent('#accounts-error'), /最后一个可用的管理员.*last enabled administrator/);
      await shot(admin, 'last-admin');
      await admin.evaluate(() => { delete document.querySelector('#accounts-error').dataset.code; });
      await admin.click(button('主任', 'disable'));
      assert.equal(await errorCode(admin, '#accounts-error'), 'account.last_admin');
      assert.equal((await pageCall(admin, 'session')).json.account.role, 'admin', 'still an admin, still signed in');

      // A password reset (typed twice) for the staff member.
      const NEW = 'reset-by-admin-2026';
      await admin.click(button(STAFF, 'password'));
      await admin.waitForSelector('#account-edit:not([hidden]) fieldset[data-what="password"]:not([hidden])');
      await admin.fill('#edit-password', NEW);
      await admin.fill('#edit-password-again', NEW);
      await admin.click('#account-edit-submit');
      await admin.waitForSelector('#accounts-done:not([hidden])');
      assert.match(await admin.textContent('#accounts-done'), /重设密码/);

      // Signed in, then disabled: the next call finds the session gone, the page says so and shows sign-in.
      const staff = await openPage(STAFF, NEW, other);
      await admin.click(button(STAFF, 'disable'));
      await admin.waitForSelector(button(STAFF, 'enable'));
      await staff.click('#nav-persons');
      assert.equal(await errorCode(staff, '#sign-in-error'), 'office.signed_out');
      assert.match(await staff.textContent('#sign-in-error'), /请先登录.*Please sign in/);
      await shot(staff, 'session-ended');
      await staff.evaluate(() => { delete document.querySelector('#sign-in-error').dataset.code; }); // wait for this answer, not the last
      await signIn(staff, STAFF, NEW);
      assert.equal(await errorCode(staff, '#sign-in-error'), 'office.account_disabled');
      await admin.click(button(STAFF, 'enable'));
      await admin.waitForSelector(button(STAFF, 'disable'));

      // Locked by wrong passwords, unlocked by the admin.
      await staff.evaluate(() => { delete document.querySelector('#sign-in-error').dataset.code; });
      for (let i = 0; i < 5; i++) {
        await signIn(staff, STAFF, `wrong-${i}`);
        await staff.waitForFunction(() => !document.querySelector('#sign-in-submit').disabled && document.querySelector('#sign-in-error').dataset.code);
        await staff.evaluate(() => { delete document.querySelector('#sign-in-error').dataset.code; });
      }
      await admin.reload();
      await accountsScreen(admin);
      await admin.waitForSelector(button(STAFF, 'unlock'));
      await shot(admin, 'locked-row');
      await admin.click(button(STAFF, 'unlock'));
      await admin.waitForSelector(`${button(STAFF, 'unlock')}`, { state: 'detached' });
      await signIn(staff, STAFF, NEW);
      await staff.waitForFunction(() => document.querySelector('#sign-in').hidden || document.querySelector('#sign-in-error').dataset.code);
      assert.equal(await staff.getAttribute('#sign-in-error', 'data-code'), null, 'unlocked: the right password signs in');
      const lastSignIn = await admin.evaluate(async (name) => (await (await fetch('api/accounts')).json()).accounts.find((a) => a.name === name).last_sign_in_words, STAFF);
      assert.notEqual(lastSignIn, '—');

      // A forged cookie: back to sign-in, with words.
      await other.addCookies([{ name: 'gatepass_office', value: 'A'.repeat(43), url: `${svc.url}office/` }]);
      await staff.reload();
      await staff.waitForSelector('#sign-in:not([hidden])');
      assert.equal(await errorCode(staff, '#sign-in-error'), 'office.signed_out');
      await staff.close();
      await admin.close();

      // The audit log: who changed whom and what; never a password.
      const audit = await openPage('主任');
      await audit.click('#nav-audit');
      await audit.waitForSelector('#audit:not([hidden]) #audit-table tbody tr');
      const rows = await audit.$$eval('#audit-table tbody tr', (trs) => trs.map((tr) => ({ action: tr.dataset.action, account: tr.cells[1].textContent, detail: tr.cells[3].textContent })));
      const find = (action) => rows.filter((r) => r.action === action && r.account === '主任');
      assert.deepEqual(rows.filter((r) => r.action === 'account_added' && r.detail.startsWith(STAFF)).map((r) => [r.account, r.detail]),
        [['主任', `${STAFF} · staff · C001`]], 'who added whom, with role and communities');
      assert.deepEqual(find('account_password').map((r) => r.detail), [STAFF]);
      assert.deepEqual(find('account_disabled').map((r) => r.detail), [STAFF]);
      assert.deepEqual(find('account_enabled').map((r) => r.detail), [STAFF]);
      assert.deepEqual(find('account_unlocked').map((r) => r.detail), [STAFF]);
      assert.equal(find('account_role').length, 0, 'the refused demotion changed nothing and is no change');
      assert.equal(rows.filter((r) => r.account === STAFF && r.action === 'sign_in_disabled').length, 1);
      const all = await audit.textContent('#audit-table');
      for (const secret of [STAFF_PASSWORD, NEW, PASSWORDS['主任']]) assert.ok(!all.includes(secret), 'no password in the audit log');
      await audit.close();
    });
  });
}
