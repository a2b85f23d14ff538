// The community key pair: an X25519 pair from crypto_box_keypair. Passes are
// libsodium sealed boxes (crypto_box_seal) to the public key; the secret key
// lives with the office and the enrolled gates only.
#pragma once

#include "Sodium.h"

#include <array>
#include <string>

namespace gatepass::crypto {

struct BoxKeyPair {
    std::array<uint8_t, 32> publicKey{};
    std::array<uint8_t, 32> secretKey{};

    BoxKeyPair() = default;
    BoxKeyPair(const BoxKeyPair&) = default;
    BoxKeyPair& operator=(const BoxKeyPair&) = default;
    ~BoxKeyPair();
};

BoxKeyPair newBoxKeyPair();

/// Whether `secretKey` is the secret half of `publicKey` (crypto_scalarmult_base).
bool keysMatch(const BoxKeyPair& pair);

/// The first 4 bytes of BLAKE2b-256 (crypto_generichash) of the public key,
/// hex (8 characters): names a key in passes, enrollments and rotations.
std::string keyId(std::span<const uint8_t> publicKey);

} // namespace gatepass::crypto
