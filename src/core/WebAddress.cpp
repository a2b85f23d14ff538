#include "WebAddress.h"

#include <utf8.h>

#include <algorithm>

namespace gatepass {

namespace {

bool forbidden(unsigned char c) { return c <= 0x20 || c == 0x7f || c == '"' || c == '<' || c == '>' || c == '\\'; }

} // namespace

std::optional<WebAddress> splitWebAddress(std::string_view text)
{
    if (!utf8::is_valid(text.begin(), text.end()) || std::any_of(text.begin(), text.end(), [](char c) { return forbidden(c); }))
        return std::nullopt;
    WebAddress a;
    for (std::string_view scheme : {"https", "http"})
        if (text.starts_with(scheme) && text.substr(scheme.size()).starts_with("://")) {
            a.scheme = text.substr(0, scheme.size());
            break;
        }
    if (a.scheme.empty())
        return std::nullopt;
    std::string_view s = text.substr(a.scheme.size() + 3);
    size_t restAt = std::min(s.find_first_of("?#"), s.size());
    a.rest = s.substr(restAt);
    s = s.substr(0, restAt);
    size_t pathAt = std::min(s.find('/'), s.size());
    a.path = s.substr(pathAt);
    std::string_view authority = s.substr(0, pathAt);
    if (size_t at = authority.rfind('@'); at != std::string_view::npos) {
        a.userinfo = authority.substr(0, at);
        authority.remove_prefix(at + 1);
    }
    // A ':' after the host (after an IPv6 literal's ']') starts the port.
    size_t colon = authority.rfind(':');
    if (colon != std::string_view::npos && (authority.find(']') == std::string_view::npos || colon > authority.find(']'))) {
        a.port = authority.substr(colon + 1);
        authority = authority.substr(0, colon);
        if (a.port.empty() || a.port.size() > 5 || !std::all_of(a.port.begin(), a.port.end(), [](char c) { return c >= '0' && c <= '9'; }))
            return std::nullopt;
    }
    a.host = authority;
    if (a.host.empty())
        return std::nullopt;
    return a;
}

bool isSecureOrLocal(const WebAddress& a)
{
    if (a.scheme == "https")
        return true;
    return a.host == "127.0.0.1" || a.host == "localhost" || a.host == "[::1]";
}

std::string addressForLog(const WebAddress& a, size_t maxBytes)
{
    std::string out = std::string(a.scheme) + "://" + std::string(a.host);
    if (!a.port.empty())
        out += ":" + std::string(a.port);
    out += a.path;
    if (out.size() <= maxBytes)
        return out;
    // Whole code points only: the office refuses text that is not UTF-8.
    size_t end = 0;
    for (auto it = out.begin(); it != out.end();) {
        utf8::next(it, out.end());
        if (size_t(it - out.begin()) > maxBytes)
            break;
        end = size_t(it - out.begin());
    }
    out.resize(end);
    return out;
}

} // namespace gatepass
