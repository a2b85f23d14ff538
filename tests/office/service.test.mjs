// The office service end to end, the same suite on SQLite and on a throwaway
// PostgreSQL cluster: enroll → upload → person in the office database; bad and
// revoked tokens; replays; tampered, foreign and oversized batches; the rate
// limit; concurrent identical uploads; what the reply carries; retention.
// Run: node --test tests/office/   (GATEPASS_BIN=build/native by default)
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';
import { BIN, GP, gp, gpJson, makeBatch, startPostgres, startService, upload } from './lib.mjs';

const DAY = 86_400_000;
const work = mkdtempSync(join(tmpdir(), 'gatepass-office-'));
const keyDir = join(work, 'key');
let pg;

before(async () => {
  const r = gp('community', 'init', '--code', 'C001', '--name', '八角路社区', '--site', 'https://gate.example.org/', '--out', keyDir);
  assert.equal(r.status, 0, r.stderr);
  pg = await startPostgres();
});
after(() => {
  pg?.stop();
  rmSync(work, { recursive: true, force: true });
});

/** The batch file's persons' document numbers, in file order. */
// The records a batch carries, from make_batch's FILE.body (an enrolled gate's file is sealed).
function docNumbers(file) {
  return readFileSync(`${file}.body`, 'utf8').split('\n').filter(Boolean)
    .map((l) => JSON.parse(l)).filter((l) => l.person).map((l) => l.person.person?.doc_number ?? l.person.doc_number);
}

function waitForLog(svc, re) {
  return new Promise((resolve) => {
    const check = () => { const m = re.exec(svc.log()); if (m) { svc.proc.stderr.off('data', check); resolve(m); } };
    svc.proc.stderr.on('data', check);
    check();
  });
}

