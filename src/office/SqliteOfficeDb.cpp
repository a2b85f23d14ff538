#include "SqliteOfficeDb.h"

#include "Policy.h" // kFeverReason
#include "PersonJson.h"
#include "RecordJson.h"

#include <climits>

namespace gatepass::office {

namespace {

// Office tables beside the Store's. Versioned in office_meta, not in
// user_version (that is the Store's). Append a step; never edit a shipped one.
constexpr const char* kOfficeMigrations[] = {
    R"sql(
    CREATE TABLE office_communities(
        code TEXT PRIMARY KEY, name TEXT NOT NULL, site TEXT NOT NULL,
        key_id TEXT NOT NULL, public_key TEXT NOT NULL, key_dir TEXT NOT NULL,
        retention_days INTEGER NOT NULL DEFAULT 28, added_at INTEGER NOT NULL);
    CREATE TABLE office_gates(
        community TEXT NOT NULL, name TEXT NOT NULL,
        token_hash TEXT NOT NULL UNIQUE,         -- crypto::tokenHash; the token itself is never stored
        gate_key TEXT NOT NULL,
        enrolled_at INTEGER NOT NULL, revoked_at INTEGER, last_upload_at INTEGER,
        PRIMARY KEY(community, name));
    CREATE TABLE office_watch_list(
        community TEXT NOT NULL, doc_number TEXT NOT NULL, reason TEXT NOT NULL, added_at INTEGER NOT NULL,
        PRIMARY KEY(community, doc_number));
    CREATE TABLE office_revocations(
        community TEXT NOT NULL, kind TEXT NOT NULL CHECK (kind IN ('card', 'person')), subject TEXT NOT NULL,
        reason TEXT NOT NULL, revoked_at INTEGER NOT NULL,
        PRIMARY KEY(community, kind, subject));
    CREATE TABLE office_roster(
        community TEXT NOT NULL, doc_number TEXT NOT NULL,
        record TEXT NOT NULL,                    -- RecordJson toJson(PersonRecord)
        added_at INTEGER NOT NULL,
        PRIMARY KEY(community, doc_number));
    CREATE TABLE office_purges(
        at INTEGER NOT NULL, community TEXT NOT NULL, entries_deleted INTEGER NOT NULL, persons_deleted INTEGER NOT NULL);
    )sql",
    // The dashboard (issue 11): accounts, sessions, the audit log.
    R"sql(
    CREATE TABLE office_accounts(
        name TEXT PRIMARY KEY, role TEXT NOT NULL CHECK (role IN ('admin', 'staff', 'viewer')),
        password_hash TEXT NOT NULL,             -- crypto_pwhash_str (Argon2id); never the password
        created_at INTEGER NOT NULL, failed_sign_ins INTEGER NOT NULL DEFAULT 0, locked_until INTEGER);
    CREATE TABLE office_sessions(
        token_hash TEXT PRIMARY KEY,             -- crypto::tokenHash of the cookie's token; never the token
        account TEXT NOT NULL REFERENCES office_accounts(name), created_at INTEGER NOT NULL, expires_at INTEGER NOT NULL);
    CREATE TABLE office_audit(
        at INTEGER NOT NULL, account TEXT NOT NULL, action TEXT NOT NULL, address TEXT NOT NULL);
    CREATE INDEX office_audit_at ON office_audit(at);
    CREATE INDEX entries_gate_at ON entries(gate, at);
    )sql",
    // The dashboard's second slice: whom an audited action was about (masked).
    R"sql(
    ALTER TABLE office_audit ADD COLUMN detail TEXT NOT NULL DEFAULT '';
    )sql",
    // Account management: accounts limited to communities, disabled, their last sign-in.
    R"sql(
    ALTER TABLE office_accounts ADD COLUMN communities TEXT NOT NULL DEFAULT ''; -- joinCommunities; '' = every one
    ALTER TABLE office_accounts ADD COLUMN disabled INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE office_accounts ADD COLUMN last_sign_in_at INTEGER;
    CREATE INDEX office_sessions_expires ON office_sessions(expires_at);
    )sql",
    // The overview's counts kept as entries come and go. Computed from 1 M
    // entries they took 37 s (build-scripts/bench-office); kept, tens of ms.
    // Entries and fevers (reason 'fever': Policy.h kFeverReason) per gate per
    // quarter hour, so the local days of any quarter-hour time zone add up
    // from them. Entries are only ever inserted (OR IGNORE: no trigger) or
    // deleted (retention, a person's deletion). Each person's last movement
    // is the Store's own (its schema step 6, last_moves). The persons index
    // answers persons by type and under observation from the index alone.
    R"sql(
    CREATE TABLE office_entry_counts(
        gate TEXT NOT NULL, quarter INTEGER NOT NULL,   -- quarter: at / 900000
        entries INTEGER NOT NULL, fevers INTEGER NOT NULL,
        PRIMARY KEY(gate, quarter)) WITHOUT ROWID;
    CREATE INDEX office_persons_kind ON persons(person_type, json_extract(record, '$.home_observation'));
    INSERT INTO office_entry_counts(gate, quarter, entries, fevers)
        SELECT gate, at / 900000, count(*),
               sum(EXISTS (SELECT 1 FROM json_each(reasons) WHERE json_extract(value, '$.code') = 'fever'))
        FROM entries GROUP BY 1, 2;
    CREATE TRIGGER office_entry_added AFTER INSERT ON entries BEGIN
        INSERT INTO office_entry_counts(gate, quarter, entries, fevers)
            VALUES(NEW.gate, NEW.at / 900000, 1,
                   EXISTS (SELECT 1 FROM json_each(NEW.reasons) WHERE json_extract(value, '$.code') = 'fever'))
            ON CONFLICT(gate, quarter) DO UPDATE SET entries = entries + excluded.entries, fevers = fevers + excluded.fevers;
    END;
    CREATE TRIGGER office_entry_removed AFTER DELETE ON entries BEGIN
        UPDATE office_entry_counts SET entries = entries - 1,
            fevers = fevers - EXISTS (SELECT 1 FROM json_each(OLD.reasons) WHERE json_extract(value, '$.code') = 'fever')
            WHERE gate = OLD.gate AND quarter = OLD.at / 900000;
        DELETE FROM office_entry_counts WHERE gate = OLD.gate AND quarter = OLD.at / 900000 AND entries = 0;
    END;
    )sql",
};
static_assert(kFeverReason == "fever", "the office's kept counts (kOfficeMigrations) name the fever reason in SQL");
// The overview's local days start on quarter hours of the kept counts.
static_assert(kDefaultUtcOffsetMinutes % 15 == 0, "office_entry_counts adds up whole quarter hours");

