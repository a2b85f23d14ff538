#include "PostgresOfficeDb.h"

#include "PersonJson.h"
#include "Policy.h" // kFeverReason
#include "RecordJson.h"
#include "Store.h" // searchTerm

#include <libpq-fe.h>

#include <condition_variable>
#include <cstdio>
#include <map>
#include <mutex>

namespace gatepass::office {

using nlohmann::json;

namespace {

// Append a step; never edit a shipped one. Run under an advisory lock, so two
// services starting at once do not both migrate.
constexpr const char* kMigrations[] = {
    R"sql(
    CREATE TABLE office_communities(
        code text PRIMARY KEY, name text NOT NULL, site text NOT NULL,
        key_id text NOT NULL, public_key text NOT NULL, key_dir text NOT NULL,
        retention_days integer NOT NULL DEFAULT 28, added_at bigint NOT NULL);
    CREATE TABLE office_gates(
        community text NOT NULL REFERENCES office_communities(code), name text NOT NULL,
        token_hash text NOT NULL UNIQUE,          -- crypto::tokenHash; the token itself is never stored
        gate_key text NOT NULL,
        enrolled_at bigint NOT NULL, revoked_at bigint, last_upload_at bigint,
        PRIMARY KEY(community, name));
    CREATE TABLE persons(
        community text NOT NULL, doc_number text NOT NULL,
        name text NOT NULL, phone text NOT NULL, person_type text NOT NULL,
        record text NOT NULL,                     -- the person as JSON (PersonJson), as in the Store
        updated_at bigint NOT NULL, verified_at bigint, verified_by text,
        PRIMARY KEY(community, doc_number));
    CREATE TABLE entries(
        community text NOT NULL, id text NOT NULL,
        doc_number text NOT NULL, name text NOT NULL, person_type text NOT NULL,
        at bigint NOT NULL,
        direction text NOT NULL CHECK (direction IN ('in', 'out')),
        temperature double precision,
        verdict text NOT NULL CHECK (verdict IN ('allow', 'refer', 'deny')),
        reasons text NOT NULL, gate text NOT NULL, staff text NOT NULL,
        PRIMARY KEY(community, id));
    CREATE INDEX entries_at ON entries(community, at);
    CREATE INDEX entries_person ON entries(community, doc_number);
    CREATE TABLE imports(
        body_sha256 text PRIMARY KEY, community text NOT NULL, gate text NOT NULL, seq bigint NOT NULL,
        imported_at bigint NOT NULL, persons_added integer NOT NULL, persons_updated integer NOT NULL,
        entries_added integer NOT NULL);
    CREATE TABLE office_watch_list(
        community text NOT NULL, doc_number text NOT NULL, reason text NOT NULL, added_at bigint NOT NULL,
        PRIMARY KEY(community, doc_number));
    CREATE TABLE office_revocations(
        community text NOT NULL, kind text NOT NULL CHECK (kind IN ('card', 'person')), subject text NOT NULL,
        reason text NOT NULL, revoked_at bigint NOT NULL,
        PRIMARY KEY(community, kind, subject));
    CREATE TABLE office_roster(
        community text NOT NULL, doc_number text NOT NULL,
        record text NOT NULL,                     -- RecordJson toJson(PersonRecord)
        added_at bigint NOT NULL,
        PRIMARY KEY(community, doc_number));
    CREATE TABLE office_purges(
        at bigint NOT NULL, community text NOT NULL, entries_deleted bigint NOT NULL, persons_deleted bigint NOT NULL);
    )sql",
    // The dashboard (issue 11): accounts, sessions, the audit log.
    R"sql(
    CREATE TABLE office_accounts(
        name text PRIMARY KEY, role text NOT NULL CHECK (role IN ('admin', 'staff', 'viewer')),
        password_hash text NOT NULL,              -- crypto_pwhash_str (Argon2id); never the password
        created_at bigint NOT NULL, failed_sign_ins integer NOT NULL DEFAULT 0, locked_until bigint);
    CREATE TABLE office_sessions(
        token_hash text PRIMARY KEY,              -- crypto::tokenHash of the cookie's token; never the token
        account text NOT NULL REFERENCES office_accounts(name), created_at bigint NOT NULL, expires_at bigint NOT NULL);
    CREATE TABLE office_audit(
        id bigserial PRIMARY KEY, at bigint NOT NULL, account text NOT NULL, action text NOT NULL, address text NOT NULL);
    CREATE INDEX office_audit_at ON office_audit(at);
    CREATE INDEX entries_gate_at ON entries(community, gate, at);
    )sql",
    // The dashboard's second slice: whom an audited action was about (masked).
    R"sql(
    ALTER TABLE office_audit ADD COLUMN detail text NOT NULL DEFAULT '';
    )sql",
    // Account management: accounts limited to communities, disabled, their last sign-in.
    R"sql(
    ALTER TABLE office_accounts ADD COLUMN communities text NOT NULL DEFAULT ''; -- joinCommunities; '' = every one
    ALTER TABLE office_accounts ADD COLUMN disabled boolean NOT NULL DEFAULT false;
    ALTER TABLE office_accounts ADD COLUMN last_sign_in_at bigint;
    CREATE INDEX office_sessions_expires ON office_sessions(expires_at);
    )sql",
    // The overview's counts kept as entries come and go, as SqliteOfficeDb
    // keeps them (see there): counted from 1 M entries they took 6 s
    // (build-scripts/bench-office). Entries and fevers (Policy.h kFeverReason)
    // per gate per quarter hour; each person's last movement by the Store's
    // rule (Store.cpp, schema step 6: refused entries are none, ties to the
    // later id), which this database cannot share; DashboardDbTest holds both
    // backends to what the entries say. Entries are only inserted (ON CONFLICT DO NOTHING: no trigger)
    // or deleted (retention, a person's deletion).
    R"sql(
    CREATE TABLE office_entry_counts(
        community text NOT NULL, gate text NOT NULL, quarter bigint NOT NULL,   -- quarter: at / 900000
        entries bigint NOT NULL, fevers bigint NOT NULL,
        PRIMARY KEY(community, quarter, gate));
    CREATE TABLE office_last_moves(
        community text NOT NULL, doc_number text NOT NULL, at bigint NOT NULL, id text NOT NULL,
        direction text NOT NULL, person_type text NOT NULL,
        PRIMARY KEY(community, doc_number));
    CREATE INDEX office_persons_kind ON persons(community, person_type, ((record::jsonb->>'home_observation')));
    INSERT INTO office_entry_counts
        SELECT community, gate, at / 900000, count(*), count(*) FILTER (WHERE reasons::jsonb @> '[{"code": "fever"}]')
        FROM entries GROUP BY 1, 2, 3;
    INSERT INTO office_last_moves
        SELECT DISTINCT ON (community, doc_number) community, doc_number, at, id, direction, person_type
        FROM entries WHERE verdict <> 'deny' ORDER BY community, doc_number, at DESC, id DESC;
    CREATE FUNCTION office_entry_added() RETURNS trigger LANGUAGE plpgsql AS $fn$
    BEGIN
        INSERT INTO office_entry_counts
            VALUES (NEW.community, NEW.gate, NEW.at / 900000, 1, CASE WHEN NEW.reasons::jsonb @> '[{"code": "fever"}]' THEN 1 ELSE 0 END)
            ON CONFLICT (community, quarter, gate) DO UPDATE
            SET entries = office_entry_counts.entries + 1, fevers = office_entry_counts.fevers + excluded.fevers;
        IF NEW.verdict <> 'deny' THEN
            INSERT INTO office_last_moves VALUES (NEW.community, NEW.doc_number, NEW.at, NEW.id, NEW.direction, NEW.person_type)
                ON CONFLICT (community, doc_number) DO UPDATE
                SET at = excluded.at, id = excluded.id, direction = excluded.direction, person_type = excluded.person_type
                WHERE (excluded.at, excluded.id) > (office_last_moves.at, office_last_moves.id);
        END IF;
        RETURN NULL;
    END $fn$;
    CREATE FUNCTION office_entry_removed() RETURNS trigger LANGUAGE plpgsql AS $fn$
    BEGIN
        UPDATE office_entry_counts SET entries = entries - 1,
            fevers = fevers - CASE WHEN OLD.reasons::jsonb @> '[{"code": "fever"}]' THEN 1 ELSE 0 END
            WHERE community = OLD.community AND quarter = OLD.at / 900000 AND gate = OLD.gate;
        DELETE FROM office_entry_counts
            WHERE community = OLD.community AND quarter = OLD.at / 900000 AND gate = OLD.gate AND entries = 0;
        DELETE FROM office_last_moves WHERE community = OLD.community AND doc_number = OLD.doc_number AND id = OLD.id;
        IF FOUND THEN
            INSERT INTO office_last_moves
                SELECT community, doc_number, at, id, direction, person_type FROM entries
                WHERE community = OLD.community AND doc_number = OLD.doc_number AND verdict <> 'deny'
                ORDER BY at DESC, id DESC LIMIT 1;
        END IF;
        RETURN NULL;
    END $fn$;
    CREATE TRIGGER office_entry_added AFTER INSERT ON entries FOR EACH ROW EXECUTE FUNCTION office_entry_added();
    CREATE TRIGGER office_entry_removed AFTER DELETE ON entries FOR EACH ROW EXECUTE FUNCTION office_entry_removed();
    )sql",
    // What staff did at the gates (StaffAction.h), as the Store keeps it
    // (schema step 7), per community; each action once by id.
    R"sql(
    CREATE TABLE staff_actions(
        community text NOT NULL, id text NOT NULL,
        seq bigserial,                            -- arrival order: ties in time listed as the gate logged them
        at bigint NOT NULL, gate text NOT NULL, staff text NOT NULL, kind text NOT NULL,
        detail_zh text NOT NULL, detail_en text NOT NULL,
        PRIMARY KEY(community, id));
    CREATE INDEX staff_actions_at ON staff_actions(community, at);
    )sql",
};
static_assert(kFeverReason == "fever", "the office's kept counts (kMigrations) name the fever reason in SQL");

