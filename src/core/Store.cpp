#include "Store.h"

#include "RecordJson.h"

#include <algorithm>
#include <cstdio>
#include <random>

namespace gatepass {

namespace {

// Each entry migrates from version i to i+1. Append; never edit a shipped one.
constexpr const char* kMigrations[] = {
    R"sql(
    CREATE TABLE persons(
        doc_number  TEXT PRIMARY KEY,           -- normalised (Validation)
        name        TEXT NOT NULL,
        phone       TEXT NOT NULL,
        person_type TEXT NOT NULL,
        record      TEXT NOT NULL,              -- the person as JSON (PersonJson)
        updated_at  INTEGER NOT NULL,           -- unix ms of the version held
        verified_at INTEGER,
        verified_by TEXT,
        pending     INTEGER NOT NULL DEFAULT 1  -- 1: changed here since the last export
    );
    CREATE TABLE entries(
        id          TEXT PRIMARY KEY,
        doc_number  TEXT NOT NULL,
        name        TEXT NOT NULL,
        person_type TEXT NOT NULL,
        at          INTEGER NOT NULL,
        direction   TEXT NOT NULL CHECK (direction IN ('in', 'out')),
        temperature REAL,
        verdict     TEXT NOT NULL CHECK (verdict IN ('allow', 'refer', 'deny')),
        reasons     TEXT NOT NULL,
        gate        TEXT NOT NULL,
        staff       TEXT NOT NULL,
        batch_seq   INTEGER                     -- our export that carried it; NULL: pending; 0: came in a batch
    );
    CREATE INDEX entries_at ON entries(at);
    CREATE INDEX entries_person ON entries(doc_number);
    CREATE INDEX entries_pending ON entries(batch_seq) WHERE batch_seq IS NULL;
    CREATE TABLE exports(
        seq         INTEGER PRIMARY KEY,
        created_at  INTEGER NOT NULL,
        persons     INTEGER NOT NULL,
        entries     INTEGER NOT NULL,
        body_sha256 TEXT NOT NULL,
        file        BLOB NOT NULL,             -- the exact bytes, so a re-export is identical
        uploaded_at INTEGER
    );
    CREATE TABLE imports(
        body_sha256 TEXT PRIMARY KEY,          -- the same batch twice is recognised by its body
        community   TEXT NOT NULL,
        gate        TEXT NOT NULL,
        seq         INTEGER NOT NULL,
        imported_at INTEGER NOT NULL,
        persons_added INTEGER NOT NULL,
        persons_updated INTEGER NOT NULL,
        entries_added INTEGER NOT NULL
    );
    CREATE TABLE settings(key TEXT PRIMARY KEY, value TEXT NOT NULL);
    )sql",
    // 2: batch.list reads the header from columns instead of parsing every
    // file; earlier exports get theirs from the file's second line.
    R"sql(
    ALTER TABLE exports ADD COLUMN community_code TEXT NOT NULL DEFAULT '';
    ALTER TABLE exports ADD COLUMN community_name TEXT NOT NULL DEFAULT '';
    ALTER TABLE exports ADD COLUMN gate TEXT NOT NULL DEFAULT '';
    ALTER TABLE exports ADD COLUMN time_from INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE exports ADD COLUMN time_to INTEGER NOT NULL DEFAULT 0;
    UPDATE exports SET community_code = json_extract(h, '$.community.code'),
                       community_name = json_extract(h, '$.community.name'),
                       gate = json_extract(h, '$.gate'),
                       time_from = json_extract(h, '$.time_range.from'),
                       time_to = json_extract(h, '$.time_range.to')
    FROM (SELECT seq AS s, substr(f, instr(f, char(10)) + 1, instr(substr(f, instr(f, char(10)) + 1), char(10)) - 1) AS h
          FROM (SELECT seq, CAST(file AS TEXT) AS f FROM exports))
    WHERE seq = s AND json_valid(h);
    )sql",
    // 3: the staff PIN moves from the page's localStorage into the database,
    // with the failed attempts, so that neither clearing site data nor a
    // reload resets them. The row is inserted only when the file is new
    // (Store::migrate): an existing database without it is a lock-out,
    // never a first start.
    R"sql(
    CREATE TABLE gate_lock(
        id          INTEGER PRIMARY KEY CHECK (id = 1),
        pin         TEXT,                      -- the PIN's KDF record as JSON (Lock.h); NULL: none set yet
        failures    INTEGER NOT NULL DEFAULT 0, -- wrong PINs since the last right one
        failed_at   INTEGER NOT NULL DEFAULT 0  -- unix ms of the last wrong one
    );
    -- person.delete: the deletion travels to the office with the next export.
    CREATE TABLE deletions(
        doc_number  TEXT PRIMARY KEY,
        at          INTEGER NOT NULL,
        batch_seq   INTEGER                     -- our export that carried it; NULL: pending; 0: came in a batch
    );
    -- retention.apply empties an export's stored file once it is sent and past the period.
    ALTER TABLE exports ADD COLUMN purged_at INTEGER;
    )sql",
    // 4: what the office's upload replies carry (Feed.h). Both lists are the
    // office's, replaced whole by each reply applied; never exported.
    R"sql(
    CREATE TABLE watch_list(
        doc_number  TEXT PRIMARY KEY,
        reason      TEXT NOT NULL,              -- the office's words, shown at the scan
        added_at    INTEGER NOT NULL
    );
    CREATE TABLE revocations(
        kind        TEXT NOT NULL CHECK (kind IN ('card', 'person')),
        subject     TEXT NOT NULL,              -- card number, or document number (every pass of it)
        reason      TEXT NOT NULL,
        revoked_at  INTEGER NOT NULL,
        PRIMARY KEY(kind, subject)
    );
    )sql",
    // 5: each write's reply counts what is pending; without an index that
    // reads every person, which on the sealed database (AtRestVfs) means
    // opening every page of the table on each write.
    R"sql(
    CREATE INDEX persons_pending ON persons(doc_number) WHERE pending = 1;
    )sql",
    // 6: each person's last movement, kept by triggers as entries come and go,
    // so "who is inside" is a read, not a window over every entry (the
    // office's SQLite database is a Store too and reads the same table). The
    // rule, here only: refused entries are no movement; ties in time (two
    // entries in one millisecond) go to the later id. Entries are only ever
    // inserted (OR IGNORE fires no trigger) or deleted (retention, a person's
    // deletion); a deleted last movement falls back to the one before it.
    R"sql(
    CREATE TABLE last_moves(
        doc_number  TEXT PRIMARY KEY,
        at          INTEGER NOT NULL,
        id          TEXT NOT NULL,
        direction   TEXT NOT NULL,
        person_type TEXT NOT NULL
    ) WITHOUT ROWID;
    INSERT INTO last_moves(doc_number, at, id, direction, person_type)
        SELECT doc_number, at, id, direction, person_type FROM (
            SELECT doc_number, at, id, direction, person_type,
                   row_number() OVER (PARTITION BY doc_number ORDER BY at DESC, id DESC) AS latest
            FROM entries WHERE verdict <> 'deny')
        WHERE latest = 1;
    CREATE TRIGGER last_moves_added AFTER INSERT ON entries WHEN NEW.verdict <> 'deny' BEGIN
        INSERT INTO last_moves(doc_number, at, id, direction, person_type)
            VALUES(NEW.doc_number, NEW.at, NEW.id, NEW.direction, NEW.person_type)
            ON CONFLICT(doc_number) DO UPDATE SET at = excluded.at, id = excluded.id, direction = excluded.direction,
                                                  person_type = excluded.person_type
            WHERE (excluded.at, excluded.id) > (last_moves.at, last_moves.id);
    END;
    CREATE TRIGGER last_moves_removed AFTER DELETE ON entries BEGIN
        DELETE FROM last_moves WHERE doc_number = OLD.doc_number AND id = OLD.id;
        INSERT INTO last_moves(doc_number, at, id, direction, person_type)
            SELECT doc_number, at, id, direction, person_type FROM entries
            WHERE doc_number = OLD.doc_number AND verdict <> 'deny'
              AND NOT EXISTS (SELECT 1 FROM last_moves WHERE doc_number = OLD.doc_number)
            ORDER BY at DESC, id DESC LIMIT 1;
    END;
    )sql",
    // 7: what staff did that an office must be able to look back on
    // (StaffAction.h): logged by the core with the action itself, carried to
    // the office by the next export like an entry. Never personal data.
    R"sql(
    CREATE TABLE staff_actions(
        id          TEXT PRIMARY KEY,           -- 16 random hex digits, unique across gates
        at          INTEGER NOT NULL,
        gate        TEXT NOT NULL,
        staff       TEXT NOT NULL,
        kind        TEXT NOT NULL,              -- StaffActionKind's key
        detail_zh   TEXT NOT NULL,
        detail_en   TEXT NOT NULL,
        batch_seq   INTEGER                     -- our export that carried it; NULL: pending; 0: came in a batch
    );
    CREATE INDEX staff_actions_at ON staff_actions(at);
    CREATE INDEX staff_actions_pending ON staff_actions(batch_seq) WHERE batch_seq IS NULL;
    )sql",
    // 8: a gate revokes too (revocation.add); its own rows travel in its next
    // export, and an upload reply replaces only the office's rows and the ones
    // the office has received (Store::replaceRevocations). Rows so far are all
    // the office's.
    R"sql(
    ALTER TABLE revocations ADD COLUMN batch_seq INTEGER DEFAULT 0; -- made here: NULL pending, else our export that
                                                                    -- carried it (another gate's too: carried onward);
                                                                    -- 0: the office's
    )sql",
    // 9: batch.list words every count a batch carries (a batch of revocations
    // alone listed "0 entries · 0 people"); earlier exports get theirs from
    // the file's second line, as step 2 did. Visitor pass uses (VisitorUse.h)
    // are counted among the file's revocations; no earlier export holds one.
    R"sql(
    ALTER TABLE exports ADD COLUMN deletions INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE exports ADD COLUMN revocations INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE exports ADD COLUMN visitor_uses INTEGER NOT NULL DEFAULT 0;
    UPDATE exports SET deletions = coalesce(json_extract(h, '$.counts.deletions'), 0),
                       revocations = coalesce(json_extract(h, '$.counts.revocations'), 0)
    FROM (SELECT seq AS s, substr(f, instr(f, char(10)) + 1, instr(substr(f, instr(f, char(10)) + 1), char(10)) - 1) AS h
          FROM (SELECT seq, CAST(file AS TEXT) AS f FROM exports))
    WHERE seq = s AND json_valid(h);
    )sql",
};

