#include "Token.h"

#include "Base64Url.h"

#include <sodium.h>

namespace gatepass::crypto {

std::string newToken() { return toBase64Url(randomBytes(32)); }

std::string tokenHash(std::string_view token)
{
    sodiumReady();
    uint8_t hash[crypto_generichash_BYTES];
    crypto_generichash(hash, sizeof hash, reinterpret_cast<const uint8_t*>(token.data()), token.size(), nullptr, 0);
    return toHex(hash);
}

} // namespace gatepass::crypto
