#include "Base45.h"

namespace gatepass {

namespace {

constexpr std::string_view kAlphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";

int valueOf(char c)
{
    auto p = kAlphabet.find(c);
    return p == std::string_view::npos ? -1 : int(p);
}

} // namespace

std::string base45Encode(std::string_view bytes)
{
    std::string out;
    out.reserve(bytes.size() / 2 * 3 + 2);
    size_t i = 0;
    for (; i + 1 < bytes.size(); i += 2) {
        unsigned n = unsigned(uint8_t(bytes[i])) * 256 + uint8_t(bytes[i + 1]);
        out += kAlphabet[n % 45];
        out += kAlphabet[n / 45 % 45];
        out += kAlphabet[n / 2025];
    }
    if (i < bytes.size()) {
        unsigned n = uint8_t(bytes[i]);
        out += kAlphabet[n % 45];
        out += kAlphabet[n / 45];
    }
    return out;
}

std::optional<std::string> base45Decode(std::string_view text)
{
    if (text.size() % 3 == 1)
        return std::nullopt;
    std::string out;
    out.reserve(text.size() / 3 * 2 + 1);
    for (size_t i = 0; i < text.size(); i += 3) {
        size_t len = std::min<size_t>(3, text.size() - i);
        unsigned n = 0, scale = 1;
        for (size_t j = 0; j < len; ++j) {
            int v = valueOf(text[i + j]);
            if (v < 0)
                return std::nullopt;
            n += unsigned(v) * scale;
            scale *= 45;
        }
        if (len == 3) {
            if (n > 0xFFFF)
                return std::nullopt;
            out += char(n >> 8);
            out += char(n & 0xFF);
        } else {
            if (n > 0xFF)
                return std::nullopt;
            out += char(n);
        }
    }
    return out;
}

} // namespace gatepass
