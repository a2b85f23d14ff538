// Bytes as lower-case hex digits and back: key ids, visitor pass ids, the key
// ring's nonces and boxes. (The wasm core has no libsodium for sodium_bin2hex.)
#pragma once

#include <string>
#include <string_view>

namespace gatepass {

/// Two lower-case hex digits per byte.
std::string hexOf(std::string_view bytes);
/// The bytes of an even count of lower-case hex digits; empty for anything else.
std::string bytesOfHex(std::string_view hex);

} // namespace gatepass