PersonRecord recordFromRow(const Statement& s)
{
    // Columns: record, updated_at, verified_at, verified_by
    PersonRecord r;
    r.person = personFromJson(nlohmann::json::parse(s.text(0), nullptr, false)).person;
    r.updatedAt = s.integer(1);
    if (!s.isNull(2)) {
        r.verifiedAt = s.integer(2);
        r.verifiedBy = s.text(3);
    }
    return r;
}

constexpr const char* kRecordColumns = "SELECT record, updated_at, verified_at, verified_by FROM persons ";

Entry entryFromRow(const Statement& s)
{
    Entry e;
    e.id = s.text(0);
    e.docNumber = s.text(1);
    e.name = s.text(2);
    e.personType = fromKey<PersonType>(s.text(3)).value_or(PersonType::Other);
    e.atMs = s.integer(4);
    e.direction = fromKey<Direction>(s.text(5)).value_or(Direction::In);
    if (!s.isNull(6))
        e.temperature = s.real(6);
    e.verdict = fromKey<Verdict>(s.text(7)).value_or(Verdict::Allow);
    e.reasons = messagesFromJson(nlohmann::json::parse(s.text(8), nullptr, false));
    e.gate = s.text(9);
    e.staff = s.text(10);
    return e;
}

constexpr const char* kEntryColumns =
    "SELECT id, doc_number, name, person_type, at, direction, temperature, verdict, reasons, gate, staff FROM entries ";

} // namespace

Result<Store> Store::open(const std::string& path, const char* vfs)
{
    auto db = Database::open(path, vfs);
    if (!db)
        return db.error();
    return finishOpen(std::move(*db));
}

Result<Store> Store::openSealed(const std::string& path, const AtRestVfs& vfs)
{
    auto db = Database::open(path, vfs.name());
    if (!db)
        return db.error();
    // Room for each page's nonce and tag, asked for before the first page is
    // written (an existing sealed file already has it).
    int reserve = kAtRestReserveBytes;
    sqlite3_file_control(db->handle(), "main", SQLITE_FCNTL_RESERVE_BYTES, &reserve);
    // A page read is a decryption: keep the working set (32 MiB) in memory.
    if (auto r = db->exec("PRAGMA page_size=" + std::to_string(kAtRestPageSize) + "; PRAGMA cache_size=-32768;"); !r)
        return r.error();
    return finishOpen(std::move(*db));
}

