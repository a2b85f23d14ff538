// Base45 (RFC 9285): bytes as text that a QR code stores in alphanumeric mode,
// 5.5 bits per character instead of 8 in byte mode.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace gatepass {

std::string base45Encode(std::string_view bytes);
/// nullopt for a character outside the alphabet, a dangling single character
/// or a triple whose value exceeds 65535.
std::optional<std::string> base45Decode(std::string_view text);

} // namespace gatepass
