#include "AtRestCrypto.h"

#include "SealedBox.h"
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

KeyRingCrypto keyRingCrypto()
{
    KeyRingCrypto c;
    if (!sodiumReady())
        return c;
    c.kdf.randomHex = [](size_t n) {
        Bytes b = randomBytes(n);
        std::string hex = toHex(b);
        wipe(b);
        return hex;
    };
    c.kdf.argon2id = [](std::string_view pin, std::string_view saltHex, uint64_t ops, uint64_t mem) -> std::string {
        uint8_t salt[crypto_pwhash_SALTBYTES];
        size_t saltLen = 0;
        if (sodium_hex2bin(salt, sizeof salt, saltHex.data(), saltHex.size(), nullptr, &saltLen, nullptr) != 0
            || saltLen != sizeof salt)
            return {};
        Bytes out(32);
        if (crypto_pwhash(out.data(), out.size(), pin.data(), pin.size(), salt, ops, size_t(mem), crypto_pwhash_ALG_ARGON2ID13) != 0)
            return {};
        std::string hex = toHex(out);
        wipe(out);
        return hex;
    };
    c.secretbox = [](std::string_view plain, std::string_view nonce, std::string_view key) -> std::optional<std::string> {
        if (nonce.size() != crypto_secretbox_NONCEBYTES || key.size() != crypto_secretbox_KEYBYTES)
            return std::nullopt;
        std::string out(plain.size() + crypto_secretbox_MACBYTES, '\0');
        crypto_secretbox_easy(reinterpret_cast<uint8_t*>(out.data()), reinterpret_cast<const uint8_t*>(plain.data()), plain.size(),
                              reinterpret_cast<const uint8_t*>(nonce.data()), reinterpret_cast<const uint8_t*>(key.data()));
        return out;
    };
    c.secretboxOpen = [](std::string_view boxed, std::string_view nonce, std::string_view key) -> std::optional<std::string> {
        if (nonce.size() != crypto_secretbox_NONCEBYTES || key.size() != crypto_secretbox_KEYBYTES
            || boxed.size() < crypto_secretbox_MACBYTES)
            return std::nullopt;
        std::string out(boxed.size() - crypto_secretbox_MACBYTES, '\0');
        if (crypto_secretbox_open_easy(reinterpret_cast<uint8_t*>(out.data()), reinterpret_cast<const uint8_t*>(boxed.data()),
                                       boxed.size(), reinterpret_cast<const uint8_t*>(nonce.data()),
                                       reinterpret_cast<const uint8_t*>(key.data())) != 0)
            return std::nullopt;
        return out;
    };
    c.box = passCrypto();
    return c;
}

} // namespace gatepass::crypto