Result<Store> Store::finishOpen(Database db)
{
    Store store(std::move(db));
    // Durability first: a committed registration must survive power loss.
    // temp_store=MEMORY because the browser VFS has no temp files.
    // secure_delete: a deleted record's bytes are overwritten, not left in free pages.
    auto pragmas = store.db_.exec("PRAGMA synchronous=FULL; PRAGMA temp_store=MEMORY; PRAGMA foreign_keys=ON; PRAGMA secure_delete=ON;");
    if (!pragmas)
        return pragmas.error();
    if (auto m = store.migrate(); !m)
        return m.error();
    return store;
}

Result<Done> Store::migrate()
{
    constexpr int kCount = int(std::size(kMigrations));
    static_assert(kCount == kSchemaVersion);
    int version = schemaVersion();
    if (version < 0)
        return storageError(db_, "reading the schema version");
    if (version > kSchemaVersion)
        return Message{"storage.newer_schema", "数据库由更新版本创建，请更新本程序",
                       "The database was made by a newer version; update gatepass", ""};
    const bool fresh = version == 0;
    for (; version < kCount; ++version) {
        Transaction t(db_);
        if (auto r = db_.exec(kMigrations[version]); !r)
            return r;
        // A new file may have its PIN set, and so may one that holds nothing;
        // one that had data before the lock moved here may not (whoever
        // removed the PIN would get the data).
        if (version + 1 == 3)
            if (auto r = db_.exec("INSERT INTO gate_lock(id) SELECT 1 WHERE " + std::string(fresh ? "1" : "NOT EXISTS "
                                  "(SELECT 1 FROM persons UNION ALL SELECT 1 FROM entries UNION ALL SELECT 1 FROM exports "
                                  "UNION ALL SELECT 1 FROM imports UNION ALL SELECT 1 FROM settings)"));
                !r)
                return r;
        if (auto r = db_.exec("PRAGMA user_version=" + std::to_string(version + 1)); !r)
            return r;
        if (auto r = t.commit(); !r)
            return r;
    }
    return Done{};
}

FileCheck Store::checkFile(const std::string& path, const char* vfs)
{
    sqlite3* db = nullptr;
    int rc = sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, vfs);
    std::string problems;
    if (rc == SQLITE_OK) {
        sqlite3_extended_result_codes(db, 1);
        sqlite3_stmt* stmt = nullptr;
        rc = sqlite3_prepare_v2(db, "PRAGMA integrity_check(20)", -1, &stmt, nullptr);
        while (rc == SQLITE_OK && sqlite3_step(stmt) == SQLITE_ROW) {
            if (!problems.empty())
                problems += "\n";
            problems += reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
        }
        if (stmt)
            rc = sqlite3_finalize(stmt);
    }
    std::string detail = db ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close_v2(db);
    FileCheck c;
    c.rc = rc;
    c.ok = rc == SQLITE_OK && problems == "ok";
    int primary = rc & 0xFF;
    c.corrupt = !c.ok && (rc == SQLITE_OK || primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB);
    c.detail = rc == SQLITE_OK ? problems : detail;
    return c;
}

namespace {

// A path as a file: URI (RFC 3986: '%', '?' and '#' would end or escape it).
std::string uriPath(const std::string& path)
{
    std::string out;
    for (unsigned char c : path) {
        if (c == '%' || c == '?' || c == '#' || c < 0x21 || c > 0x7e) {
            char hex[4];
            std::snprintf(hex, sizeof hex, "%%%02X", c);
            out += hex;
        } else {
            out += char(c);
        }
    }
    return out;
}

} // namespace

Result<Done> Store::copySealed(const std::string& plainPath, const char* plainVfs, const std::string& sealedPath,
                               const AtRestVfs& vfs)
{
    sqlite3* raw = nullptr;
    int rc = sqlite3_open_v2(plainPath.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_URI, plainVfs);
    Database db = Database::adopt(raw);
    if (rc != SQLITE_OK)
        return storageError(db, "opening the plain database");
    // VACUUM INTO gives the copy the reserved bytes the original asks for: ask
    // for the sealed pages' (nothing of the plain file changes).
    int reserve = kAtRestReserveBytes;
    sqlite3_file_control(raw, "main", SQLITE_FCNTL_RESERVE_BYTES, &reserve);
    auto into = db.prepare("VACUUM INTO ?");
    into.bind(1, "file:" + uriPath(sealedPath) + "?vfs=" + vfs.name());
    if (into.step() || into.rc() != SQLITE_DONE)
        return storageError(db, "copying into the sealed database");
    return Done{};
}

std::map<std::string, int64_t> Store::rowCounts(const Database& db_)
{
    std::map<std::string, int64_t> counts;
    auto tables = db_.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'");
    while (tables.step())
        counts[tables.text(0)] = -1;
    for (auto& [name, n] : counts) {
        auto c = db_.prepare("SELECT count(*) FROM \"" + name + "\"");
        if (c.step())
            n = c.integer(0);
    }
    return counts;
}

Result<Done> Store::padFile(const std::string& path, const char* vfs, double bytes)
{
    sqlite3* db = nullptr;
    int rc = sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, vfs);
    if (rc == SQLITE_OK) {
        // 64 KiB random blobs: incompressible, and each row fills whole overflow pages.
        std::string sql = "CREATE TABLE IF NOT EXISTS bench_padding(b BLOB);"
                          "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < " +
                          std::to_string(int(bytes / 65536)) + ") INSERT INTO bench_padding SELECT randomblob(65536) FROM n;";
        rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr);
    }
    std::string detail = db ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close_v2(db);
    if (rc != SQLITE_OK)
        return Message{"storage.error", detail, detail, ""};
    return Done{};
}

int Store::schemaVersion() const
{
    auto s = db_.prepare("PRAGMA user_version");
    return s.step() ? int(s.integer(0)) : -1;
}

std::string Store::integrityCheck() const
{
    auto s = db_.prepare("PRAGMA integrity_check");
    std::string out;
    while (s.step())
        out += (out.empty() ? "" : "\n") + s.text(0);
    return s.rc() == SQLITE_DONE ? out : "error: " + std::string(sqlite3_errmsg(db_.handle()));
}