Message notFound(std::string_view community, std::string_view gate)
{
    return Message{"office.gate_not_found", "没有这个门岗：" + std::string(community) + " / " + std::string(gate),
                   "No such gate: " + std::string(community) + " / " + std::string(gate), ""};
}

Gate gateFromRow(const Statement& s) // community, name, gate_key, enrolled_at, revoked_at, last_upload_at
{
    Gate g;
    g.community = s.text(0);
    g.name = s.text(1);
    g.gateKey = s.text(2);
    g.enrolledAt = s.integer(3);
    if (!s.isNull(4))
        g.revokedAt = s.integer(4);
    if (!s.isNull(5))
        g.lastUploadAt = s.integer(5);
    return g;
}

constexpr const char* kGateColumns = "SELECT community, name, gate_key, enrolled_at, revoked_at, last_upload_at FROM office_gates ";

} // namespace

Result<std::unique_ptr<OfficeDb>> SqliteOfficeDb::open(const std::string& path)
{
    auto store = Store::open(path);
    if (!store)
        return store.error();
    const Database& db = store->connection();
    if (auto r = db.exec("CREATE TABLE IF NOT EXISTS office_meta(key TEXT PRIMARY KEY, value TEXT NOT NULL)"); !r)
        return r.error();
    auto v = db.prepare("SELECT CAST(value AS INTEGER) FROM office_meta WHERE key = 'schema'");
    int version = v.step() ? int(v.integer(0)) : 0;
    constexpr int kCount = int(std::size(kOfficeMigrations));
    if (version > kCount)
        return Message{"storage.newer_schema", "办公数据库由更新版本创建，请更新本程序",
                       "The office database was made by a newer version; update gatepass", ""};
    for (; version < kCount; ++version) {
        Transaction t(db);
        if (!t.begun())
            return storageError(db, "begin");
        if (auto r = db.exec(kOfficeMigrations[version]); !r)
            return r.error();
        if (auto r = db.exec("INSERT INTO office_meta(key, value) VALUES('schema', '" + std::to_string(version + 1) +
                             "') ON CONFLICT(key) DO UPDATE SET value = excluded.value");
            !r)
            return r.error();
        if (auto r = t.commit(); !r)
            return r.error();
    }
    return std::unique_ptr<OfficeDb>(new SqliteOfficeDb(std::move(*store)));
}

