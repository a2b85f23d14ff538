// Base64url without padding (RFC 4648 §5) for the core, which has no
// libsodium: the text form of the enrollment code's bytes and of the keys it
// carries. Canonical only, as libsodium's sodium_base642bin
// (VARIANT_URLSAFE_NO_PADDING) and libsodium-wrappers' from_base64 accept:
// no padding, no white space, no stray bits in the last character.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gatepass {

std::string encodeBase64Url(const std::vector<uint8_t>& bytes);

/// nullopt for anything that is not canonical unpadded base64url.
std::optional<std::vector<uint8_t>> decodeBase64Url(std::string_view text);

} // namespace gatepass
