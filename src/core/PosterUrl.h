// The resident page's address for a community: what the poster's QR holds
// (docs/deploy.md). Built here only — the office CLI prints it at
// `community init`, the console prints it on the poster.
#pragma once

#include <string>
#include <string_view>

namespace gatepass {

/// SITE/resident/?c=CODE&n=NAME[&k=PUBLIC_KEY]: code and name percent-encoded
/// (UTF-8), the public key (unpadded base64url) left out when empty. A site
/// without a trailing '/' gets one. Empty when `site` is.
std::string posterUrl(std::string_view site, std::string_view code, std::string_view name, std::string_view publicKey);

} // namespace gatepass
