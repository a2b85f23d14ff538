// Office account passwords: libsodium's crypto_pwhash_str (Argon2id at its
// "interactive" limits: 2 passes over 64 MiB). The stored string carries the
// algorithm, its limits and a random salt, so a later change of limits still
// verifies old hashes.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace gatepass::crypto {

/// The "$argon2id$…" string to store; nullopt only when the memory cannot be had.
std::optional<std::string> hashPassword(std::string_view password);

/// True when `password` is the one `stored` was made from (constant time in the
/// password's content). A malformed `stored` verifies nothing.
bool verifyPassword(std::string_view stored, std::string_view password);

/// A hash of nothing anybody knows, to verify against when an account does not
/// exist: a sign-in then takes as long whether the name exists or not.
const std::string& decoyPasswordHash();

} // namespace gatepass::crypto
