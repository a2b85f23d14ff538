#include "PosterUrl.h"

namespace gatepass {

namespace {

// RFC 3986 unreserved characters stay; every other byte is %XX.
std::string percentEncode(std::string_view text)
{
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : text) {
        bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
                          c == '_' || c == '~';
        if (unreserved)
            out += char(c);
        else
            out += {'%', kHex[c >> 4], kHex[c & 15]};
    }
    return out;
}

} // namespace

std::string posterUrl(std::string_view site, std::string_view code, std::string_view name, std::string_view publicKey)
{
    if (site.empty())
        return {};
    std::string url(site);
    if (url.back() != '/')
        url += '/';
    url += "resident/?c=" + percentEncode(code) + "&n=" + percentEncode(name);
    if (!publicKey.empty())
        url += "&k=" + std::string(publicKey);
    return url;
}

} // namespace gatepass
