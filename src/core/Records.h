// The records a gate keeps: a person's stored version, an entry at the gate,
// the gate's settings, the day's counts and a batch's header. Plain values;
// the Store keeps them, RecordJson writes them, Batch carries them.
#pragma once

#include "Message.h"
#include "Person.h"
#include "Policy.h"
#include "Words.h"

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace gatepass {

struct PersonRecord {
    Person person;
    int64_t updatedAt = 0;            // unix ms of this version (the pass's issue time)
    std::optional<int64_t> verifiedAt; // when staff checked the ID card
    std::string verifiedBy;

    friend bool operator==(const PersonRecord&, const PersonRecord&) = default;
};

struct Entry {
    std::string id; // unique across gates: 16 random hex digits
    std::string docNumber;
    std::string name;
    PersonType personType = PersonType::Resident;
    int64_t atMs = 0;
    Direction direction = Direction::In;
    std::optional<double> temperature;
    Verdict verdict = Verdict::Allow;
    std::vector<Message> reasons;
    std::string gate;
    std::string staff;

    friend bool operator==(const Entry&, const Entry&) = default;
};

// How long a gate keeps what it recorded (the "28 days by default"):
// long enough for the 14-day return window and a contact trace after it.
inline constexpr int kDefaultRetentionDays = 28;
inline constexpr int kMinRetentionDays = 14; // the policy's return window must still see its data
inline constexpr int kMaxRetentionDays = 366;

/// Where a retention period applies: a gate deletes only what it has exported
/// or uploaded (Store::applyRetention); the office deletes on its schedule
/// (OfficeDb::purge), counts only logged.
enum class RetentionAt { Gate, Office };
/// The one line staff read about how long data is kept: the console's Data
/// tab (retention.policy) and the office dashboard, each community its own.
Message retentionPolicy(int days, RetentionAt where);

/// One community key pair a gate holds (settings "keys"): the key id (Pass.h,
/// hex) and both halves as unpadded base64url, as the enrollment carries them.
/// A key the community has retired (office `community rotate-key`) carries
/// the end of its grace period: passes sealed to it open until then.
struct CommunityKey {
    std::string id, secretKey, publicKey;
    int64_t untilMs = 0; // 0: the current key
};

struct Settings {
    std::string communityCode;
    std::string communityName;
    std::string gateName;
    std::string city;       // "本市" in item 7 means this city
    std::string uploadUrl;  // where batches are POSTed when online; empty: export by hand
    std::string communityPublicKey; // resident: the poster's k (base64url, 32 bytes); passes are sealed to it
    std::string site;       // where the faces are served (the poster's address), from the enrollment; empty: not enrolled
    Rules rules;
    // Secrets from the office's enrollment code. Stored with the settings, never in a
    // settings reply (Api answers upload_token_set, key_ids instead); the community secret
    // keys go only to PassCrypto::open (in the browser: the core worker's libsodium). At rest
    // they are as safe as the database file (OPFS is readable by anything on the origin).
    std::string uploadToken;   // sent as `Authorization: Bearer` by batch.upload_request's caller
    std::string gateKey;       // base64url, 32 bytes: the gate's batch MAC key (issue 12)
    std::string communityKeys; // the code's "keys" array, compact JSON text; empty: none
    int retentionDays = kDefaultRetentionDays; // entries and unseen persons older than this are deleted (retention.apply)

    friend bool operator==(const Settings&, const Settings&) = default;
};

struct Stats {
    std::map<std::string, int> byPersonType; // key of PersonType → persons known
    int persons = 0;
    int returnedWithinWindow = 0;
    int underObservation = 0;
    int feverToday = 0;
    int entriesToday = 0;
    int inToday = 0, outToday = 0; // went through (refused entries are not movements)
    int refusedToday = 0;
    // Who is inside now, by what this gate has logged: persons whose last
    // movement (allowed or referred, any day kept) was "in", by person type key.
    std::map<std::string, int> insideByPersonType;
    int insideNow = 0;
    int allowToday = 0, referToday = 0, denyToday = 0;
    std::array<int, 24> hourlyToday{};
};

/// What a batch file says about itself (Batch.h has the file format).
struct BatchHeader {
    std::string communityCode;
    std::string communityName;
    std::string gate;
    int64_t seq = 0;
    int64_t createdAt = 0;
    int64_t fromMs = 0, toMs = 0; // entry times covered; 0 when none
    int persons = 0, entries = 0;
    int deletions = 0; // persons deleted at the gate; in the header's counts only when not 0
    int actions = 0;   // staff actions (StaffAction.h); in the header's counts only when not 0
    int revocations = 0; // revocations made at the gate (Feed.h); in the header's counts only when not 0
    int visitorUses = 0; // of those, visitor pass uses (VisitorUse.h): not in the file's header, counted from
                         // its lines when made or read, and kept by the store for batch.list's words
    std::string bodySha256;
};

/// One of this gate's exports, as the store lists them.
struct ExportRecord {
    BatchHeader header;
    std::optional<int64_t> uploadedAt; // accepted by the upload address
};

/// Records not yet exported.
struct PendingCounts {
    int persons = 0;
    int entries = 0;
    int deletions = 0; // person.delete since the last export
    int revocations = 0; // revocation.add since the last export (they make a batch on their own)

    /// The records an export now would carry (Batch.h exportPending): staff
    /// actions ride along with these but make no batch on their own.
    int total() const { return persons + entries + deletions + revocations; }
    /// Whether an export now would make a batch.
    bool exportable() const { return total() > 0; }
};

/// A person deleted at a gate: the office deletes them too (Batch: a "deletion" line).
struct Deletion {
    std::string docNumber;
    int64_t atMs = 0;
};

/// The office's watch list, as each upload reply sends it (src/office/Upload.h):
/// a person the community office wants staff to stop, with its reason in its words.
struct WatchEntry {
    std::string docNumber; // normalised (checkEntry's shape)
    std::string reason;    // the office's words, shown at the gate as they are
    int64_t addedAt = 0;   // unix ms

    friend bool operator==(const WatchEntry&, const WatchEntry&) = default;
};

/// A pass withdrawn by the office or at a gate (revocation.add, carried to the
/// office and other gates in batches): kind "person" refuses every pass of the
/// document number `subject`; kind "card" a printed card by its number (CardPass.h).
struct Revocation {
    std::string kind;    // "card" or "person"
    std::string subject; // card number or document number
    std::string reason;
    int64_t revokedAt = 0; // unix ms

    friend bool operator==(const Revocation&, const Revocation&) = default;
};

/// What a gate must apply, sent with every 2xx upload reply (Feed.h reads it).
/// The watch list and the revocations are the office's whole lists (a gate
/// keeps its own revocations the office may not have yet: Store.h
/// replaceRevocations); the roster is persons the office knows, merged like a batch's.
struct GateFeed {
    std::vector<Revocation> revocations;
    std::vector<WatchEntry> watchList;
    std::vector<PersonRecord> roster;
};

/// What retention.apply did and what it held back (due, but not yet exported or uploaded).
struct RetentionReport {
    int entries = 0, persons = 0, batches = 0, deletions = 0, actions = 0; // actions: staff actions (StaffAction.h)
    int heldEntries = 0, heldPersons = 0, heldBatches = 0;
};

/// What an entry's direction reads when the person was refused: they did not go through.
inline const Words kRefusedWords{"未进入", "Refused"};

/// An entry in words, in a time zone: what the console shows and the CSV writes.
struct EntryWords {
    std::string time;        // "HH:MM"
    std::string dateTime;    // "YYYY-MM-DD HH:MM"
    Words direction;
    Words verdict;
    std::string temperature; // "36.8 °C", or empty when not taken
    Words personType;
};

EntryWords entryWords(const Entry& entry, int utcOffsetMinutes);

} // namespace gatepass