Result<Done> SqliteOfficeDb::addCommunity(const Community& c)
{
    std::lock_guard lock(mutex_);
    const Database& db = store_.connection();
    Settings settings = store_.settings();
    if (!settings.communityCode.empty() && settings.communityCode != c.code)
        return Message{"office.one_community",
                       "此 SQLite 办公数据库属于社区 " + settings.communityCode + "；多个社区请使用 PostgreSQL",
                       "This SQLite office database belongs to community " + settings.communityCode +
                           "; use PostgreSQL for several communities",
                       ""};
    Transaction t(db);
    if (!t.begun())
        return storageError(db, "begin");
    settings.communityCode = c.code;
    settings.communityName = c.name;
    if (auto r = store_.saveSettings(settings); !r)
        return r;
    auto s = db.prepare(R"sql(
        INSERT INTO office_communities(code, name, site, key_id, public_key, key_dir, retention_days, added_at)
        VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
        ON CONFLICT(code) DO UPDATE SET name = ?2, site = ?3, key_id = ?4, public_key = ?5, key_dir = ?6)sql");
    s.bind(1, c.code).bind(2, c.name).bind(3, c.site).bind(4, c.keyId).bind(5, c.publicKey).bind(6, c.keyDir);
    s.bind(7, c.retentionDays).bind(8, Clock::system().unixMs).step();
    if (s.rc() != SQLITE_DONE)
        return storageError(db, "saving the community");
    return t.commit();
}

std::vector<Community> SqliteOfficeDb::communitiesLocked() const
{
    std::vector<Community> out;
    auto s = store_.connection().prepare(
        "SELECT code, name, site, key_id, public_key, key_dir, retention_days FROM office_communities ORDER BY code");
    while (s.step())
        out.push_back(Community{s.text(0), s.text(1), s.text(2), s.text(3), s.text(4), s.text(5), int(s.integer(6)), {}});
    return out;
}

std::vector<Community> SqliteOfficeDb::communities()
{
    std::lock_guard lock(mutex_);
    return communitiesLocked();
}

std::optional<Community> SqliteOfficeDb::community(std::string_view code)
{
    std::lock_guard lock(mutex_);
    for (auto& c : communitiesLocked())
        if (c.code == code)
            return c;
    return std::nullopt;
}

Result<Done> SqliteOfficeDb::setRetentionDays(std::string_view community, int days)
{
    std::lock_guard lock(mutex_);
    const Database& db = store_.connection();
    auto s = db.prepare("UPDATE office_communities SET retention_days = ? WHERE code = ?");
    s.bind(1, days).bind(2, community).step();
    if (s.rc() != SQLITE_DONE)
        return storageError(db, "saving the retention period");
    if (sqlite3_changes(db.handle()) == 0)
        return Message{"office.community_not_found", "没有这个社区：" + std::string(community), "No such community: " + std::string(community), ""};
    return Done{};
}

Result<Done> SqliteOfficeDb::enrollGate(const Gate& g, std::string_view tokenHash)
{
    std::lock_guard lock(mutex_);
    const Database& db = store_.connection();
    auto s = db.prepare(R"sql(
        INSERT INTO office_gates(community, name, token_hash, gate_key, enrolled_at, revoked_at, last_upload_at)
        VALUES(?1, ?2, ?3, ?4, ?5, NULL, NULL)
        ON CONFLICT(community, name) DO UPDATE SET token_hash = ?3, gate_key = ?4, enrolled_at = ?5, revoked_at = NULL)sql");
    s.bind(1, g.community).bind(2, g.name).bind(3, tokenHash).bind(4, g.gateKey).bind(5, g.enrolledAt).step();
    if (s.rc() != SQLITE_DONE)
        return storageError(db, "enrolling the gate");
    return Done{};
}

Result<Done> SqliteOfficeDb::revokeGate(std::string_view community, std::string_view gate, int64_t now)
{
    std::lock_guard lock(mutex_);
    const Database& db = store_.connection();
    auto s = db.prepare("UPDATE office_gates SET revoked_at = coalesce(revoked_at, ?) WHERE community = ? AND name = ?");
    s.bind(1, now).bind(2, community).bind(3, gate).step();
    if (s.rc() != SQLITE_DONE)
        return storageError(db, "revoking the gate");
    if (sqlite3_changes(db.handle()) == 0)
        return notFound(community, gate);
    return Done{};
}

std::optional<Gate> SqliteOfficeDb::gateByTokenHash(std::string_view tokenHash)
{
    std::lock_guard lock(mutex_);
    auto s = store_.connection().prepare(std::string(kGateColumns) + "WHERE token_hash = ? AND revoked_at IS NULL");
    s.bind(1, tokenHash);
    if (!s.step())
        return std::nullopt;
    return gateFromRow(s);
}

std::optional<Gate> SqliteOfficeDb::gate(std::string_view community, std::string_view name)
{
    std::lock_guard lock(mutex_);
    auto s = store_.connection().prepare(std::string(kGateColumns) + "WHERE community = ? AND name = ? AND revoked_at IS NULL");
    s.bind(1, community).bind(2, name);
    if (!s.step())
        return std::nullopt;
    return gateFromRow(s);
}

