// SHA-256 (FIPS 180-4), for batch checksums and pass integrity.
//
// Written here because no Debian package offers a SHA-256 that also compiles
// into the wasm build (OpenSSL/libsodium are binary packages and Emscripten
// 3.1.6's port cache is frozen); the test checks the FIPS example vectors.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace gatepass {

using Sha256Digest = std::array<uint8_t, 32>;

Sha256Digest sha256(std::string_view data);
std::string sha256Hex(std::string_view data);

} // namespace gatepass
