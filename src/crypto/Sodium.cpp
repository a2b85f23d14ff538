#include "Sodium.h"

#include <sodium.h>

namespace gatepass::crypto {

bool sodiumReady()
{
    static const bool ready = sodium_init() >= 0;
    return ready;
}

Bytes randomBytes(size_t n)
{
    sodiumReady();
    Bytes out(n);
    randombytes_buf(out.data(), n);
    return out;
}

std::string toHex(std::span<const uint8_t> bytes)
{
    std::string out(bytes.size() * 2 + 1, '\0');
    sodium_bin2hex(out.data(), out.size(), bytes.data(), bytes.size());
    out.pop_back();
    return out;
}

void wipe(std::string& secret)
{
    sodium_memzero(secret.data(), secret.size());
    secret.clear();
}

void wipe(Bytes& secret)
{
    sodium_memzero(secret.data(), secret.size());
    secret.clear();
}

} // namespace gatepass::crypto
