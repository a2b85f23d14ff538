// Single use across the community's gates (issue 9). A gate counts the uses
// of a visitor pass from the entries it holds (its own, and those of batch
// files it imported), so without more a single-use pass let in at the north
// gate would be let in again at the south gate. The use therefore travels
// the way revocations already do: when a gate records the accepted "in" of a
// single-use pass it stores, in the same transaction, a revocation row
// saying so — kind "person", subject the visitor's document number
// (VisitorPass.h visitorPerson: kVisitorDocPrefix + the pass id, one pass per
// number), reason kVisitorUsedReason. Like a revocation made here it goes out
// in the next batch (Batch.h), the office merges it (newer wins) and every
// gate's next upload reply or enrollment carries it (Feed.h); a gate that
// imports the file carries it on.
//
// Why a person revocation with its own reason, and not a new kind: every
// piece already deployed reads it. A new kind would need a schema step in the
// gate Store, the office's SQLite and its PostgreSQL (their CHECK (kind IN
// ('card','person'))), and a gate or office not yet updated would refuse
// every upload reply (feed.invalid) or batch (batch.invalid_record) that held
// one. Such a row says the truth in the old terms too — "every pass of this
// visitor is withdrawn": the visitor's number has exactly one pass — so an old
// gate refuses the pass (pass.revoked, its reason in both languages), only
// more strictly (also going out). An updated gate tells the row from a
// withdrawal by its reason (isVisitorUse) and keeps today's rule: visitor.used,
// but its visitor may still go out. A person revocation of a visitor with any
// other reason (the office withdrew the pass) stays pass.revoked.
//
// A use matters only while its pass could still open: a pass covers at most
// kVisitorPassMaxDays days from its first, and it was used on one of them, so
// after kVisitorUseKeptMs the gate refuses it by its days anyway
// (visitor.not_today). The office stops sending older uses (withoutSpentUses),
// so the lists do not grow with every visitor ever let in.
#pragma once

#include "Message.h"
#include "Records.h"
#include "VisitorPass.h"
#include "Words.h"

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace gatepass {

class Store;

/// The reason of a use row, in both languages since the row has one reason
/// (and a gate that does not know the row shows it as a revocation's reason).
inline constexpr std::string_view kVisitorUsedReason = "单次访客码已使用 / Single-use visitor pass used";
/// A pass's days, and one more for the zones of the gates' clocks.
inline constexpr int64_t kVisitorUseKeptMs = int64_t(kVisitorPassMaxDays + 1) * 86'400'000;

/// The row saying `pass` came in at `atMs`.
Revocation visitorUseRow(const VisitorPass& pass, int64_t atMs);
/// Whether `row` is a use row (person, a visitor's number, kVisitorUsedReason),
/// not a withdrawal.
bool isVisitorUse(const Revocation& row);

/// Stores the use row of `entry` when it is the accepted (not deny) "in" of a
/// single-use pass; nothing otherwise. Pending export, as revocation.add's.
/// Call inside the transaction that adds the entry.
Result<Done> recordVisitorUse(Store& store, const VisitorPass& pass, const Entry& entry);

/// Whether a single-use pass has come in: an accepted "in" among the entries
/// this gate holds, or a use row from any gate. Never for a multiple-use pass.
bool visitorPassSpent(const Store& store, const VisitorPass& pass);

/// What the scan makes of a visitor pass, from one look at the store (whether
/// it is spent, and its visitor's last movement here):
struct VisitorAtScan {
    /// visitor.used: a spent pass whose visitor is known to have gone out. A
    /// pass spent at another gate, with no movement here, may be its visitor
    /// going out here: it reads, and only "in" is refused (decide,
    /// entry.record). nullopt when it reads.
    std::optional<Message> refusal;
    /// The direction the console starts from: out for a spent pass with no
    /// movement here (in at another gate), else as for anyone (suggestedDirection).
    Direction direction = Direction::In;
    /// The pass's uses in words: visitorUses, or for a spent pass
    /// "单次已用 · 只可出门" / "Used once · out only" (short: it shares a line with the days).
    Words uses;
};
VisitorAtScan visitorAtScan(const Store& store, const VisitorPass& pass);

/// `rows` without the use rows older than kVisitorUseKeptMs at `nowMs`: what
/// an office sends (upload replies, enrollment codes).
std::vector<Revocation> withoutSpentUses(std::vector<Revocation> rows, int64_t nowMs);

/// How many of `rows` are use rows, and of the revocations pending export
/// (batch.pending and batch.list word them apart: a visitor let in is not a
/// revocation staff made).
int countVisitorUses(const std::vector<Revocation>& rows);
int pendingVisitorUses(const Store& store);

} // namespace gatepass