constexpr int64_t kMigrationLock = 0x67617465; // "gate": any constant all services agree on

struct ResultFree {
    void operator()(PGresult* r) const { PQclear(r); }
};
using PgResult = std::unique_ptr<PGresult, ResultFree>;

// Only SQLSTATE and the primary message: PostgreSQL's DETAIL can quote key
// values (document numbers), and those must not reach a log.
Message dbError(PGconn* conn, const PGresult* r, std::string_view doing)
{
    std::string primary = r ? (PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : "")
                            : PQerrorMessage(conn);
    std::string state = r && PQresultErrorField(r, PG_DIAG_SQLSTATE) ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : "";
    while (!primary.empty() && primary.back() == '\n')
        primary.pop_back();
    return Message{"office.database", "办公数据库出错（" + std::string(doing) + "）",
                   "Office database error while " + std::string(doing) + ": " + primary + (state.empty() ? "" : " [" + state + "]"), ""};
}

// A text[] literal: every element quoted, NULL for none.
std::string pgArray(const std::vector<std::optional<std::string>>& items)
{
    std::string out = "{";
    for (size_t i = 0; i < items.size(); ++i) {
        if (i)
            out += ',';
        if (!items[i]) {
            out += "NULL";
            continue;
        }
        out += '"';
        for (char c : *items[i]) {
            if (c == '"' || c == '\\')
                out += '\\';
            out += c;
        }
        out += '"';
    }
    return out + "}";
}

std::optional<std::string> num(int64_t v) { return std::to_string(v); }
std::optional<std::string> num(const std::optional<int64_t>& v) { return v ? std::optional(std::to_string(*v)) : std::nullopt; }
std::optional<std::string> num(const std::optional<double>& v)
{
    if (!v)
        return std::nullopt;
    char b[32];
    std::snprintf(b, sizeof b, "%.17g", *v);
    return std::string(b);
}

} // namespace

struct PgPool {
    std::string uri;
    int size = 8, open = 0;
    std::mutex mutex;
    std::condition_variable freed;
    std::vector<PGconn*> idle;

    ~PgPool()
    {
        for (PGconn* c : idle)
            PQfinish(c);
    }

    Result<PGconn*> connect()
    {
        PGconn* c = PQconnectdb(uri.c_str());
        if (PQstatus(c) != CONNECTION_OK) {
            Message m = dbError(c, nullptr, "connecting");
            PQfinish(c);
            return m;
        }
        PQsetNoticeProcessor(c, [](void*, const char*) {}, nullptr); // "relation exists, skipping" and the like
        return c;
    }
};

namespace {

// A connection borrowed from the pool for one call; returned (or dropped if broken) at scope end.
class Conn {
public:
    explicit Conn(PgPool& pool) : pool_(pool)
    {
        std::unique_lock lock(pool.mutex);
        pool.freed.wait(lock, [&] { return !pool.idle.empty() || pool.open < pool.size; });
        if (!pool.idle.empty()) {
            conn_ = pool.idle.back();
            pool.idle.pop_back();
            return;
        }
        ++pool.open;
        lock.unlock();
        auto c = pool.connect();
        if (c)
            conn_ = *c;
        else {
            error_ = c.error();
            std::lock_guard relock(pool.mutex);
            --pool.open;
            pool.freed.notify_one();
        }
    }
    ~Conn()
    {
        if (!conn_)
            return;
        std::lock_guard lock(pool_.mutex);
        if (PQstatus(conn_) == CONNECTION_OK && PQtransactionStatus(conn_) == PQTRANS_IDLE)
            pool_.idle.push_back(conn_);
        else {
            PQfinish(conn_);
            --pool_.open;
        }
        pool_.freed.notify_one();
    }
    bool ok() const { return conn_ != nullptr; }
    const Message& error() const { return error_; }
    PGconn* get() const { return conn_; }

