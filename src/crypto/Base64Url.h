// Base64url without padding (RFC 4648 §5), libsodium's
// sodium_base64_VARIANT_URLSAFE_NO_PADDING: the text form of every key, token
// and enrollment code. URL-safe because public keys travel in the poster URL;
// libsodium-wrappers' to_base64/from_base64 default to the same variant.
#pragma once

#include "Sodium.h"

#include <optional>
#include <string>
#include <string_view>

namespace gatepass::crypto {

std::string toBase64Url(std::span<const uint8_t> bytes);

/// nullopt for anything that is not canonical unpadded base64url.
std::optional<Bytes> fromBase64Url(std::string_view text);

} // namespace gatepass::crypto
