// What the office's upload reply carries reaching the gate, end to end: a real
// `gatepass office serve` on a temporary SQLite file, the console enrolled with
// the office's code, the office's watch list (`gatepass office watch`), an
// upload whose reply brings it, and then the watched resident's live pass
// through the fake camera: the scan screen shows the core's deny, red, with
// the office's reason, before any temperature.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeClip } from './clips/make-clip.mjs';
import { PEOPLE, openConsole, enrollWithCode, expectWatchedAfterUpload, gateSession } from './gate-lib.mjs';
import { makeCommunity, sealNatively } from './sealed-lib.mjs';
import { gp, gpJson, startService } from '../office/lib.mjs';

const REASON = '居家观察期未满，请联系社区';
let community = null;
let live = null;
let work, db, svc;
const session = gateSession({
  needsCli: true,
  makeClips: async (clip) => {
    community = makeCommunity('C001', '八角路社区', 'https://bajiao.example.org/');
    live = sealNatively(community, PEOPLE.zhe);
    await makeClip({ text: live, out: clip('watched.y4m') });
    // The office of that community (here: the session's setup runs first, with the key).
    work = mkdtempSync(join(tmpdir(), 'gatepass-reply-'));
    db = join(work, 'office.sqlite');
    const add = gp('office', 'add-community', '--db', db, '--key', community.dir);
    assert.equal(add.status, 0, add.stderr);
    svc = await startService(db);
  },
});
const { skip, clip } = session;
after(async () => {
  await svc?.stop();
  community?.remove();
  if (work) rmSync(work, { recursive: true, force: true });
});

test('the office watches a resident: the upload reply brings it, and their pass at the camera shows red with the office\'s reason', { skip, timeout: 300000 }, async () => {
  const code = gpJson('office', 'enroll-gate', '--db', db, '--community', 'C001', '--gate', '北门', '--url', svc.url, '--json');
  const { context, page, errors } = await openConsole(session.site.url, clip('watched.y4m'), 'office-reply');
  try {
    await enrollWithCode(page, code, live);

    const watch = gp('office', 'watch', '--db', db, '--community', 'C001', '--doc', PEOPLE.zhe.doc_number.toLowerCase(), '--reason', REASON);
    assert.equal(watch.status, 0, watch.stderr);

    // Another resident's entry is uploaded; the reply brings the watch list; the camera reads the watched pass.
    await expectWatchedAfterUpload(page, REASON, 'office-reply-01-watched', errors);
  } finally {
    await context.close();
  }
});
