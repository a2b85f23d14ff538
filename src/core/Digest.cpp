#include "Digest.h"

#ifdef __EMSCRIPTEN__
#include <emscripten.h>
#else
#include <sodium.h>
#endif

namespace gatepass {

#ifdef __EMSCRIPTEN__

// The worker's libsodium-wrappers (Digest.h): data is read where it lies in
// this module's memory; 1 with the digest written to `out`, 0 without a hash.
EM_JS(int, gp_sha256, (const uint8_t* data, int n, uint8_t* out), {
    const h = Module.gpSha256;
    if (!h) return 0;
    try {
        const d = h(HEAPU8.subarray(data, data + n));
        if (!d || d.length !== 32) return 0;
        HEAPU8.set(d, out);
        return 1;
    } catch (e) {
        return 0;
    }
});

std::optional<Sha256Digest> sha256(std::string_view data)
{
    Sha256Digest out{};
    if (!gp_sha256(reinterpret_cast<const uint8_t*>(data.data()), int(data.size()), out.data()))
        return std::nullopt;
    return out;
}

#else

std::optional<Sha256Digest> sha256(std::string_view data)
{
    static_assert(crypto_hash_sha256_BYTES == 32);
    static const bool ready = sodium_init() >= 0; // libsodium's rule: before any other call (idempotent)
    (void)ready;
    Sha256Digest out{};
    crypto_hash_sha256(out.data(), reinterpret_cast<const unsigned char*>(data.data()), data.size());
    return out;
}

#endif

std::optional<std::string> sha256Hex(std::string_view data)
{
    auto digest = sha256(data);
    if (!digest)
        return std::nullopt;
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    out.reserve(64);
    for (uint8_t b : *digest) {
        out.push_back(kHex[b >> 4]);
        out.push_back(kHex[b & 15]);
    }
    return out;
}

Message digestUnavailable()
{
    return Message{"crypto.unavailable", "加密组件未加载，无法核对或生成校验值：请刷新页面",
                   "The cryptography component is not loaded, so checksums cannot be made or checked: reload the page", ""};
}

} // namespace gatepass
