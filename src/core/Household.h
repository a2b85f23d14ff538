// The resident phone's store: the household (the persons registered on this
// phone) and the settings the resident page keeps (the community's public key),
// held in memory and kept as one JSON file that is replaced whole at every
// change. No SQLite: a phone holds a few records, and a file written whole is
// what the resident core (ResidentApi.h) needs to stay small.
//
// Durability is the host's: every change hands the new file's bytes to
// `persist`, and only when it answers Done does the change take effect here;
// a refused write changes nothing. The host writes the bytes atomically (a new
// file, then a rename over the old: writeFileAtomically natively, the core
// worker on OPFS / IDBFS in the browser), so a crash leaves the old file or
// the new one, never a mix.
//
// The file: {"household": 1, "persons": [record...], "settings": {...}} with
// records as RecordJson.h writes them ({person, updated_at, verified_at?,
// verified_by?}) in the order they were first saved, and the settings as
// toStoredJson writes them.
#pragma once

#include "Message.h"
#include "Records.h"

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gatepass {

class Household {
public:
    using Persist = std::function<Result<Done>(std::string_view fileBytes)>;

    /// The store as `stored` holds it (nullopt: no file yet, an empty household);
    /// household.damaged when the bytes are not such a file (nothing is written then).
    static Result<Household> open(std::optional<std::string_view> stored, Persist persist);
    /// A household made of records and settings read elsewhere (the old SQLite
    /// store's, moved in once): written through `persist` before it is returned.
    static Result<Household> create(std::vector<PersonRecord> persons, Settings settings, Persist persist);

    /// Oldest first (the order they were first saved; a re-keyed record goes last).
    const std::vector<PersonRecord>& persons() const { return persons_; }
    std::optional<PersonRecord> findPerson(std::string_view docNumber) const;
    /// Stores `r` (an earlier verification of the same number is kept unless `r`
    /// brings its own); with `replaces` naming another number, that record goes.
    Result<Done> savePerson(const PersonRecord& r, std::string_view replaces = {});
    /// person.not_found when there is none.
    Result<Done> deletePerson(std::string_view docNumber);

    const Settings& settings() const { return settings_; }
    Result<Done> saveSettings(const Settings& settings);

    /// The file's bytes for this content.
    static std::string fileText(const std::vector<PersonRecord>& persons, const Settings& settings);

private:
    Household(Persist persist) : persist_(std::move(persist)) {}
    Result<Done> commit(std::vector<PersonRecord> persons, Settings settings);

    std::vector<PersonRecord> persons_;
    Settings settings_;
    Persist persist_;
};

/// Natively: `bytes` written to path + ".new", flushed to disk, renamed over
/// `path` (and the folder synced); storage.io with the reason when any step fails.
Result<Done> writeFileAtomically(const std::string& path, std::string_view bytes);

} // namespace gatepass
