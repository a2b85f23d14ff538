// Batches: how records leave a gate and reach the community office.
//
// File format 1 (UTF-8 text):
//   line 1   "GATEPASS-BATCH 1"
//   line 2   the header, one JSON object: format, community {code, name},
//            gate, seq, created_at, time_range {from, to}, counts {persons,
//            entries}, body_sha256
//   the body: one JSON object a line, persons ({"person": record}) sorted
//            by document number, then entries ({"entry": entry}) by time,
//            then deletions ({"deletion": {doc_number, at}}) by document
//            number: persons deleted at the gate (person.delete), whom the
//            importer deletes too, with their entries up to `at`. The
//            header's counts carry "deletions" only when there are some.
// The checksum covers the body's exact bytes, so a truncated, edited or
// misdelivered file is refused whole before anything is merged.
#pragma once

#include "Message.h"
#include "Records.h"
#include "Store.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace gatepass {

inline constexpr std::string_view kBatchMagic = "GATEPASS-BATCH 1";
inline constexpr int kBatchFormat = 1;

/// The header line's JSON (the shape above); the API answers with the same.
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
Result<ExportedBatch> exportPending(Store& store, const Clock& now);

/// An earlier export again, byte for byte (the CSV's times in `utcOffsetMinutes`).
Result<ExportedBatch> exportedBatch(const Store& store, int64_t seq, int utcOffsetMinutes);

struct ParsedBatch {
    BatchHeader header;
    std::vector<PersonRecord> persons;
    std::vector<Entry> entries;
    std::vector<Deletion> deletions;
};

/// Deletes a person everywhere this gate keeps them: their record, their
/// entries, their lines in every stored export (rewritten, so an unsent one
/// goes out without them), and records the deletion for the next export.
/// Answers the entries deleted; person.not_found when unknown.
Result<int> deletePersonEverywhere(Store& store, std::string_view docNumber, const Clock& now);

/// Checks format, checksum, counts and every record; nothing is stored.
Result<ParsedBatch> parseBatch(std::string_view text);

struct ImportReport {
    BatchHeader header;
    bool alreadyImported = false;
    int personsAdded = 0;
    int personsUpdated = 0;
    int entriesAdded = 0;
    int personsDeleted = 0; // the batch's deletions that removed a person here
    std::vector<Message> conflicts; // same person, different records: which one was kept
};

/// Verifies the whole file, then merges it in one transaction: entries by id,
/// persons by document number with the newer record winning. Importing the
/// same batch again, or one overlapping an earlier one, adds nothing twice.
/// Which community a database holds is decided when it is set up (gate
/// settings, enrollment, `batch import --community`), never by a file: a
/// database without a community refuses a community's batch
/// (batch.no_community), one with another community refuses it
/// (batch.other_community); only batches of consoles not yet set up (no
/// community either) pass between consoles not yet set up. A
/// database that knows its community's code but not its name takes the name
/// from the first batch of that community.
/// Nothing in a batch may be later than `now` + kBatchClockSkewMs (the
/// batch's time range, any record's version or verification, any entry):
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

Result<ImportReport> importBatch(Store& store, std::string_view text, const Clock& now);

/// The entries of a batch as CSV for people (time in the clock's zone).
std::string entriesCsv(const Store& store, const ParsedBatch& batch, int utcOffsetMinutes);

} // namespace gatepass