namespace {

// A revocation of the community, over one of the same kind and subject unless that one is newer (OfficeDb.h).
Result<Done> saveRevocation(const Database& db, std::string_view community, const Revocation& r)
{
    auto s = db.prepare(R"sql(
        INSERT INTO office_revocations(community, kind, subject, reason, revoked_at) VALUES(?1, ?2, ?3, ?4, ?5)
        ON CONFLICT(community, kind, subject) DO UPDATE SET reason = ?4, revoked_at = ?5 WHERE ?5 >= revoked_at)sql");
    s.bind(1, community).bind(2, r.kind).bind(3, r.subject).bind(4, r.reason).bind(5, r.revokedAt).step();
    if (s.rc() != SQLITE_DONE)
        return storageError(db, "saving a revocation");
    return Done{};
}

} // namespace

Result<ImportReport> SqliteOfficeDb::merge(const ParsedBatch& batch, std::string_view, const Clock& now)
{
    std::lock_guard lock(mutex_);
    const Database& db = store_.connection();
    // One transaction around the core's import (which nests as a savepoint) and
    // the gate's last-upload time: both or neither.
    Transaction t(db);
    if (!t.begun())
        return storageError(db, "begin");
    // A replay is recognised here from the core's imports table before the
    // merge: replays come in bursts (a gate retrying), and every request
    // waits on this lock.
    auto seen = db.prepare("SELECT 1 FROM imports WHERE body_sha256 = ?");
    seen.bind(1, batch.header.bodySha256);
    Result<ImportReport> report = ImportReport{batch.header, true};
    if (!seen.step())
        report = mergeBatch(store_, batch, now);
    if (!report)
        return report;
    // A gate's revocations join the list every gate's next reply carries.
    if (!report->alreadyImported)
        for (const Revocation& r : batch.revocations)
            if (auto a = saveRevocation(db, batch.header.communityCode, r); !a)
                return a.error();
    auto s = db.prepare("UPDATE office_gates SET last_upload_at = ? WHERE community = ? AND name = ?");
    s.bind(1, now.unixMs).bind(2, batch.header.communityCode).bind(3, batch.header.gate).step();
    if (s.rc() != SQLITE_DONE)
        return storageError(db, "recording the upload");
    if (auto c = t.commit(); !c)
        return c.error();
    return report;
}

Result<GateFeed> SqliteOfficeDb::feed(std::string_view community)
{
    std::lock_guard lock(mutex_);
    const Database& db = store_.connection();
    GateFeed f;
    auto r = db.prepare("SELECT kind, subject, reason, revoked_at FROM office_revocations WHERE community = ? ORDER BY revoked_at, subject");
    r.bind(1, community);
    while (r.step())
        f.revocations.push_back(Revocation{r.text(0), r.text(1), r.text(2), r.integer(3)});
    auto w = db.prepare("SELECT doc_number, reason, added_at FROM office_watch_list WHERE community = ? ORDER BY added_at, doc_number");
    w.bind(1, community);
    while (w.step())
        f.watchList.push_back(WatchEntry{w.text(0), w.text(1), w.integer(2)});
    auto o = db.prepare("SELECT record FROM office_roster WHERE community = ? ORDER BY added_at, doc_number");
    o.bind(1, community);
    while (o.step())
        if (auto rec = personRecordFromJson(nlohmann::json::parse(o.text(0), nullptr, false)))
            f.roster.push_back(std::move(*rec));
    if (r.rc() != SQLITE_DONE || w.rc() != SQLITE_DONE || o.rc() != SQLITE_DONE)
        return storageError(db, "reading what gates must apply");
    return f;
}

Result<Done> SqliteOfficeDb::addWatch(std::string_view community, const WatchEntry& e)
{
    std::lock_guard lock(mutex_);
    const Database& db = store_.connection();
    auto s = db.prepare(R"sql(
        INSERT INTO office_watch_list(community, doc_number, reason, added_at) VALUES(?1, ?2, ?3, ?4)
        ON CONFLICT(community, doc_number) DO UPDATE SET reason = ?3, added_at = ?4)sql");
    s.bind(1, community).bind(2, e.docNumber).bind(3, e.reason).bind(4, e.addedAt).step();
    if (s.rc() != SQLITE_DONE)
        return storageError(db, "saving the watch list");
    return Done{};
}

Result<bool> SqliteOfficeDb::removeWatch(std::string_view community, std::string_view docNumber)
{
    std::lock_guard lock(mutex_);
    const Database& db = store_.connection();
    auto s = db.prepare("DELETE FROM office_watch_list WHERE community = ? AND doc_number = ?");
    s.bind(1, community).bind(2, docNumber).step();
    if (s.rc() != SQLITE_DONE)
        return storageError(db, "saving the watch list");
    return sqlite3_changes(db.handle()) > 0;
}

