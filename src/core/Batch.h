// Batches: how records leave a gate and reach the community office.
//
// File format 2 (UTF-8 text):
//   line 1   "GATEPASS-BATCH 2"
//   line 2   the header, one JSON object: format, community {code, name},
//            gate, seq, created_at, time_range {from, to}, counts {persons,
//            entries}, body_sha256, then — last, written as the line's final
//            member — "mac": base64url of crypto_auth (HMAC-SHA-512-256,
//            libsodium) under the gate's own key (GateEnrollment.h gate_key)
//            over the exact bytes  "GATEPASS-BATCH 2\n" + H + "\n" + body,
//            where H is line 2 without its `,"mac":"…"` member (H ends "}").
//            A gate not enrolled has no key: its header has no "mac", and an
//            office refuses the batch (batch.unauthenticated).
//   the body: one JSON object a line, persons ({"person": record}) sorted
//            by document number, then entries ({"entry": entry}) by time,
//            then deletions ({"deletion": {doc_number, at}}) by document
//            number: persons deleted at the gate (person.delete), whom the
//            importer deletes too, with their entries up to `at`; then staff
//            actions ({"action": action}, StaffAction.h toJson) by time: what
//            staff did at the gate, stored once per id by the importer; then
//            revocations made at the gate, or carried on from another gate's
//            batch it imported ({"revocation": {kind, subject, reason,
//            revoked_at}}, Feed.h toJson, checked by checkRevocation) by time:
//            a gate stores one unless it holds one of the same kind and subject
//            as new or newer, and carries it on in its own next batch; an office
//            adds it to the list its upload replies carry to every gate (newer wins).
//            A single-use visitor pass's use is such a line too (VisitorUse.h). The header's
//            counts carry "deletions", "actions" and "revocations" only when
//            there are some, so a batch without them reads as before.
// Format 3 ("GATEPASS-BATCH 3", "format": 3), which a gate holding its
// community's key writes (enrolled gates do), so that a lost USB stick leaks
// nothing: the header is format 2's plus "key_id" (the community key's id,
// Pass.h keyId in hex), and holds nothing personal; the body is one line,
// base64url of crypto_box_seal(format 2's body, the community's current
// public key) — libsodium's sealed box, through the host's PassCrypto. The
// MAC covers "GATEPASS-BATCH 3\n" + H + "\n" + that line (newline included);
// body_sha256 is still the plain body's, so the same records sealed twice
// (different bytes) are one batch to an office. Only a holder of the
// community's secret key opens it: the office (its key folder) and enrolled
// gates (BatchKeys); anyone else gets batch.sealed_no_key /
// batch.sealed_other_key.
// Format 1 is format 2 with "GATEPASS-BATCH 1", "format": 1 and never a MAC;
// it is still read (a gate's stored exports, batch verify) but, having no
// MAC, is never believed by an office.
// The checksum covers the body's exact bytes, so a truncated or misdelivered
// file is refused whole before anything is merged; anyone can recompute it,
// so only the MAC says which gate made the file. The office accepts only
// batches whose MAC verifies with the key of the (active) gate the header
// names, in a community the database holds — the upload service and
// `gatepass batch import` alike — so everything an accepted batch says,
// "verified" stamps included, comes from a gate the office enrolled.
#pragma once

#include "ImportProgress.h"
#include "Message.h"
#include "PassCrypto.h"
#include "Records.h"
#include "Store.h"
#include "Words.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gatepass {

inline constexpr std::string_view kBatchMagic = "GATEPASS-BATCH 2";
inline constexpr int kBatchFormat = 2;
inline constexpr std::string_view kBatchMagicV1 = "GATEPASS-BATCH 1";
inline constexpr std::string_view kBatchMagicSealed = "GATEPASS-BATCH 3";
inline constexpr int kBatchFormatSealed = 3;

/// What opens a format-3 body: the community key pairs a reader holds (a
/// gate's from its enrollment, current and retired; the office's from its key
/// folder) and the host's crypto. Empty: format 3 cannot be read.
struct BatchKeys {
    std::vector<CommunityKey> keys;
    PassCrypto crypto;
};

/// The format this gate's next export is written in: sealed (3) once it holds
/// its community's current key (enrolled), else 2.
int exportFormat(const Settings& settings);

/// The keys a gate's store holds (its enrollment's), with `crypto`.
BatchKeys heldBatchKeys(const Store& store, const PassCrypto& crypto);

