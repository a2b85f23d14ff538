// The office dashboard's person screens (issue 11) in a real browser against
// `gatepass office serve`, the same tests on SQLite and on a throwaway
// PostgreSQL cluster, with batches made by make_batch and uploaded by their
// enrolled gate:
//   - the watch list: staff add a row (typed with spaces and a small x, the
//     core's normal form taken), a mistyped ID refused in zh/en changing
//     nothing, the next upload reply carries the row, a removal takes it out
//     of the next reply; a viewer reads the list (masked) and may not edit;
//   - person search: by part of a name and by the last digits, masked, the
//     terms only in POST bodies; "show full number" answers the number and
//     the audit log names who saw whose; a viewer can neither search nor unmask;
//   - CSV export: UTF-8 with BOM, Chinese intact, as many rows as the
//     uploaded batches hold, an audit row each;
//   - roster import: a UTF-8 file (as Excel's "CSV UTF-8" saves it) and a GBK
//     one (plain "CSV" on a Chinese Windows) taken, the rows in the next
//     upload reply with Chinese intact; a file with bad rows lists them by line
//     and imports none; a file in another encoding or with foreign columns
//     refused in words; a viewer refused.
// Screenshots at 1366×768 in tests/output/office-records-*.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freshProfile, launch, removeProfile, screenshot, SITE } from './harness.mjs';
import { addAccount, gp, gpJson, makeBatch, officeBrowserSuite, startService, upload } from '../office/lib.mjs';

const VIEWPORT = { width: 1366, height: 768 };
const PASSWORDS = { 主任: 'admin-pass-八角路-2026', 小李: 'viewer-pass-2026', 值班: 'staff-pass-2026' };
const REASON = '居家观察至12月6日（区疾控通知）';
const FULL_ID = /\d{17}[\dX]/;

const { work, pg, skipFor, backends } = officeBrowserSuite('records', SITE);

/**
 * Types a search and waits until its answer is drawn. The page disables the
 * button from the click until it has replaced the rows, and the answer is
 * awaited too: a wait for a row with the person's name alone passed on the
 * previous search's rows when they held the same name (12 rows where 1 was
 * expected, on a loaded machine).
 */
async function searchFor(page, query) {
  await page.fill('#search-query', query);
  await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/api/persons/search')),
    page.click('#search-submit'),
  ]);
  await page.waitForSelector('#search-submit:not([disabled])');
}

/** The persons (by number) and entries the batch files carry (make_batch's FILE.body: the files themselves are sealed): the oracle for search and export. */
function contents(files) {
  const persons = new Map();
  const entries = [];
  for (const f of files) {
    for (const line of readFileSync(`${f}.body`, 'utf8').split('\n').filter(Boolean)) {
      const l = JSON.parse(line);
      if (l.person) { const p = l.person.person ?? l.person; persons.set(p.doc_number, p); }
      if (l.entry) entries.push(l.entry);
    }
  }
  return { persons, entries };
}

/** `text` as GBK bytes, by glibc's iconv (Node has no GBK encoder). */
function gbk(text) {
  const r = spawnSync('iconv', ['-f', 'UTF-8', '-t', 'GBK'], { input: Buffer.from(text, 'utf8') });
  assert.equal(r.status, 0, String(r.stderr));
  return r.stdout;
}

/** RFC 4180 rows (quoted cells may hold commas, quotes and line breaks). */
function parseCsv(text) {
  const rows = [];
  let row = [], cell = '', quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { cell += '"'; i++; } else if (c === '"') quoted = false; else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(cell); cell = ''; } else if (c === '\r' && text[i + 1] === '\n') { row.push(cell); rows.push(row); row = []; cell = ''; i++; } else cell += c;
  }
  if (cell || row.length) { row.push(cell); rows.push(row); }
  return rows;
}

async function signIn(page, user) {
  await page.fill('#user', user);
  await page.fill('#password', PASSWORDS[user]);
  await page.click('#sign-in-submit');
  await page.waitForSelector('#overview:not([hidden]) article.community');
}

const errorCode = (page, sel) => page.waitForFunction((s) => { const e = document.querySelector(s); return e && !e.hidden && e.dataset.code; }, sel)
  .then((h) => h.jsonValue());