    /// Runs one statement with text parameters (several, without parameters).
    /// The first failure is kept in lastError and later calls do nothing, so a
    /// sequence of statements is checked once, at its end.
    PgResult run(const char* sql, std::initializer_list<std::optional<std::string>> params = {})
    {
        if (failed)
            return nullptr;
        std::vector<const char*> values;
        for (const auto& p : params)
            values.push_back(p ? p->c_str() : nullptr);
        PgResult r(values.empty() ? PQexec(conn_, sql)
                                  : PQexecParams(conn_, sql, int(values.size()), nullptr, values.data(), nullptr, nullptr, 0));
        auto status = r ? PQresultStatus(r.get()) : PGRES_FATAL_ERROR;
        if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
            lastError = dbError(conn_, r.get(), doing);
            failed = true;
            return nullptr;
        }
        return r;
    }

    std::string doing = "working";
    bool failed = false;
    Message lastError;

private:
    PgPool& pool_;
    PGconn* conn_ = nullptr;
    Message error_;
};

// Rolls back unless committed, so an early return never leaves a transaction open.
class PgTransaction {
public:
    explicit PgTransaction(Conn& c) : c_(c) { begun_ = c_.run("BEGIN") != nullptr; }
    ~PgTransaction()
    {
        if (begun_ && !done_)
            PQclear(PQexec(c_.get(), "ROLLBACK"));
    }
    bool begun() const { return begun_; }
    bool commit()
    {
        done_ = c_.run("COMMIT") != nullptr;
        return done_;
    }

private:
    Conn& c_;
    bool begun_ = false, done_ = false;
};

std::string text(const PgResult& r, int row, int col) { return PQgetvalue(r.get(), row, col); }
bool isNull(const PgResult& r, int row, int col) { return PQgetisnull(r.get(), row, col); }
int64_t integer(const PgResult& r, int row, int col) { return std::stoll(PQgetvalue(r.get(), row, col)); }
int64_t changed(const PgResult& r) { return std::atoll(PQcmdTuples(r.get())); }

Gate gateFromRow(const PgResult& r, int i) // community, name, gate_key, enrolled_at, revoked_at, last_upload_at
{
    Gate g;
    g.community = text(r, i, 0);
    g.name = text(r, i, 1);
    g.gateKey = text(r, i, 2);
    g.enrolledAt = integer(r, i, 3);
    if (!isNull(r, i, 4))
        g.revokedAt = integer(r, i, 4);
    if (!isNull(r, i, 5))
        g.lastUploadAt = integer(r, i, 5);
    return g;
}

constexpr const char* kGateColumns = "SELECT community, name, gate_key, enrolled_at, revoked_at, last_upload_at FROM office_gates ";

PersonRecord recordFromRow(const PgResult& r, int i, int col) // record, updated_at, verified_at, verified_by
{
    PersonRecord p;
    p.person = personFromJson(json::parse(text(r, i, col), nullptr, false)).person;
    p.updatedAt = integer(r, i, col + 1);
    if (!isNull(r, i, col + 2)) {
        p.verifiedAt = integer(r, i, col + 2);
        p.verifiedBy = text(r, i, col + 3);
    }
    return p;
}

} // namespace

PostgresOfficeDb::PostgresOfficeDb(std::unique_ptr<PgPool> pool) : pool_(std::move(pool)) {}
PostgresOfficeDb::~PostgresOfficeDb() = default;

Result<std::unique_ptr<OfficeDb>> PostgresOfficeDb::open(const std::string& uri, int poolSize)
{
    auto pool = std::make_unique<PgPool>();
    pool->uri = uri;
    pool->size = std::max(1, poolSize);
    {
        Conn c(*pool);
        if (!c.ok())
            return c.error();
        c.doing = "migrating the schema";
        PgTransaction t(c);
        c.run("SELECT pg_advisory_xact_lock($1)", {num(kMigrationLock)});
        c.run("CREATE TABLE IF NOT EXISTS office_meta(key text PRIMARY KEY, value text NOT NULL)");
        auto v = c.run("SELECT value::integer FROM office_meta WHERE key = 'schema'");
        if (c.failed)
            return c.lastError;
        int version = PQntuples(v.get()) ? int(integer(v, 0, 0)) : 0;
        constexpr int kCount = int(std::size(kMigrations));
        if (version > kCount)
            return Message{"storage.newer_schema", "办公数据库由更新版本创建，请更新本程序",
                           "The office database was made by a newer version; update gatepass", ""};
        for (; version < kCount; ++version) {
            c.run(kMigrations[version]);
            c.run("INSERT INTO office_meta(key, value) VALUES('schema', $1) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                  {num(version + 1)});
        }
        if (c.failed || !t.commit())
            return c.lastError;
    }
    return std::unique_ptr<OfficeDb>(new PostgresOfficeDb(std::move(pool)));
}

Result<Done> PostgresOfficeDb::addCommunity(const Community& cm)
{
    Conn c(*pool_);
    if (!c.ok())
        return c.error();
    c.doing = "saving the community";
    c.run(R"sql(INSERT INTO office_communities(code, name, site, key_id, public_key, key_dir, retention_days, added_at)
                VALUES($1, $2, $3, $4, $5, $6, $7, $8)
                ON CONFLICT(code) DO UPDATE SET name = $2, site = $3, key_id = $4, public_key = $5, key_dir = $6)sql",
          {cm.code, cm.name, cm.site, cm.keyId, cm.publicKey, cm.keyDir, num(cm.retentionDays), num(Clock::system().unixMs)});
    if (c.failed)
        return c.lastError;
    return Done{};
}

std::vector<Community> PostgresOfficeDb::communities()
{
    std::vector<Community> out;
    Conn c(*pool_);
    if (!c.ok())
        return out;
    auto r = c.run("SELECT code, name, site, key_id, public_key, key_dir, retention_days FROM office_communities ORDER BY code");
    for (int i = 0; r && i < PQntuples(r.get()); ++i)
        out.push_back(Community{text(r, i, 0), text(r, i, 1), text(r, i, 2), text(r, i, 3), text(r, i, 4), text(r, i, 5),
                                int(integer(r, i, 6)), {}});
    return out;
}

std::optional<Community> PostgresOfficeDb::community(std::string_view code)
{
    for (auto& c : communities())
        if (c.code == code)
            return c;
    return std::nullopt;
}

Result<Done> PostgresOfficeDb::setRetentionDays(std::string_view community, int days)
{
    Conn c(*pool_);
    if (!c.ok())
        return c.error();
    c.doing = "saving the retention period";
    auto r = c.run("UPDATE office_communities SET retention_days = $1 WHERE code = $2", {num(days), std::string(community)});
    if (c.failed)
        return c.lastError;
    if (changed(r) == 0)
        return Message{"office.community_not_found", "没有这个社区：" + std::string(community), "No such community: " + std::string(community), ""};
    return Done{};
}