Result<Done> Store::savePerson(const PersonRecord& r, std::string_view replaces)
{
    Transaction t(db_);
    if (!t.begun())
        return storageError(db_, "begin");
    std::optional<PersonRecord> kept = findPerson(r.person.docNumber);
    if (!replaces.empty() && replaces != r.person.docNumber) {
        auto del = db_.prepare("DELETE FROM persons WHERE doc_number = ?");
        del.bind(1, replaces).step();
        if (del.rc() != SQLITE_DONE)
            return storageError(db_, "re-keying a person");
    }
    // Keep an earlier verification of the same number unless this record brings its own.
    std::optional<int64_t> verifiedAt = r.verifiedAt;
    std::string verifiedBy = r.verifiedBy;
    if (!verifiedAt && kept && kept->verifiedAt) {
        verifiedAt = kept->verifiedAt;
        verifiedBy = kept->verifiedBy;
    }
    if (auto w = writePerson(PersonRecord{r.person, r.updatedAt, verifiedAt, verifiedBy}, true, false); !w)
        return w;
    return t.commit();
}

// The one UPSERT of a person. `pending`: whether this gate should export it;
// `keepPending`: leave an existing row's flag as it is (a merge that kept the
// local record must not drop the local change from the next export).
Result<Done> Store::writePerson(const PersonRecord& r, bool pending, bool keepPending)
{
    auto s = db_.prepare(R"sql(
        INSERT INTO persons(doc_number, name, phone, person_type, record, updated_at, verified_at, verified_by, pending)
        VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
        ON CONFLICT(doc_number) DO UPDATE SET name = ?2, phone = ?3, person_type = ?4, record = ?5,
            updated_at = ?6, verified_at = ?7, verified_by = ?8, pending = CASE WHEN ?10 THEN pending ELSE ?9 END)sql");
    s.bind(1, r.person.docNumber)
        .bind(2, r.person.name)
        .bind(3, r.person.phone)
        .bind(4, keyOf(r.person.personType))
        .bind(5, toJson(r.person).dump())
        .bind(6, r.updatedAt)
        .bind(7, r.verifiedAt)
        .bind(9, int64_t(pending))
        .bind(10, int64_t(keepPending));
    if (r.verifiedAt)
        s.bind(8, r.verifiedBy);
    else
        s.bind(8, std::nullopt);
    s.step();
    if (s.rc() != SQLITE_DONE)
        return storageError(db_, "saving a person");
    return Done{};
}

Result<Done> Store::mergePerson(const PersonRecord& r, bool replacesLocal) { return writePerson(r, false, !replacesLocal); }

std::optional<PersonRecord> Store::findPerson(std::string_view docNumber) const
{
    auto s = db_.prepare(std::string(kRecordColumns) + "WHERE doc_number = ?");
    s.bind(1, docNumber);
    if (!s.step())
        return std::nullopt;
    return recordFromRow(s);
}

std::vector<PersonRecord> Store::listPersons() const
{
    std::vector<PersonRecord> out;
    auto s = db_.prepare(std::string(kRecordColumns) + "ORDER BY rowid");
    while (s.step())
        out.push_back(recordFromRow(s));
    return out;
}

Result<int> Store::deletePerson(std::string_view docNumber, int64_t atMs, bool record)
{
    Transaction t(db_);
    // Only what may have left this database needs a deletion to follow it:
    // a record never exported (a resident's own phone) leaves no trace.
    auto sent = db_.prepare("SELECT EXISTS(SELECT 1 FROM persons WHERE doc_number = ?1 AND pending = 0) "
                            "OR EXISTS(SELECT 1 FROM entries WHERE doc_number = ?1 AND batch_seq IS NOT NULL)");
    sent.bind(1, docNumber);
    bool mayBeElsewhere = sent.step() && sent.integer(0) != 0;
    auto s = db_.prepare("DELETE FROM persons WHERE doc_number = ?");
    s.bind(1, docNumber).step();
    if (s.rc() != SQLITE_DONE)
        return storageError(db_, "deleting a person");
    if (sqlite3_changes(db_.handle()) == 0)
        return Message{"person.not_found", "没有找到此人", "No such person", ""};
    auto e = db_.prepare("DELETE FROM entries WHERE doc_number = ? AND at <= ?");
    e.bind(1, docNumber).bind(2, atMs).step();
    if (e.rc() != SQLITE_DONE)
        return storageError(db_, "deleting a person's entries");
    int entries = sqlite3_changes(db_.handle());
    if (!mayBeElsewhere) {
        if (auto c = t.commit(); !c)
            return c.error();
        return entries;
    }
    auto d = db_.prepare("INSERT INTO deletions(doc_number, at, batch_seq) VALUES(?, ?, ?) "
                         "ON CONFLICT(doc_number) DO UPDATE SET at = max(at, excluded.at), batch_seq = excluded.batch_seq");
    d.bind(1, docNumber).bind(2, atMs).bind(3, record ? std::nullopt : std::optional<int64_t>(0)).step();
    if (d.rc() != SQLITE_DONE)
        return storageError(db_, "recording a deletion");
    if (auto c = t.commit(); !c)
        return c.error();
    return entries;
}

std::vector<Deletion> Store::pendingDeletions() const
{
    std::vector<Deletion> out;
    auto s = db_.prepare("SELECT doc_number, at FROM deletions WHERE batch_seq IS NULL ORDER BY doc_number");
    while (s.step())
        out.push_back(Deletion{s.text(0), s.integer(1)});
    return out;
}

Result<Done> Store::replaceExportFile(const BatchHeader& h, std::string_view file)
{
    auto s = db_.prepare("UPDATE exports SET file = ?, persons = ?, entries = ?, body_sha256 = ?, time_from = ?, time_to = ?, "
                         "deletions = ?, revocations = ?, visitor_uses = ? WHERE seq = ?");
    s.bind(1, file).bind(2, h.persons).bind(3, h.entries).bind(4, h.bodySha256).bind(5, h.fromMs).bind(6, h.toMs)
        .bind(7, h.deletions).bind(8, h.revocations).bind(9, h.visitorUses).bind(10, h.seq).step();
    if (s.rc() != SQLITE_DONE)
        return storageError(db_, "rewriting an export");
    return Done{};
}

std::vector<int64_t> Store::storedExports() const
{
    std::vector<int64_t> out;
    auto s = db_.prepare("SELECT seq FROM exports WHERE purged_at IS NULL ORDER BY seq");
    while (s.step())
        out.push_back(s.integer(0));
    return out;
}

