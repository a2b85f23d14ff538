#include "AtRestCrypto.h"

#include "Sodium.h"

#include <sodium.h>

namespace gatepass::crypto {

static_assert(kAtRestNonceBytes == crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
static_assert(kAtRestTagBytes == crypto_aead_xchacha20poly1305_ietf_ABYTES);
static_assert(kAtRestKeyBytes == crypto_aead_xchacha20poly1305_ietf_KEYBYTES);

PageAead pageAead()
{
    PageAead a;
    if (!sodiumReady())
        return a;
    a.seal = [](uint8_t* text, size_t n, const uint8_t* ad, size_t adLen, const uint8_t* key, uint8_t* nonce, uint8_t* tag) {
        randombytes_buf(nonce, kAtRestNonceBytes);
        unsigned long long tagLen = 0;
        return crypto_aead_xchacha20poly1305_ietf_encrypt_detached(text, tag, &tagLen, text, n, ad, adLen, nullptr, nonce, key) == 0;
    };
    a.open = [](uint8_t* text, size_t n, const uint8_t* ad, size_t adLen, const uint8_t* key, const uint8_t* nonce,
                const uint8_t* tag) {
        return crypto_aead_xchacha20poly1305_ietf_decrypt_detached(text, nullptr, text, n, tag, ad, adLen, nonce, key) == 0;
    };
    return a;
}

} // namespace gatepass::crypto
