// The encryption at rest natively (AtRestVfs.h, KeyRing.h) with libsodium:
// XChaCha20-Poly1305-IETF for the pages; Argon2id, secretbox and sealed boxes
// for the key ring. The browser worker is to call the same constructions
// through libsodium-wrappers.
#pragma once

#include "AtRestVfs.h"
#include "KeyRing.h"

namespace gatepass::crypto {

/// crypto_aead_xchacha20poly1305_ietf_{encrypt,decrypt}_detached, nonces from randombytes_buf.
PageAead pageAead();

/// crypto_pwhash (Argon2id 1.3), crypto_secretbox_easy, randombytes_buf and passCrypto()'s sealed box.
KeyRingCrypto keyRingCrypto();

} // namespace gatepass::crypto