Result<RetentionReport> Store::applyRetention(int64_t cutoffMs, int64_t nowMs, bool uploadsExpected)
{
    RetentionReport r;
    {
        Transaction t(db_);
        if (!t.begun())
            return t.beginError();
        auto count = [&](const char* sql) {
            auto s = db_.prepare(sql);
            s.bind(1, cutoffMs).bind(2, int64_t(uploadsExpected));
            return s.step() ? int(s.integer(0)) : 0;
        };
        auto run = [&](const char* sql, int& n) {
            auto s = db_.prepare(sql);
            s.bind(1, cutoffMs).bind(2, int64_t(uploadsExpected)).bind(3, nowMs).step();
            n = sqlite3_changes(db_.handle());
            return s.rc() == SQLITE_DONE;
        };
        // Not seen within the period: no entry since the cutoff, no newer record or check.
        constexpr const char* kStale = "updated_at < ?1 AND coalesce(verified_at, 0) < ?1 AND NOT EXISTS "
                                       "(SELECT 1 FROM entries e WHERE e.doc_number = persons.doc_number AND e.at >= ?1)";
        // Held back: never exported (an exported record lives on in its stored file until that is sent).
        r.heldEntries = count("SELECT count(*) FROM entries WHERE at < ?1 AND batch_seq IS NULL AND ?2 = ?2");
        r.heldPersons = count((std::string("SELECT count(*) FROM persons WHERE pending = 1 AND ?2 = ?2 AND ") + kStale).c_str());
        r.heldBatches = count("SELECT count(*) FROM exports WHERE created_at < ?1 AND purged_at IS NULL AND uploaded_at IS NULL AND ?2");
        bool ok = run("DELETE FROM entries WHERE at < ?1 AND batch_seq IS NOT NULL AND ?2 = ?2 AND ?3 = ?3", r.entries) &&
                  run((std::string("DELETE FROM persons WHERE pending = 0 AND ?2 = ?2 AND ?3 = ?3 AND ") + kStale).c_str(), r.persons) &&
                  run("UPDATE exports SET file = zeroblob(0), purged_at = ?3 WHERE created_at < ?1 AND purged_at IS NULL "
                      "AND (uploaded_at IS NOT NULL OR NOT ?2)",
                      r.batches) &&
                  run("DELETE FROM deletions WHERE at < ?1 AND batch_seq IS NOT NULL AND ?2 = ?2 AND ?3 = ?3", r.deletions) &&
                  // Staff actions as entries: past the period and carried by an export (one not
                  // yet uploaded is still stored, with them in it, until it is).
                  run("DELETE FROM staff_actions WHERE at < ?1 AND batch_seq IS NOT NULL AND ?2 = ?2 AND ?3 = ?3", r.actions);
        if (!ok)
            return storageError(db_, "deleting what is past the retention period");
        if (auto c = t.commit(); !c)
            return c.error();
    }
    // The freed pages leave the file (secure_delete already zeroed them).
    if (r.entries + r.persons + r.batches + r.deletions + r.actions > 0)
        if (auto v = db_.exec("VACUUM"); !v)
            return v.error();
    return r;
}

std::optional<SearchTerm> searchTerm(std::string_view query)
{
    while (!query.empty() && query.back() == ' ')
        query.remove_suffix(1);
    while (!query.empty() && query.front() == ' ')
        query.remove_prefix(1);
    const bool digits = query.find_first_not_of("0123456789Xx") == std::string_view::npos;
    if (query.empty() || query.size() > kMaxSearchQuery || (digits && query.size() < 4))
        return std::nullopt;
    return SearchTerm{std::string(query), digits};
}

std::vector<PersonRecord> Store::search(std::string_view query, int limit) const
{
    std::vector<PersonRecord> out;
    auto term = searchTerm(query);
    if (!term)
        return out;
    const bool digits = term->digits;
    const std::string& q = term->text;
    auto s = digits ? db_.prepare(std::string(kRecordColumns) +
                                  "WHERE phone LIKE '%' || ?1 OR doc_number LIKE '%' || upper(?1) "
                                  "ORDER BY updated_at DESC LIMIT ?2")
                    : db_.prepare(std::string(kRecordColumns) +
                                  "WHERE instr(name, ?1) > 0 ORDER BY updated_at DESC LIMIT ?2");
    s.bind(1, q).bind(2, limit);
    while (s.step())
        out.push_back(recordFromRow(s));
    return out;
}

// One INSERT for both ways an entry arrives: logged here (pending export) or
// merged from a batch (already exported elsewhere; a known id is skipped).
Result<bool> Store::writeEntry(const Entry& e, bool merged)
{
    auto s = db_.prepare(merged ? "INSERT OR IGNORE INTO entries(id, doc_number, name, person_type, at, direction, temperature, "
                                  "verdict, reasons, gate, staff, batch_seq) VALUES(?,?,?,?,?,?,?,?,?,?,?,0)"
                                : "INSERT INTO entries(id, doc_number, name, person_type, at, direction, temperature, "
                                  "verdict, reasons, gate, staff, batch_seq) VALUES(?,?,?,?,?,?,?,?,?,?,?,NULL)");
    s.bind(1, e.id)
        .bind(2, e.docNumber)
        .bind(3, e.name)
        .bind(4, keyOf(e.personType))
        .bind(5, e.atMs)
        .bind(6, keyOf(e.direction))
        .bind(7, e.temperature)
        .bind(8, keyOf(e.verdict))
        .bind(9, toJson(e.reasons).dump())
        .bind(10, e.gate)
        .bind(11, e.staff)
        .step();
    if (s.rc() != SQLITE_DONE)
        return storageError(db_, "saving an entry");
    return sqlite3_changes(db_.handle()) > 0;
}

Result<Done> Store::addEntry(const Entry& e)
{
    Transaction t(db_);
    if (!t.begun())
        return storageError(db_, "begin");
    if (auto r = writeEntry(e, false); !r)
        return r.error();
    return t.commit();
}

Result<bool> Store::mergeEntry(const Entry& e) { return writeEntry(e, true); }

std::vector<Entry> Store::entriesBetween(int64_t fromMs, int64_t toMs, int limit, Verdict atLeast) const
{
    std::vector<Entry> out;
    // The verdicts taken, worst last, the least one repeated where it is above allow.
    auto key = [&](Verdict v) { return keyOf(std::max(v, atLeast)); };
    auto s = db_.prepare(std::string(kEntryColumns) + "WHERE at >= ? AND at < ? AND verdict IN (?, ?, ?) ORDER BY at DESC, id LIMIT ?");
    s.bind(1, fromMs).bind(2, toMs).bind(3, key(Verdict::Allow)).bind(4, key(Verdict::Refer)).bind(5, key(Verdict::Deny)).bind(6, limit);
    while (s.step())
        out.push_back(entryFromRow(s));
    return out;
}

