// The sealed-box operations of live passes and the MAC of gate batches
// (src/core/PassCrypto.h, Batch.h format 2) over a
// libsodium-wrappers instance, for the core worker (Module.gpCrypto, called
// from src/wasm/Bindings.cpp). Each face's worker stub passes its own build:
// the resident page the standard one (sealing), the gate the sumo one (which
// it also needs for enrollment codes). Runs in the worker only, never on a page.
//
// Keys are unpadded base64url text (libsodium's URLSAFE_NO_PADDING, as the
// native side writes them); bytes are Uint8Arrays. Every function answers
// null instead of throwing: the core turns that into a message.

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
