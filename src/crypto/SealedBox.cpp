#include "SealedBox.h"

#include "Base64Url.h"
#include "Sodium.h"

#include <sodium.h>

#include <algorithm>

namespace gatepass::crypto {

namespace {

const unsigned char* bytesOf(std::string_view s) { return reinterpret_cast<const unsigned char*>(s.data()); }

std::optional<std::array<uint8_t, 32>> key32(std::string_view text)
{
    auto bytes = fromBase64Url(text);
    if (!bytes || bytes->size() != 32)
        return std::nullopt;
    std::array<uint8_t, 32> key{};
    std::copy(bytes->begin(), bytes->end(), key.begin());
    wipe(*bytes);
    return key;
}

} // namespace

std::string seal(std::string_view plain, const std::array<uint8_t, 32>& publicKey)
{
    sodiumReady();
    std::string out(plain.size() + crypto_box_SEALBYTES, '\0');
    crypto_box_seal(reinterpret_cast<unsigned char*>(out.data()), bytesOf(plain), plain.size(), publicKey.data());
    return out;
}

std::optional<std::string> openSealed(std::string_view sealed, const BoxKeyPair& pair)
{
    sodiumReady();
    if (sealed.size() < crypto_box_SEALBYTES)
        return std::nullopt;
    std::string out(sealed.size() - crypto_box_SEALBYTES, '\0');
    if (crypto_box_seal_open(reinterpret_cast<unsigned char*>(out.data()), bytesOf(sealed), sealed.size(),
                             pair.publicKey.data(), pair.secretKey.data()) != 0)
        return std::nullopt;
    return out;
}

KeyId passKeyId(std::span<const uint8_t> publicKey)
{
    sodiumReady();
    uint8_t hash[crypto_generichash_BYTES];
    crypto_generichash(hash, sizeof hash, publicKey.data(), publicKey.size(), nullptr, 0);
    KeyId id{};
    std::copy_n(hash, id.size(), id.begin());
    return id;
}

PassCrypto passCrypto()
{
    static_assert(crypto_box_SEALBYTES == kSealOverheadBytes);
    PassCrypto c;
    c.seal = [](std::string_view plain, std::string_view publicKey) -> std::optional<std::string> {
        auto key = key32(publicKey);
        if (!key)
            return std::nullopt;
        return seal(plain, *key);
    };
    c.open = [](std::string_view sealed, std::string_view publicKey, std::string_view secretKey) -> std::optional<std::string> {
        auto pub = key32(publicKey);
        auto sec = key32(secretKey);
        if (!pub || !sec)
            return std::nullopt;
        BoxKeyPair pair;
        pair.publicKey = *pub;
        pair.secretKey = *sec;
        sodium_memzero(sec->data(), sec->size());
        return openSealed(sealed, pair);
    };
    c.keyId = [](std::string_view publicKey) -> std::optional<KeyId> {
        auto key = key32(publicKey);
        if (!key)
            return std::nullopt;
        return passKeyId(*key);
    };
    c.mac = [](std::string_view message, std::string_view gateKey) -> std::optional<std::string> {
        auto key = key32(gateKey);
        if (!key)
            return std::nullopt;
        sodiumReady();
        std::string tag(crypto_auth_BYTES, '\0');
        crypto_auth(reinterpret_cast<unsigned char*>(tag.data()), bytesOf(message), message.size(), key->data());
        sodium_memzero(key->data(), key->size());
        return tag;
    };
    c.verify = [](std::string_view tag, std::string_view message, std::string_view gateKey) {
        auto key = key32(gateKey);
        if (!key || tag.size() != crypto_auth_BYTES)
            return false;
        sodiumReady();
        bool ok = crypto_auth_verify(bytesOf(tag), bytesOf(message), message.size(), key->data()) == 0;
        sodium_memzero(key->data(), key->size());
        return ok;
    };
    c.randomHex = [](size_t n) { return toHex(randomBytes(n)); };
    return c;
}

} // namespace gatepass::crypto