std::vector<Entry> Store::entriesOf(std::string_view docNumber, int limit) const
{
    std::vector<Entry> out;
    auto s = db_.prepare(std::string(kEntryColumns) + "WHERE doc_number = ? ORDER BY at DESC, id LIMIT ?");
    s.bind(1, docNumber).bind(2, limit);
    while (s.step())
        out.push_back(entryFromRow(s));
    return out;
}

std::vector<PersonRecord> Store::pendingPersons() const
{
    std::vector<PersonRecord> out;
    auto s = db_.prepare(std::string(kRecordColumns) + "WHERE pending = 1 ORDER BY doc_number");
    while (s.step())
        out.push_back(recordFromRow(s));
    return out;
}

std::vector<Entry> Store::pendingEntries() const
{
    std::vector<Entry> out;
    auto s = db_.prepare(std::string(kEntryColumns) + "WHERE batch_seq IS NULL ORDER BY at, id");
    while (s.step())
        out.push_back(entryFromRow(s));
    return out;
}

std::optional<std::string> Store::setting(std::string_view key) const
{
    auto s = db_.prepare("SELECT value FROM settings WHERE key = ?");
    s.bind(1, key);
    if (!s.step())
        return std::nullopt;
    return s.text(0);
}

Result<Done> Store::setSetting(std::string_view key, std::string_view value)
{
    Transaction t(db_);
    auto s = db_.prepare("INSERT INTO settings(key, value) VALUES(?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value");
    s.bind(1, key).bind(2, value).step();
    if (s.rc() != SQLITE_DONE)
        return storageError(db_, "saving settings");
    return t.commit();
}

Result<Done> Store::replaceWatchList(const std::vector<WatchEntry>& rows)
{
    Transaction t(db_);
    if (!t.begun())
        return t.beginError();
    if (auto r = db_.exec("DELETE FROM watch_list"); !r)
        return r;
    auto s = db_.prepare("INSERT INTO watch_list(doc_number, reason, added_at) VALUES(?1, ?2, ?3) "
                         "ON CONFLICT(doc_number) DO UPDATE SET reason = ?2, added_at = ?3");
    for (const WatchEntry& w : rows) {
        s.reset().bind(1, w.docNumber).bind(2, w.reason).bind(3, w.addedAt).step();
        if (s.rc() != SQLITE_DONE)
            return storageError(db_, "saving the watch list");
    }
    return t.commit();
}

std::optional<WatchEntry> Store::watchEntry(std::string_view docNumber) const
{
    auto s = db_.prepare("SELECT doc_number, reason, added_at FROM watch_list WHERE doc_number = ?");
    s.bind(1, docNumber);
    if (!s.step())
        return std::nullopt;
    return WatchEntry{s.text(0), s.text(1), s.integer(2)};
}

Result<int> Store::replaceRevocations(const std::vector<Revocation>& rows)
{
    Transaction t(db_);
    if (!t.begun())
        return t.beginError();
    // Kept: made here, and the office may not have it yet.
    if (auto r = db_.exec("DELETE FROM revocations WHERE batch_seq IS NOT NULL AND batch_seq NOT IN "
                          "(SELECT seq FROM exports WHERE uploaded_at IS NULL)");
        !r)
        return r.error();
    auto s = db_.prepare("INSERT INTO revocations(kind, subject, reason, revoked_at, batch_seq) VALUES(?1, ?2, ?3, ?4, 0) "
                         "ON CONFLICT(kind, subject) DO UPDATE SET reason = ?3, revoked_at = ?4, batch_seq = 0 "
                         "WHERE ?4 >= revocations.revoked_at");
    for (const Revocation& v : rows) {
        s.reset().bind(1, v.kind).bind(2, v.subject).bind(3, v.reason).bind(4, v.revokedAt).step();
        if (s.rc() != SQLITE_DONE)
            return storageError(db_, "saving the revocations");
    }
    auto n = db_.prepare("SELECT count(*) FROM revocations");
    int held = n.step() ? int(n.integer(0)) : 0;
    if (auto c = t.commit(); !c)
        return c.error();
    return held;
}

Result<Done> Store::addRevocation(const Revocation& v)
{
    auto s = db_.prepare("INSERT INTO revocations(kind, subject, reason, revoked_at, batch_seq) VALUES(?1, ?2, ?3, ?4, NULL) "
                         "ON CONFLICT(kind, subject) DO UPDATE SET reason = ?3, revoked_at = ?4, batch_seq = NULL");
    s.bind(1, v.kind).bind(2, v.subject).bind(3, v.reason).bind(4, v.revokedAt).step();
    if (s.rc() != SQLITE_DONE)
        return storageError(db_, "saving the revocation");
    return Done{};
}

Result<bool> Store::mergeRevocation(const Revocation& v)
{
    // Pending (NULL), as one made here: the next export carries it onward, so a
    // gate that only passes files by hand still gets it to the office, and an
    // upload reply from an office without it yet cannot drop it meanwhile.
    auto s = db_.prepare("INSERT INTO revocations(kind, subject, reason, revoked_at, batch_seq) VALUES(?1, ?2, ?3, ?4, NULL) "
                         "ON CONFLICT(kind, subject) DO UPDATE SET reason = ?3, revoked_at = ?4, batch_seq = NULL "
                         "WHERE ?4 > revocations.revoked_at");
    s.bind(1, v.kind).bind(2, v.subject).bind(3, v.reason).bind(4, v.revokedAt).step();
    if (s.rc() != SQLITE_DONE)
        return storageError(db_, "saving a batch's revocation");
    return sqlite3_changes(db_.handle()) > 0;
}

std::vector<Revocation> Store::pendingRevocations() const
{
    std::vector<Revocation> out;
    auto s = db_.prepare("SELECT kind, subject, reason, revoked_at FROM revocations WHERE batch_seq IS NULL "
                         "ORDER BY revoked_at, kind, subject");
    while (s.step())
        out.push_back(Revocation{s.text(0), s.text(1), s.text(2), s.integer(3)});
    return out;
}

std::optional<Revocation> Store::revocation(std::string_view kind, std::string_view subject) const
{
    auto s = db_.prepare("SELECT kind, subject, reason, revoked_at FROM revocations WHERE kind = ? AND subject = ?");
    s.bind(1, kind).bind(2, subject);
    if (!s.step())
        return std::nullopt;
    return Revocation{s.text(0), s.text(1), s.text(2), s.integer(3)};
}

