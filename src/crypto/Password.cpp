#include "Password.h"

#include "Sodium.h"

#include <sodium.h>

namespace gatepass::crypto {

std::optional<std::string> hashPassword(std::string_view password)
{
    sodiumReady();
    char out[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str_alg(out, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                              crypto_pwhash_MEMLIMIT_INTERACTIVE, crypto_pwhash_ALG_ARGON2ID13) != 0)
        return std::nullopt;
    return std::string(out);
}

bool verifyPassword(std::string_view stored, std::string_view password)
{
    sodiumReady();
    if (stored.empty() || stored.size() >= crypto_pwhash_STRBYTES)
        return false;
    std::string s(stored); // crypto_pwhash_str_verify wants a NUL-terminated string
    return crypto_pwhash_str_verify(s.c_str(), password.data(), password.size()) == 0;
}

const std::string& decoyPasswordHash()
{
    static const std::string decoy = hashPassword(toHex(randomBytes(16))).value_or("");
    return decoy;
}

} // namespace gatepass::crypto