/// The header line's JSON without the MAC (the shape above); the API answers with the same.
nlohmann::json headerJson(const BatchHeader& header);

struct ExportedBatch {
    BatchHeader header;
    std::string fileName; // "gatepass-<community>-<gate>-<seq>.batch"
    std::string text;     // the file
    std::string csvName;
    std::string csv;      // the entries for people, UTF-8 with BOM
};

/// Everything not yet exported becomes the next batch (and is marked
/// exported in the same transaction). batch.nothing_pending when empty.
/// A gate holding a gate key MACs it with `crypto` (crypto.unavailable
/// without crypto.mac: never an unauthenticated file from an enrolled gate);
/// a gate without one writes no MAC. A gate holding its community's current
/// key pair writes format 3, sealed to it (crypto.unavailable without
/// crypto.seal); one without writes format 2.
/// Revocations made here (revocation.add) are records: one alone makes a
/// batch, so that it reaches the office with the next upload.
/// The staff actions not yet exported ride along (they never make a batch on
/// their own: an export is made for records, and every export would
/// otherwise leave its own trace pending). With `loggedBy` (staff exporting
/// files by hand; the automatic export before an upload has none) the export
/// is logged as theirs (StaffActionKind::Export) in the same transaction,
/// and carried in this very batch.
Result<ExportedBatch> exportPending(Store& store, const Clock& now, const PassCrypto& crypto = {},
                                    const std::optional<std::string>& loggedBy = std::nullopt);

/// An earlier export again, byte for byte (the CSV's times in `utcOffsetMinutes`;
/// a format-3 export is opened with the store's keys and `crypto` for it).
Result<ExportedBatch> exportedBatch(const Store& store, int64_t seq, int utcOffsetMinutes, const PassCrypto& crypto = {});

/// A stored export of a gate that holds a gate key, whose MAC is missing (made
/// before enrollment, or as format 1) or was made with an earlier key (the
/// gate was enrolled again while it waited in the queue), is written again as
/// format 2 with the MAC under the current key, over the stored one: the gate
/// vouches for its own stored exports only; the same body, so an office
/// counts it once. A stored format 1 or 2 export of a gate that now holds its
/// community's key is written again as format 3 (sealed) the same way.
/// Nothing changes otherwise. batch.get and batch.upload_request call it first.
Result<Done> macStoredExport(Store& store, int64_t seq, const PassCrypto& crypto);

struct ParsedBatch {
    BatchHeader header;
    std::vector<PersonRecord> persons;
    std::vector<Entry> entries;
    std::vector<Deletion> deletions;
    std::vector<StaffAction> actions;
    std::vector<Revocation> revocations;
    int format = kBatchFormat;
    std::string keyId;        // format 3: the id of the community key the body is sealed to
    std::string mac;          // the header's "mac" (base64url); empty: none
    std::string signedHeader; // line 2 without the mac member: what the MAC covers with the body
};

/// Deletes a person everywhere this gate keeps them: their record, their
/// entries, their lines in every stored export (rewritten, so an unsent one
/// goes out without them), and records the deletion for the next export.
/// Answers the entries deleted; person.not_found when unknown.
/// The rewritten exports are MACed as exportPending's.
Result<int> deletePersonEverywhere(Store& store, std::string_view docNumber, const Clock& now, const PassCrypto& crypto = {});

/// The first two lines only — format, header, MAC, no records: what an office
/// reads to know which community's keys open the body (parseBatch checks it
/// all again). batch.foreign, batch.newer_version, batch.damaged.
Result<ParsedBatch> parseBatchHeader(std::string_view text);

/// Checks format, checksum, counts and every record; nothing is stored, and
/// nothing is authenticated (authenticateBatch does that). A format-3 body is
/// opened with `keys` first: batch.sealed_no_key (none held),
/// batch.sealed_other_key (none has the header's key id), crypto.unavailable,
/// batch.damaged (the sealed body does not open: altered). `progress` hears
/// ImportStep::Checking as the body's lines are read.
Result<ParsedBatch> parseBatch(std::string_view text, const BatchKeys& keys = {}, const ImportProgressFn& progress = {});

