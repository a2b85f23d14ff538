// The database of one face: persons, entries, batches, settings, staff actions.
//
// Every write is one transaction; a call that returns ok has committed (and,
// on a durable VFS, synced). The schema is versioned with PRAGMA user_version
// and migrated forward at open. All SQL of a face's database lives in
// Store.cpp: the schema, its migrations and every statement; the rest of the
// core calls the named operations below. (The sealed gate database's key
// ring is a file of its own, with its own few statements: KeyRing.cpp.)
//
// Sealed at rest (openSealed): the same store through AtRestVfs, which
// encrypts each page; the Store itself does not know the difference.
#pragma once

#include "AtRestVfs.h"
#include "Date.h"
#include "Message.h"
#include "Records.h"
#include "Sqlite.h"
#include "StaffAction.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace gatepass {

inline constexpr int kSchemaVersion = 9;

/// A database file's health, read before a Store opens it.
struct FileCheck {
    bool ok = false;      // integrity "ok"
    bool corrupt = false; // damaged (as opposed to unreadable: locked, I/O)
    int rc = 0;           // SQLite's extended result code
    std::string detail;   // SQLite's list of problems, or its error message
};

/// The staff lock's stored state (Lock.h decides what it means).
struct LockRow {
    std::optional<std::string> pin; // the KDF record; none: first start, a PIN may be set
    int failures = 0;                // wrong PINs since the last right one
    int64_t failedAtMs = 0;          // the last wrong one
};

/// What a person search looks for, by the one rule the gate (Store::search)
/// and the office (OfficeDb::searchPersons, the dashboard) share: the query
/// without leading and trailing spaces; `digits` when it is only digits (and
/// X), which match the end of a phone or document number. nullopt: nothing
/// to search — empty, over kMaxSearchQuery bytes, or digits fewer than 4 (a
/// middle or short fragment would let anyone enumerate people by birth date).
struct SearchTerm {
    std::string text;
    bool digits = false;
};
inline constexpr size_t kMaxSearchQuery = 100;
std::optional<SearchTerm> searchTerm(std::string_view query);

class Store {
public:
    /// Opens or creates the database and migrates it. `vfs` names a registered
    /// SQLite VFS (the browser's OPFS one), nullptr for the platform default.
    static Result<Store> open(const std::string& path, const char* vfs = nullptr);
    /// The same through an encrypting VFS (AtRestVfs.h): pages of
    /// kAtRestPageSize with kAtRestReserveBytes reserved, a 32 MiB page cache.
    /// A file sealed under another key, or altered: storage.tampered.
    static Result<Store> openSealed(const std::string& path, const AtRestVfs& vfs);

    /// Checks a file before anything else touches it. Opened read-write, so a
    /// hot journal left by a crash is rolled back before the check.
    static FileCheck checkFile(const std::string& path, const char* vfs = nullptr);
    /// Copies a plain database into a new sealed one (VACUUM INTO through
    /// `vfs`, with its reserved bytes); `sealedPath` must be empty or absent.
    /// The plain file is only read (a hot journal of it is rolled back first).
    static Result<Done> copySealed(const std::string& plainPath, const char* plainVfs, const std::string& sealedPath,
                                   const AtRestVfs& vfs);
    /// Rows in each table of a connection, by name: a copy is verified
    /// against its original (read without migrating it).
    static std::map<std::string, int64_t> rowCounts(const Database& db);
    /// The storage benchmark only: grows the file by about `bytes` of
    /// incompressible padding; the error's text is SQLite's message.
    static Result<Done> padFile(const std::string& path, const char* vfs, double bytes);

    int schemaVersion() const;
    /// "ok", or SQLite's list of problems.
    std::string integrityCheck() const;
    /// Makes the operations called while it lives one transaction (each of
    /// them becomes a savepoint inside it); rolled back unless committed.
    Transaction transaction() { return Transaction(db_); }
    /// The connection, for a storage layer that keeps its own tables in the
    /// same file (the office's SqliteOfficeDb) and runs its SQL there, in
    /// transactions shared with the store's operations. The core's own code
    /// (Batch, Api) never uses it: its SQL is all in Store.cpp.
    Database& connection() { return db_; }
    const Database& connection() const { return db_; }

