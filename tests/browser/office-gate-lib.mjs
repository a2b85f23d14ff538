// A console and its community's office, as the end-to-end tests that enroll a
// gate at a running office service set them up alike (office-reply,
// office-watch-gate, gate-staff-actions).
import assert from 'node:assert/strict';
import { after } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeClip } from './clips/make-clip.mjs';
import { PEOPLE, gateSession } from './gate-lib.mjs';
import { makeCommunity, sealNatively } from './sealed-lib.mjs';
import { addAccount, gp, startService } from '../office/lib.mjs';

/**
 * Registered at the file's top level: the gate session (gateSession, with the
 * CLI), community C001 八角路社区 and its key, PEOPLE.zhe's live pass sealed to
 * it (or what `makePass(community)` makes) and played by the fake camera from the clip `clipName`, an office SQLite
 * database in a temporary folder that registered the community, the
 * `accounts` ([user, password, role]) added, and `gatepass office serve` on
 * it; all stopped and removed after the file's tests.
 * Returns the session ({skip, clip, site}) with `env`: {community, live,
 * db, svc} once set up.
 */
export function communityOfficeSession({ tag, clipName, accounts = [], makePass = (community) => sealNatively(community, PEOPLE.zhe) }) {
  const office = {};
  let work = null;
  const session = gateSession({
    needsCli: true,
    makeClips: async (clip) => {
      office.community = makeCommunity('C001', '八角路社区', 'https://bajiao.example.org/');
      office.live = makePass(office.community);
      await makeClip({ text: office.live, out: clip(clipName) });
      work = mkdtempSync(join(tmpdir(), `gatepass-${tag}-`));
      office.db = join(work, 'office.sqlite');
      const add = gp('office', 'add-community', '--db', office.db, '--key', office.community.dir);
      assert.equal(add.status, 0, add.stderr);
      for (const [user, password, role] of accounts) {
        const account = addAccount(office.db, user, role, password);
        assert.equal(account.status, 0, account.stderr);
      }
      office.svc = await startService(office.db);
    },
  });
  after(async () => {
    await office.svc?.stop();
    office.community?.remove();
    if (work) rmSync(work, { recursive: true, force: true });
  });
  session.env = office;
  return session;
}
