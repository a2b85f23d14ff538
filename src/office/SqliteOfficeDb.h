// The office database in one SQLite file (a community office: nothing to
// install). The file is a core Store — same schema, same migrations — plus
// office_* tables, so the merge is the core's own importBatch, byte for byte
// the rules the CLI's `batch import` uses. The Store holds one community, so
// this backend does too. SQLite is built without its own mutexes
// (SQLITE_THREADSAFE=0): one connection, every call under one lock.
#pragma once

#include "OfficeDb.h"
#include "Store.h"

#include <mutex>

namespace gatepass::office {

class SqliteOfficeDb final : public OfficeDb {
public:
    static Result<std::unique_ptr<OfficeDb>> open(const std::string& path);

    std::string_view kind() const override { return "sqlite"; }
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
    explicit SqliteOfficeDb(Store store) : store_(std::move(store)) {}
    std::vector<Community> communitiesLocked() const;

    std::mutex mutex_;
    Store store_;
};

} // namespace gatepass::office
