#include "KeyPair.h"

#include <sodium.h>

namespace gatepass::crypto {

BoxKeyPair::~BoxKeyPair() { sodium_memzero(secretKey.data(), secretKey.size()); }

BoxKeyPair newBoxKeyPair()
{
    sodiumReady();
    BoxKeyPair pair;
    crypto_box_keypair(pair.publicKey.data(), pair.secretKey.data());
    return pair;
}

bool keysMatch(const BoxKeyPair& pair)
{
    sodiumReady();
    std::array<uint8_t, 32> derived{};
    crypto_scalarmult_base(derived.data(), pair.secretKey.data());
    return sodium_memcmp(derived.data(), pair.publicKey.data(), 32) == 0;
}

std::string keyId(std::span<const uint8_t> publicKey)
{
    sodiumReady();
    uint8_t hash[crypto_generichash_BYTES];
    crypto_generichash(hash, sizeof hash, publicKey.data(), publicKey.size(), nullptr, 0);
    return toHex(std::span<const uint8_t>(hash, 4));
}

} // namespace gatepass::crypto
