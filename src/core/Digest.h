// SHA-256, for the batch body's checksum (Batch.h body_sha256) and the plain
// pass's check (Pass.h): libsodium's crypto_hash_sha256, never written here
// (the project writes no cryptography of its own).
//
// Where it comes from, as the core's other libsodium calls (PassCrypto.h):
//   natively  Debian's libsodium, linked into the native core;
//   wasm      the core worker's libsodium-wrappers, Module.gpSha256(bytes) →
//             32 bytes (web/shared/pass-crypto.js), set when the worker creates
//             the module; the Node test runners set it the same way
//             (tests/core/sodium-pre.js).
// Unlike the sealed boxes it is reached without a PassCrypto: plain passes and
// format-2 batches need it on every host, also where no key is held.
#pragma once

#include "Message.h"

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace gatepass {

using Sha256Digest = std::array<uint8_t, 32>;

/// crypto_hash_sha256(data); nullopt only in a wasm core whose host gave no
/// Module.gpSha256 (the worker's libsodium did not load).
std::optional<Sha256Digest> sha256(std::string_view data);
/// sha256 in lower-case hex.
std::optional<std::string> sha256Hex(std::string_view data);

/// crypto.unavailable, for a pass or batch that cannot be checked or made without the hash.
Message digestUnavailable();

} // namespace gatepass
