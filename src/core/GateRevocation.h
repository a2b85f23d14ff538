// Revoking at the gate (issue 9): staff withdraw a lost card by its number, or
// every pass of a person (moved out), as the office CLI can. The revocation is
// stored at once — the very next scan here refuses it — pending export, so
// the next batch carries it to the office (Batch.h), whose upload replies
// then carry it to every gate of the community (Feed.h). Logged as the staff
// action "revoke" in the same transaction; the log names the card number, or
// the document number masked, never a full ID number.
#pragma once

#include "Date.h"
#include "Message.h"
#include "Person.h"
#include "Records.h"
#include "Words.h"

#include <nlohmann/json.hpp>

#include <array>
#include <optional>
#include <string>
#include <string_view>

namespace gatepass {

class Store;

/// The reasons offered with one tap (staff may type another): the console
/// sends the words it showed as the reason.
inline constexpr std::array<std::array<std::string_view, 2>, 3> kRevokeReasons{{
    {"卡丢失", "Lost card"},
    {"已搬离", "Moved out"},
    {"通行码被他人使用", "Pass used by someone else"},
}};

/// [{zh, en}]: kRevokeReasons as a reply carries them.
nlohmann::json revokeReasonsJson();

/// Makes, stores and logs a revocation made here, at `now`, in one transaction.
/// kind "card": `subject` as staff typed it (CardPass.h normalizeCardNumber;
/// card.number_invalid); kind "person": a document number (normalised as an
/// entry's). Refused, nothing stored: revocation.kind (neither), revocation.subject
/// (a number not of its shape), revocation.no_reason (blank), revocation.reason
/// (over kMaxFeedReasonBytes bytes or with control characters) — each the
/// rules of Feed.h checkRevocation, which every gate applies to the row again.
Result<Revocation> revokeHere(Store& store, std::string_view kind, std::string_view subject, std::string_view reason,
                              const std::string& staff, const Clock& now);

/// What staff see once it is done: "已注销通行卡 OF-1（卡丢失）".
Message revokedHereMessage(const Revocation& revocation);

/// The revocations staff may make for what a scan read (the scan reply's
/// `revoke`): [{kind, subject, words: {zh, en}}] — a card's number and its
/// person, or a pass's person; none for a visitor pass (its host's to withdraw).
nlohmann::json revokeOffers(const Person& person, const std::optional<std::string>& card, bool visitorPass);

} // namespace gatepass
