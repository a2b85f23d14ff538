// What the office's upload reply carries for the gate (src/office/Upload.h):
// its watch list, its revocations and roster additions. One JSON shape for
// both ends: the office writes it with feedJson, the gate reads it with
// feedFromReply (checked like a batch) and applies it with applyFeed, whole
// or not at all. The office is the source of truth for both lists: a gate
// keeps the lists of the last reply it applied, so a removal at the office
// reaches the gate with the next reply — plus the revocations made at the
// gate itself (revocation.add), or merged from another gate's batch file,
// until the office has received them: until the
// export that carries them was accepted by the upload address (Store.h
// replaceRevocations). A gate's revocation travels in its batches (Batch.h, a
// "revocation" line); the office adds it to its list, which every gate's next
// reply carries.
#pragma once

#include "Message.h"
#include "Records.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace gatepass {

class Store;

/// At most this many rows in each list of a reply: a sub-district's watch
/// list is hundreds, a community's roster thousands; more is a broken office.
inline constexpr size_t kMaxFeedRows = 100'000;
/// A reason is shown on the scan screen: at most this many bytes of UTF-8.
inline constexpr size_t kMaxFeedReasonBytes = 200;

/// {"revocations": [{kind, subject, reason, revoked_at}], "watch_list":
/// [{doc_number, reason, added_at}], "roster": [{person, updated_at,
/// verified_at?, verified_by?}]}: the three fields of a 200 reply.
nlohmann::json feedJson(const GateFeed& feed);

/// One row's rules, for the office before it stores a row and for the gate
/// when it reads one: the document number as an entry's (4–30 capital
/// letters, digits or '-'; a "card" subject 1–64 letters, digits, '-' or
/// '_'), a reason of 1–kMaxFeedReasonBytes bytes of UTF-8 without control
/// characters, a time in [0, kLatestMs]. feed.row_invalid naming the field.
std::optional<Message> checkWatchEntry(const WatchEntry& entry);
std::optional<Message> checkRevocation(const Revocation& revocation);

/// {kind, subject, reason, revoked_at}: a row of the reply's list, and a batch's "revocation" line.
nlohmann::json toJson(const Revocation& revocation);
/// The shape above, every member present and of its type (not checked: checkRevocation); nullopt otherwise.
std::optional<Revocation> revocationFromJson(const nlohmann::json& json);

/// The three lists of a 2xx upload reply's body (JSON text), every row
/// checked as above and every roster record by the person rules (as a
/// batch's), at most kMaxFeedRows each. Any fault is feed.invalid, saying
/// where; nothing of the reply is taken then.
Result<GateFeed> feedFromReply(std::string_view body);

struct FeedReport {
    int watchList = 0;   // rows now on the gate's watch list
    int revocations = 0; // rows now revoked
    int rosterAdded = 0, rosterUpdated = 0;
};

/// Replaces the gate's watch list and revocations with the feed's (keeping
/// the revocations made here the office may not have: Store.h) and merges
/// the roster as a batch's persons are merged (Batch.h mergePerson: the
/// newer version wins, a verification is kept; not exported again), in one
/// transaction (a savepoint inside the caller's).
Result<FeedReport> applyFeed(Store& store, const GateFeed& feed);

} // namespace gatepass