for (const backend of ['sqlite', 'postgresql']) {
  describe(`office service on ${backend}`, () => {
    const dir = join(work, backend);
    let db, svc;
    const tokens = {};
    const counts = () => gpJson('office', 'status', '--db', db, '--json').communities.find((c) => c.code === 'C001');
    // Made by the gate as enrolled (its MAC under its gate key), unless `enrolled: false`.
    const batch = (name, { enrolled = true, ...opts } = {}) => {
      const gate = opts.gate ?? '北门';
      const as = enrolled && tokens[gate] ? { enrollment: tokens[gate].code, passphrase: tokens[gate].passphrase } : {};
      return makeBatch(dir, name, { community: 'C001', name: '八角路社区', gate: '北门', ...opts, ...as });
    };

    before(async () => {
      rmSync(dir, { recursive: true, force: true });
      mkdirSync(dir, { recursive: true });
      db = backend === 'sqlite' ? join(dir, 'office.sqlite') : pg.createdb('office');
      assert.equal(gp('office', 'add-community', '--db', db, '--key', keyDir).status, 0);
      for (const gate of ['北门', '南门', '西门'])
        tokens[gate] = gpJson('office', 'enroll-gate', '--db', db, '--community', 'C001', '--gate', gate,
          '--url', 'https://office.example.org', '--json');
      svc = await startService(db, ['--max-upload-mb', '0.25', '--burst', '100', '--rate-per-minute', '600']);
    });
    after(() => svc?.stop());

    test('enroll-gate --json gives the code, passphrase, token and upload address; only the token hash is stored', () => {
      const e = tokens['北门'];
      assert.match(e.code, /^GPE1:[A-Za-z0-9_-]+$/);
      assert.match(e.passphrase, /^([2-9A-HJ-NP-Z]{4}-){4}[2-9A-HJ-NP-Z]{4}$/);
      assert.match(e.token, /^[A-Za-z0-9_-]{43}$/);
      assert.equal(e.upload_url, 'https://office.example.org/api/upload');
      assert.notEqual(tokens['南门'].token, e.token);
      if (backend === 'sqlite') assert.ok(!readFileSync(db).includes(e.token), 'token stored in plain');
      else assert.equal(pg.psql('office', `SELECT count(*) FROM office_gates WHERE token_hash = '${e.token}'`), '0');
      const plainHttp = gp('office', 'enroll-gate', '--db', db, '--community', 'C001', '--gate', '东门', '--url', 'http://office.example.org/');
      assert.notEqual(plainHttp.status, 0);
      assert.match(plainHttp.stderr, /office\.url/);
    });

    let first;
    test('an upload is merged: counts in the reply, the person in the office database', async () => {
      first = batch('b1.batch', { persons: 10, entries: 20 });
      const r = await upload(svc.url, tokens['北门'].token, readFileSync(first), 'gatepass-C001-北门-000001.batch');
      assert.equal(r.status, 200, r.text);
      assert.equal(r.json.already, false);
      assert.deepEqual(r.json.added, { persons: 10, persons_updated: 0, entries: 20 });
      assert.deepEqual(r.json.batch, { community: 'C001', gate: '北门', seq: 1 });
      assert.deepEqual([r.json.revocations, r.json.watch_list, r.json.roster, r.json.conflicts], [[], [], [], []]);
      assert.equal(r.headers.get('access-control-allow-origin'), '*');
      const doc = docNumbers(first)[0];
      const found = gp('office', 'find', '--db', db, '--community', 'C001', doc);
      assert.equal(found.status, 0, found.stderr);
      assert.equal(JSON.parse(found.stdout).person.doc_number, doc);
      const c = counts();
      assert.deepEqual([c.persons, c.entries], [10, 20]);
      assert.ok(c.gates.find((g) => g.name === '北门').last_upload_at > 0);
    });

    test("an enrolled gate's batch is sealed to the community key: no ID number, phone or name in the file", () => {
      const sealed = readFileSync(first);
      assert.equal(sealed.toString('utf8', 0, sealed.indexOf(10)), 'GATEPASS-BATCH 3');
      // The same people as format 2: the same search finds them there, so it can fail.
      const plain = readFileSync(batch('b1plain.batch', { persons: 10, entries: 20, plain: true }));
      assert.equal(plain.toString('utf8', 0, plain.indexOf(10)), 'GATEPASS-BATCH 2');
      const people = readFileSync(`${first}.body`, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)).filter((l) => l.person);
      assert.equal(people.length, 10);
      for (const { person: { person: p } } of people) {
        for (const value of [p.doc_number, p.phone, p.name]) {
          assert.ok(plain.includes(Buffer.from(value)), `format 2 holds ${value}`);
          assert.ok(!sealed.includes(Buffer.from(value)), 'a personal value in the sealed file');
        }
      }
    });

    test('a batch sealed to a key this office does not hold: 400 batch.sealed_other_key, nothing stored, by upload and by CLI', async () => {
      const keys = join(dir, 'other-keys');
      assert.equal(gp('community', 'init', '--code', 'C001', '--name', '八角路社区', '--site', 'https://gate.example.org/', '--out', keys).status, 0);
      const file = batch('other-key.batch', { persons: 2, entries: 2, 'person-offset': 90, 'seal-to': keys });
      const before = counts();
      const r = await upload(svc.url, tokens['北门'].token, readFileSync(file));
      assert.equal(r.status, 400, r.text);
      assert.equal(r.json.error.code, 'batch.sealed_other_key');
      assert.ok(r.json.error.zh && r.json.error.en);
      const cli = gp('batch', 'import', '--db', db, file);
      assert.equal(cli.status, 1);
      assert.match(cli.stderr, /batch\.sealed_other_key/);
      assert.deepEqual([counts().persons, counts().entries], [before.persons, before.entries]);
    });

    test('the same batch again is answered "already" and adds nothing', async () => {
      const r = await upload(svc.url, tokens['北门'].token, readFileSync(first));
      assert.equal(r.status, 200, r.text);
      assert.equal(r.json.already, true);
      assert.deepEqual(r.json.added, { persons: 0, persons_updated: 0, entries: 0 });
      assert.equal(counts().entries, 20);
    });

    test('no token, an unknown token, a revoked token: 401 and nothing stored', async () => {
      const body = readFileSync(batch('b401.batch', { gate: '南门', persons: 2, entries: 3, 'person-offset': 50 }));
      for (const token of [undefined, 'not-a-token', tokens['北门'].token.replace(/^./, (c) => (c === 'A' ? 'B' : 'A'))]) {
        const r = await upload(svc.url, token, body);
        assert.equal(r.status, 401, r.text);
        assert.equal(r.json.error.code, 'upload.unauthorized');
        assert.ok(r.json.error.zh && r.json.error.en);
      }
      assert.equal(gp('office', 'revoke-gate', '--db', db, '--community', 'C001', '--gate', '南门').status, 0);
      const revoked = await upload(svc.url, tokens['南门'].token, body);
      assert.equal(revoked.status, 401);
      assert.equal(counts().entries, 20);
      assert.match(gp('office', 'revoke-gate', '--db', db, '--community', 'C001', '--gate', '无此门').stderr, /office\.gate_not_found/);

      const again = gpJson('office', 'enroll-gate', '--db', db, '--community', 'C001', '--gate', '南门', '--url', 'https://office.example.org/', '--json');
      assert.equal((await upload(svc.url, tokens['南门'].token, body)).status, 401, 'the old token stays dead');
      // Enrolled again, the gate has a new key too: what the old key MACed is not believed.
      const oldKey = await upload(svc.url, again.token, body);
      assert.equal(oldKey.status, 401, oldKey.text);
      assert.equal(oldKey.json.error.code, 'batch.unauthenticated');
      tokens['南门'] = again;
      const ok = await upload(svc.url, again.token, readFileSync(batch('b401b.batch', { gate: '南门', persons: 2, entries: 3, 'person-offset': 50 })));
      assert.equal(ok.status, 200, ok.text);
      assert.equal(ok.json.added.entries, 3);
    });

    test('a tampered or truncated batch: 400 with the core message, nothing stored', async () => {
      const text = readFileSync(batch('b400.batch', { persons: 3, entries: 5, 'person-offset': 60, plain: true }), 'utf8');
      const tampered = text.replace('"temperature":36.5', '"temperature":35.5');
      assert.notEqual(tampered, text);
      // Sealed (format 3): one base64url character of the sealed body changed; the sealed box does not open.
      const sealed = readFileSync(batch('b400s.batch', { persons: 3, entries: 5, 'person-offset': 60 }), 'utf8');
      const at = sealed.indexOf('\n', sealed.indexOf('\n') + 1) + 41;
      const sealedTampered = sealed.slice(0, at) + (sealed[at] === 'A' ? 'B' : 'A') + sealed.slice(at + 1);
      const before = counts();
      for (const [body, code] of [[tampered, 'batch.damaged'], [text.slice(0, text.length - 40), 'batch.damaged'],
        [sealedTampered, 'batch.damaged'], [sealed.slice(0, sealed.length - 40), 'batch.damaged'], ['hello', 'batch.foreign']]) {
        const r = await upload(svc.url, tokens['北门'].token, body);
        assert.equal(r.status, 400, r.text);
        assert.equal(r.json.error.code, code);
        assert.ok(r.json.error.zh.length > 0 && r.json.error.en.length > 0);
      }
      assert.deepEqual([counts().persons, counts().entries], [before.persons, before.entries]);
    });

    test("another community's batch, or another gate's: 403, nothing stored", async () => {
      const before = counts();
      const foreign = readFileSync(batch('b403c.batch', { enrolled: false, community: 'C999', name: '别的社区', persons: 2, entries: 2, 'person-offset': 70 }));
      const r1 = await upload(svc.url, tokens['北门'].token, foreign);
      assert.equal(r1.status, 403, r1.text);
      assert.equal(r1.json.error.code, 'upload.other_community');
      const south = readFileSync(batch('b403g.batch', { gate: '南门', persons: 2, entries: 2, 'person-offset': 70 }));
      const r2 = await upload(svc.url, tokens['北门'].token, south);
      assert.equal(r2.status, 403, r2.text);
      assert.equal(r2.json.error.code, 'upload.other_gate');
      assert.deepEqual([counts().persons, counts().entries], [before.persons, before.entries]);
    });

    test('a batch its gate did not make, or not as made: 401 batch.unauthenticated, nothing stored; genuine ones still merge', async () => {
      // Format 2 (not sealed), so that its records can be edited as a forger would.
      const file = batch('auth.batch', { persons: 2, entries: 4, 'person-offset': 3000, plain: true });
      const genuine = readFileSync(file, 'utf8');
      const [magic, header, ...rest] = genuine.split('\n');
      const body = rest.join('\n');
      assert.equal(magic, 'GATEPASS-BATCH 2');
      assert.match(header, /,"mac":"[A-Za-z0-9_-]{43}"}$/);
      const sha = (b) => createHash('sha256').update(b).digest('hex');
      const withSha = (h, b) => h.replace(/"body_sha256":"[0-9a-f]+"/, `"body_sha256":"${sha(b)}"`);
      const edited = body.replace('"temperature":36.5', '"temperature":35.5');
      assert.notEqual(edited, body);
      const unsigned = JSON.parse(header);
      delete unsigned.mac;
      const forgeries = {
        'one body byte changed, checksum recomputed': [magic, withSha(header, edited), edited].join('\n'),
        'the MAC made with another gate\'s key': readFileSync(batch('auth-south.batch',
          { gate: '南门', 'as-gate': '北门', persons: 2, entries: 4, 'person-offset': 3000 })),
        'a header naming another gate': [magic, header.replace('"gate":"北门"', '"gate":"南门"'), body].join('\n'),
        'a format-1 file': ['GATEPASS-BATCH 1', JSON.stringify({ ...unsigned, format: 1 }), body].join('\n'),
        'no MAC (a gate never enrolled)': readFileSync(batch('auth-none.batch', { enrolled: false, persons: 2, entries: 4, 'person-offset': 3000 })),
        'a made-up MAC': [magic, header.replace(/"mac":"[^"]+"/, `"mac":"${'A'.repeat(43)}"`), body].join('\n'),
        'hand-made, checksum recomputed': [magic, JSON.stringify({ ...unsigned, body_sha256: sha(edited) }), edited].join('\n'),
      };
      const before = counts();
      for (const [what, forged] of Object.entries(forgeries)) {
        const token = what === 'a header naming another gate' ? tokens['南门'].token : tokens['北门'].token;
        const r = await upload(svc.url, token, forged);
        assert.equal(r.status, 401, `${what}: ${r.text}`);
        assert.equal(r.json.error.code, 'batch.unauthenticated', what);
        assert.ok(r.json.error.zh && r.json.error.en);
        // On a USB stick: the CLI checks it the same way.
        const f = join(dir, 'forged.batch');
        writeFileSync(f, forged);
        const cli = gp('batch', 'import', '--db', db, f);
        assert.equal(cli.status, 1, what);
        assert.match(cli.stderr, /batch\.unauthenticated/, what);
      }
      assert.deepEqual([counts().persons, counts().entries], [before.persons, before.entries]);
      for (const d of docNumbers(file)) assert.equal(gp('office', 'find', '--db', db, '--community', 'C001', d).status, 1);

      const ok = await upload(svc.url, tokens['北门'].token, genuine);
      assert.equal(ok.status, 200, ok.text);
      assert.equal(ok.json.added.entries, 4);
      // The CLI merges a genuine file from the stick; the same one again adds nothing.
      const stick = batch('stick.batch', { gate: '西门', persons: 1, entries: 2, 'person-offset': 3100 });
      const imported = gp('batch', 'import', '--db', db, stick);
      assert.equal(imported.status, 0, imported.stderr);
      assert.match(imported.stdout, /entries added 2/);
      assert.match(gp('batch', 'import', '--db', db, stick).stdout, /already imported/);
      assert.deepEqual([counts().persons, counts().entries], [before.persons + 3, before.entries + 6]);
    });

    test('over the size limit: 413 stating the limit, nothing stored', async () => {
      const big = readFileSync(batch('big.batch', { persons: 50, entries: 1500, 'person-offset': 80 }));
      assert.ok(big.length > 0.25 * 1048576);
      const before = counts();
      const r = await upload(svc.url, tokens['北门'].token, big);
      assert.equal(r.status, 413, r.text);
      assert.equal(r.json.error.code, 'upload.too_large');
      assert.match(r.json.error.en, /262144 bytes/);
      assert.equal(counts().entries, before.entries);
    });

    test('eight concurrent uploads of one batch add it once', async () => {
      // Sealed (format 3), base64url: a third larger than the same records in format 2, under the 0.25 MiB limit.
      const body = readFileSync(batch('same.batch', { persons: 100, entries: 450, 'person-offset': 100 }));
      assert.ok(body.length < 0.25 * 1048576, `${body.length} bytes`);
      const before = counts();
      const replies = await Promise.all(Array.from({ length: 8 }, () => upload(svc.url, tokens['北门'].token, body)));
      assert.deepEqual(replies.map((r) => r.status), Array(8).fill(200));
      const fresh = replies.filter((r) => !r.json.already);
      assert.equal(fresh.length, 1);
      assert.equal(fresh[0].json.added.entries, 450);
      assert.equal(counts().entries, before.entries + 450);
      assert.equal(counts().persons, before.persons + 100);
    });

    test("a newer record from another gate wins; the conflict is reported with the number masked", async () => {
      const file = batch('newer.batch', { gate: '南门', persons: 2, entries: 2, phone: '13900139000', 'updated-at': Date.now() + 60_000 });
      const r = await upload(svc.url, tokens['南门'].token, readFileSync(file));
      assert.equal(r.status, 200, r.text);
      assert.equal(r.json.added.persons_updated, 2);
      assert.deepEqual(r.json.conflicts.map((c) => c.code), ['merge.newer_incoming', 'merge.newer_incoming']);
      const docs = docNumbers(file);
      for (const d of docs) assert.ok(!JSON.stringify(r.json.conflicts).includes(d), 'full number in a conflict');
      assert.equal(JSON.parse(gp('office', 'find', '--db', db, '--community', 'C001', docs[0]).stdout).person.phone, '13900139000');
    });

    test('a watch-list row reaches the gate with the next reply', async () => {
      const doc = docNumbers(first)[1];
      assert.equal(gp('office', 'watch', '--db', db, '--community', 'C001', '--doc', doc, '--reason', '居家观察').status, 0);
      const r = await upload(svc.url, tokens['北门'].token, readFileSync(batch('w.batch', { persons: 1, entries: 1, 'person-offset': 900 })));
      assert.equal(r.status, 200, r.text);
      assert.equal(r.json.watch_list.length, 1);
      assert.equal(r.json.watch_list[0].doc_number, doc);
      assert.equal(r.json.watch_list[0].reason, '居家观察');
      // A replay carries it too: a gate whose first reply was lost still gets it.
      const again = await upload(svc.url, tokens['北门'].token, readFileSync(first));
      assert.equal(again.json.watch_list[0].doc_number, doc);
    });

    test('revoke-person and watch reach the gate with the next reply in the shape it checks; a malformed number is refused', async () => {
      const doc = docNumbers(first)[2];
      // Typed with a space and a lower-case x: stored as gates store numbers.
      const typed = doc.toLowerCase().replace(/^(.{6})/, '$1 ');
      const r0 = gp('office', 'revoke-person', '--db', db, '--community', 'C001', '--doc', typed, '--reason', '已搬离本社区');
      assert.equal(r0.status, 0, r0.stderr);
      assert.ok(!r0.stdout.includes(doc), 'the full number printed');
      for (const [cmd, bad, code] of [['revoke-person', '张三', 'feed.row_invalid'], ['watch', 'ab', 'feed.row_invalid']]) {
        const r = gp('office', cmd, '--db', db, '--community', 'C001', '--doc', bad, '--reason', 'x');
        assert.notEqual(r.status, 0);
        assert.match(r.stderr, new RegExp(code.replace('.', '\\.')));
      }
      assert.notEqual(gp('office', 'watch', '--db', db, '--community', 'C001', '--doc', doc, '--reason', 'a\nb').status, 0);
      assert.notEqual(gp('office', 'revoke-person', '--db', db, '--community', 'C404', '--doc', doc, '--reason', 'x').status, 0);
      const r = await upload(svc.url, tokens['北门'].token, readFileSync(first));
      assert.equal(r.status, 200, r.text);
      const revoked = r.json.revocations.filter((v) => v.subject === doc);
      assert.equal(revoked.length, 1);
      assert.deepEqual([revoked[0].kind, revoked[0].reason], ['person', '已搬离本社区']);
      assert.ok(Number.isInteger(revoked[0].revoked_at) && revoked[0].revoked_at > Date.now() - 60_000);
    });

    test('a card revoked at a gate travels in its batch: the office adds it to every gate\'s reply, the newer of a card winning, by upload and by batch import', async () => {
      const card = (v) => v.kind === 'card' && v.subject === 'G1A2B-9';
      // Uploaded by the north gate (sealed, MACed); the reply to the west gate carries it.
      const revoked = batch('rv1.batch', { persons: 0, entries: 0, 'revoke-card': 'g1a2b-9', reason: '卡丢失', 'revoked-ago': 5000 });
      let r = await upload(svc.url, tokens['北门'].token, readFileSync(revoked));
      assert.equal(r.status, 200, r.text);
      assert.deepEqual(r.json.revocations.filter(card).map((v) => v.reason), ['卡丢失']);
      const west = batch('rv-west.batch', { gate: '西门', persons: 1, entries: 1, 'person-offset': 950 });
      r = await upload(svc.url, tokens['西门'].token, readFileSync(west));
      assert.equal(r.status, 200, r.text);
      const row = r.json.revocations.filter(card);
      assert.deepEqual(row.map((v) => v.reason), ['卡丢失']);
      assert.ok(row[0].revoked_at < Date.now() - 4000 && row[0].revoked_at > Date.now() - 60_000);
      // An older revocation of the same card (a gate that was offline longer) changes nothing.
      const older = batch('rv2.batch', { gate: '南门', persons: 0, entries: 0, 'revoke-card': 'G1A2B-9', reason: '旧的', 'revoked-ago': 30_000 });
      r = await upload(svc.url, tokens['南门'].token, readFileSync(older));
      assert.equal(r.status, 200, r.text);
      assert.deepEqual(r.json.revocations.filter(card).map((v) => v.reason), ['卡丢失']);
      // A newer one, through `gatepass batch import` (the office CLI's merge): it replaces it.
      const newer = batch('rv3.batch', { gate: '南门', persons: 0, entries: 0, 'revoke-card': 'G1A2B-9', reason: '又丢了' });
      const imp = gp('batch', 'import', '--db', db, newer);
      assert.equal(imp.status, 0, imp.stderr);
      r = await upload(svc.url, tokens['西门'].token, readFileSync(west));
      assert.deepEqual(r.json.revocations.filter(card).map((v) => v.reason), ['又丢了']);
    });

    test('a single-use visitor pass let in at one gate: the office feeds its use to every gate, and stops once the pass\'s days are past', async () => {
      const used = (id) => (v) => v.subject === `VP-${id.toUpperCase()}`;
      // Let in at the north gate: its batch carries the use with the entry (VisitorUse.h).
      let r = await upload(svc.url, tokens['北门'].token, readFileSync(batch('vu1.batch', { persons: 0, entries: 0, 'visitor-use': 'a1b2c3d4e5f60718' })));
      assert.equal(r.status, 200, r.text);
      const west = batch('vu-west.batch', { gate: '西门', persons: 1, entries: 1, 'person-offset': 960 });
      r = await upload(svc.url, tokens['西门'].token, readFileSync(west));
      assert.equal(r.status, 200, r.text);
      assert.deepEqual(r.json.revocations.filter(used('a1b2c3d4e5f60718')).map((v) => [v.kind, v.reason]),
        [['person', '单次访客码已使用 / Single-use visitor pass used']]);
      // A use nine days old (a gate offline that long): merged, but no pass of it can open any more, so not sent.
      r = await upload(svc.url, tokens['南门'].token, readFileSync(batch('vu2.batch', {
        gate: '南门', persons: 0, entries: 0, 'visitor-use': 'b1b2c3d4e5f60718', 'visitor-used-ago': 9 * 86_400_000 })));
      assert.equal(r.status, 200, r.text);
      assert.deepEqual(r.json.revocations.filter(used('b1b2c3d4e5f60718')), []);
      assert.equal(r.json.revocations.filter(used('a1b2c3d4e5f60718')).length, 1);
    });

    test('two uploads of one batch racing on threads through the Upload handler: merged once, both 200 (native)', () => {
      const target = backend === 'sqlite' ? join(dir, 'race.sqlite') : pg.createdb('race');
      execFileSync(join(BIN, 'tests/office/office_race'), [], { env: { ...process.env, GATEPASS_OFFICE_DB: target }, stdio: 'pipe' });
    });

    test('the dashboard\'s storage: accounts, lock-out, sessions, audit log, overview counts (native, on this backend)', () => {
      const target = backend === 'sqlite' ? join(dir, 'dashboard.sqlite') : pg.createdb('dashboard');
      execFileSync(join(BIN, 'tests/office/office_dashboard_db'), [], { env: { ...process.env, GATEPASS_OFFICE_DB: target }, stdio: 'pipe' });
    });

    test('add-account: the password from stdin, stored as an Argon2id hash; bad input named in zh and en, nothing changed', () => {
      const add = (user, role, input, target = db) =>
        spawnSync(GP, ['office', 'add-account', '--db', target, '--user', user, '--role', role], { input, encoding: 'utf8' });
      const ok = add('主任', 'admin', 'secret-八角路-2026\n');
      assert.equal(ok.status, 0, ok.stderr);
      assert.match(ok.stdout, /主任 \(admin\)/);
      if (backend === 'sqlite') assert.ok(!readFileSync(db).includes('secret-八角路-2026'), 'password stored in plain');
      else assert.match(pg.psql('office', "SELECT password_hash FROM office_accounts WHERE name = '主任'"), /^\$argon2id\$/);
      const cases = [
        [['主任', 'staff', 'another-password\n'], 'account.exists', /已有名为“主任”的账号/],
        [['新人', 'boss', 'another-password\n'], 'account.role', /角色须为/],
        [['新人', 'staff', 'short\n'], 'account.password_short', /密码至少 10 个字符/],
        [['新人', 'staff', ''], 'account.no_password', /没有读到密码/],
        [['', 'staff', 'another-password\n'], 'account.name', /用户名须为/],
        [['a'.repeat(41), 'staff', 'another-password\n'], 'account.name', /用户名须为/],
      ];
      for (const [args, code, zh] of cases) {
        const r = add(...args);
        assert.notEqual(r.status, 0, code);
        assert.match(r.stderr, new RegExp(code.replace('.', '\\.')));
        assert.match(r.stderr, zh);
      }
      // Nothing changed: one account, still an admin. A refused first account creates no database file.
      if (backend === 'sqlite') {
        const fresh = join(dir, 'never.sqlite');
        assert.notEqual(add('新人', 'boss', 'another-password\n', fresh).status, 0);
        assert.equal(existsSync(fresh), false);
      } else assert.equal(pg.psql('office', 'SELECT count(*) || role FROM office_accounts GROUP BY role'), '1admin');
    });

    test('retention: the service purges on start, and `office purge` deletes only what is due', async () => {
      // 3 people seen only 40 days ago (6 entries); 1 person whose record is
      // 40 days old but who came in 2 days ago; everyone above is from today.
      const old = batch('old.batch', { persons: 3, entries: 6, 'person-offset': 1000, 'days-ago': 40 });
      const mixed = batch('mixed.batch', { persons: 1, entries: 2, 'person-offset': 2000, 'days-ago': 2, 'updated-at': Date.now() - 40 * DAY });
      for (const f of [old, mixed]) assert.equal((await upload(svc.url, tokens['北门'].token, readFileSync(f))).status, 200);
      const before = counts();

      const restarted = await startService(db, []);
      try {
        const m = await waitForLog(restarted, /purge C001: entries (\d+), persons (\d+)/);
        assert.deepEqual([Number(m[1]), Number(m[2])], [6, 3]);
      } finally { await restarted.stop(); }
      assert.deepEqual([counts().entries, counts().persons], [before.entries - 6, before.persons - 3]);
      for (const d of docNumbers(old)) assert.equal(gp('office', 'find', '--db', db, '--community', 'C001', d).status, 1);
      assert.equal(gp('office', 'find', '--db', db, '--community', 'C001', docNumbers(mixed)[0]).status, 0);
      assert.equal(gp('office', 'find', '--db', db, '--community', 'C001', docNumbers(first)[0]).status, 0);
      const once = gp('office', 'purge', '--db', db);
      assert.equal(once.status, 0);
      assert.match(once.stdout, /purge C001: entries 0, persons 0/);
      assert.ok(!/1101/.test(restarted.log()), 'a document number in the service log');
    });

    test('past the per-gate rate: 429 with Retry-After, nothing stored; other gates unaffected', async () => {
      const limited = await startService(db, ['--burst', '2', '--rate-per-minute', '1']);
      try {
        const before = counts();
        const bodies = [0, 1, 2].map((i) => readFileSync(batch(`r${i}.batch`, { gate: '西门', persons: 1, entries: 1, 'person-offset': 400 + i })));
        const statuses = [];
        for (const b of bodies) statuses.push(await upload(limited.url, tokens['西门'].token, b));
        assert.deepEqual(statuses.map((r) => r.status), [200, 200, 429]);
        assert.equal(statuses[2].json.error.code, 'upload.rate_limited');
        assert.ok(Number(statuses[2].headers.get('retry-after')) >= 1);
        assert.equal(counts().entries, before.entries + 2);
        const other = await upload(limited.url, tokens['北门'].token, readFileSync(first));
        assert.equal(other.status, 200);
      } finally { await limited.stop(); }
    });

    test('a person deleted at the gate is deleted here with their entries, by the next batch', async () => {
      const before = counts();
      const one = batch('del1.batch', { gate: '南门', persons: 1, entries: 3, 'person-offset': 700, 'days-ago': 1 });
      assert.equal((await upload(svc.url, tokens['南门'].token, readFileSync(one))).status, 200);
      const doc = docNumbers(one)[0];
      assert.equal(gp('office', 'find', '--db', db, '--community', 'C001', doc).status, 0);
      assert.deepEqual([counts().persons, counts().entries], [before.persons + 1, before.entries + 3]);
      const del = batch('del2.batch', { gate: '南门', persons: 0, entries: 0, deletes: 700 });
      assert.match(readFileSync(`${del}.body`, 'utf8'), /"deletion"/);
      const r = await upload(svc.url, tokens['南门'].token, readFileSync(del));
      assert.equal(r.status, 200, r.text);
      assert.deepEqual(r.json.deleted, { persons: 1 });
      assert.notEqual(gp('office', 'find', '--db', db, '--community', 'C001', doc).status, 0);
      assert.deepEqual([counts().persons, counts().entries], [before.persons, before.entries]);
    });
  });
}
