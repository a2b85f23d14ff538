// The number shapes of item 2, one per document type, and the type a number
// of the wrong shape most likely belongs to.
#pragma once

#include "IdNumber.h"
#include "Message.h"
#include "Person.h"
#include "Suggestion.h"

#include <optional>
#include <string>
#include <string_view>

namespace gatepass {

struct CheckedDocNumber {
    std::string number;                 // normalised: upper case, no spaces
    std::optional<IdNumberInfo> id;     // birth date and sex, for numbers that carry them
    std::optional<Message> error;       // on "doc_number"; nullopt when the number fits its type
    std::optional<Suggestion> suggestion; // with an error: the type to pick, or the 18-digit number
};

/// The one normal form of a typed document number, for the resident's form,
/// the gate and the office's watch and revoke commands alike: ASCII spaces,
/// tabs and line breaks dropped, a–z upper-cased, everything else as typed
/// (the shape checks then refuse what does not belong).
std::string normalizeDocNumber(std::string_view typed);

/// Checks `text` (normalised by normalizeDocNumber, letters upper-cased) against its type:
///   居民身份证        18: 17 digits + check (GB 11643: region, birth date not after today, MOD 11-2)
///   港澳台居民居住证  the same layout, region 81 / 82 / 83
///   港澳居民来往内地通行证  H or M + 8 digits, or + 10 (the card number and its 2-digit issue count)
///   台湾居民来往大陆通行证  8 digits
///   外国人永久居留身份证    since 2023 18 digits: 9, province (2), nationality (3), birth date (8),
///                           sequence (3), MOD 11-2 check; before: 3 letters + 12 digits
///   护照              5–17 letters or digits
///   其他              4–30 letters, digits or '-'
/// A number that fits another type says which to pick (suggestion on
/// "doc_type"); a 15-digit first-generation ID under 居民身份证 says how it
/// became 18 digits and offers the converted number (suggestion on "doc_number").
CheckedDocNumber checkDocNumber(DocType type, std::string_view text, Date today);

/// A number typed for one of the office's lists (watch list, revoked persons),
/// where no document type is chosen; `number` as normalizeDocNumber left it.
/// The list's own shape rule is checkWatchEntry's (Feed.h); on top of it, an
/// 18-character number shaped like an ID (17 digits and a digit or X) must
/// pass the check of some 18-digit type (居民身份证, 居住证, 永居证): a
/// typo there would put somebody else, or nobody, on the list. The error is
/// checkDocNumber's for a 居民身份证 (on "doc_number"); nullopt otherwise.
std::optional<Message> checkListedDocNumber(std::string_view number, Date today);

/// The 18-digit number of a 15-digit first-generation ID: "19" inserted
/// before the 2-digit birth year, then the check character; nullopt unless
/// 15 digits.
std::optional<std::string> idNumber18From15(std::string_view number15);

/// The type whose shape `number` (normalised) fits best, or nullopt. An
/// 18-digit number with a valid check is an ID of its region's kind; H/M +
/// 8 or 10 digits a 回乡证; 8 digits a 台胞证; 3 letters + 12 digits an old
/// 永居证; 5–17 letters and digits starting with a letter a passport.
std::optional<DocType> likelyDocType(std::string_view number);

} // namespace gatepass
