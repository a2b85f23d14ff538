// A row's key (a document number) as a page may hold it: sealed with a key
// made when the service starts (crypto_secretbox_easy, XSalsa20-Poly1305), so
// the dashboard can name the row to remove or unmask without the number ever
// reaching the page, a URL or a log. A ref sealed by an earlier run, altered
// or made up opens to nothing.
#pragma once

#include "Sodium.h"

#include <optional>
#include <string>
#include <string_view>

namespace gatepass::crypto {

class RowRefs {
public:
    RowRefs();  // a new random key: refs of an earlier run no longer open
    ~RowRefs(); // the key wiped

    RowRefs(const RowRefs&) = delete;
    RowRefs& operator=(const RowRefs&) = delete;

    /// base64url(nonce ‖ box): a new nonce each time, so equal keys give unequal refs.
    std::string seal(std::string_view key) const;
    /// The key sealed in `ref`, or nullopt when it is not one of this run's refs.
    std::optional<std::string> open(std::string_view ref) const;

private:
    Bytes key_;
};

} // namespace gatepass::crypto
