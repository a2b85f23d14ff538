// The office database: one interface, two backends.
//
//   SqliteOfficeDb    a file: the core Store's schema (persons, entries, imports…)
//                     plus office_* tables; merges through the core's importBatch.
//                     One community per file (the Store holds one).
//   PostgresOfficeDb  postgresql://…: the same tables with a community column,
//                     many communities; the core's merge rules in SQL + the core's mergePerson.
//
// All office SQL lives in the two backend files. Every method is safe to call
// from several threads at once (the service's request threads).
#pragma once

#include "Account.h"
#include "Batch.h"
#include "Community.h"
#include "Message.h"
#include "Policy.h"

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gatepass::office {

struct Gate {
    std::string community;
    std::string name;
    std::string gateKey; // base64url; authenticates the gate's batches (issue 12)
    int64_t enrolledAt = 0;
    std::optional<int64_t> revokedAt;
    std::optional<int64_t> lastUploadAt;
};

// WatchEntry, Revocation and GateFeed are the core's (Records.h): the office
// writes the shape the gate reads (Feed.h), one definition for both ends.
using gatepass::GateFeed;
using gatepass::Revocation;
using gatepass::WatchEntry;

struct CommunityCounts {
    std::string code;
    int64_t persons = 0;
    int64_t entries = 0;
    std::vector<Gate> gates;
};

struct PurgeCounts {
    std::string community;
    int64_t entriesDeleted = 0;
    int64_t personsDeleted = 0;
    int64_t actionsDeleted = 0; // gates' staff actions (StaffAction.h)
};

// The dashboard's overview of one community (issue 11): counts only, no
// personal data. Days are local days of the Clock given to overview().
inline constexpr int kOverviewDays = 14;

struct GateOverview {
    std::string name;
    bool enrolled = false;             // false: only seen in entries (a batch imported by hand)
    std::optional<int64_t> revokedAt;
    std::optional<int64_t> lastUploadAt;
    std::vector<int64_t> entriesByDay = std::vector<int64_t>(kOverviewDays); // oldest first; the last is today
};

// "Returned within 14 days": the core's rule (returnedWithinWindow) with the
// default Rules' window; the office does not know each gate's own setting.
// SQL only narrows to the persons who left the city; the rule decides (as
// Store::stats does).
inline constexpr int kReturnedWithinDays = Rules{}.returnWindowDays;

/// Whether a stored record (the person as JSON, PersonJson) is "returned
/// within kReturnedWithinDays" at `now`'s local today: the backends' one rule.
bool countsAsReturned(std::string_view recordJson, const Clock& now);

struct Overview {
    std::string community;
    int64_t persons = 0;
    int64_t underObservation = 0;      // persons whose record says home observation
    int64_t returnedRecently = 0;      // persons for whom returnedWithinWindow (left the city, back
                                       // fewer than kReturnedWithinDays days before today of `now`)
    int64_t feverToday = 0;            // entries today the gate judged a fever (reason kFeverReason)
    int64_t insideNow = 0;             // persons whose last movement (refused ones are none) was "in"
    std::map<std::string, int64_t> personsByType; // PersonType key → persons
    std::map<std::string, int64_t> insideByType;
    std::vector<int64_t> entriesByDay = std::vector<int64_t>(kOverviewDays); // all gates; the last is today
    std::vector<GateOverview> gates;   // enrolled gates and gates named by entries, by name
};

// One person under home observation, for the dashboard's list (issue 11):
// the record and the person's last movement at any gate (refused ones are
// none: the Store's rule), when there is one.
struct ObservedPerson {
    PersonRecord record;
    std::optional<int64_t> lastMoveAt;
    Direction lastDirection = Direction::In;
    std::string lastGate;
};

class OfficeDb {
public:
    virtual ~OfficeDb() = default;

    /// "postgresql://…" or "postgres://…" (a libpq URI) opens PostgreSQL; anything
    /// else is a SQLite file, created if missing. Creates or migrates the schema.
    static Result<std::unique_ptr<OfficeDb>> open(const std::string& target);

    virtual std::string_view kind() const = 0; // "sqlite" / "postgresql"

    /// Registers a community (again: updates name, site, key; keeps retention).
    virtual Result<Done> addCommunity(const Community& community) = 0;
    virtual std::optional<Community> community(std::string_view code) = 0;
    virtual std::vector<Community> communities() = 0;
    virtual Result<Done> setRetentionDays(std::string_view community, int days) = 0;

    /// Enrolls a gate, or re-enrolls it: the new token (stored as its hash) and
    /// gate key replace the old ones, and a revoked gate is active again.
    virtual Result<Done> enrollGate(const Gate& gate, std::string_view tokenHash) = 0;
    /// office.gate_not_found when there is no such gate.
    virtual Result<Done> revokeGate(std::string_view community, std::string_view gate, int64_t now) = 0;
    /// The active (not revoked) gate holding this token hash.
    virtual std::optional<Gate> gateByTokenHash(std::string_view tokenHash) = 0;
    /// The active (not revoked) gate of that name in that community: whose key
    /// authenticates a batch naming it (Batch.h authenticateBatch).
    virtual std::optional<Gate> gate(std::string_view community, std::string_view name) = 0;

    /// Merges a batch already checked by parseBatch, authenticated by
    /// authenticateBatch with the key of the gate it names (or, on the CLI's
    /// explicit override, stripped by dropVerifications), and whose community
    /// the caller checked, in one transaction: entries by id, persons by document
    /// number, newer record wins, conflicts reported masked; staff actions by id;
    /// revocations made at the gate as addRevocation adds them. A batch already
    /// merged (same body) → alreadyImported, nothing changed. Records the
    /// gate's last upload. Concurrent calls with the same batch add it once.
    virtual Result<ImportReport> merge(const ParsedBatch& batch, std::string_view text, const Clock& now) = 0;

    /// What a gate of the community must apply, sent with every upload reply
    /// (Feed.h): the whole watch list and revocations, and the roster. Filled
    /// by the dashboard (issue 11) and the CLI (office watch, office revoke-person).
    virtual Result<GateFeed> feed(std::string_view community) = 0;
    /// Adds or replaces (same number) a watch-list row; the caller checked it (checkWatchEntry).
    virtual Result<Done> addWatch(std::string_view community, const WatchEntry& entry) = 0;
    /// Removes the community's watch-list row of that number: false when there
    /// was none (nothing changed). The next upload reply no longer carries it.
    virtual Result<bool> removeWatch(std::string_view community, std::string_view docNumber) = 0;
    /// Adds or replaces (same number) the community's roster rows — persons the
    /// office knows, sent to its gates with each upload reply — all in one
    /// transaction: every row or none.
    virtual Result<Done> addRoster(std::string_view community, const std::vector<PersonRecord>& rows, int64_t now) = 0;
    /// Adds a revocation, or replaces one of the same kind and subject unless that
    /// one is newer (revoked_at); the caller checked it (checkRevocation).
    virtual Result<Done> addRevocation(std::string_view community, const Revocation& revocation) = 0;

    /// Deletes, per community, entries and gates' staff actions older than its
    /// retention period and persons not seen within it (record older, and no
    /// entry left). Each purge is recorded as counts in office_purges.
    virtual Result<std::vector<PurgeCounts>> purge(const Clock& now) = 0;

    virtual Result<CommunityCounts> counts(std::string_view community) = 0;
    virtual std::optional<PersonRecord> findPerson(std::string_view community, std::string_view docNumber) = 0;
    /// The gate's search rule (searchTerm, Store::search), on the community's persons: a
    /// name containing `query`, or — `query` of 4 or more digits (or X) — a
    /// phone or document number ending in it; newest record first, at most `limit`.
    virtual Result<std::vector<PersonRecord>> searchPersons(std::string_view community, std::string_view query, int limit) = 0;
    /// Every person of the community (the CSV export).
    virtual Result<std::vector<PersonRecord>> persons(std::string_view community) = 0;
    /// Every entry of the community, oldest first (the CSV export).
    virtual Result<std::vector<Entry>> entries(std::string_view community) = 0;
    /// What staff did at the community's gates (StaffAction.h), as their
    /// batches carried it (merge stores each once by id): newest first, at
    /// most `limit`. For admins only (the server's audit view).
    virtual Result<std::vector<StaffAction>> staffActions(std::string_view community, int limit) = 0;

    /// The dashboard's counts for a community: persons (by type, under
    /// observation, returned within kReturnedWithinDays), who is inside now, entries by local day for the last
    /// kOverviewDays days ending today (of `now`), per gate and in all, fever
    /// today (entries whose reasons hold kFeverReason: the gate's judgement by
    /// its own rules, which the office does not know), each gate's last upload.
    virtual Result<Overview> overview(std::string_view community, const Clock& now) = 0;
    /// The community's persons whose record says home observation, the
    /// earliest observation start first (then by document number), at most
    /// `limit`, each with its last movement. Personal data: the caller shows
    /// it masked, to staff and admins only.
    virtual Result<std::vector<ObservedPerson>> underObservation(std::string_view community, int limit) = 0;

    // Accounts, sessions and the audit log (issue 11): one set per office
    // database, across its communities.

    /// Adds an account (with its role, communities, disabled); account.exists
    /// (nothing changed) when the name is taken.
    virtual Result<Done> addAccount(const Account& account) = 0;
    virtual std::optional<Account> account(std::string_view name) = 0;
    /// Every account, by name (the admin's account screen).
    virtual Result<std::vector<Account>> accounts() = 0;
    /// Applies an admin's change in one transaction. account.not_found;
    /// account.last_admin when afterwards no enabled admin would be left
    /// (nothing changed; concurrent changes cannot both pass). A new password
    /// or disabling ends the account's sessions.
    virtual Result<Done> changeAccount(std::string_view name, const AccountChange& change) = 0;
    /// Counts a wrong password, atomically: at `lockAfter` failures the account
    /// is locked until now + lockMs and the count starts again. A locked
    /// account is not counted. Returns the account as it is after.
    virtual Result<Account> noteFailedSignIn(std::string_view name, int64_t now, int lockAfter, int64_t lockMs) = 0;
    /// After a right password: the failure count back to 0, the sign-in time kept (Account::lastSignInAt).
    virtual Result<Done> noteSignIn(std::string_view name, int64_t now) = 0;
    /// A session by the hash of its cookie's token (crypto::tokenHash). Sessions
    /// expired at `now` (any account's) are deleted here: each sign-in prunes them.
    virtual Result<Done> addSession(std::string_view tokenHash, std::string_view account, int64_t now, int64_t expiresAt) = 0;
    /// The session of that token hash, unless expired at `now`, ended, or its
    /// account disabled; with the account's current role and communities.
    virtual std::optional<Session> session(std::string_view tokenHash, int64_t now) = 0;
    /// Ends a session (sign-out); expired ones are deleted too.
    virtual Result<Done> endSession(std::string_view tokenHash, int64_t now) = 0;
    virtual Result<Done> addAudit(const AuditEvent& event) = 0;
    /// The newest `limit` audit events, newest first.
    virtual Result<std::vector<AuditEvent>> audit(int limit) = 0;
};

/// What opens `batch` (its header: parseBatchHeader) at this office, with
/// libsodium: no keys for formats 1 and 2; for format 3 (Batch.h), the pairs
/// in the key folder that `office add-community --key` recorded for the
/// community it names (Community.h batchOpeningKeys), or why they cannot be
/// read. A community the database does not hold: no keys (the caller refuses
/// the batch as another community's).
Result<BatchKeys> officeBatchKeys(OfficeDb& db, const ParsedBatch& batch);

} // namespace gatepass::office