/// nullopt when `batch` (parsed from `text`) carries a MAC that crypto_auth_verify
/// accepts under `gateKey` (base64url), the key of the gate its header names;
/// else batch.unauthenticated: no MAC (format 1, a gate not enrolled), no key
/// (nullopt: an unknown or revoked gate), or a MAC that does not verify
/// (altered, made up, made with another gate's key). crypto.unavailable without crypto.verify.
std::optional<Message> authenticateBatch(std::string_view text, const ParsedBatch& batch,
                                         const std::optional<std::string>& gateKey, const PassCrypto& crypto);

/// What only an authenticated gate is believed on, dropped from a batch
/// imported without authentication (importBatch's acceptUnauthenticated):
/// the "verified" stamps.
void dropVerifications(ParsedBatch& batch);

/// Who an importer believes (importBatch).
struct BatchTrust {
    PassCrypto crypto;
    /// The key (base64url) of the named gate of the database's community; nullopt: not a gate this database knows.
    std::function<std::optional<std::string>(std::string_view gate)> gateKey;
    /// A batch that cannot be authenticated — no MAC, or a gate whose key this
    /// database does not hold — is imported anyway, without its verifications
    /// (the gate console, which holds only its own key). A MAC that does not
    /// verify with a key it holds is refused all the same.
    bool acceptUnauthenticated = false;
    /// The community key pairs that open format-3 batches (BatchKeys, with `crypto`).
    std::vector<CommunityKey> communityKeys;
};

struct ImportReport {
    BatchHeader header;
    bool alreadyImported = false;
    int personsAdded = 0;
    int personsUpdated = 0;
    int entriesAdded = 0;
    int personsDeleted = 0; // the batch's deletions that removed a person here
    int actionsAdded = 0;   // staff actions not held before
    int revocationsAdded = 0; // revocations stored (none as new held before)
    std::vector<Message> conflicts; // same person, different records: which one was kept
};

/// Verifies the whole file, then merges it in one transaction: entries and staff actions by id,
/// persons by document number with the newer record winning, revocations by
/// kind and subject with the later one winning. Importing the
/// same batch again, or one overlapping an earlier one, adds nothing twice.
/// Which community a database holds is decided when it is set up (gate
/// settings, enrollment, `office add-community`), never by a file: a
/// database without a community refuses a community's batch
/// (batch.no_community), one with another community refuses it
/// (batch.other_community); only batches of consoles not yet set up (no
/// community either) pass between consoles not yet set up. A
/// database that knows its community's code but not its name takes the name
/// from the first batch of that community.
/// Nothing in a batch may be later than `now` + kBatchClockSkewMs (the
/// batch's time range, any record's version or verification, any entry, staff action or revocation):
/// a gate stamps with its own clock and caps a pass's time at it, so such a
/// time is a gate clock far ahead or a made-up file (batch.future). Part of
/// importBatch; a backend that merges without it calls it itself.
inline constexpr int64_t kBatchClockSkewMs = 3'600'000;
std::optional<Message> checkBatchTimes(const ParsedBatch& batch, const Clock& now);

/// The merge rule for one person arriving in a batch: the newer version
/// (updated_at) wins; a verification is kept whichever record wins; a
/// different record under the same number is a conflict, reported masked.
/// importBatch applies it; so does the office's PostgreSQL backend, which
/// cannot run importBatch — one rule, one place.
struct PersonMergeResult {
    PersonRecord merged;
    bool write = false;        // false: the stored record stays as it is
    bool added = false;        // no record was stored under this number
    bool incomingWins = true;  // the batch's version is the merged one
    std::optional<Message> conflict;
};
PersonMergeResult mergePerson(const std::optional<PersonRecord>& existing, const PersonRecord& incoming);

/// parseBatch, authenticateBatch as `trust` says, then mergeBatch; `progress`
/// hears each step (ImportProgress.h) as it advances.
Result<ImportReport> importBatch(Store& store, std::string_view text, const Clock& now, const BatchTrust& trust,
                                 const ImportProgressFn& progress = {});

/// importBatch's merge of a batch already parsed and authenticated (or
/// stripped by dropVerifications): community, checkBatchTimes, then the merge
/// (`progress` hears ImportStep::Merging by records written).
Result<ImportReport> mergeBatch(Store& store, const ParsedBatch& batch, const Clock& now, const ImportProgressFn& progress = {});

/// The entries of a batch as CSV for people (time in the clock's zone).
std::string entriesCsv(const Store& store, const ParsedBatch& batch, int utcOffsetMinutes);

} // namespace gatepass