std::optional<LockRow> Store::lockRow() const
{
    auto s = db_.prepare("SELECT pin, failures, failed_at FROM gate_lock WHERE id = 1");
    if (!s.step())
        return std::nullopt;
    LockRow r;
    if (!s.isNull(0))
        r.pin = s.text(0);
    r.failures = int(s.integer(1));
    r.failedAtMs = s.integer(2);
    return r;
}

Result<Done> Store::setPinRecord(std::string_view pinRecord)
{
    Transaction t(db_);
    auto s = db_.prepare("UPDATE gate_lock SET pin = ?, failures = 0, failed_at = 0 WHERE id = 1");
    s.bind(1, pinRecord).step();
    if (s.rc() != SQLITE_DONE)
        return storageError(db_, "saving the PIN");
    if (sqlite3_changes(db_.handle()) == 0)
        return Message{"lock.lockout", "没有 PIN 记录", "No PIN record", ""};
    return t.commit();
}

Result<Done> Store::restorePinRecord(std::string_view pinRecord)
{
    Transaction t(db_);
    auto s = db_.prepare("INSERT OR REPLACE INTO gate_lock(id, pin, failures, failed_at) VALUES (1, ?, 0, 0)");
    s.bind(1, pinRecord).step();
    if (s.rc() != SQLITE_DONE)
        return storageError(db_, "saving the PIN");
    return t.commit();
}

Result<Done> Store::setPinFailures(int failures, int64_t atMs)
{
    Transaction t(db_);
    auto s = db_.prepare("UPDATE gate_lock SET failures = ?, failed_at = ? WHERE id = 1");
    s.bind(1, failures).bind(2, atMs).step();
    if (s.rc() != SQLITE_DONE)
        return storageError(db_, "counting a wrong PIN");
    return t.commit();
}

Settings Store::settings() const
{
    auto text = setting("settings");
    if (!text)
        return Settings{};
    auto parsed = settingsFromJson(nlohmann::json::parse(*text, nullptr, false), Settings{});
    return parsed ? *parsed : Settings{};
}

Result<Done> Store::saveSettings(const Settings& s) { return setSetting("settings", toStoredJson(s).dump()); }

Stats Store::stats(const Clock& now) const
{
    Stats st;
    Rules rules = settings().rules;
    auto byType = db_.prepare("SELECT person_type, count(*), sum(json_extract(record, '$.home_observation')) FROM persons GROUP BY person_type");
    while (byType.step()) {
        st.byPersonType[byType.text(0)] = int(byType.integer(1));
        st.persons += int(byType.integer(1));
        st.underObservation += int(byType.integer(2));
    }
    // The window is the policy's predicate; SQL only narrows to those who left.
    Date today = now.today();
    auto left = db_.prepare(std::string(kRecordColumns) + "WHERE json_extract(record, '$.left_city')");
    while (left.step())
        st.returnedWithinWindow += returnedWithinWindow(recordFromRow(left).person, today, rules);
    int64_t from = now.dayStartMs(), to = from + 86'400'000;
    for (const Entry& e : entriesBetween(from, to, -1)) {
        ++st.entriesToday;
        if (e.verdict == Verdict::Deny)
            ++st.refusedToday;
        else
            (e.direction == Direction::In ? st.inToday : st.outToday)++;
        (e.verdict == Verdict::Allow ? st.allowToday : e.verdict == Verdict::Refer ? st.referToday : st.denyToday)++;
        if (e.temperature && isFever(*e.temperature, rules))
            ++st.feverToday;
        int hour = int((e.atMs - from) / 3'600'000);
        if (hour >= 0 && hour < 24)
            ++st.hourlyToday[size_t(hour)];
    }
    st.insideByPersonType = insideByPersonType();
    for (const auto& [type, n] : st.insideByPersonType)
        st.insideNow += n;
    return st;
}

std::map<std::string, int> Store::insideByPersonType() const
{
    // Each person's last movement (schema step 6 keeps it), counted if it was "in".
    auto s = db_.prepare("SELECT person_type, count(*) FROM last_moves WHERE direction = 'in' GROUP BY person_type");
    std::map<std::string, int> out;
    while (s.step())
        out[s.text(0)] = int(s.integer(1));
    return out;
}

std::optional<Direction> Store::lastMovement(std::string_view docNumber) const
{
    auto s = db_.prepare("SELECT direction FROM last_moves WHERE doc_number = ?1");
    s.bind(1, docNumber);
    if (!s.step())
        return std::nullopt;
    return fromKey<Direction>(s.text(0));
}

PendingCounts Store::pendingCounts() const
{
    PendingCounts c;
    auto s = db_.prepare("SELECT (SELECT count(*) FROM persons WHERE pending = 1), "
                         "(SELECT count(*) FROM entries WHERE batch_seq IS NULL), "
                         "(SELECT count(*) FROM deletions WHERE batch_seq IS NULL), "
                         "(SELECT count(*) FROM revocations WHERE batch_seq IS NULL)");
    if (s.step()) {
        c.persons = int(s.integer(0));
        c.entries = int(s.integer(1));
        c.deletions = int(s.integer(2));
        c.revocations = int(s.integer(3));
    }
    return c;
}

int64_t Store::lastExportSeq() const
{
    auto s = db_.prepare("SELECT coalesce(max(seq), 0) FROM exports");
    return s.step() ? s.integer(0) : 0;
}