Result<Done> SqliteOfficeDb::addRoster(std::string_view community, const std::vector<PersonRecord>& rows, int64_t now)
{
    std::lock_guard lock(mutex_);
    const Database& db = store_.connection();
    Transaction t(db);
    if (!t.begun())
        return t.beginError();
    auto s = db.prepare(R"sql(
        INSERT INTO office_roster(community, doc_number, record, added_at) VALUES(?1, ?2, ?3, ?4)
        ON CONFLICT(community, doc_number) DO UPDATE SET record = ?3, added_at = ?4)sql");
    for (const PersonRecord& r : rows) {
        s.reset().bind(1, community).bind(2, r.person.docNumber).bind(3, toJson(r).dump()).bind(4, now).step();
        if (s.rc() != SQLITE_DONE)
            return storageError(db, "saving the roster"); // the transaction rolls back: none is kept
    }
    return t.commit();
}

Result<Done> SqliteOfficeDb::addRevocation(std::string_view community, const Revocation& r)
{
    std::lock_guard lock(mutex_);
    return saveRevocation(store_.connection(), community, r);
}

Result<std::vector<PurgeCounts>> SqliteOfficeDb::purge(const Clock& now)
{
    std::lock_guard lock(mutex_);
    const Database& db = store_.connection();
    std::vector<PurgeCounts> out;
    for (const Community& c : communitiesLocked()) {
        const int64_t cutoff = now.unixMs - int64_t(c.retentionDays) * 86'400'000;
        Transaction t(db);
        if (!t.begun())
            return storageError(db, "begin");
        PurgeCounts p;
        p.community = c.code;
        auto e = db.prepare("DELETE FROM entries WHERE at < ?");
        e.bind(1, cutoff).step();
        p.entriesDeleted = sqlite3_changes(db.handle());
        // Not seen: their record is older than the period and no entry of theirs is left.
        auto ps = db.prepare("DELETE FROM persons WHERE updated_at < ?1 AND coalesce(verified_at, 0) < ?1 "
                             "AND NOT EXISTS (SELECT 1 FROM entries WHERE entries.doc_number = persons.doc_number)");
        ps.bind(1, cutoff).step();
        p.personsDeleted = sqlite3_changes(db.handle());
        auto a = db.prepare("DELETE FROM staff_actions WHERE at < ?");
        a.bind(1, cutoff).step();
        p.actionsDeleted = sqlite3_changes(db.handle());
        auto log = db.prepare("INSERT INTO office_purges(at, community, entries_deleted, persons_deleted) VALUES(?,?,?,?)");
        log.bind(1, now.unixMs).bind(2, c.code).bind(3, p.entriesDeleted).bind(4, p.personsDeleted).step();
        if (e.rc() != SQLITE_DONE || ps.rc() != SQLITE_DONE || a.rc() != SQLITE_DONE || log.rc() != SQLITE_DONE)
            return storageError(db, "deleting expired records");
        if (auto r = t.commit(); !r)
            return r.error();
        out.push_back(p);
    }
    return out;
}

Result<CommunityCounts> SqliteOfficeDb::counts(std::string_view community)
{
    std::lock_guard lock(mutex_);
    const Database& db = store_.connection();
    CommunityCounts c;
    c.code = community;
    if (store_.settings().communityCode == community) {
        auto s = db.prepare("SELECT (SELECT count(*) FROM persons), (SELECT count(*) FROM entries)");
        if (s.step()) {
            c.persons = s.integer(0);
            c.entries = s.integer(1);
        }
    }
    auto g = db.prepare(std::string(kGateColumns) + "WHERE community = ? ORDER BY name");
    g.bind(1, community);
    while (g.step())
        c.gates.push_back(gateFromRow(g));
    return c;
}

