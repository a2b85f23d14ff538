// Bearer tokens: what a gate shows the office service with each upload.
// The office stores only tokenHash(token), so a copy of its database does not
// let anyone upload as a gate.
#pragma once

#include <string>
#include <string_view>

namespace gatepass::crypto {

/// 32 random bytes, base64url (43 characters).
std::string newToken();

/// BLAKE2b-256 (crypto_generichash) of the token's text, hex. Tokens are
/// 256-bit random, so an unsalted fast hash is enough: there is nothing to
/// guess.
std::string tokenHash(std::string_view token);

} // namespace gatepass::crypto
