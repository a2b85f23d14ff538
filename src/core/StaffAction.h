// What staff did at the gate that an office must be able to look back on
// (issue 13, "staff actions leave a trace"): a full ID number shown, a batch
// and its CSV exported, a batch imported, the settings or the upload address
// changed, the gate enrolled, a card printed, a pass revoked. The core logs
// each one itself, in the same transaction as the action (Api.cpp), with the staff name the request gave;
// the Store keeps them (schema step 7) until an export carries them to the
// office (Batch.h: an "action" line), which stores them once per id.
//
// A row never holds personal data: a reveal names the document number masked
// (what the screen showed before), a settings change names the keys that
// changed (never their values: some are secrets), an address is written
// without user name, password or query.
#pragma once

#include "Choice.h"
#include "Message.h"
#include "Records.h"
#include "Words.h"

#include <nlohmann/json_fwd.hpp> // not json.hpp: Store.h includes this header, and json.hpp brings std::quoted into every face

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace gatepass {

enum class StaffActionKind { Reveal, Export, Import, Settings, UploadAddress, Enroll, Card, Revoke };
inline constexpr std::array kStaffActionChoices{
    Choice{"reveal", "显示完整证件号码", "Showed a full ID number"},
    Choice{"export", "导出批次和 CSV", "Exported a batch and its CSV"},
    Choice{"import", "导入批次", "Imported a batch"},
    Choice{"settings", "更改设置", "Changed settings"},
    Choice{"upload_address", "更改上传地址", "Changed the upload address"},
    Choice{"enroll", "登记本门岗", "Enrolled this gate"},
    Choice{"card", "打印通行卡", "Printed a pass card"}, // detail: the card number and the document number masked
    Choice{"revoke", "注销通行码", "Revoked a pass"},     // detail: the card number, or the document number masked
};
constexpr std::span<const Choice> choicesOf(StaffActionKind) { return kStaffActionChoices; }

struct StaffAction {
    std::string id; // 16 random hex digits (newEntryId): the office keeps each once
    int64_t atMs = 0;
    std::string gate;  // the gate's name when it was done
    std::string staff; // kUnknownStaff when the console named nobody
    StaffActionKind kind = StaffActionKind::Reveal;
    Words detail; // what it was about, never personal data (see above)

    friend bool operator==(const StaffAction&, const StaffAction&) = default;
};

/// The name logged when a request names no staff member. The action is still
/// done and logged, not refused: a guard who has not typed a name must still
/// be able to check a card or export for the office, and the row keeps the
/// time and the gate; refusing would only teach staff to type anything.
inline constexpr std::string_view kUnknownStaff = "—";
inline constexpr size_t kMaxStaffName = 200; // bytes, as an entry's staff (Validation.h checkEntry)

/// The staff name of a request as it is logged: trimmed; empty → kUnknownStaff;
/// over kMaxStaffName bytes or with control characters → staff.invalid (the
/// action is then not done: nothing changed).
Result<std::string> staffName(std::string_view given);

/// A new action of `kind` now, with a fresh id.
StaffAction newStaffAction(StaffActionKind kind, std::string_view staff, int64_t atMs, std::string_view gate, Words detail);

/// What a reveal logs: the number as the screen showed it masked.
Words revealDetail(std::string_view docNumber);
/// Which keys differ between two settings, by name (rules.x for a rule), the
/// upload address left out (its own kind); empty when none. Never a value.
std::vector<std::string> changedSettingKeys(const Settings& before, const Settings& after);
/// An upload address as logged: scheme, host, port and path only (a user
/// name, password, query or fragment left out, so no credential lands in the
/// log), at most kMaxStaffName bytes cut at a code point (WebAddress.h); "?"
/// for text that is not a web address (settings never store one).
std::string loggedAddress(std::string_view url);

/// {id, at, gate, staff, kind, detail: {zh, en}}: in batches and in replies.
nlohmann::json toJson(const StaffAction& action);
/// The shape above, every text plain (Validation.h isPlainText) and bounded;
/// nullopt otherwise (a batch holding one is refused).
std::optional<StaffAction> staffActionFromJson(const nlohmann::json& json);

/// An action as a list shows it: toJson plus kind_words {zh, en} and the time
/// in words (`utcOffsetMinutes`).
nlohmann::json staffActionListJson(const StaffAction& action, int utcOffsetMinutes);

} // namespace gatepass
