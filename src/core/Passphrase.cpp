#include "Passphrase.h"

namespace gatepass {

std::string normalizePassphrase(std::string_view typed)
{
    // Byte-wise and locale-free (std::isalnum would depend on the C locale):
    // a non-ASCII character is never part of a passphrase (its alphabet is
    // A–Z and 2–9) and is dropped byte by byte.
    std::string out;
    for (char c : typed) {
        if (c >= 'a' && c <= 'z')
            out += char(c - 'a' + 'A');
        else if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
            out += c;
    }
    return out;
}

} // namespace gatepass
