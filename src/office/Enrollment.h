// What enrolls a gate: the JSON sealed in the enrollment code
// (crypto/EnrollmentCode.h) and the passphrase shown beside it.
//
// JSON (version 1):
//   {"v":1, "community":{"code","name"}, "site", "gate",
//    "keys":[{"id","secret_key","public_key",      base64url; newest first: the current
//             "until"?}],                          key, then retired ones still in grace (until: ms)
//    "gate_key",                                   32 random bytes, base64url: the gate's own key
//                                                  for authenticating its batches (issue 12)
//    "upload_url"?, "token"?,                      only when enrolled at an office service
//    "retention_days",
//    "revocations"?}                               the office's (Feed.h rows), when made from its database
#pragma once

#include "Community.h"

#include <optional>
#include <string>
#include <vector>

namespace gatepass::office {

struct EnrollmentInput {
    Community community;
    std::vector<HeldKey> keys; // readCommunityKeys: the current one first
    std::string gate;
    std::string gateKey;   // base64url; made by newGateKey()
    std::string uploadUrl; // empty: export by hand
    std::string token;     // empty without uploadUrl
    std::optional<std::vector<Revocation>> revocations; // the office's (OfficeDb::feed); none: not written
};

struct Enrollment {
    std::string code;       // "GPE1:…"
    std::string passphrase; // shown separately, once
    int revocationsCarried = 0; // of the input's revocations, how many the code holds (the newest: see below)
    int revocationsHeld = 0;    // how many the input had
};

/// The longest code makeEnrollment makes, in characters: its QR (ECC M) stays
/// within version 33 for a camera and a printer, and the console's code field
/// (4,096 bytes) takes it pasted whole. Without revocations a code is ~530.
inline constexpr size_t kMaxEnrollmentCodeChars = 1600;

std::string newGateKey();

std::string enrollmentJson(const EnrollmentInput& input);

/// Seals enrollmentJson(input) under a new passphrase. Of the input's
/// revocations the code carries the newest (by revoked_at; withdrawals before
/// visitor passes' uses, VisitorUse.h) that keep it within
/// kMaxEnrollmentCodeChars, and says how many: an office with many revoked
/// cards still makes a code a gate can read, whose upload replies then bring the
/// whole list (Feed.h). A code too long even without them is enroll.too_long.
Result<Enrollment> makeEnrollment(const EnrollmentInput& input);

/// An SVG of the code as a QR symbol (libqrencode, ECC M), for printing or
/// showing to the console's camera.
Result<std::string> qrSvg(std::string_view text);

} // namespace gatepass::office
