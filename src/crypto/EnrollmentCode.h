// The gate enrollment code: the secrets that set a gate up, protected by a
// one-time passphrase that is shown separately.
//
// Text (its shape is the core's: src/core/GateEnrollment.h): "GPE1:" + base64url(salt[16] || nonce[24] || box), where
//   key = crypto_pwhash(32 bytes, passphrase, salt,
//                       OPSLIMIT_INTERACTIVE, MEMLIMIT_INTERACTIVE, ALG_ARGON2ID13)
//   box = crypto_secretbox_easy(JSON, nonce, key)     (XSalsa20-Poly1305)
// Only standard libsodium constructions, so the browser opens it with npm
// libsodium-wrappers (crypto_pwhash + crypto_secretbox_open_easy).
//
// The passphrase is 20 characters from an alphabet without look-alikes
// (no 0 O 1 I), printed in 5 groups of 4 ("7KQM-…"). What goes into the KDF
// is normalizePassphrase(typed) from the core (src/core/Passphrase.h), which
// the browser reaches through the core's op enroll.prepare: one rule, one place.
#pragma once

#include "GateEnrollment.h"
#include "Message.h"
#include "Passphrase.h"

#include <string>
#include <string_view>

namespace gatepass::crypto {

using gatepass::kEnrollmentPrefix;

/// 5 groups of 4 characters, about 100 bits (randombytes_uniform).
std::string newPassphrase();

using gatepass::normalizePassphrase;

/// Seals `json` (the enrollment's JSON text) under the passphrase.
Result<std::string> sealEnrollment(std::string_view json, std::string_view passphrase);

/// The JSON text, or enroll.foreign (not an enrollment code), enroll.damaged
/// (cut short or not base64url) or enroll.wrong_passphrase (the passphrase
/// does not open it — or the code was altered; the two cannot be told apart).
Result<std::string> openEnrollment(std::string_view code, std::string_view passphrase);

} // namespace gatepass::crypto
