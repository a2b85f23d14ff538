// The gate database's encryption at rest (src/core/AtRestVfs.h, KeyRing.h)
// over a libsodium-wrappers (sumo) instance, for the core worker
// (Module.gpAtRest, called synchronously from src/wasm/Bindings.cpp while
// SQLite reads and writes pages). Runs in the worker only, never on a page.
//
// The core hands its own memory (`heap`, the wasm module's HEAPU8) and
// offsets: the data key is read where it lies and given to libsodium as a
// view, never turned into a string; what this file copies of it (libsodium.js
// copies its arguments into its own heap) is wiped where libsodium.js lets us.
//
//   seal(heap, text, n, ad, adLen, key, nonce, tag): XChaCha20-Poly1305-IETF,
//       detached, text[0..n) replaced by its ciphertext, a fresh 24-byte nonce
//       and the 16-byte tag written → true
//   open(...): the same in reverse → true, false when it does not authenticate
//   secretbox(heap, data, n, nonce, key) / secretboxOpen(...): crypto_secretbox_easy /
//       _open_easy (the key ring's PIN-wrapped data key) → Uint8Array, null when it does not open

export function atRestCrypto(sodium) {
  const view = (heap, at, n) => heap.subarray(at, at + n);
  return {
    seal(heap, text, n, ad, adLen, key, nonce, tag) {
      const npub = sodium.randombytes_buf(24);
      const r = sodium.crypto_aead_xchacha20poly1305_ietf_encrypt_detached(
        view(heap, text, n), view(heap, ad, adLen), null, npub, view(heap, key, 32));
      heap.set(r.ciphertext, text);
      heap.set(r.mac, tag);
      heap.set(npub, nonce);
      return true;
    },
    open(heap, text, n, ad, adLen, key, nonce, tag) {
      let plain;
      try {
        plain = sodium.crypto_aead_xchacha20poly1305_ietf_decrypt_detached(
          null, view(heap, text, n), view(heap, tag, 16), view(heap, ad, adLen), view(heap, nonce, 24), view(heap, key, 32));
      } catch {
        return false; // not authentic: another key, or a changed page
      }
      heap.set(plain, text);
      sodium.memzero(plain);
      return true;
    },
    secretbox(heap, data, n, nonce, key) {
      return sodium.crypto_secretbox_easy(view(heap, data, n), view(heap, nonce, 24), view(heap, key, 32));
    },
    secretboxOpen(heap, data, n, nonce, key) {
      try {
        return sodium.crypto_secretbox_open_easy(view(heap, data, n), view(heap, nonce, 24), view(heap, key, 32));
      } catch {
        return null;
      }
    },
  };
}
