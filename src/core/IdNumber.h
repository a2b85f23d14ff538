// Chinese citizen identity numbers, GB 11643-1999.
#pragma once

#include "Date.h"
#include "Message.h"

#include <string>
#include <string_view>

namespace gatepass {

struct IdNumberInfo {
    std::string number; // normalised: 18 characters, upper-case check character
    Date birthDate;
    bool male = false;
};

/// The ISO 7064 MOD 11-2 check character ('0'..'9' or 'X') of 17 digits.
char idCheckCharacter(std::string_view first17);

/// Checks an 18-character number: digits, a known province code, a real birth
/// date not after `today`, and the check character (lower-case x accepted).
/// `permit` selects the 港澳台居民居住证 rule: the same layout with the
/// region codes 81 (Hong Kong), 82 (Macao), 83 (Taiwan).
Result<IdNumberInfo> checkIdNumber(std::string_view text, Date today, bool permit = false);

} // namespace gatepass