Result<Done> PostgresOfficeDb::enrollGate(const Gate& g, std::string_view tokenHash)
{
    Conn c(*pool_);
    if (!c.ok())
        return c.error();
    c.doing = "enrolling the gate";
    c.run(R"sql(INSERT INTO office_gates(community, name, token_hash, gate_key, enrolled_at) VALUES($1, $2, $3, $4, $5)
                ON CONFLICT(community, name) DO UPDATE SET token_hash = $3, gate_key = $4, enrolled_at = $5, revoked_at = NULL)sql",
          {g.community, g.name, std::string(tokenHash), g.gateKey, num(g.enrolledAt)});
    if (c.failed)
        return c.lastError;
    return Done{};
}

Result<Done> PostgresOfficeDb::revokeGate(std::string_view community, std::string_view gate, int64_t now)
{
    Conn c(*pool_);
    if (!c.ok())
        return c.error();
    c.doing = "revoking the gate";
    auto r = c.run("UPDATE office_gates SET revoked_at = coalesce(revoked_at, $1) WHERE community = $2 AND name = $3",
                   {num(now), std::string(community), std::string(gate)});
    if (c.failed)
        return c.lastError;
    if (changed(r) == 0)
        return Message{"office.gate_not_found", "没有这个门岗：" + std::string(community) + " / " + std::string(gate),
                       "No such gate: " + std::string(community) + " / " + std::string(gate), ""};
    return Done{};
}

std::optional<Gate> PostgresOfficeDb::gateByTokenHash(std::string_view tokenHash)
{
    Conn c(*pool_);
    if (!c.ok())
        return std::nullopt;
    auto r = c.run((std::string(kGateColumns) + "WHERE token_hash = $1 AND revoked_at IS NULL").c_str(), {std::string(tokenHash)});
    if (!r || PQntuples(r.get()) == 0)
        return std::nullopt;
    return gateFromRow(r, 0);
}

std::optional<Gate> PostgresOfficeDb::gate(std::string_view community, std::string_view name)
{
    Conn c(*pool_);
    if (!c.ok())
        return std::nullopt;
    auto r = c.run((std::string(kGateColumns) + "WHERE community = $1 AND name = $2 AND revoked_at IS NULL").c_str(),
                   {std::string(community), std::string(name)});
    if (!r || PQntuples(r.get()) == 0)
        return std::nullopt;
    return gateFromRow(r, 0);
}

// A revocation of the community ($1), over one of the same kind and subject
// unless that one is newer (OfficeDb.h): a gate's, merged from its batch, and
// the office's own alike.
constexpr const char* kSaveRevocation = R"sql(
    INSERT INTO office_revocations(community, kind, subject, reason, revoked_at) VALUES($1, $2, $3, $4, $5)
    ON CONFLICT(community, kind, subject) DO UPDATE SET reason = $4, revoked_at = $5
    WHERE office_revocations.revoked_at <= excluded.revoked_at)sql";

Result<ImportReport> PostgresOfficeDb::merge(const ParsedBatch& batch, std::string_view, const Clock& now)
{
    const BatchHeader& h = batch.header;
    Conn c(*pool_);
    if (!c.ok())
        return c.error();
    c.doing = "merging a batch";
    ImportReport report;
    report.header = h;
    PgTransaction t(c);
    if (!t.begun())
        return c.lastError;
    // One merge per community at a time: the replay check below and the
    // person merge then see everything committed before them.
    c.run("SELECT pg_advisory_xact_lock(hashtext('gatepass merge ' || $1))", {h.communityCode});
    auto gateSeen = [&] {
        c.run("UPDATE office_gates SET last_upload_at = $1 WHERE community = $2 AND name = $3", {num(now.unixMs), h.communityCode, h.gate});
    };
    auto seen = c.run("SELECT 1 FROM imports WHERE body_sha256 = $1", {h.bodySha256});
    if (c.failed)
        return c.lastError;
    if (PQntuples(seen.get()) > 0) {
        report.alreadyImported = true;
        gateSeen();
        if (c.failed || !t.commit())
            return c.lastError;
        return report;
    }

    // Persons: the stored records of the numbers in the batch, merged one by
    // one in batch order (a number twice in one batch sees its first merge).
    std::vector<std::optional<std::string>> numbers;
    for (const auto& p : batch.persons)
        numbers.push_back(p.person.docNumber);
    std::map<std::string, PersonRecord, std::less<>> current;
    if (!numbers.empty()) {
        auto r = c.run("SELECT doc_number, record, updated_at, verified_at, verified_by FROM persons "
                       "WHERE community = $1 AND doc_number = ANY($2::text[])",
                       {h.communityCode, pgArray(numbers)});
        if (c.failed)
            return c.lastError;
        for (int i = 0; i < PQntuples(r.get()); ++i)
            current[text(r, i, 0)] = recordFromRow(r, i, 1);
    }
    std::map<std::string, PersonRecord, std::less<>> toWrite;
    for (const PersonRecord& incoming : batch.persons) {
        auto it = current.find(incoming.person.docNumber);
        std::optional<PersonRecord> existing = it == current.end() ? std::nullopt : std::optional(it->second);
        PersonMergeResult m = mergePerson(existing, incoming);
        if (m.conflict)
            report.conflicts.push_back(*m.conflict);
        if (!m.write)
            continue;
        (m.added ? report.personsAdded : report.personsUpdated)++;
        current[incoming.person.docNumber] = m.merged;
        toWrite[incoming.person.docNumber] = m.merged;
    }
    if (!toWrite.empty()) {
        std::vector<std::optional<std::string>> doc, name, phone, type, record, updated, vAt, vBy;
        for (const auto& [key, r] : toWrite) {
            doc.push_back(r.person.docNumber);
            name.push_back(r.person.name);
            phone.push_back(r.person.phone);
            type.push_back(std::string(keyOf(r.person.personType)));
            record.push_back(toJson(r.person).dump());
            updated.push_back(num(r.updatedAt));
            vAt.push_back(num(r.verifiedAt));
            vBy.push_back(r.verifiedAt ? std::optional(r.verifiedBy) : std::nullopt);
        }
        c.run(R"sql(INSERT INTO persons(community, doc_number, name, phone, person_type, record, updated_at, verified_at, verified_by)
                    SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::bigint[], $8::bigint[], $9::text[])
                    ON CONFLICT(community, doc_number) DO UPDATE SET name = excluded.name, phone = excluded.phone,
                        person_type = excluded.person_type, record = excluded.record, updated_at = excluded.updated_at,
                        verified_at = excluded.verified_at, verified_by = excluded.verified_by)sql",
              {h.communityCode, pgArray(doc), pgArray(name), pgArray(phone), pgArray(type), pgArray(record), pgArray(updated),
               pgArray(vAt), pgArray(vBy)});
    }

    // Entries: by id; one already here (from this or an overlapping batch) is skipped.
    if (!batch.entries.empty()) {
        std::vector<std::optional<std::string>> id, doc, name, type, at, dir, temp, verdict, reasons, gate, staff;
        for (const Entry& e : batch.entries) {
            id.push_back(e.id);
            doc.push_back(e.docNumber);
            name.push_back(e.name);
            type.push_back(std::string(keyOf(e.personType)));
            at.push_back(num(e.atMs));
            dir.push_back(std::string(keyOf(e.direction)));
            temp.push_back(num(e.temperature));
            verdict.push_back(std::string(keyOf(e.verdict)));
            reasons.push_back(toJson(e.reasons).dump());
            gate.push_back(e.gate);
            staff.push_back(e.staff);
        }
        auto r = c.run(R"sql(INSERT INTO entries(community, id, doc_number, name, person_type, at, direction, temperature, verdict, reasons, gate, staff)
                             SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[], $7::text[],
                                                      $8::double precision[], $9::text[], $10::text[], $11::text[], $12::text[])
                             ON CONFLICT(community, id) DO NOTHING)sql",
                       {h.communityCode, pgArray(id), pgArray(doc), pgArray(name), pgArray(type), pgArray(at), pgArray(dir),
                        pgArray(temp), pgArray(verdict), pgArray(reasons), pgArray(gate), pgArray(staff)});
        if (r)
            report.entriesAdded = int(changed(r));
    }
    // Deleted at the gate (Batch.h): the person, unless registered again since, and their entries up to then.
    for (const Deletion& d : batch.deletions) {
        auto r = c.run("DELETE FROM persons WHERE community = $1 AND doc_number = $2 AND updated_at <= $3",
                       {h.communityCode, d.docNumber, num(d.atMs)});
        if (!r)
            break;
        if (changed(r) > 0) {
            ++report.personsDeleted;
            c.run("DELETE FROM entries WHERE community = $1 AND doc_number = $2 AND at <= $3", {h.communityCode, d.docNumber, num(d.atMs)});
        }
    }
    // Staff actions: by id, as entries.
    if (!batch.actions.empty()) {
        std::vector<std::optional<std::string>> id, at, gate, staff, kind, zh, en;
        for (const StaffAction& a : batch.actions) {
            id.push_back(a.id);
            at.push_back(num(a.atMs));
            gate.push_back(a.gate);
            staff.push_back(a.staff);
            kind.push_back(std::string(keyOf(a.kind)));
            zh.push_back(a.detail.zh);
            en.push_back(a.detail.en);
        }
        auto r = c.run(R"sql(INSERT INTO staff_actions(community, id, at, gate, staff, kind, detail_zh, detail_en)
                             SELECT $1, u.id, u.at, u.gate, u.staff, u.kind, u.zh, u.en
                             FROM unnest($2::text[], $3::bigint[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[])
                                  WITH ORDINALITY AS u(id, at, gate, staff, kind, zh, en, n)
                             ORDER BY u.n  -- seq in the batch's order
                             ON CONFLICT(community, id) DO NOTHING)sql",
                       {h.communityCode, pgArray(id), pgArray(at), pgArray(gate), pgArray(staff), pgArray(kind), pgArray(zh), pgArray(en)});
        if (r)
            report.actionsAdded = int(changed(r));
    }
    // Revocations made at a gate: the newer of a kind and subject stands (as addRevocation).
    for (const Revocation& v : batch.revocations) {
        auto r = c.run(kSaveRevocation, {h.communityCode, v.kind, v.subject, v.reason, num(v.revokedAt)});
        if (!r)
            break;
        report.revocationsAdded += int(changed(r));
    }
    c.run("INSERT INTO imports(body_sha256, community, gate, seq, imported_at, persons_added, persons_updated, entries_added) "
          "VALUES($1, $2, $3, $4, $5, $6, $7, $8)",
          {h.bodySha256, h.communityCode, h.gate, num(h.seq), num(now.unixMs), num(report.personsAdded), num(report.personsUpdated),
           num(report.entriesAdded)});
    gateSeen();
    if (c.failed || !t.commit())
        return c.lastError;
    return report;
}