Result<Overview> SqliteOfficeDb::overview(std::string_view community, const Clock& now)
{
    std::lock_guard lock(mutex_);
    const Database& db = store_.connection();
    Overview o;
    o.community = community;
    std::map<std::string, GateOverview> gates;
    auto g = db.prepare(std::string(kGateColumns) + "WHERE community = ?");
    g.bind(1, community);
    while (g.step()) {
        Gate gate = gateFromRow(g);
        GateOverview& v = gates[gate.name];
        v.name = gate.name;
        v.enrolled = true;
        v.revokedAt = gate.revokedAt;
        v.lastUploadAt = gate.lastUploadAt;
    }
    if (store_.settings().communityCode == community) { // the file's one community (else: no persons, no entries)
        auto p = db.prepare("SELECT person_type, count(*), sum(coalesce(json_extract(record, '$.home_observation'), 0)) "
                            "FROM persons GROUP BY person_type");
        while (p.step()) {
            o.personsByType[p.text(0)] = p.integer(1);
            o.persons += p.integer(1);
            o.underObservation += p.integer(2);
        }
        auto left = db.prepare("SELECT record FROM persons WHERE json_extract(record, '$.left_city') = 1");
        while (left.step())
            o.returnedRecently += countsAsReturned(left.text(0), now);
        if (left.rc() != SQLITE_DONE)
            return storageError(db, "counting");
        // From the kept quarter-hour counts (office_entry_counts), not the entries.
        const int64_t today = now.dayStartMs(), from = today - int64_t(kOverviewDays - 1) * 86'400'000, to = today + 86'400'000;
        auto e = db.prepare("SELECT gate, (quarter * 900000 - ?1) / 86400000, sum(entries), "
                            "sum(CASE WHEN quarter * 900000 >= ?3 THEN fevers ELSE 0 END) "
                            "FROM office_entry_counts WHERE quarter >= ?1 / 900000 AND quarter < ?2 / 900000 GROUP BY 1, 2");
        e.bind(1, from).bind(2, to).bind(3, today);
        while (e.step()) {
            GateOverview& v = gates[e.text(0)];
            v.name = e.text(0);
            const int day = int(e.integer(1));
            v.entriesByDay[size_t(day)] += e.integer(2);
            o.entriesByDay[size_t(day)] += e.integer(2);
            o.feverToday += e.integer(3);
        }
        if (p.rc() != SQLITE_DONE || e.rc() != SQLITE_DONE)
            return storageError(db, "counting");
        for (const auto& [type, n] : store_.insideByPersonType()) { // the Store's rule, from its kept last movements
            o.insideByType[type] = n;
            o.insideNow += n;
        }
    }
    if (g.rc() != SQLITE_DONE)
        return storageError(db, "counting");
    for (auto& [name, v] : gates)
        o.gates.push_back(std::move(v));
    return o;
}

Result<std::vector<ObservedPerson>> SqliteOfficeDb::underObservation(std::string_view community, int limit)
{
    std::lock_guard lock(mutex_);
    std::vector<ObservedPerson> out;
    if (store_.settings().communityCode != community) // the file's one community (else: no persons)
        return out;
    const Database& db = store_.connection();
    auto s = db.prepare("SELECT p.record, p.updated_at, p.verified_at, p.verified_by, m.at, m.direction, e.gate FROM persons p "
                        "LEFT JOIN last_moves m ON m.doc_number = p.doc_number LEFT JOIN entries e ON e.id = m.id "
                        "WHERE json_extract(p.record, '$.home_observation') = 1 "
                        "ORDER BY json_extract(p.record, '$.observation_start'), p.doc_number LIMIT ?1");
    s.bind(1, int64_t(limit));
    while (s.step()) {
        ObservedPerson o;
        o.record.person = personFromJson(nlohmann::json::parse(s.text(0), nullptr, false)).person;
        o.record.updatedAt = s.integer(1);
        if (!s.isNull(2)) {
            o.record.verifiedAt = s.integer(2);
            o.record.verifiedBy = s.text(3);
        }
        if (!s.isNull(4)) {
            o.lastMoveAt = s.integer(4);
            o.lastDirection = fromKey<Direction>(s.text(5)).value_or(Direction::In);
            o.lastGate = s.text(6);
        }
        out.push_back(std::move(o));
    }
    if (s.rc() != SQLITE_DONE)
        return storageError(db, "listing persons under observation");
    return out;
}

namespace {

Account accountFromRow(const Statement& s) // kAccountColumns
{
    Account a;
    a.name = s.text(0);
    a.role = roleFromKey(s.text(1)).value_or(Role::Viewer);
    a.passwordHash = s.text(2);
    a.createdAt = s.integer(3);
    a.failedSignIns = int(s.integer(4));
    if (!s.isNull(5))
        a.lockedUntil = s.integer(5);
    a.communities = splitCommunities(s.text(6));
    a.disabled = s.integer(7) != 0;
    if (!s.isNull(8))
        a.lastSignInAt = s.integer(8);
    return a;
}

constexpr const char* kAccountColumns = "name, role, password_hash, created_at, failed_sign_ins, locked_until, communities, disabled, last_sign_in_at";

} // namespace

Result<Done> SqliteOfficeDb::addAccount(const Account& a)
{
    std::lock_guard lock(mutex_);
    const Database& db = store_.connection();
    auto s = db.prepare("INSERT INTO office_accounts(name, role, password_hash, created_at, communities, disabled) VALUES(?, ?, ?, ?, ?, ?) "
                        "ON CONFLICT(name) DO NOTHING");
    s.bind(1, a.name).bind(2, roleKey(a.role)).bind(3, a.passwordHash).bind(4, a.createdAt).bind(5, joinCommunities(a.communities))
        .bind(6, int64_t(a.disabled)).step();
    if (s.rc() != SQLITE_DONE)
        return storageError(db, "saving the account");
    if (sqlite3_changes(db.handle()) == 0)
        return accountExists(a.name);
    return Done{};
}

