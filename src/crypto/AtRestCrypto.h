// The encryption at rest natively (AtRestVfs.h): libsodium's
// XChaCha20-Poly1305-IETF for the pages, the same construction the browser
// worker calls through libsodium-wrappers.
#pragma once

#include "AtRestVfs.h"

namespace gatepass::crypto {

/// crypto_aead_xchacha20poly1305_ietf_{encrypt,decrypt}_detached, nonces from randombytes_buf.
PageAead pageAead();

} // namespace gatepass::crypto