Result<GateFeed> PostgresOfficeDb::feed(std::string_view community)
{
    Conn c(*pool_);
    if (!c.ok())
        return c.error();
    c.doing = "reading what gates must apply";
    std::string code(community);
    GateFeed f;
    auto r = c.run("SELECT kind, subject, reason, revoked_at FROM office_revocations WHERE community = $1 ORDER BY revoked_at, subject", {code});
    auto w = c.run("SELECT doc_number, reason, added_at FROM office_watch_list WHERE community = $1 ORDER BY added_at, doc_number", {code});
    auto o = c.run("SELECT record FROM office_roster WHERE community = $1 ORDER BY added_at, doc_number", {code});
    if (c.failed)
        return c.lastError;
    for (int i = 0; i < PQntuples(r.get()); ++i)
        f.revocations.push_back(Revocation{text(r, i, 0), text(r, i, 1), text(r, i, 2), integer(r, i, 3)});
    for (int i = 0; i < PQntuples(w.get()); ++i)
        f.watchList.push_back(WatchEntry{text(w, i, 0), text(w, i, 1), integer(w, i, 2)});
    for (int i = 0; i < PQntuples(o.get()); ++i)
        if (auto rec = personRecordFromJson(json::parse(text(o, i, 0), nullptr, false)))
            f.roster.push_back(std::move(*rec));
    return f;
}

Result<Done> PostgresOfficeDb::addWatch(std::string_view community, const WatchEntry& e)
{
    Conn c(*pool_);
    if (!c.ok())
        return c.error();
    c.doing = "saving the watch list";
    c.run(R"sql(INSERT INTO office_watch_list(community, doc_number, reason, added_at) VALUES($1, $2, $3, $4)
                ON CONFLICT(community, doc_number) DO UPDATE SET reason = $3, added_at = $4)sql",
          {std::string(community), e.docNumber, e.reason, num(e.addedAt)});
    if (c.failed)
        return c.lastError;
    return Done{};
}

Result<bool> PostgresOfficeDb::removeWatch(std::string_view community, std::string_view docNumber)
{
    Conn c(*pool_);
    if (!c.ok())
        return c.error();
    c.doing = "saving the watch list";
    auto r = c.run("DELETE FROM office_watch_list WHERE community = $1 AND doc_number = $2", {std::string(community), std::string(docNumber)});
    if (c.failed)
        return c.lastError;
    return changed(r) > 0;
}

Result<Done> PostgresOfficeDb::addRoster(std::string_view community, const std::vector<PersonRecord>& rows, int64_t now)
{
    Conn c(*pool_);
    if (!c.ok())
        return c.error();
    c.doing = "saving the roster";
    std::vector<std::optional<std::string>> doc, record;
    for (const PersonRecord& r : rows) {
        doc.push_back(r.person.docNumber);
        record.push_back(toJson(r).dump());
    }
    // One statement: every row or none.
    c.run(R"sql(INSERT INTO office_roster(community, doc_number, record, added_at)
                SELECT $1, * , $4::bigint FROM unnest($2::text[], $3::text[])
                ON CONFLICT(community, doc_number) DO UPDATE SET record = excluded.record, added_at = excluded.added_at)sql",
          {std::string(community), pgArray(doc), pgArray(record), num(now)});
    if (c.failed)
        return c.lastError;
    return Done{};
}

