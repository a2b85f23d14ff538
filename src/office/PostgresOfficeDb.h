// The office database on PostgreSQL (a sub-district: many communities, a
// server and a replica). The tables are the Store's with a community column,
// plus the office_* tables; the core's merge rules are applied by
// the core's mergePerson (persons) and INSERT … ON CONFLICT DO NOTHING (entries, by id).
// Merges of one community are serialised by a transaction-level advisory
// lock, so the replay check and the person merge see a settled state;
// different communities merge in parallel. libpq, a small connection pool
// (one connection per concurrent request, up to `poolSize`).
#pragma once

#include "OfficeDb.h"

namespace gatepass::office {

struct PgPool;

class PostgresOfficeDb final : public OfficeDb {
public:
    static Result<std::unique_ptr<OfficeDb>> open(const std::string& uri, int poolSize = 8);
    ~PostgresOfficeDb() override;

    std::string_view kind() const override { return "postgresql"; }
    Result<Done> addCommunity(const Community& community) override;
    std::optional<Community> community(std::string_view code) override;
    std::vector<Community> communities() override;
    Result<Done> setRetentionDays(std::string_view community, int days) override;
    Result<Done> enrollGate(const Gate& gate, std::string_view tokenHash) override;
    Result<Done> revokeGate(std::string_view community, std::string_view gate, int64_t now) override;
    std::optional<Gate> gateByTokenHash(std::string_view tokenHash) override;
    std::optional<Gate> gate(std::string_view community, std::string_view name) override;
    Result<ImportReport> merge(const ParsedBatch& batch, std::string_view text, const Clock& now) override;
    Result<GateFeed> feed(std::string_view community) override;
    Result<Done> addWatch(std::string_view community, const WatchEntry& entry) override;
    Result<bool> removeWatch(std::string_view community, std::string_view docNumber) override;
    Result<Done> addRoster(std::string_view community, const std::vector<PersonRecord>& rows, int64_t now) override;
    Result<Done> addRevocation(std::string_view community, const Revocation& revocation) override;
    Result<std::vector<PurgeCounts>> purge(const Clock& now) override;
    Result<CommunityCounts> counts(std::string_view community) override;
    std::optional<PersonRecord> findPerson(std::string_view community, std::string_view docNumber) override;
    Result<std::vector<PersonRecord>> searchPersons(std::string_view community, std::string_view query, int limit) override;
    Result<std::vector<PersonRecord>> persons(std::string_view community) override;
    Result<std::vector<Entry>> entries(std::string_view community) override;
    Result<std::vector<StaffAction>> staffActions(std::string_view community, int limit) override;
    Result<Overview> overview(std::string_view community, const Clock& now) override;
    Result<std::vector<ObservedPerson>> underObservation(std::string_view community, int limit) override;
    Result<Done> addAccount(const Account& account) override;
    std::optional<Account> account(std::string_view name) override;
    Result<std::vector<Account>> accounts() override;
    Result<Done> changeAccount(std::string_view name, const AccountChange& change) override;
    Result<Account> noteFailedSignIn(std::string_view name, int64_t now, int lockAfter, int64_t lockMs) override;
    Result<Done> noteSignIn(std::string_view name, int64_t now) override;
    Result<Done> addSession(std::string_view tokenHash, std::string_view account, int64_t now, int64_t expiresAt) override;
    std::optional<Session> session(std::string_view tokenHash, int64_t now) override;
    Result<Done> endSession(std::string_view tokenHash, int64_t now) override;
    Result<Done> addAudit(const AuditEvent& event) override;
    Result<std::vector<AuditEvent>> audit(int limit) override;

private:
    explicit PostgresOfficeDb(std::unique_ptr<PgPool> pool);
    std::unique_ptr<PgPool> pool_;
};

} // namespace gatepass::office
