// The database of one face: persons, entries, batches, settings.
//
// Every write is one transaction; a call that returns ok has committed (and,
// on a durable VFS, synced). The schema is versioned with PRAGMA user_version
// and migrated forward at open.
#pragma once

#include "Date.h"
#include "Message.h"
#include "Person.h"
#include "Policy.h"
#include "Sqlite.h"

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace gatepass {

inline constexpr int kSchemaVersion = 1;

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

struct Settings {
    std::string communityCode;
    std::string communityName;
    std::string gateName;
    std::string city;       // "本市" in item 7 means this city
    std::string uploadUrl;  // where batches are POSTed when online; empty: export by hand
    Rules rules;

    friend bool operator==(const Settings&, const Settings&) = default;
};

struct Stats {
    std::map<std::string, int> byPersonType; // key of PersonType → persons known
    int persons = 0;
    int returnedWithinWindow = 0;
    int underObservation = 0;
    int feverToday = 0;
    int entriesToday = 0;
    int inToday = 0, outToday = 0;
    int allowToday = 0, referToday = 0, denyToday = 0;
    std::array<int, 24> hourlyToday{};
};

class Store {
public:
    /// Opens or creates the database and migrates it. `vfs` names a registered
    /// SQLite VFS (the browser's OPFS one), nullptr for the platform default.
    static Result<Store> open(const std::string& path, const char* vfs = nullptr);

    int schemaVersion() const;
    /// "ok", or SQLite's list of problems.
    std::string integrityCheck() const;
    const Database& db() const { return db_; }

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
    Result<Done> deletePerson(std::string_view docNumber);
    /// Name (any part), or the last 4+ digits of phone or document number.
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
    /// Newest first, in [fromMs, toMs).
    std::vector<Entry> entriesBetween(int64_t fromMs, int64_t toMs, int limit = 500) const;

    // Settings
    Settings settings() const;
    Result<Done> saveSettings(const Settings& settings);
    std::optional<std::string> setting(std::string_view key) const;
    Result<Done> setSetting(std::string_view key, std::string_view value);

    Stats stats(const Clock& now) const;

private:
    explicit Store(Database db) : db_(std::move(db)) {}
    Result<Done> migrate();
    Result<Done> writePerson(const PersonRecord& record, bool pending, bool keepPending);
    Result<bool> writeEntry(const Entry& entry, bool merged);

    Database db_;
};

/// 16 random hex digits.
std::string newEntryId();

} // namespace gatepass
