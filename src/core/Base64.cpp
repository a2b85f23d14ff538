#include "Base64.h"

namespace gatepass {

namespace {

constexpr std::string_view kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

int valueOf(char c)
{
    auto at = kAlphabet.find(c);
    return at == std::string_view::npos ? -1 : int(at);
}

} // namespace

std::string encodeBase64Url(const std::vector<uint8_t>& bytes)
{
    std::string out;
    out.reserve((bytes.size() * 4 + 2) / 3);
    uint32_t acc = 0;
    int bits = 0;
    for (uint8_t b : bytes) {
        acc = (acc << 8) | b;
        bits += 8;
        while (bits >= 6) {
            bits -= 6;
            out += kAlphabet[(acc >> bits) & 63];
        }
    }
    if (bits > 0)
        out += kAlphabet[(acc << (6 - bits)) & 63];
    return out;
}

std::optional<std::vector<uint8_t>> decodeBase64Url(std::string_view text)
{
    // A length of 1 mod 4 cannot come from whole bytes.
    if (text.size() % 4 == 1)
        return std::nullopt;
    std::vector<uint8_t> out;
    out.reserve(text.size() * 3 / 4);
    uint32_t acc = 0;
    int bits = 0;
    for (char c : text) {
        int v = valueOf(c);
        if (v < 0)
            return std::nullopt;
        acc = (acc << 6) | uint32_t(v);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out.push_back(uint8_t(acc >> bits));
        }
    }
    // Canonical: the bits left over after the last whole byte are zero.
    if (bits > 0 && (acc & ((1u << bits) - 1)) != 0)
        return std::nullopt;
    return out;
}

} // namespace gatepass
