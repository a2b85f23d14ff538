// The sealed-box operations of live passes, the MAC of gate batches
// (src/core/PassCrypto.h, Batch.h format 2) and the SHA-256 of checksums
// (src/core/Digest.h) over a
// libsodium-wrappers instance, for the core worker (Module.gpCrypto, called
// from src/wasm/Bindings.cpp). Each face's worker stub passes its build: the
// sumo one on both faces (the standard build has no crypto_hash_sha256; the
// gate also needs it for enrollment codes). Runs in the worker only, never on a page.
//
// Keys are unpadded base64url text (libsodium's URLSAFE_NO_PADDING, as the
// native side writes them); bytes are Uint8Arrays. Every function answers
// null instead of throwing: the core turns that into a message.

/// src/core/Digest.h's SHA-256 (crypto_hash_sha256) over a libsodium-wrappers
/// instance: bytes → 32 bytes. Fed in 1 MiB pieces, so a 50 MB batch body is
/// never copied whole into libsodium's own heap. The core calls it synchronously
/// (Module.gpSha256); every face's worker gives it, and so do the Node test runners.
export function sha256Of(sodium) {
  const PIECE = 1 << 20;
  return (bytes) => {
    const state = sodium.crypto_hash_sha256_init();
    for (let at = 0; at < bytes.length; at += PIECE)
      sodium.crypto_hash_sha256_update(state, bytes.subarray(at, at + PIECE));
    return sodium.crypto_hash_sha256_final(state);
  };
}

export function passCrypto(sodium) {
  const key32 = (text) => {
    const k = sodium.from_base64(text, sodium.base64_variants.URLSAFE_NO_PADDING);
    if (k.length !== 32) throw new Error('not a 32-byte key');
    return k;
  };
  const orNull = (f) => (...a) => { try { return f(...a); } catch { return null; } };
  return {
    seal: orNull((plain, publicKey) => sodium.crypto_box_seal(plain, key32(publicKey))),
    open: orNull((sealed, publicKey, secretKey) => {
      const sk = key32(secretKey);
      try { return sodium.crypto_box_seal_open(sealed, key32(publicKey), sk); } finally { sodium.memzero(sk); }
    }),
    // Pass.h's key id: the first 4 bytes of BLAKE2b-256 of the public key.
    keyId: orNull((publicKey) => sodium.crypto_generichash(32, key32(publicKey)).slice(0, 4)),
    // Batch.h format 2: crypto_auth (HMAC-SHA-512-256) under the gate key, the native side's construction.
    mac: orNull((message, gateKey) => {
      const k = key32(gateKey);
      try { return sodium.crypto_auth(message, k); } finally { sodium.memzero(k); }
    }),
    sha256: orNull(sha256Of(sodium)), // Module.gpSha256 (src/core/Digest.h)
    verify: (tag, message, gateKey) => {
      try {
        const k = key32(gateKey);
        try { return sodium.crypto_auth_verify(tag, message, k); } finally { sodium.memzero(k); }
      } catch { return false; }
    },
  };
}

/// Loads a libsodium-wrappers ES module (its URL relative to the caller) and wraps it; null when it cannot load.
export async function loadPassCrypto(importSodium) {
  try {
    const { default: sodium } = await importSodium();
    await sodium.ready;
    return passCrypto(sodium);
  } catch {
    return null;
  }
}
