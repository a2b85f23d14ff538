// libsodium (Debian libsodium-dev) is the one cryptographic library of the
// native side. Every function in src/crypto/ calls sodiumReady() first:
// sodium_init() is idempotent and thread-safe, and without it randombytes
// and crypto_pwhash may pick an unsafe implementation.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace gatepass::crypto {

using Bytes = std::vector<uint8_t>;

/// True once libsodium is initialised (false only if it cannot be).
bool sodiumReady();

/// `n` bytes from the operating system's CSPRNG (randombytes_buf).
Bytes randomBytes(size_t n);

/// Lower-case hex of `bytes` (sodium_bin2hex).
std::string toHex(std::span<const uint8_t> bytes);

/// Overwrites a secret before its memory is freed (sodium_memzero).
void wipe(std::string& secret);
void wipe(Bytes& secret);

} // namespace gatepass::crypto
