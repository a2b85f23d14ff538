#include "RowRef.h"

#include "Base64Url.h"

#include <sodium.h>

namespace gatepass::crypto {

RowRefs::RowRefs() : key_(randomBytes(crypto_secretbox_KEYBYTES)) {}

RowRefs::~RowRefs() { wipe(key_); }

std::string RowRefs::seal(std::string_view key) const
{
    Bytes out = randomBytes(crypto_secretbox_NONCEBYTES);
    out.resize(crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + key.size());
    crypto_secretbox_easy(out.data() + crypto_secretbox_NONCEBYTES, reinterpret_cast<const uint8_t*>(key.data()), key.size(),
                          out.data(), key_.data());
    return toBase64Url(out);
}

std::optional<std::string> RowRefs::open(std::string_view ref) const
{
    if (ref.size() > 512)
        return std::nullopt;
    auto bytes = fromBase64Url(ref);
    if (!bytes || bytes->size() < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES)
        return std::nullopt;
    std::string key(bytes->size() - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES, '\0');
    if (crypto_secretbox_open_easy(reinterpret_cast<uint8_t*>(key.data()), bytes->data() + crypto_secretbox_NONCEBYTES,
                                   bytes->size() - crypto_secretbox_NONCEBYTES, bytes->data(), key_.data()) != 0)
        return std::nullopt;
    return key;
}

} // namespace gatepass::crypto