Result<Done> PostgresOfficeDb::addRevocation(std::string_view community, const Revocation& r)
{
    Conn c(*pool_);
    if (!c.ok())
        return c.error();
    c.doing = "saving a revocation";
    c.run(kSaveRevocation, {std::string(community), r.kind, r.subject, r.reason, num(r.revokedAt)});
    if (c.failed)
        return c.lastError;
    return Done{};
}

Result<std::vector<PurgeCounts>> PostgresOfficeDb::purge(const Clock& now)
{
    std::vector<PurgeCounts> out;
    auto all = communities();
    Conn c(*pool_);
    if (!c.ok())
        return c.error();
    c.doing = "deleting expired records";
    for (const Community& cm : all) {
        const int64_t cutoff = now.unixMs - int64_t(cm.retentionDays) * 86'400'000;
        PgTransaction t(c);
        PurgeCounts p;
        p.community = cm.code;
        auto e = c.run("DELETE FROM entries WHERE community = $1 AND at < $2", {cm.code, num(cutoff)});
        // Not seen: their record is older than the period and no entry of theirs is left.
        auto ps = c.run("DELETE FROM persons p WHERE community = $1 AND updated_at < $2 AND coalesce(verified_at, 0) < $2 "
                        "AND NOT EXISTS (SELECT 1 FROM entries e WHERE e.community = p.community AND e.doc_number = p.doc_number)",
                        {cm.code, num(cutoff)});
        auto a = c.run("DELETE FROM staff_actions WHERE community = $1 AND at < $2", {cm.code, num(cutoff)});
        if (c.failed)
            return c.lastError;
        p.entriesDeleted = changed(e);
        p.personsDeleted = changed(ps);
        p.actionsDeleted = changed(a);
        c.run("INSERT INTO office_purges(at, community, entries_deleted, persons_deleted) VALUES($1, $2, $3, $4)",
              {num(now.unixMs), cm.code, num(p.entriesDeleted), num(p.personsDeleted)});
        if (c.failed || !t.commit())
            return c.lastError;
        out.push_back(p);
    }
    return out;
}

Result<CommunityCounts> PostgresOfficeDb::counts(std::string_view community)
{
    Conn c(*pool_);
    if (!c.ok())
        return c.error();
    c.doing = "counting";
    std::string code(community);
    CommunityCounts out;
    out.code = code;
    auto n = c.run("SELECT (SELECT count(*) FROM persons WHERE community = $1), (SELECT count(*) FROM entries WHERE community = $1)", {code});
    auto g = c.run((std::string(kGateColumns) + "WHERE community = $1 ORDER BY name").c_str(), {code});
    if (c.failed)
        return c.lastError;
    out.persons = integer(n, 0, 0);
    out.entries = integer(n, 0, 1);
    for (int i = 0; i < PQntuples(g.get()); ++i)
        out.gates.push_back(gateFromRow(g, i));
    return out;
}

Result<Overview> PostgresOfficeDb::overview(std::string_view community, const Clock& now)
{
    Conn c(*pool_);
    if (!c.ok())
        return c.error();
    c.doing = "counting";
    const std::string code(community);
    const int64_t today = now.dayStartMs(), from = today - int64_t(kOverviewDays - 1) * 86'400'000, to = today + 86'400'000;
    Overview o;
    o.community = code;
    auto g = c.run((std::string(kGateColumns) + "WHERE community = $1").c_str(), {code});
    auto p = c.run("SELECT person_type, count(*), count(*) FILTER (WHERE (record::jsonb->>'home_observation') = 'true') "
                   "FROM persons WHERE community = $1 GROUP BY person_type",
                   {code});
    auto left = c.run("SELECT record FROM persons WHERE community = $1 AND (record::jsonb->>'left_city') = 'true'", {code});
    // From the kept counts (office_entry_counts, office_last_moves: see kMigrations), not the entries.
    // The local days start on quarter hours (kDefaultUtcOffsetMinutes).
    auto e = c.run("SELECT gate, (quarter * 900000 - $2::bigint) / 86400000, sum(entries), "
                   "coalesce(sum(fevers) FILTER (WHERE quarter * 900000 >= $4::bigint), 0) FROM office_entry_counts "
                   "WHERE community = $1 AND quarter >= $2::bigint / 900000 AND quarter < $3::bigint / 900000 GROUP BY 1, 2",
                   {code, num(from), num(to), num(today)});
    auto in = c.run("SELECT person_type, count(*) FROM office_last_moves WHERE community = $1 AND direction = 'in' GROUP BY person_type",
                    {code});
    if (c.failed)
        return c.lastError;
    std::map<std::string, GateOverview> gates;
    for (int i = 0; i < PQntuples(g.get()); ++i) {
        Gate gate = gateFromRow(g, i);
        GateOverview& v = gates[gate.name];
        v.name = gate.name;
        v.enrolled = true;
        v.revokedAt = gate.revokedAt;
        v.lastUploadAt = gate.lastUploadAt;
    }
    for (int i = 0; i < PQntuples(p.get()); ++i) {
        o.personsByType[text(p, i, 0)] = integer(p, i, 1);
        o.persons += integer(p, i, 1);
        o.underObservation += integer(p, i, 2);
    }
    for (int i = 0; i < PQntuples(left.get()); ++i)
        o.returnedRecently += countsAsReturned(text(left, i, 0), now);
    for (int i = 0; i < PQntuples(e.get()); ++i) {
        GateOverview& v = gates[text(e, i, 0)];
        v.name = text(e, i, 0);
        const auto day = size_t(integer(e, i, 1));
        v.entriesByDay[day] += integer(e, i, 2);
        o.entriesByDay[day] += integer(e, i, 2);
        o.feverToday += integer(e, i, 3);
    }
    for (int i = 0; i < PQntuples(in.get()); ++i) {
        o.insideByType[text(in, i, 0)] = integer(in, i, 1);
        o.insideNow += integer(in, i, 1);
    }
    for (auto& [name, v] : gates)
        o.gates.push_back(std::move(v));
    return o;
}

Result<std::vector<ObservedPerson>> PostgresOfficeDb::underObservation(std::string_view community, int limit)
{
    Conn c(*pool_);
    if (!c.ok())
        return c.error();
    c.doing = "listing persons under observation";
    auto r = c.run("SELECT p.record, p.updated_at, p.verified_at, p.verified_by, m.at, m.direction, e.gate FROM persons p "
                   "LEFT JOIN office_last_moves m ON m.community = p.community AND m.doc_number = p.doc_number "
                   "LEFT JOIN entries e ON e.community = m.community AND e.id = m.id "
                   "WHERE p.community = $1 AND (p.record::jsonb->>'home_observation') = 'true' "
                   "ORDER BY p.record::jsonb->>'observation_start' NULLS FIRST, p.doc_number LIMIT $2",
                   {std::string(community), num(limit)});
    if (c.failed)
        return c.lastError;
    std::vector<ObservedPerson> out;
    for (int i = 0; i < PQntuples(r.get()); ++i) {
        ObservedPerson o{recordFromRow(r, i, 0)};
        if (!isNull(r, i, 4)) {
            o.lastMoveAt = integer(r, i, 4);
            o.lastDirection = fromKey<Direction>(text(r, i, 5)).value_or(Direction::In);
            o.lastGate = text(r, i, 6);
        }
        out.push_back(std::move(o));
    }
    return out;
}