std::optional<Account> SqliteOfficeDb::account(std::string_view name)
{
    std::lock_guard lock(mutex_);
    auto s = store_.connection().prepare(std::string("SELECT ") + kAccountColumns + " FROM office_accounts WHERE name = ?");
    s.bind(1, name);
    if (!s.step())
        return std::nullopt;
    return accountFromRow(s);
}

Result<std::vector<Account>> SqliteOfficeDb::accounts()
{
    std::lock_guard lock(mutex_);
    const Database& db = store_.connection();
    auto s = db.prepare(std::string("SELECT ") + kAccountColumns + " FROM office_accounts ORDER BY name");
    std::vector<Account> out;
    while (s.step())
        out.push_back(accountFromRow(s));
    if (s.rc() != SQLITE_DONE)
        return storageError(db, "listing accounts");
    return out;
}

Result<Done> SqliteOfficeDb::changeAccount(std::string_view name, const AccountChange& change)
{
    std::lock_guard lock(mutex_);
    const Database& db = store_.connection();
    Transaction t(db);
    if (!t.begun())
        return t.beginError();
    auto s = db.prepare(R"sql(
        UPDATE office_accounts SET
            role = coalesce(?2, role), password_hash = coalesce(?3, password_hash), disabled = coalesce(?4, disabled),
            failed_sign_ins = CASE WHEN ?5 THEN 0 ELSE failed_sign_ins END,
            locked_until = CASE WHEN ?5 THEN NULL ELSE locked_until END,
            communities = coalesce(?6, communities)
        WHERE name = ?1)sql");
    s.bind(1, name);
    if (change.role)
        s.bind(2, roleKey(*change.role));
    if (change.passwordHash)
        s.bind(3, *change.passwordHash);
    if (change.disabled)
        s.bind(4, int64_t(*change.disabled));
    s.bind(5, int64_t(change.unlock));
    if (change.communities)
        s.bind(6, joinCommunities(*change.communities));
    s.step();
    if (s.rc() != SQLITE_DONE)
        return storageError(db, "changing the account");
    if (sqlite3_changes(db.handle()) == 0)
        return accountNotFound(name);
    auto admins = db.prepare("SELECT count(*) FROM office_accounts WHERE role = 'admin' AND disabled = 0");
    if (!admins.step())
        return storageError(db, "counting admins");
    if (admins.integer(0) == 0)
        return lastAdmin(); // the transaction rolls back
    if (change.passwordHash || change.disabled.value_or(false)) {
        auto end = db.prepare("DELETE FROM office_sessions WHERE account = ?");
        end.bind(1, name).step();
        if (end.rc() != SQLITE_DONE)
            return storageError(db, "ending the account's sessions");
    }
    return t.commit();
}