/** A POST as the page makes it (same origin, the session cookie): {status, json}. */
const pagePost = (page, path, body) => page.evaluate(async ([p, b]) => {
  const r = await fetch(`api/${p}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(b) });
  return { status: r.status, json: await r.json().catch(() => null) };
}, [path, body]);

for (const backend of backends) {
  describe(`office person screens on ${backend}`, { skip: skipFor(backend) }, () => {
    let db, svc, context, profile, north;
    const uploaded = [];
    let batchNo = 0;
    const shot = (page, name) => screenshot(page, `office-records-${backend}-${name}`);
    const openPage = async (user) => {
      await context.clearCookies();
      const page = await context.newPage();
      await page.goto(`${svc.url}office/`);
      await page.waitForSelector('#sign-in:not([hidden])');
      if (user) await signIn(page, user);
      return page;
    };
    /** Another batch from 北门, uploaded: the reply's JSON. */
    const uploadBatch = async (opts) => {
      const f = makeBatch(work, `${backend}-${++batchNo}.batch`, { enrollment: north.code, passphrase: north.passphrase, ...opts });
      const r = await upload(svc.url, north.token, readFileSync(f));
      assert.equal(r.status, 200, r.text);
      uploaded.push(f);
      return r.json;
    };
    const auditRows = async () => {
      const page = await openPage('主任');
      await page.goto(`${svc.url}office/#audit`);
      await page.waitForSelector('#audit:not([hidden]) #audit-table tbody tr');
      const rows = await page.$$eval('#audit-table tbody tr', (trs) => trs.map((tr) => ({
        action: tr.dataset.action, account: tr.cells[1].textContent, words: tr.cells[2].textContent, detail: tr.cells[3].textContent,
      })));
      return { page, rows };
    };

    before(async () => {
      db = backend === 'sqlite' ? join(work, `${backend}.sqlite`) : pg().createdb('records');
      const key = join(work, `key-${backend}`);
      assert.equal(gp('community', 'init', '--code', 'C001', '--name', '八角路社区', '--site', 'https://gate.example.org/', '--out', key).status, 0);
      assert.equal(gp('office', 'add-community', '--db', db, '--key', key).status, 0);
      north = gpJson('office', 'enroll-gate', '--db', db, '--community', 'C001', '--gate', '北门', '--url', 'https://office.example.org/', '--json');
      for (const [user, role] of [['主任', 'admin'], ['小李', 'viewer'], ['值班', 'staff']]) {
        const r = addAccount(db, user, role, PASSWORDS[user]);
        assert.equal(r.status, 0, r.stderr);
      }
      svc = await startService(db);
      await uploadBatch({ persons: 6, entries: 9 });
      await uploadBatch({ persons: 3, entries: 4, 'person-offset': 100, 'person-type': 'visitor' });
      profile = freshProfile(`records-${backend}`);
      context = await launch(profile, { viewport: VIEWPORT, testMode: false, acceptDownloads: true });
    });
    after(async () => {
      await context?.close();
      if (profile) removeProfile(profile);
      await svc?.stop();
    });

    test('the watch list: staff add a row (masked on screen), a bad number is refused in zh/en, the next reply carries it, a removal takes it out', async () => {
      const [doc] = contents(uploaded).persons.keys();
      const page = await openPage('值班');
      await page.click('#nav-watch');
      await page.waitForSelector('#watch:not([hidden]) #watch-add:not([hidden])');
      assert.match(await page.textContent('#watch-lists'), /关注名单为空.*The watch list is empty/);

      // Refused, each in both languages, and nothing stored.
      const typo = doc.slice(0, 16) + String((Number(doc[16]) + 1) % 10) + doc[17];
      for (const [number, reason, code] of [[typo, REASON, /^id\./], ['ab', REASON, /^feed\.row_invalid$/], [doc, '', /^feed\.row_invalid$/]]) {
        await page.fill('#watch-doc', number);
        await page.fill('#watch-reason', reason);
        await page.evaluate(() => { delete document.querySelector('#watch-error').dataset.code; document.querySelector('#watch-add').requestSubmit(); });
        assert.match(await errorCode(page, '#watch-error'), code, number);
        const text = await page.textContent('#watch-error');
        assert.match(text, /[\u4e00-\u9fff]/, 'Chinese');
        assert.match(text, /[a-z]{3,}/, 'English');
      }
      await shot(page, 'watch-refused');
      const before = await uploadBatch({ persons: 1, entries: 1, 'person-offset': 300 });
      assert.deepEqual(before.watch_list, [], 'nothing was stored');

      // Typed as staff type it: spaces, and a small x where the number has one.
      const typed = `${doc.slice(0, 6)} ${doc.slice(6, 14)} ${doc.slice(14)}`.toLowerCase();
      await page.fill('#watch-doc', typed);
      await page.fill('#watch-reason', REASON);
      await page.click('#watch-submit');
      await page.waitForSelector('#watch-lists table.watch tbody tr');
      assert.equal(await page.isHidden('#watch-error'), true);
      const row = await page.$$eval('#watch-lists table.watch tbody tr', (trs) => trs.map((tr) => [...tr.cells].map((c) => c.textContent)));
      assert.equal(row.length, 1);
      assert.equal(row[0][0], `${doc.slice(0, 4)}${'*'.repeat(10)}${doc.slice(14)}`, 'masked');
      assert.equal(row[0][1], REASON);
      assert.doesNotMatch(await page.textContent('body'), FULL_ID, 'no full number on the page');
      await shot(page, 'watch-list');

      // The gate learns it with its next upload reply, in the core's normal form.
      const reply = await uploadBatch({ persons: 1, entries: 1, 'person-offset': 301 });
      assert.equal(reply.watch_list.length, 1);
      assert.equal(reply.watch_list[0].doc_number, doc);
      assert.equal(reply.watch_list[0].reason, REASON);

      // A viewer reads it, masked, with nothing to edit, and is refused if they try.
      await page.close();
      const viewer = await openPage('小李');
      await viewer.click('#nav-watch');
      await viewer.waitForSelector('#watch:not([hidden]) #watch-lists table.watch tbody tr');
      assert.equal(await viewer.isHidden('#watch-add'), true);
      assert.equal(await viewer.isHidden('#watch-read-only'), false);
      assert.equal(await viewer.$$eval('button.remove', (b) => b.length), 0);
      const ref = await viewer.evaluate(async () => (await (await fetch('api/watch-list')).json()).communities[0].entries[0].ref);
      const add = await pagePost(viewer, 'watch-list/add', { community: 'C001', doc_number: '11010519491231002X', reason: 'x' });
      assert.equal(add.status, 403);
      assert.equal(add.json.error.code, 'office.forbidden');
      const remove = await pagePost(viewer, 'watch-list/remove', { community: 'C001', ref });
      assert.equal(remove.status, 403);
      await shot(viewer, 'watch-viewer');
      await viewer.close();

      // Removed by staff: the next reply no longer carries it.
      const staff = await openPage('值班');
      await staff.click('#nav-watch');
      await staff.waitForSelector('#watch:not([hidden]) #watch-lists table.watch tbody tr');
      await staff.click('#watch-lists button.remove');
      await staff.waitForFunction(() => !document.querySelector('#watch-lists table.watch'));
      assert.match(await staff.textContent('#watch-lists'), /关注名单为空/);
      const after = await uploadBatch({ persons: 1, entries: 1, 'person-offset': 302 });
      assert.deepEqual(after.watch_list, []);
      // A ref is good for one row once; a made-up one is refused.
      const again = await pagePost(staff, 'watch-list/remove', { community: 'C001', ref });
      assert.equal(again.json.error.code, 'office.not_on_list');
      const forged = await pagePost(staff, 'watch-list/remove', { community: 'C001', ref: 'A'.repeat(80) });
      assert.equal(forged.json.error.code, 'office.stale_ref');
      await staff.close();

      const { page: admin, rows } = await auditRows();
      const masked = `${doc.slice(0, 4)}${'*'.repeat(10)}${doc.slice(14)}`;
      const added = rows.filter((r) => r.action === 'watch_added' && r.account === '值班');
      const removed = rows.filter((r) => r.action === 'watch_removed' && r.account === '值班');
      assert.equal(added.length, 1);
      assert.equal(removed.length, 1);
      assert.ok(added[0].detail.includes(masked) && added[0].detail.includes(REASON), added[0].detail);
      assert.ok(removed[0].detail.includes(masked), removed[0].detail);
      assert.doesNotMatch(await admin.textContent('body'), FULL_ID);
      await admin.close();
    });

    test('person search (staff): by part of a name and by the last digits, masked, terms never in a URL; "show full number" is logged', async () => {
      const { persons } = contents(uploaded);
      const page = await openPage('值班');
      const urls = [];
      page.on('request', (r) => urls.push(`${r.method()} ${r.url()}`));
      await page.click('#nav-persons');
      await page.waitForSelector('#persons:not([hidden])');

      await searchFor(page, '测试');
      const byName = [...persons.values()].filter((p) => p.name.includes('测试')).length;
      assert.equal(await page.$$eval('#search-results tbody tr', (r) => r.length), Math.min(50, byName));

      const [doc, person] = [...persons.entries()].find(([d]) => /\d$/.test(d));
      const tail = doc.slice(-6);
      await searchFor(page, tail);
      const want = [...persons.values()].filter((p) => p.doc_number.endsWith(tail) || p.phone.endsWith(tail)).length;
      const rows = await page.$$eval('#search-results tbody tr', (trs) => trs.map((tr) => [...tr.cells].map((c) => c.textContent)));
      assert.equal(rows.length, want);
      const row = rows.find((r) => r[0] === person.name);
      assert.equal(row[1], `${doc.slice(0, 4)}${'*'.repeat(10)}${doc.slice(14)}`);
      assert.doesNotMatch(await page.textContent('#search-results'), FULL_ID);
      await shot(page, 'search');

      // Too short to search by: said so, in both languages.
      await searchFor(page, '12');
      assert.equal(await errorCode(page, '#search-error'), 'office.search_short');
      await searchFor(page, tail);

      // Show the full number: one POST, the number in its reply only.
      const index = await page.$$eval('#search-results tbody tr', (trs, n) => trs.findIndex((tr) => tr.cells[0].textContent === n), person.name);
      await page.click(`#search-results tbody tr:nth-child(${index + 1}) button.unmask`);
      await page.waitForSelector(`#search-results tbody tr:nth-child(${index + 1}) td.unmasked`);
      assert.equal(await page.textContent(`#search-results tbody tr:nth-child(${index + 1}) td.unmasked`), doc);
      await shot(page, 'unmasked');
      for (const u of urls) {
        assert.ok(!u.includes(tail) && !u.includes('%E6%B5%8B'), `a search term in a URL: ${u}`);
        if (/persons\//.test(u)) assert.match(u, /^POST /);
      }

      // A viewer can neither search nor unmask; not even offered the screen.
      const ref = await page.evaluate(async (t) => {
        const r = await fetch('api/persons/search', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ community: 'C001', query: t }) });
        return (await r.json()).persons[0].ref;
      }, tail);
      await page.close();
      const viewer = await openPage('小李');
      assert.equal(await viewer.isHidden('#nav-persons'), true);
      const search = await pagePost(viewer, 'persons/search', { community: 'C001', query: '测试' });
      assert.equal(search.status, 403);
      assert.equal(search.json.error.code, 'office.forbidden');
      const unmask = await pagePost(viewer, 'persons/unmask', { community: 'C001', ref });
      assert.equal(unmask.status, 403);
      assert.equal(unmask.json.doc_number, undefined);
      await viewer.goto(`${svc.url}office/#persons`);
      await viewer.close();

      // The audit log: who saw whose number, when; the viewer's tries are no unmasking.
      const { page: admin, rows: audit } = await auditRows();
      const shown = audit.filter((r) => r.action === 'unmasked');
      assert.equal(shown.length, 1);
      assert.equal(shown[0].account, '值班');
      assert.match(shown[0].words, /显示完整证件号码.*Full document number shown/);
      assert.ok(shown[0].detail.includes(person.name) && shown[0].detail.includes(row[1]), shown[0].detail);
      assert.doesNotMatch(await admin.textContent('body'), FULL_ID);
      await shot(admin, 'audit');
      await admin.close();
    });

    test('CSV export (staff): UTF-8 with BOM, Chinese intact, one row per uploaded person and entry; each export audited', async () => {
      const { persons, entries } = contents(uploaded);
      const page = await openPage('值班');
      await page.click('#nav-persons');
      await page.waitForSelector('#persons:not([hidden])');
      const download = async (button) => {
        const [d] = await Promise.all([page.waitForEvent('download'), page.click(button)]);
        const bytes = readFileSync(await d.path());
        return { name: d.suggestedFilename(), bytes };
      };
      for (const [button, what, count, nameColumn] of [['#export-persons', 'persons', persons.size, 0], ['#export-entries', 'entries', entries.length, 7]]) {
        const { name, bytes } = await download(button);
        assert.match(name, new RegExp(`^C001-${what}-\\d{4}-\\d{2}-\\d{2}\\.csv$`));
        assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 BOM');
        const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(3));
        const rows = parseCsv(text);
        assert.equal(rows[0][nameColumn], '姓名', `${what} header`);
        assert.equal(rows.length - 1, count, `${what} rows`);
        const names = new Set(rows.slice(1).map((r) => r[nameColumn]));
        for (const p of persons.values()) if (what === 'persons') assert.ok(names.has(p.name), p.name);
        assert.ok([...names].every((n) => n.startsWith('测试')), 'Chinese intact');
        if (what === 'persons') {
          const numbers = new Set(rows.slice(1).map((r) => r.find((c) => FULL_ID.test(c))?.trim()));
          for (const d of persons.keys()) assert.ok(numbers.has(d), `${d} in the export`);
        }
      }
      await shot(page, 'export');
      await page.close();

      const viewer = await openPage('小李');
      const refused = await pagePost(viewer, 'export', { community: 'C001', what: 'persons' });
      assert.equal(refused.status, 403);
      await viewer.close();

      const { page: admin, rows } = await auditRows();
      const exports = rows.filter((r) => r.action === 'exported');
      assert.equal(exports.length, 2);
      assert.ok(exports.every((r) => r.account === '值班'));
      assert.ok(exports.some((r) => r.detail.includes('persons') && r.detail.includes(String(persons.size))), JSON.stringify(exports));
      assert.ok(exports.some((r) => r.detail.includes('entries') && r.detail.includes(String(entries.length))), JSON.stringify(exports));
      await admin.close();
    });

    test('roster import: UTF-8 and GBK files taken whole and sent to gates; bad rows listed by line with nothing imported', async () => {
      const header = '姓名,证件类型,证件号码,联系电话,人员类型,住址\r\n';
      const utf8Rows = [['张喆', '居民身份证', '11010519491231002X', '13800138000', '本社区户籍居民', '3-2-501'],
        ['王玥', '护照', 'E7654321', '13912345678', '常住租户', '5-1-302'],
        ['李丽', 'Passport', 'E1234567', '13700137000', 'resident', '1-1-101']];
      const gbkRows = [['赵堃', '居民身份证', '110105195001010012', '13600136000', '本社区户籍居民', '7-3-602'],
        ['钱珺', '护照', 'G7654321', '13500135000', '本社区户籍居民', '8-1-101']];
      const csv = (rows) => header + rows.map((r) => r.join(',') + '\r\n').join('');
      const file = (name, bytes) => { const f = join(work, `${backend}-${name}`); writeFileSync(f, bytes); return f; };
      const page = await openPage('值班');
      await page.click('#nav-persons');
      await page.waitForSelector('#persons:not([hidden]) #roster');
      const importFile = async (path) => {
        await page.evaluate(() => { for (const s of ['#roster-error', '#roster-done']) { document.querySelector(s).hidden = true; delete document.querySelector(s).dataset.code; } });
        await page.setInputFiles('#roster-file', path);
        await page.click('#roster-submit');
        await page.waitForFunction(() => !document.querySelector('#roster-error').hidden || !document.querySelector('#roster-done').hidden);
        return { code: await page.getAttribute('#roster-error', 'data-code'), done: await page.isVisible('#roster-done'), text: await page.textContent('#roster') };
      };
      const rosterNames = async () => new Set((await uploadBatch({ persons: 1, entries: 1, 'person-offset': 400 + batchNo })).roster.map((r) => r.person.name));
      assert.equal((await rosterNames()).size, 0, 'no roster yet');

      // UTF-8 with a BOM, as Excel's "CSV UTF-8" saves it.
      let r = await importFile(file('roster-utf8.csv', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(csv(utf8Rows), 'utf8')])));
      assert.ok(r.done, r.text);
      assert.match(r.text, /已导入 3 人（文件编码 UTF-8）.*Imported 3 \(file encoding UTF-8\)/);
      // GBK, as plain "CSV" from a Chinese Excel: the rare name characters intact.
      r = await importFile(file('roster-gbk.csv', gbk(csv(gbkRows))));
      assert.ok(r.done, r.text);
      assert.match(r.text, /已导入 2 人（文件编码 GBK）/);
      await shot(page, 'roster-imported');
      let names = await rosterNames();
      assert.deepEqual([...names].sort(), [...utf8Rows, ...gbkRows].map((row) => row[0]).sort(), 'the next upload reply carries the roster');

      // Bad rows: each listed by its line, and not one row of the file imported.
      const bad = csv([gbkRows[0].map((c, i) => (i === 0 ? '孙八' : i === 2 ? '110105195001020018' : c)), // line 2: good (a new number)
        ['周九', '居民身份证', '110105195001010013', '13600136000', '本社区户籍居民', '7-3-603'],          // line 3: check digit
        ['吴十', '护照', 'G1111111', '13600136000', '本社区户籍居民', '7-3-604'],                          // line 4: good
        ['', '护照', 'G2222222', '13600136000', '本社区户籍居民', '7-3-605'],                              // line 5: no name
        ['郑一', '驾照', 'G3333333', '13600136000', '本社区户籍居民', '7-3-606']]);                       // line 6: no such type
      r = await importFile(file('roster-bad.csv', gbk(bad)));
      assert.equal(r.code, 'roster.rows_invalid');
      assert.match(r.text, /3 行有误.*未导入任何人.*3 line\(s\) are wrong.*nobody was imported/);
      const lines = await page.$$eval('#roster-problems tbody tr', (trs) => trs.map((tr) => Number(tr.dataset.line)));
      assert.deepEqual(lines, [3, 5, 6]);
      assert.match(await page.textContent('#roster-problems tbody tr[data-line="6"]'), /人员类型|证件类型/);
      await shot(page, 'roster-bad-rows');
      names = await rosterNames();
      assert.equal(names.size, 5, 'nothing of the bad file');
      assert.ok(!names.has('孙八') && !names.has('吴十'));

      // Not a roster: another encoding, foreign columns — refused whole, in words.
      const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(csv(utf8Rows), 'utf16le')]);
      r = await importFile(file('roster-utf16.csv', utf16));
      assert.equal(r.code, 'roster.encoding');
      assert.match(r.text, /无法读取文件的编码.*encoding cannot be read/);
      r = await importFile(file('roster-columns.csv', Buffer.from('姓名,证件类型,证件号码,血型\r\n张喆,居民身份证,11010519491231002X,A\r\n', 'utf8')));
      assert.equal(r.code, 'roster.columns');
      assert.match(r.text, /血型/);
      assert.equal((await rosterNames()).size, 5);
      await page.close();

      const viewer = await openPage('小李');
      const refused = await pagePost(viewer, 'roster/import', { community: 'C001', data: Buffer.from(csv(utf8Rows)).toString('base64') });
      assert.equal(refused.status, 403);
      await viewer.close();

      const { page: admin, rows } = await auditRows();
      const imports = rows.filter((x) => x.action === 'roster_imported');
      assert.equal(imports.length, 2, 'one audit row per import taken');
      assert.ok(imports.every((x) => x.account === '值班'));
      assert.deepEqual(imports.map((x) => x.detail.split(' · ').slice(1)).sort(), [['2', 'GBK'], ['3', 'UTF-8']]);
      await admin.close();
    });
  });
}