namespace {

Account accountFromRow(const PgResult& r, int i) // kAccountColumns
{
    Account a;
    a.name = text(r, i, 0);
    a.role = roleFromKey(text(r, i, 1)).value_or(Role::Viewer);
    a.passwordHash = text(r, i, 2);
    a.createdAt = integer(r, i, 3);
    a.failedSignIns = int(integer(r, i, 4));
    if (!isNull(r, i, 5))
        a.lockedUntil = integer(r, i, 5);
    a.communities = splitCommunities(text(r, i, 6));
    a.disabled = text(r, i, 7) == "t";
    if (!isNull(r, i, 8))
        a.lastSignInAt = integer(r, i, 8);
    return a;
}

constexpr const char* kAccountColumns = "name, role, password_hash, created_at, failed_sign_ins, locked_until, communities, disabled, last_sign_in_at";

} // namespace

Result<Done> PostgresOfficeDb::addAccount(const Account& a)
{
    Conn c(*pool_);
    if (!c.ok())
        return c.error();
    c.doing = "saving the account";
    auto r = c.run("INSERT INTO office_accounts(name, role, password_hash, created_at, communities, disabled) VALUES($1, $2, $3, $4, $5, $6) "
                   "ON CONFLICT(name) DO NOTHING",
                   {a.name, std::string(roleKey(a.role)), a.passwordHash, num(a.createdAt), joinCommunities(a.communities),
                    std::string(a.disabled ? "true" : "false")});
    if (c.failed)
        return c.lastError;
    if (changed(r) == 0)
        return accountExists(a.name);
    return Done{};
}

std::optional<Account> PostgresOfficeDb::account(std::string_view name)
{
    Conn c(*pool_);
    if (!c.ok())
        return std::nullopt;
    auto r = c.run((std::string("SELECT ") + kAccountColumns + " FROM office_accounts WHERE name = $1").c_str(), {std::string(name)});
    if (!r || PQntuples(r.get()) == 0)
        return std::nullopt;
    return accountFromRow(r, 0);
}

Result<std::vector<Account>> PostgresOfficeDb::accounts()
{
    Conn c(*pool_);
    if (!c.ok())
        return c.error();
    c.doing = "listing accounts";
    auto r = c.run((std::string("SELECT ") + kAccountColumns + " FROM office_accounts ORDER BY name").c_str());
    if (c.failed)
        return c.lastError;
    std::vector<Account> out;
    for (int i = 0; i < PQntuples(r.get()); ++i)
        out.push_back(accountFromRow(r, i));
    return out;
}

Result<Done> PostgresOfficeDb::changeAccount(std::string_view name, const AccountChange& change)
{
    Conn c(*pool_);
    if (!c.ok())
        return c.error();
    c.doing = "changing the account";
    PgTransaction t(c);
    // The enabled admins' rows locked first: two changes that would each leave
    // one admin wait for each other, and the second sees the first's result.
    c.run("SELECT name FROM office_accounts WHERE role = 'admin' AND NOT disabled ORDER BY name FOR UPDATE");
    std::optional<std::string> role, disabled, communities;
    if (change.role)
        role = std::string(roleKey(*change.role));
    if (change.disabled)
        disabled = *change.disabled ? "true" : "false";
    if (change.communities)
        communities = joinCommunities(*change.communities);
    auto r = c.run(R"sql(
        UPDATE office_accounts SET
            role = coalesce($2, role), password_hash = coalesce($3, password_hash), disabled = coalesce($4::boolean, disabled),
            failed_sign_ins = CASE WHEN $5::boolean THEN 0 ELSE failed_sign_ins END,
            locked_until = CASE WHEN $5::boolean THEN NULL ELSE locked_until END,
            communities = coalesce($6, communities)
        WHERE name = $1)sql",
                   {std::string(name), role, change.passwordHash, disabled, std::string(change.unlock ? "true" : "false"), communities});
    if (c.failed)
        return c.lastError;
    if (changed(r) == 0)
        return accountNotFound(name);
    auto admins = c.run("SELECT count(*) FROM office_accounts WHERE role = 'admin' AND NOT disabled");
    if (c.failed)
        return c.lastError;
    if (integer(admins, 0, 0) == 0)
        return lastAdmin(); // the transaction rolls back
    if (change.passwordHash || change.disabled.value_or(false))
        c.run("DELETE FROM office_sessions WHERE account = $1", {std::string(name)});
    if (c.failed || !t.commit())
        return c.lastError;
    return Done{};
}

