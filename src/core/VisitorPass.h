// Visitor passes: a resident makes, on the phone, a pass for someone coming
// to their address. It travels inside the live pass's frame (Pass.h: "GP2:" +
// Base45(key id ‖ crypto_box_seal(plain))), sealed to the community key the
// same way, so only the community's gates read it. It is static — the visitor
// gets it as an image or a forwarded message — so it has no live window:
// the gate checks the day range instead, and counts its uses.
//
// plain = u8 format (4, kVisitorPassFormat), u8 flags (1: multiple use,
//         2: mobile as 5 bytes), 8 bytes pass id, u32 made minute (since
//         2020-01-01T00:00Z), u16 first day (days since 2020-01-01), u8 days
//         after the first (0 … kVisitorPassMaxDays − 1), visitor's phone
//         (5-byte integer for a mainland mobile, else a string), visitor's
//         name, host's address, host's masked name ("张*"); strings as the
//         live pass packs them (Pass.h packPassText), u8 length first.
// A typical pass (Chinese name, mobile, "3-2-501") is ~40 bytes plain and
// ~137 Base45 characters framed: QR version 6 at M, like a live pass.
//
// The host's full name and ID number never travel: the gate learns the
// address and the masked name only, enough for staff to call the host.
//
// At the gate the visitor is a Person of type visitor with document type
// "other" and number "VP-" + the pass id in upper-case hex (visitorPerson):
// entries, the inside count and batches carry them like anyone else, and the
// uses of a pass are that number's entries coming in, and its use row from
// any gate (VisitorUse.h).
#pragma once

#include "Date.h"
#include "Message.h"
#include "Person.h"
#include "Words.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gatepass {

inline constexpr int kVisitorPassFormat = 4;
/// A pass covers at most a week of days: long enough for a visiting relative,
/// short enough that a forwarded image does not open the gate for a season.
inline constexpr int kVisitorPassMaxDays = 7;
/// The first day lies at most this many days ahead of the host's today.
inline constexpr int kVisitorPassMaxLeadDays = 30;
/// 8 random bytes (the caller's CSPRNG: PassCrypto::randomHex): ids of two
/// passes collide once in ~4 billion pairs, and one cannot be guessed from another.
inline constexpr size_t kVisitorPassIdBytes = 8;
/// The prefix of a visitor's document number at the gate (visitorPerson).
inline constexpr std::string_view kVisitorDocPrefix = "VP-";

struct VisitorPass {
    std::string id;        // 2 × kVisitorPassIdBytes lower-case hex digits
    std::string name;      // the visitor's, normalised as item 1
    std::string phone;     // the visitor's, normalised as item 3
    Date firstDay, lastDay; // local days, both inclusive
    bool multipleUse = false;
    std::string hostAddress;
    std::string hostName;  // masked (maskName)
    int64_t madeAtMs = 0;  // to the minute

    friend bool operator==(const VisitorPass&, const VisitorPass&) = default;
};

/// What the resident typed for a visitor: name, phone, first and last day
/// ("YYYY-MM-DD"; `to` empty: the one day `from`), "single" or "multiple".
struct VisitorRequest {
    std::string name, phone, from, to, uses;
};

/// A visitor request checked against its host, or every field that is wrong
/// (fields "name", "phone", "from", "to", "uses", in that order, zh/en).
struct VisitorChecked {
    VisitorPass pass;
    std::vector<Message> errors;
    bool ok() const { return errors.empty(); }
};

/// "张*": the first character and one star, whatever the length (the length
/// of a name says something too).
std::string maskName(std::string_view name);

/// The pass a host (a valid stored person) makes for `request`, `today` in the
/// host's zone: the visitor's name and phone by the person rules of items 1
/// and 3, the first day from today to kVisitorPassMaxLeadDays ahead, at most
/// kVisitorPassMaxDays days. `idHex` is the caller's random id (2 ×
/// kVisitorPassIdBytes hex digits). Pure: no store, no crypto.
VisitorChecked makeVisitorPass(const VisitorRequest& request, const Person& host, std::string_view idHex, Date today,
                               int64_t nowMs);

/// The plain bytes to seal (format 4) of a pass makeVisitorPass made.
std::string visitorPassPlain(const VisitorPass& pass);

/// The pass in opened plain bytes: pass.damaged (cut, altered, not format 4),
/// pass.invalid_record (a visitor the form could not have produced).
Result<VisitorPass> readVisitorPassPlain(std::string_view plain);

/// visitor.not_today, with the days in words, when `today` (the gate's) is
/// before the first day or after the last; nullopt on a day it covers.
std::optional<Message> visitorDayCheck(const VisitorPass& pass, Date today);

/// visitor.used: a single-use pass already came in once (at this gate, at
/// another whose entries this gate holds, or at any gate whose use row reached
/// this one: VisitorUse.h).
Message visitorPassUsed();

/// The visitor as the gate records them: type visitor, document "other"
/// numbered kVisitorDocPrefix + the id in upper case, the host's address.
Person visitorPerson(const VisitorPass& pass);

/// "访客 · 3-2-501（主人 张*）" / "Visitor · 3-2-501 (host 张*)".
Words visitorLine(const VisitorPass& pass);
/// "2026-12-05" or "2026-12-05 至 2026-12-07" / "… to …", and the uses:
/// "单次有效" / "Single use", "多次有效" / "Multiple use".
Words visitorDays(const VisitorPass& pass);
Words visitorUses(const VisitorPass& pass);

} // namespace gatepass
