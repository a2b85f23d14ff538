// Live passes natively (Pass.h format 2): libsodium's sealed box
// (crypto_box_seal / crypto_box_seal_open) to the community key, the same
// construction the browser workers use through libsodium-wrappers.
#pragma once

#include "KeyPair.h"
#include "PassCrypto.h"

#include <optional>
#include <string>
#include <string_view>

namespace gatepass::crypto {

/// crypto_box_seal(plain, publicKey).
std::string seal(std::string_view plain, const std::array<uint8_t, 32>& publicKey);

/// crypto_box_seal_open; nullopt when not sealed to this pair, or altered.
std::optional<std::string> openSealed(std::string_view sealed, const BoxKeyPair& pair);

/// Pass.h's key id: the first 4 bytes of BLAKE2b-256 of the public key (keyId() in hex).
KeyId passKeyId(std::span<const uint8_t> publicKey);

/// The above for the core (Api), with keys as base64url text, plus the
/// batches' crypto_auth / crypto_auth_verify under a gate key (Batch.h).
PassCrypto passCrypto();

} // namespace gatepass::crypto
