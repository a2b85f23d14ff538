// Printed pass cards, for people without a phone: the person's record sealed
// to the community like a live pass (Pass.h format 2, the same "GP2:" frame),
// but static, so a card never goes stale. In exchange the gate never treats a
// card like a phone pass: scan names it a card (its number), the policy refers
// EVERY visit to staff to check the ID card (a card can be lent or copied),
// and a lost card is revoked by its number (Feed.h revocation kind "card").
//
// Layout of the plain bytes the card seals (format byte 3, reserved for cards):
//   u8 3, u8 n, the card number (n ASCII bytes), then the format-1 record
//   payload as Pass.h describes it (its own format byte 1, no check: the seal
//   authenticates). The issued minute is the record's version, as on every pass.
//
// Card numbers: "<issuer>-<sequence>", e.g. "OF-12".
//   issuer   1–6 capital letters or digits, a letter first, naming who printed
//            it: "OF" the office CLI (gatepass card issue); a gate "G" + four
//            Crockford base-32 characters of SHA-256 of its enrollment's own
//            key (gateCardIssuer; the office, which made every gate key, can
//            tell which gate printed a card). Not of the gate's name: a gate set
//            up again on a new database under the same name starts its counter
//            again at 1, and with its name's issuer would print the numbers of
//            its old cards again, so revoking a lost old card (at any gate, since
//            gates revoke: GateRevocation.h) would refuse a new card too. Each
//            enrollment has a new key, so the new cards have a new issuer. Two
//            of a community's ten gates share an issuer with odds of about 1 in
//            23 000 (and then a revocation refuses both gates' card of that number).
//   sequence 1–999999999 in decimal, no leading zero: the issuer's counter
//            (the office's in its community folder, a gate's in its database).
// So a number is unique in the community without any gate asking another,
// reads aloud without ambiguity, and is a valid revocation subject (Feed.h).
#pragma once

#include "Message.h"
#include "Pass.h"
#include "Person.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace gatepass {

inline constexpr int kCardPassFormat = 3;
/// The issuer of cards printed by the office CLI.
inline constexpr std::string_view kOfficeCardIssuer = "OF";

/// A card number as staff typed it ("of-12 ", "OF-12"): spaces trimmed,
/// letters in capitals; card.number_invalid unless it then follows the scheme above.
Result<std::string> normalizeCardNumber(std::string_view typed);

/// The issuer a gate prints cards under, from its enrollment's gate key (the
/// base64url text settings keep; see above): card.no_gate without one (a gate
/// not enrolled), crypto.unavailable without SHA-256.
Result<std::string> gateCardIssuer(std::string_view gateKey);

/// issuer-sequence; card.number_invalid for an issuer or sequence outside the scheme.
Result<std::string> cardNumber(std::string_view issuer, int64_t sequence);

struct CardPass {
    Person person;
    int64_t issuedAtMs = 0; // the record's version, to the minute
    std::string number;
};

/// The plain bytes a card seals, for a valid person and card number (the
/// person's first validation error, or card.number_invalid).
Result<std::string> cardPassPlain(const Person& person, int64_t issuedAtMs, std::string_view number);

/// The card in opened plain bytes: pass.damaged, pass.invalid_record. Never a partly read card.
Result<CardPass> readCardPassPlain(std::string_view plain);

/// The reason the policy gives on every visit with a card (code "card", refer):
/// a printed card proves nothing of who holds it, so staff check the ID card.
Message cardVisitReason(std::string_view number);

/// pass.revoked for a card revoked by its number, with the revocation's reason.
Message revokedCard(std::string_view number, std::string_view reason);

} // namespace gatepass
