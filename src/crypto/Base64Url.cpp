#include "Base64Url.h"

#include <sodium.h>

namespace gatepass::crypto {

namespace {
constexpr int kVariant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
}

std::string toBase64Url(std::span<const uint8_t> bytes)
{
    sodiumReady();
    std::string out(sodium_base64_ENCODED_LEN(bytes.size(), kVariant), '\0');
    sodium_bin2base64(out.data(), out.size(), bytes.data(), bytes.size(), kVariant);
    out.resize(out.size() - 1); // the terminating NUL
    return out;
}

std::optional<Bytes> fromBase64Url(std::string_view text)
{
    sodiumReady();
    Bytes out(text.size() * 3 / 4 + 3);
    size_t len = 0;
    const char* end = nullptr;
    if (sodium_base642bin(out.data(), out.size(), text.data(), text.size(), nullptr, &len, &end, kVariant) != 0 ||
        end != text.data() + text.size())
        return std::nullopt;
    out.resize(len);
    return out;
}

} // namespace gatepass::crypto