    // Persons
    /// Inserts or replaces the person with the same document number. With
    /// `replaces`, the record stored under that number is re-keyed (the
    /// resident corrected their number); verification is kept unless the
    /// number changed.
    Result<Done> savePerson(const PersonRecord& record, std::string_view replaces = {});
    /// Stores a record merged from a batch exactly as given. When it replaces
    /// the local record it is not exported again from here; when the local
    /// record won (`replacesLocal` false) its export state is kept. Call
    /// inside the caller's transaction.
    Result<Done> mergePerson(const PersonRecord& record, bool replacesLocal);
    std::optional<PersonRecord> findPerson(std::string_view docNumber) const;
    std::vector<PersonRecord> listPersons() const;
    /// Deletes the person and their entries up to `atMs`, and records the
    /// deletion when the person or an entry of theirs was ever exported or
    /// came in a batch (`record`: pending, so the next export carries it to
    /// the office; false: it came in a batch). Answers the entries deleted.
    /// person.not_found when there is no such person.
    Result<int> deletePerson(std::string_view docNumber, int64_t atMs, bool record = true);
    /// Deletions not yet exported, by document number.
    std::vector<Deletion> pendingDeletions() const;
    /// Name (any part), or the last 4+ digits of phone or document number
    /// (searchTerm's rule); nothing for a query searchTerm refuses.
    std::vector<PersonRecord> search(std::string_view query, int limit = 50) const;

    // Entries
    Result<Done> addEntry(const Entry& entry);
    /// An entry from a batch: true if added, false if this id is already here.
    /// Call inside the caller's transaction.
    Result<bool> mergeEntry(const Entry& entry);
    /// Not yet exported, in export order: persons by document number, entries by time.
    std::vector<PersonRecord> pendingPersons() const;
    std::vector<Entry> pendingEntries() const;
    /// One person's entries, newest first.
    std::vector<Entry> entriesOf(std::string_view docNumber, int limit = 100) const;
    /// Newest first, in [fromMs, toMs), whose verdict is `atLeast` or worse
    /// (Refer: the refused and referred ones staff look back for).
    std::vector<Entry> entriesBetween(int64_t fromMs, int64_t toMs, int limit = 500, Verdict atLeast = Verdict::Allow) const;

    PendingCounts pendingCounts() const;

    // Batches (the file format is Batch's)
    /// The last export's number; 0 before the first.
    int64_t lastExportSeq() const;
    /// Keeps an export's exact bytes and marks everything pending as carried
    /// by it. Call inside the caller's transaction, after reading the pending records.
    Result<Done> saveExport(const BatchHeader& header, std::string_view file);
    /// The bytes of an earlier export.
    std::optional<std::string> exportFile(int64_t seq) const;
    /// Replaces an export's stored bytes (a person deleted from it); header
    /// columns from `header`. Call inside the caller's transaction.
    Result<Done> replaceExportFile(const BatchHeader& header, std::string_view file);
    /// The exports whose file is still stored, oldest first.
    std::vector<int64_t> storedExports() const;
    /// Every export, oldest first.
    std::vector<ExportRecord> listExports() const;
    /// The upload address accepted this export (the first time counts).
    Result<Done> markUploaded(int64_t seq, int64_t atMs);
    /// Whether a batch with this body was imported here before.
    bool wasImported(std::string_view bodySha256) const;
    /// Logs an import. Call inside the caller's transaction.
    Result<Done> saveImport(const BatchHeader& header, int64_t atMs, int personsAdded, int personsUpdated, int entriesAdded);

    // Staff actions (StaffAction.h)
    /// Logs an action done here, pending export. Call inside the transaction
    /// of the action itself, so that the two are stored together or not at all.
    Result<Done> logStaffAction(const StaffAction& action);
    /// An action from a batch: true if added, false if this id is already here.
    Result<bool> mergeStaffAction(const StaffAction& action);
    /// Not yet exported, oldest first (an export carries them and marks them, as entries).
    std::vector<StaffAction> pendingStaffActions() const;
    /// The newest `limit`, newest first: logged here and merged from batches
    /// alike, or (hereOnly) only those logged at this console.
    std::vector<StaffAction> staffActions(int limit, bool hereOnly = false) const;

