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

/// {type:'enroll', id, code, passphrase} → the reply of gate.enroll (as settings.get), or the core's error.
addMessage('enroll', async ({ code, passphrase }, callCore) => {
  const prep = await callCore({ op: 'enroll.prepare', code: String(code ?? ''), passphrase: String(passphrase ?? '') });
  if (!prep.ok) return prep;
  const s = await loadSodium();
  const bytes = (text) => s.from_base64(text, s.base64_variants.URLSAFE_NO_PADDING);
  const key = s.crypto_pwhash(s.crypto_secretbox_KEYBYTES, s.from_string(prep.passphrase), bytes(prep.salt),
    s.crypto_pwhash_OPSLIMIT_INTERACTIVE, s.crypto_pwhash_MEMLIMIT_INTERACTIVE, s.crypto_pwhash_ALG_ARGON2ID13);
  let enrollment = null;
  try {
    enrollment = s.to_string(s.crypto_secretbox_open_easy(bytes(prep.box), bytes(prep.nonce), key));
  } catch (e) {
    enrollment = null; // the MAC failed: a wrong passphrase or an altered code (the core words it)
  } finally {
    s.memzero(key);
  }
  return callCore(enrollment === null ? { op: 'gate.enroll' } : { op: 'gate.enroll', enrollment });
});