Result<Account> SqliteOfficeDb::noteFailedSignIn(std::string_view name, int64_t now, int lockAfter, int64_t lockMs)
{
    std::lock_guard lock(mutex_);
    const Database& db = store_.connection();
    // One statement: SET sees the row as it was, so the count and the lock agree.
    auto s = db.prepare(std::string(R"sql(
        UPDATE office_accounts SET
            failed_sign_ins = CASE WHEN failed_sign_ins + 1 >= ?3 THEN 0 ELSE failed_sign_ins + 1 END,
            locked_until = CASE WHEN failed_sign_ins + 1 >= ?3 THEN ?2 + ?4 ELSE locked_until END
        WHERE name = ?1 AND coalesce(locked_until, 0) <= ?2
        RETURNING )sql") + kAccountColumns);
    s.bind(1, name).bind(2, now).bind(3, lockAfter).bind(4, lockMs);
    if (s.step())
        return accountFromRow(s);
    if (s.rc() != SQLITE_DONE)
        return storageError(db, "counting a failed sign-in");
    auto a = db.prepare(std::string("SELECT ") + kAccountColumns + " FROM office_accounts WHERE name = ?");
    a.bind(1, name);
    if (!a.step())
        return Message{"account.not_found", "没有这个账号", "No such account", ""};
    return accountFromRow(a);
}

Result<Done> SqliteOfficeDb::noteSignIn(std::string_view name, int64_t now)
{
    std::lock_guard lock(mutex_);
    const Database& db = store_.connection();
    auto s = db.prepare("UPDATE office_accounts SET failed_sign_ins = 0, last_sign_in_at = ? WHERE name = ?");
    s.bind(1, now).bind(2, name).step();
    if (s.rc() != SQLITE_DONE)
        return storageError(db, "saving the account");
    return Done{};
}

Result<Done> SqliteOfficeDb::addSession(std::string_view tokenHash, std::string_view account, int64_t now, int64_t expiresAt)
{
    std::lock_guard lock(mutex_);
    const Database& db = store_.connection();
    auto prune = db.prepare("DELETE FROM office_sessions WHERE expires_at <= ?");
    prune.bind(1, now).step();
    if (prune.rc() != SQLITE_DONE)
        return storageError(db, "pruning expired sessions");
    auto s = db.prepare("INSERT INTO office_sessions(token_hash, account, created_at, expires_at) VALUES(?, ?, ?, ?)");
    s.bind(1, tokenHash).bind(2, account).bind(3, now).bind(4, expiresAt).step();
    if (s.rc() != SQLITE_DONE)
        return storageError(db, "saving the session");
    return Done{};
}

std::optional<Session> SqliteOfficeDb::session(std::string_view tokenHash, int64_t now)
{
    std::lock_guard lock(mutex_);
    auto s = store_.connection().prepare("SELECT s.account, a.role, s.expires_at, a.communities FROM office_sessions s "
                                         "JOIN office_accounts a ON a.name = s.account "
                                         "WHERE s.token_hash = ? AND s.expires_at > ? AND a.disabled = 0");
    s.bind(1, tokenHash).bind(2, now);
    if (!s.step())
        return std::nullopt;
    return Session{s.text(0), roleFromKey(s.text(1)).value_or(Role::Viewer), s.integer(2), splitCommunities(s.text(3))};
}

Result<Done> SqliteOfficeDb::endSession(std::string_view tokenHash, int64_t now)
{
    std::lock_guard lock(mutex_);
    const Database& db = store_.connection();
    auto s = db.prepare("DELETE FROM office_sessions WHERE token_hash = ? OR expires_at <= ?");
    s.bind(1, tokenHash).bind(2, now).step();
    if (s.rc() != SQLITE_DONE)
        return storageError(db, "ending the session");
    return Done{};
}

Result<Done> SqliteOfficeDb::addAudit(const AuditEvent& e)
{
    std::lock_guard lock(mutex_);
    const Database& db = store_.connection();
    auto s = db.prepare("INSERT INTO office_audit(at, account, action, address, detail) VALUES(?, ?, ?, ?, ?)");
    s.bind(1, e.at).bind(2, e.account).bind(3, e.action).bind(4, e.address).bind(5, e.detail).step();
    if (s.rc() != SQLITE_DONE)
        return storageError(db, "writing the audit log");
    return Done{};
}

Result<std::vector<AuditEvent>> SqliteOfficeDb::audit(int limit)
{
    std::lock_guard lock(mutex_);
    const Database& db = store_.connection();
    std::vector<AuditEvent> out;
    auto s = db.prepare("SELECT at, account, action, address, detail FROM office_audit ORDER BY at DESC, rowid DESC LIMIT ?");
    s.bind(1, limit);
    while (s.step())
        out.push_back(AuditEvent{s.integer(0), s.text(1), s.text(2), s.text(3), s.text(4)});
    if (s.rc() != SQLITE_DONE)
        return storageError(db, "reading the audit log");
    return out;
}

std::optional<PersonRecord> SqliteOfficeDb::findPerson(std::string_view community, std::string_view docNumber)
{
    std::lock_guard lock(mutex_);
    if (store_.settings().communityCode != community)
        return std::nullopt;
    return store_.findPerson(docNumber);
}

// The Store holds one community: another community's persons are none.
Result<std::vector<PersonRecord>> SqliteOfficeDb::searchPersons(std::string_view community, std::string_view query, int limit)
{
    std::lock_guard lock(mutex_);
    if (store_.settings().communityCode != community)
        return std::vector<PersonRecord>{};
    return store_.search(query, limit);
}

Result<std::vector<PersonRecord>> SqliteOfficeDb::persons(std::string_view community)
{
    std::lock_guard lock(mutex_);
    if (store_.settings().communityCode != community)
        return std::vector<PersonRecord>{};
    return store_.listPersons();
}

Result<std::vector<Entry>> SqliteOfficeDb::entries(std::string_view community)
{
    std::lock_guard lock(mutex_);
    if (store_.settings().communityCode != community)
        return std::vector<Entry>{};
    auto newestFirst = store_.entriesBetween(INT64_MIN, INT64_MAX, INT_MAX);
    return std::vector<Entry>(newestFirst.rbegin(), newestFirst.rend());
}

// The Store's own table (schema step 7): mergeBatch stored them.
Result<std::vector<StaffAction>> SqliteOfficeDb::staffActions(std::string_view community, int limit)
{
    std::lock_guard lock(mutex_);
    if (store_.settings().communityCode != community)
        return std::vector<StaffAction>{};
    return store_.staffActions(limit);
}

} // namespace gatepass::office
