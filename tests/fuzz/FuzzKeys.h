// The keys the batch fuzzer and its seeds share, so that sealed (format 3)
// and MACed batches from make_seeds open and verify in fuzz_batch, and their
// opening and verifying is fuzzed, not only refused at batch.sealed_no_key.
// Made by libsodium from fixed seeds (crypto_box_seed_keypair; the gate key is
// the seed bytes themselves): test keys of no community, the same in every run.
#pragma once

#include "Base64Url.h"
#include "KeyPair.h"
#include "gatepass.h"

#include <sodium.h>

#include <string>

namespace gatepass::fuzz {

/// The community key pair a fuzzed console holds (current: untilMs 0).
inline const CommunityKey& communityKey()
{
    static const CommunityKey key = [] {
        crypto::sodiumReady();
        unsigned char seed[crypto_box_SEEDBYTES];
        for (size_t i = 0; i < sizeof seed; ++i)
            seed[i] = static_cast<unsigned char>(0xa5 ^ i);
        crypto::BoxKeyPair pair;
        crypto_box_seed_keypair(pair.publicKey.data(), pair.secretKey.data(), seed);
        return CommunityKey{crypto::keyId(pair.publicKey), crypto::toBase64Url(pair.secretKey), crypto::toBase64Url(pair.publicKey), 0};
    }();
    return key;
}

/// The gate key (base64url, 32 bytes) of the one gate the fuzzed console knows.
inline const std::string& gateKey()
{
    static const std::string key = [] {
        std::array<uint8_t, 32> bytes{};
        for (size_t i = 0; i < bytes.size(); ++i)
            bytes[i] = static_cast<uint8_t>(0x3c + 7 * i);
        return crypto::toBase64Url(bytes);
    }();
    return key;
}

/// The name of that gate.
inline constexpr const char* kGate = "北门";

} // namespace gatepass::fuzz