Result<Done> Store::saveExport(const BatchHeader& h, std::string_view file)
{
    auto save = db_.prepare("INSERT INTO exports(seq, created_at, persons, entries, body_sha256, file, community_code, "
                            "community_name, gate, time_from, time_to, deletions, revocations, visitor_uses) "
                            "VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
    save.bind(1, h.seq)
        .bind(2, h.createdAt)
        .bind(3, h.persons)
        .bind(4, h.entries)
        .bind(5, h.bodySha256)
        .bind(6, file)
        .bind(7, h.communityCode)
        .bind(8, h.communityName)
        .bind(9, h.gate)
        .bind(10, h.fromMs)
        .bind(11, h.toMs)
        .bind(12, h.deletions)
        .bind(13, h.revocations)
        .bind(14, h.visitorUses)
        .step();
    if (save.rc() != SQLITE_DONE)
        return storageError(db_, "recording the export");
    auto markPersons = db_.prepare("UPDATE persons SET pending = 0 WHERE pending = 1");
    markPersons.step();
    auto markEntries = db_.prepare("UPDATE entries SET batch_seq = ? WHERE batch_seq IS NULL");
    markEntries.bind(1, h.seq).step();
    auto markDeletions = db_.prepare("UPDATE deletions SET batch_seq = ? WHERE batch_seq IS NULL");
    markDeletions.bind(1, h.seq).step();
    auto markActions = db_.prepare("UPDATE staff_actions SET batch_seq = ? WHERE batch_seq IS NULL");
    markActions.bind(1, h.seq).step();
    auto markRevocations = db_.prepare("UPDATE revocations SET batch_seq = ? WHERE batch_seq IS NULL");
    markRevocations.bind(1, h.seq).step();
    if (markPersons.rc() != SQLITE_DONE || markEntries.rc() != SQLITE_DONE || markDeletions.rc() != SQLITE_DONE ||
        markActions.rc() != SQLITE_DONE || markRevocations.rc() != SQLITE_DONE)
        return storageError(db_, "marking records exported");
    return Done{};
}

std::optional<std::string> Store::exportFile(int64_t seq) const
{
    auto s = db_.prepare("SELECT file FROM exports WHERE seq = ?");
    s.bind(1, seq);
    if (!s.step())
        return std::nullopt;
    return s.text(0);
}

std::vector<ExportRecord> Store::listExports() const
{
    std::vector<ExportRecord> out;
    auto s = db_.prepare("SELECT seq, created_at, persons, entries, body_sha256, community_code, community_name, gate, "
                         "time_from, time_to, uploaded_at, deletions, revocations, visitor_uses FROM exports ORDER BY seq");
    while (s.step()) {
        ExportRecord r;
        BatchHeader& h = r.header;
        h.seq = s.integer(0);
        h.createdAt = s.integer(1);
        h.persons = int(s.integer(2));
        h.entries = int(s.integer(3));
        h.bodySha256 = s.text(4);
        h.communityCode = s.text(5);
        h.communityName = s.text(6);
        h.gate = s.text(7);
        h.fromMs = s.integer(8);
        h.toMs = s.integer(9);
        if (!s.isNull(10))
            r.uploadedAt = s.integer(10);
        h.deletions = int(s.integer(11));
        h.revocations = int(s.integer(12));
        h.visitorUses = int(s.integer(13));
        out.push_back(std::move(r));
    }
    return out;
}

Result<Done> Store::markUploaded(int64_t seq, int64_t atMs)
{
    Transaction t(db_);
    auto s = db_.prepare("UPDATE exports SET uploaded_at = ? WHERE seq = ? AND uploaded_at IS NULL");
    s.bind(1, atMs).bind(2, seq).step();
    if (s.rc() != SQLITE_DONE)
        return storageError(db_, "marking a batch uploaded");
    return t.commit();
}

bool Store::wasImported(std::string_view bodySha256) const
{
    auto s = db_.prepare("SELECT 1 FROM imports WHERE body_sha256 = ?");
    s.bind(1, bodySha256);
    return s.step();
}

Result<Done> Store::saveImport(const BatchHeader& h, int64_t atMs, int personsAdded, int personsUpdated, int entriesAdded)
{
    auto log = db_.prepare("INSERT INTO imports(body_sha256, community, gate, seq, imported_at, persons_added, persons_updated, "
                           "entries_added) VALUES(?,?,?,?,?,?,?,?)");
    log.bind(1, h.bodySha256)
        .bind(2, h.communityCode)
        .bind(3, h.gate)
        .bind(4, h.seq)
        .bind(5, atMs)
        .bind(6, personsAdded)
        .bind(7, personsUpdated)
        .bind(8, entriesAdded)
        .step();
    if (log.rc() != SQLITE_DONE)
        return storageError(db_, "recording the import");
    return Done{};
}

namespace {

constexpr const char* kActionColumns = "SELECT id, at, gate, staff, kind, detail_zh, detail_en FROM staff_actions ";

StaffAction actionFromRow(const Statement& s)
{
    return StaffAction{s.text(0), s.integer(1), s.text(2), s.text(3),
                       fromKey<StaffActionKind>(s.text(4)).value_or(StaffActionKind::Settings), Words{s.text(5), s.text(6)}};
}

} // namespace

Result<bool> Store::writeStaffAction(const StaffAction& a, bool merged)
{
    auto s = db_.prepare(merged ? "INSERT OR IGNORE INTO staff_actions(id, at, gate, staff, kind, detail_zh, detail_en, batch_seq) "
                                  "VALUES(?,?,?,?,?,?,?,0)"
                                : "INSERT INTO staff_actions(id, at, gate, staff, kind, detail_zh, detail_en, batch_seq) "
                                  "VALUES(?,?,?,?,?,?,?,NULL)");
    s.bind(1, a.id).bind(2, a.atMs).bind(3, a.gate).bind(4, a.staff).bind(5, keyOf(a.kind)).bind(6, a.detail.zh).bind(7, a.detail.en).step();
    if (s.rc() != SQLITE_DONE)
        return storageError(db_, "logging a staff action");
    return sqlite3_changes(db_.handle()) > 0;
}

Result<Done> Store::logStaffAction(const StaffAction& a)
{
    if (auto r = writeStaffAction(a, false); !r)
        return r.error();
    return Done{};
}

Result<bool> Store::mergeStaffAction(const StaffAction& a) { return writeStaffAction(a, true); }

std::vector<StaffAction> Store::pendingStaffActions() const
{
    std::vector<StaffAction> out;
    // Ties in time (several in one millisecond, or a clock set back) in the order they were logged.
    auto s = db_.prepare(std::string(kActionColumns) + "WHERE batch_seq IS NULL ORDER BY at, rowid");
    while (s.step())
        out.push_back(actionFromRow(s));
    return out;
}

std::vector<StaffAction> Store::staffActions(int limit, bool hereOnly) const
{
    std::vector<StaffAction> out;
    // batch_seq: NULL pending, the export's seq once sent, 0 merged from another gate's batch.
    auto s = db_.prepare(std::string(kActionColumns) + (hereOnly ? "WHERE batch_seq IS NOT 0 " : "") +
                         "ORDER BY at DESC, rowid DESC LIMIT ?");
    s.bind(1, limit);
    while (s.step())
        out.push_back(actionFromRow(s));
    return out;
}

std::string newEntryId()
{
    static std::random_device device; // crypto.getRandomValues in the browser
    static constexpr char kHex[] = "0123456789abcdef";
    std::string id;
    for (int i = 0; i < 2; ++i) {
        uint32_t r = device();
        for (int j = 0; j < 8; ++j, r >>= 4)
            id.push_back(kHex[r & 15]);
    }
    return id;
}

} // namespace gatepass