Result<Account> PostgresOfficeDb::noteFailedSignIn(std::string_view name, int64_t now, int lockAfter, int64_t lockMs)
{
    Conn c(*pool_);
    if (!c.ok())
        return c.error();
    c.doing = "counting a failed sign-in";
    // One statement (the row is locked while it runs): SET sees the row as it was, so the count and the lock agree.
    auto r = c.run((std::string(R"sql(
        UPDATE office_accounts SET
            failed_sign_ins = CASE WHEN failed_sign_ins + 1 >= $3 THEN 0 ELSE failed_sign_ins + 1 END,
            locked_until = CASE WHEN failed_sign_ins + 1 >= $3 THEN $2 + $4 ELSE locked_until END
        WHERE name = $1 AND coalesce(locked_until, 0) <= $2
        RETURNING )sql") + kAccountColumns).c_str(),
                   {std::string(name), num(now), num(lockAfter), num(lockMs)});
    if (c.failed)
        return c.lastError;
    if (PQntuples(r.get()) > 0)
        return accountFromRow(r, 0);
    auto a = c.run((std::string("SELECT ") + kAccountColumns + " FROM office_accounts WHERE name = $1").c_str(), {std::string(name)});
    if (c.failed)
        return c.lastError;
    if (PQntuples(a.get()) == 0)
        return Message{"account.not_found", "没有这个账号", "No such account", ""};
    return accountFromRow(a, 0);
}

Result<Done> PostgresOfficeDb::noteSignIn(std::string_view name, int64_t now)
{
    Conn c(*pool_);
    if (!c.ok())
        return c.error();
    c.doing = "saving the account";
    c.run("UPDATE office_accounts SET failed_sign_ins = 0, last_sign_in_at = $2 WHERE name = $1", {std::string(name), num(now)});
    if (c.failed)
        return c.lastError;
    return Done{};
}

Result<Done> PostgresOfficeDb::addSession(std::string_view tokenHash, std::string_view account, int64_t now, int64_t expiresAt)
{
    Conn c(*pool_);
    if (!c.ok())
        return c.error();
    c.doing = "saving the session";
    c.run("DELETE FROM office_sessions WHERE expires_at <= $1", {num(now)});
    c.run("INSERT INTO office_sessions(token_hash, account, created_at, expires_at) VALUES($1, $2, $3, $4)",
          {std::string(tokenHash), std::string(account), num(now), num(expiresAt)});
    if (c.failed)
        return c.lastError;
    return Done{};
}

std::optional<Session> PostgresOfficeDb::session(std::string_view tokenHash, int64_t now)
{
    Conn c(*pool_);
    if (!c.ok())
        return std::nullopt;
    auto r = c.run("SELECT s.account, a.role, s.expires_at, a.communities FROM office_sessions s JOIN office_accounts a ON a.name = s.account "
                   "WHERE s.token_hash = $1 AND s.expires_at > $2 AND NOT a.disabled",
                   {std::string(tokenHash), num(now)});
    if (!r || PQntuples(r.get()) == 0)
        return std::nullopt;
    return Session{text(r, 0, 0), roleFromKey(text(r, 0, 1)).value_or(Role::Viewer), integer(r, 0, 2), splitCommunities(text(r, 0, 3))};
}

Result<Done> PostgresOfficeDb::endSession(std::string_view tokenHash, int64_t now)
{
    Conn c(*pool_);
    if (!c.ok())
        return c.error();
    c.doing = "ending the session";
    c.run("DELETE FROM office_sessions WHERE token_hash = $1 OR expires_at <= $2", {std::string(tokenHash), num(now)});
    if (c.failed)
        return c.lastError;
    return Done{};
}

Result<Done> PostgresOfficeDb::addAudit(const AuditEvent& e)
{
    Conn c(*pool_);
    if (!c.ok())
        return c.error();
    c.doing = "writing the audit log";
    c.run("INSERT INTO office_audit(at, account, action, address, detail) VALUES($1, $2, $3, $4, $5)",
          {num(e.at), e.account, e.action, e.address, e.detail});
    if (c.failed)
        return c.lastError;
    return Done{};
}

Result<std::vector<AuditEvent>> PostgresOfficeDb::audit(int limit)
{
    Conn c(*pool_);
    if (!c.ok())
        return c.error();
    c.doing = "reading the audit log";
    auto r = c.run("SELECT at, account, action, address, detail FROM office_audit ORDER BY at DESC, id DESC LIMIT $1", {num(limit)});
    if (c.failed)
        return c.lastError;
    std::vector<AuditEvent> out;
    for (int i = 0; i < PQntuples(r.get()); ++i)
        out.push_back(AuditEvent{integer(r, i, 0), text(r, i, 1), text(r, i, 2), text(r, i, 3), text(r, i, 4)});
    return out;
}

std::optional<PersonRecord> PostgresOfficeDb::findPerson(std::string_view community, std::string_view docNumber)
{
    Conn c(*pool_);
    if (!c.ok())
        return std::nullopt;
    auto r = c.run("SELECT record, updated_at, verified_at, verified_by FROM persons WHERE community = $1 AND doc_number = $2",
                   {std::string(community), std::string(docNumber)});
    if (!r || PQntuples(r.get()) == 0)
        return std::nullopt;
    return recordFromRow(r, 0, 0);
}

Result<std::vector<PersonRecord>> PostgresOfficeDb::searchPersons(std::string_view community, std::string_view query, int limit)
{
    // The Store's rule (searchTerm), in PostgreSQL's words.
    std::vector<PersonRecord> out;
    auto term = searchTerm(query);
    if (!term)
        return out;
    const bool digits = term->digits;
    const std::string& q = term->text;
    Conn c(*pool_);
    if (!c.ok())
        return c.error();
    c.doing = "searching persons";
    auto r = digits ? c.run("SELECT record, updated_at, verified_at, verified_by FROM persons WHERE community = $1 "
                            "AND (right(phone, length($2)) = $2 OR right(doc_number, length($2)) = upper($2)) "
                            "ORDER BY updated_at DESC LIMIT $3",
                            {std::string(community), q, num(limit)})
                    : c.run("SELECT record, updated_at, verified_at, verified_by FROM persons WHERE community = $1 AND strpos(name, $2) > 0 "
                            "ORDER BY updated_at DESC LIMIT $3",
                            {std::string(community), q, num(limit)});
    if (c.failed)
        return c.lastError;
    for (int i = 0; i < PQntuples(r.get()); ++i)
        out.push_back(recordFromRow(r, i, 0));
    return out;
}

Result<std::vector<PersonRecord>> PostgresOfficeDb::persons(std::string_view community)
{
    Conn c(*pool_);
    if (!c.ok())
        return c.error();
    c.doing = "reading persons";
    auto r = c.run("SELECT record, updated_at, verified_at, verified_by FROM persons WHERE community = $1 ORDER BY doc_number",
                   {std::string(community)});
    if (c.failed)
        return c.lastError;
    std::vector<PersonRecord> out;
    for (int i = 0; i < PQntuples(r.get()); ++i)
        out.push_back(recordFromRow(r, i, 0));
    return out;
}

Result<std::vector<Entry>> PostgresOfficeDb::entries(std::string_view community)
{
    Conn c(*pool_);
    if (!c.ok())
        return c.error();
    c.doing = "reading entries";
    auto r = c.run("SELECT id, doc_number, name, person_type, at, direction, temperature, verdict, reasons, gate, staff FROM entries "
                   "WHERE community = $1 ORDER BY at, id",
                   {std::string(community)});
    if (c.failed)
        return c.lastError;
    std::vector<Entry> out;
    for (int i = 0; i < PQntuples(r.get()); ++i) {
        Entry e;
        e.id = text(r, i, 0);
        e.docNumber = text(r, i, 1);
        e.name = text(r, i, 2);
        e.personType = fromKey<PersonType>(text(r, i, 3)).value_or(PersonType::Other);
        e.atMs = integer(r, i, 4);
        e.direction = fromKey<Direction>(text(r, i, 5)).value_or(Direction::In);
        if (!isNull(r, i, 6))
            e.temperature = std::stod(text(r, i, 6));
        e.verdict = fromKey<Verdict>(text(r, i, 7)).value_or(Verdict::Allow);
        e.reasons = messagesFromJson(json::parse(text(r, i, 8), nullptr, false));
        e.gate = text(r, i, 9);
        e.staff = text(r, i, 10);
        out.push_back(std::move(e));
    }
    return out;
}

Result<std::vector<StaffAction>> PostgresOfficeDb::staffActions(std::string_view community, int limit)
{
    Conn c(*pool_);
    if (!c.ok())
        return c.error();
    c.doing = "reading the gates' staff actions";
    auto r = c.run("SELECT id, at, gate, staff, kind, detail_zh, detail_en FROM staff_actions "
                   "WHERE community = $1 ORDER BY at DESC, seq DESC LIMIT $2",
                   {std::string(community), num(limit)});
    if (c.failed)
        return c.lastError;
    std::vector<StaffAction> out;
    for (int i = 0; i < PQntuples(r.get()); ++i)
        out.push_back(StaffAction{text(r, i, 0), integer(r, i, 1), text(r, i, 2), text(r, i, 3),
                                  fromKey<StaffActionKind>(text(r, i, 4)).value_or(StaffActionKind::Settings),
                                  Words{text(r, i, 5), text(r, i, 6)}});
    return out;
}

} // namespace gatepass::office
