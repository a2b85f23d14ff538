// What the office's upload reply carries reaching the gate, end to end: a real
// `gatepass office serve` on a temporary SQLite file, the console enrolled with
// the office's code, the office's watch list (`gatepass office watch`), an
// upload whose reply brings it, and then the watched resident's live pass
// through the fake camera: the scan screen shows the core's deny, red, with
// the office's reason, before any temperature.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PEOPLE, openConsole, enrollWithCode, expectWatchedAfterUpload } from './gate-lib.mjs';
import { gp, gpJson } from '../office/lib.mjs';
import { communityOfficeSession } from './office-gate-lib.mjs';

const REASON = '居家观察期未满，请联系社区';
const session = communityOfficeSession({ tag: 'reply', clipName: 'watched.y4m' });
const { skip, clip, env } = session;

test('the office watches a resident: the upload reply brings it, and their pass at the camera shows red with the office\'s reason', { skip, timeout: 300000 }, async () => {
  const code = gpJson('office', 'enroll-gate', '--db', env.db, '--community', 'C001', '--gate', '北门', '--url', env.svc.url, '--json');
  const { context, page, errors } = await openConsole(session.site.url, clip('watched.y4m'), 'office-reply');
  try {
    await enrollWithCode(page, code, env.live);

    const watch = gp('office', 'watch', '--db', env.db, '--community', 'C001', '--doc', PEOPLE.zhe.doc_number.toLowerCase(), '--reason', REASON);
    assert.equal(watch.status, 0, watch.stderr);

    // Another resident's entry is uploaded; the reply brings the watch list; the camera reads the watched pass.
    await expectWatchedAfterUpload(page, REASON, 'office-reply-01-watched', errors);
  } finally {
    await context.close();
  }
});