    // Retention
    /// Deletes entries and staff actions older than `cutoffMs` and persons not seen since, and
    /// empties stored exports older than it — only what was exported; an
    /// export only once uploaded when `uploadsExpected`. What is due but
    /// unsent is counted, never deleted. Compacts the file (VACUUM) after
    /// deleting anything; with secure_delete the bytes are overwritten.
    Result<RetentionReport> applyRetention(int64_t cutoffMs, int64_t nowMs, bool uploadsExpected);

    // What the office sends with its upload replies (Feed.h)
    /// Replaces the whole watch list (the office's is the truth).
    Result<Done> replaceWatchList(const std::vector<WatchEntry>& rows);
    std::optional<WatchEntry> watchEntry(std::string_view docNumber) const;
    /// Replaces the office's revocations with `rows` (an upload reply's: the
    /// office's list is the truth), but keeps those made here that the office
    /// may not have yet: pending, or carried by an export the upload address
    /// has not accepted (markUploaded). Of a kept row and a row of `rows` of the
    /// same kind and subject, the later revoked_at stays (the office's on a
    /// tie: it has it). Answers the rows now held.
    Result<int> replaceRevocations(const std::vector<Revocation>& rows);
    /// The revocation of this kind ("person", "card") and subject, if any.
    std::optional<Revocation> revocation(std::string_view kind, std::string_view subject) const;
    /// A revocation made here (revocation.add), over any of the same kind and
    /// subject; pending export, so the next batch carries it to the office.
    /// Call inside the transaction that logs it.
    Result<Done> addRevocation(const Revocation& revocation);
    /// A revocation from another gate's batch: stored unless one of the same
    /// kind and subject is as new or newer; true when stored. Stored pending, as
    /// one made here: this gate's next export carries it on towards the office
    /// (a file passed by hand may be the only way it gets there), and until the
    /// office has it an upload reply keeps it. (Stored only when newer, so two
    /// gates passing files to each other do not send it back and forth.)
    Result<bool> mergeRevocation(const Revocation& revocation);
    /// Made here and not yet exported, oldest first (an export carries and marks them).
    std::vector<Revocation> pendingRevocations() const;

    // The staff lock
    /// nullopt: the file had data before the lock lived here, or its row was
    /// removed — a lock-out, never a first start (a new file gets the row).
    std::optional<LockRow> lockRow() const;
    /// Stores a new PIN record and clears the failures.
    Result<Done> setPinRecord(std::string_view pinRecord);
    /// The same, also where the row is gone (a lock-out): only after the
    /// lock's recovery proof (StaffLock::resetPin).
    Result<Done> restorePinRecord(std::string_view pinRecord);
    /// Stores the count of wrong PINs and when the last one was typed.
    Result<Done> setPinFailures(int failures, int64_t atMs);

    // Settings
    Settings settings() const;
    Result<Done> saveSettings(const Settings& settings);
    std::optional<std::string> setting(std::string_view key) const;
    Result<Done> setSetting(std::string_view key, std::string_view value);

    /// The day's counts, by the policy's own fever and return-window rules.
    Stats stats(const Clock& now) const;
    /// Persons whose last movement logged here (refused entries are none) was
    /// "in", by person type key: who is inside now, as far as this gate knows.
    std::map<std::string, int> insideByPersonType() const;
    /// The direction of this person's last movement logged here; none when never (or only refused).
    std::optional<Direction> lastMovement(std::string_view docNumber) const;

private:
    explicit Store(Database db) : db_(std::move(db)) {}
    static Result<Store> finishOpen(Database db);
    Result<Done> migrate();
    Result<Done> writePerson(const PersonRecord& record, bool pending, bool keepPending);
    Result<bool> writeEntry(const Entry& entry, bool merged);
    Result<bool> writeStaffAction(const StaffAction& action, bool merged);

    Database db_;
};

/// 16 random hex digits.
std::string newEntryId();

} // namespace gatepass
