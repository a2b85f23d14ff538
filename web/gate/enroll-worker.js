// Enrolling this gate, the worker's half (the page's half is in
// view-settings.js): the office's code and its passphrase come in, the opened
// enrollment goes straight into the core, and only the core's settings reply
// (community, gate, addresses; never a key or the token) goes back to the page.
//
// The core splits the code and normalises the passphrase (op enroll.prepare),
// libsodium-wrappers-sumo derives the key and opens the box exactly as
// src/crypto/EnrollmentCode.h seals it, and the core checks and stores the
// JSON (op gate.enroll), wording every failure.
import { addMessage } from '../shared/core-worker.js';

let sodium = null;

/// libsodium (about 1 MB) is loaded the first time a code is opened, not at start.
async function loadSodium() {
  if (!sodium) {
    const m = await import('../vendor/libsodium-sumo/sodium.mjs');
    await m.ready;
    sodium = m.default;
  }
  return sodium;
}

/// Opens a code: the enrollment's JSON text, or null when the box did not open
/// (a wrong passphrase or an altered code: the core words it), or the core's
/// refusal of the code itself ({ok:false}).
async function openCode(code, passphrase, callCore) {
  const prep = await callCore({ op: 'enroll.prepare', code: String(code ?? ''), passphrase: String(passphrase ?? '') });
  if (!prep.ok) return { refused: prep };
  const s = await loadSodium();
  const bytes = (text) => s.from_base64(text, s.base64_variants.URLSAFE_NO_PADDING);
  const key = s.crypto_pwhash(s.crypto_secretbox_KEYBYTES, s.from_string(prep.passphrase), bytes(prep.salt),
    s.crypto_pwhash_OPSLIMIT_INTERACTIVE, s.crypto_pwhash_MEMLIMIT_INTERACTIVE, s.crypto_pwhash_ALG_ARGON2ID13);
  try {
    return { enrollment: s.to_string(s.crypto_secretbox_open_easy(bytes(prep.box), bytes(prep.nonce), key)) };
  } catch (e) {
    return { enrollment: null }; // the MAC failed
  } finally {
    s.memzero(key);
  }
}

/// {type:'enroll', id, code, passphrase, staff} → the reply of gate.enroll (as settings.get), or the
/// core's error; the core logs the enrollment as the staff member's.
addMessage('enroll', async ({ code, passphrase, staff }, callCore) => {
  const o = await openCode(code, passphrase, callCore);
  if (o.refused) return o.refused;
  const req = { op: 'gate.enroll', staff: String(staff ?? '') };
  if (o.enrollment !== null) req.enrollment = o.enrollment;
  return callCore(req);
});

/// {type:'recover', id, code, passphrase, pin} → the reply of lock.recover (the lock's status), or the
/// core's error: a lock-out or a forgotten PIN, opened again with the office's code for this gate.
addMessage('recover', async ({ code, passphrase, pin }, callCore) => {
  const o = await openCode(code, passphrase, callCore);
  if (o.refused) return o.refused;
  const req = { op: 'lock.recover', pin: String(pin ?? '') };
  if (o.enrollment !== null) req.enrollment = o.enrollment;
  return callCore(req);
});
