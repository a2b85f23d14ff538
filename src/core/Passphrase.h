// The one-time passphrase that protects a gate enrollment code
// (src/crypto/EnrollmentCode.h seals with it; the console's worker opens with
// it). Both sides must feed the key derivation the same bytes, so the typed
// passphrase is normalised here and only here: the office CLI calls this
// function, the browser asks the core (op enroll.prepare).
#pragma once

#include <string>
#include <string_view>

namespace gatepass {

/// ASCII letters upper-cased, digits kept, everything else dropped: the group
/// separators ('-'), spaces, line breaks and anything a paste adds. "7kqm-ab2c"
/// and "7KQM AB2C" both become "7KQMAB2C".
std::string normalizePassphrase(std::string_view typed);

} // namespace gatepass
