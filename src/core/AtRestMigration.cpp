#include "AtRestMigration.h"

#include "Store.h"

#include <sqlite3.h>

namespace gatepass {

namespace {

bool exists(const char* vfsName, const std::string& path)
{
    sqlite3_vfs* v = sqlite3_vfs_find(vfsName);
    int out = 0;
    // A zero-length file counts as absent, here and in the OPFS VFS.
    return v && v->xAccess(v, path.c_str(), SQLITE_ACCESS_EXISTS, &out) == SQLITE_OK && out;
}

Result<Done> remove(const char* vfsName, const std::string& path)
{
    sqlite3_vfs* v = sqlite3_vfs_find(vfsName);
    for (const std::string& p : {path, path + "-journal"}) {
        if (!v || !exists(vfsName, p))
            continue;
        int rc = v->xDelete(v, p.c_str(), 1);
        if (rc != SQLITE_OK && rc != SQLITE_IOERR_DELETE_NOENT)
            return Message{"storage.io", "无法删除旧的数据库文件", "Cannot delete the old database file", ""};
    }
    return Done{};
}

Message interrupted() { return Message{"storage.interrupted", "迁移被中断", "The migration was interrupted", ""}; }

// The sealed copy holds exactly the plain file's rows, and is whole.
Result<int64_t> verify(const std::string& plainPath, const char* plainVfs, const std::string& sealedPath, const AtRestVfs& vfs)
{
    auto plain = Database::open(plainPath, plainVfs);
    if (!plain)
        return plain.error();
    auto want = Store::rowCounts(*plain);
    auto sealed = Store::openSealed(sealedPath, vfs);
    if (!sealed)
        return sealed.error();
    // openSealed migrated the copy's schema forward; that adds no rows.
    if (sealed->integrityCheck() != "ok" || Store::rowCounts(sealed->connection()) != want)
        return Message{"storage.migration", "加密副本与原数据库不符，原数据库保留未动。请刷新页面重试。",
                       "The encrypted copy does not match the database; the database was kept as it was. Reload and try again.", ""};
    int64_t rows = 0;
    for (const auto& [table, n] : want)
        rows += n;
    return rows;
}

} // namespace

Result<MigrationReport> migrateToSealed(const std::string& plainPath, const char* plainVfs, const std::string& sealedPath,
                                        const AtRestVfs& vfs, const std::function<bool(MigrationStep)>& proceed)
{
    MigrationReport report;
    if (!exists(plainVfs, plainPath))
        return report;
    // A copy left by an earlier attempt is kept only if it verifies.
    auto rows = exists(vfs.name(), sealedPath) ? verify(plainPath, plainVfs, sealedPath, vfs) : Result<int64_t>(interrupted());
    if (!rows) {
        if (auto r = remove(vfs.name(), sealedPath); !r)
            return r.error();
        if (auto c = Store::copySealed(plainPath, plainVfs, sealedPath, vfs); !c)
            return c.error();
        if (proceed && !proceed(MigrationStep::Copied))
            return interrupted();
        rows = verify(plainPath, plainVfs, sealedPath, vfs);
        if (!rows) {
            (void)remove(vfs.name(), sealedPath);
            return rows.error();
        }
    }
    if (proceed && !proceed(MigrationStep::Verified))
        return interrupted();
    if (auto r = remove(plainVfs, plainPath); !r)
        return r.error();
    report.migrated = true;
    report.rows = *rows;
    return report;
}

} // namespace gatepass
