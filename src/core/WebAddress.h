// A web address as the gate keeps one — the upload address, the site a poster
// points at, the addresses in an enrollment code: split once, here, for every
// check and every line that logs one.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace gatepass {

/// The parts of "scheme://[userinfo@]host[:port][path][?query][#fragment]",
/// views into the text given to splitWebAddress.
struct WebAddress {
    std::string_view scheme;   // "https" or "http"
    std::string_view userinfo; // before '@': a user name and password, usually empty; never logged
    std::string_view host;     // "office.example.org", "127.0.0.1", "[::1]"
    std::string_view port;     // 1–5 digits, or empty
    std::string_view path;     // from the first '/' up to '?' or '#', or empty
    std::string_view rest;     // the query and fragment ('?'… or '#'…), or empty
};

/// The parts of `text`; nullopt unless it is valid UTF-8 starting "https://"
/// or "http://", with a non-empty host, a port (when there is a ':') of 1–5
/// digits, and no space, control character, '"', '<', '>' or '\\' anywhere.
std::optional<WebAddress> splitWebAddress(std::string_view text);

/// https to anywhere, or http to this machine only (host 127.0.0.1,
/// localhost or [::1]: a test's office). Batches go only to such an address.
bool isSecureOrLocal(const WebAddress& address);

/// "scheme://host[:port]path" — no user info, query or fragment, so no
/// credential lands in a log — of at most `maxBytes` bytes, cut at a code
/// point (never inside a character).
std::string addressForLog(const WebAddress& address, size_t maxBytes);

} // namespace gatepass
