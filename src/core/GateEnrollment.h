// Enrolling a gate with the office's enrollment code: the gate's half.
//
// The code (made by src/office/Enrollment.h, sealed by
// src/crypto/EnrollmentCode.h) is
//   "GPE1:" + base64url(salt[16] || nonce[24] || box)
//   box = crypto_secretbox_easy(JSON, nonce, key)              (MAC[16] || ciphertext)
//   key = crypto_pwhash(32, normalizePassphrase(typed), salt,
//                       OPSLIMIT_INTERACTIVE, MEMLIMIT_INTERACTIVE, ARGON2ID13)
// The core has no cryptography: it checks the code's shape and splits it
// (splitEnrollmentCode), the console's worker derives the key and opens the
// box with libsodium-wrappers-sumo, and the core validates the JSON and keeps
// it (parseEnrollment, withEnrollment). The office's CLI uses the same split,
// so "foreign" and "damaged" mean the same on both sides.
//
// JSON (version 1), as src/office/Enrollment.h writes it:
//   {"v":1, "community":{"code","name"}, "site", "gate",
//    "keys":[{"id","secret_key","public_key",        base64url 32-byte X25519 keys, newest first:
//             "until"?}...],                         the current key (no until), then retired ones
//                                                    with the end of their grace (ms since the epoch)
//    "gate_key",                                     base64url, 32 bytes
//    "upload_url"?, "token"?,                        together, or neither (export by hand)
//    "retention_days",
//    "revocations"?: [{kind, subject, reason, revoked_at}]   the office's revocations when the code
//                                                    was made (Feed.h), checked as a reply's rows;
//                                                    absent: the office gave none (export-only codes
//                                                    made without its database)}
#pragma once

#include "Message.h"
#include "Records.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gatepass {

inline constexpr std::string_view kEnrollmentPrefix = "GPE1:";
// libsodium's crypto_pwhash_SALTBYTES, crypto_secretbox_NONCEBYTES and
// crypto_secretbox_MACBYTES (src/crypto static_asserts they agree).
inline constexpr size_t kEnrollmentSaltBytes = 16, kEnrollmentNonceBytes = 24, kEnrollmentMacBytes = 16;

/// The pieces of a code, for crypto_pwhash and crypto_secretbox_open_easy.
struct SealedEnrollment {
    std::vector<uint8_t> salt, nonce, box; // box: MAC then ciphertext
};

/// enroll.foreign (not "GPE1:") or enroll.damaged (not base64url, or too
/// short to hold a box). Surrounding white space (a paste) is ignored.
Result<SealedEnrollment> splitEnrollmentCode(std::string_view code);

/// enroll.wrong_passphrase: the box did not open. A wrong passphrase and an
/// altered code cannot be told apart (the MAC fails either way).
Message wrongPassphrase();

/// What a gate keeps from its enrollment.
struct GateEnrollment {
    std::string communityCode, communityName;
    std::string site; // http(s)://HOST/PREFIX/ where the faces are served: the poster's address
    std::string gate;
    std::string keysJson; // the "keys" array, compact JSON
    std::string gateKey;
    std::string uploadUrl, token; // both empty: no office service, export by hand
    int retentionDays = 28;
    /// The office's revocations, which gate.enroll applies as an upload reply's
    /// (Store.h replaceRevocations); nullopt: the code carries none.
    std::optional<std::vector<Revocation>> revocations;
};

/// Checks every field (version, types, lengths, key shapes, addresses);
/// enroll.version for a version this core does not know, enroll.invalid
/// (field = the JSON key) for anything else wrong.
Result<GateEnrollment> parseEnrollment(std::string_view json);

/// `settings` with everything the enrollment sets replaced (rules, city and the
/// rest kept).
Settings withEnrollment(Settings settings, const GateEnrollment& enrollment);

/// Whether an enrollment proves it was made for this gate's community (what
/// lock.recover asks): it carries a community key the gate holds. A gate that
/// was never enrolled holds no key; it takes an enrollment of its own
/// community code (or any, without one) — no more proof than the code, which
/// is why a gate should be enrolled (the enrollment brings the keys).
bool enrollmentFitsGate(const Settings& settings, const GateEnrollment& enrollment);

/// True for an address WebAddress.h splits and finds secure or local: https://…,
/// or http:// to this machine (127.0.0.1, localhost, [::1]): a bearer token
/// travels over TLS only, plain http is a test office here.
bool uploadUrlAllowed(std::string_view url);

} // namespace gatepass
