#include "Sqlite.h"

#include "AtRestVfs.h"

namespace gatepass {

Statement::Statement(sqlite3* db, std::string_view sql)
{
    sqlite3_stmt* s = nullptr;
    rc_ = sqlite3_prepare_v2(db, sql.data(), int(sql.size()), &s, nullptr);
    stmt_.reset(s);
}

Statement& Statement::bind(int i, std::string_view text)
{
    if (stmt_)
        sqlite3_bind_text(stmt_.get(), i, text.data(), int(text.size()), SQLITE_TRANSIENT);
    return *this;
}

Statement& Statement::bind(int i, int64_t value)
{
    if (stmt_)
        sqlite3_bind_int64(stmt_.get(), i, value);
    return *this;
}

Statement& Statement::bind(int i, double value)
{
    if (stmt_)
        sqlite3_bind_double(stmt_.get(), i, value);
    return *this;
}

Statement& Statement::bind(int i, std::nullopt_t)
{
    if (stmt_)
        sqlite3_bind_null(stmt_.get(), i);
    return *this;
}

bool Statement::step()
{
    if (!stmt_)
        return false;
    rc_ = sqlite3_step(stmt_.get());
    return rc_ == SQLITE_ROW;
}

Statement& Statement::reset()
{
    if (stmt_)
        sqlite3_reset(stmt_.get());
    rc_ = SQLITE_OK;
    return *this;
}

std::string Statement::text(int col) const
{
    auto p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_.get(), col));
    return p ? std::string(p, size_t(sqlite3_column_bytes(stmt_.get(), col))) : std::string();
}

int64_t Statement::integer(int col) const { return sqlite3_column_int64(stmt_.get(), col); }
double Statement::real(int col) const { return sqlite3_column_double(stmt_.get(), col); }
bool Statement::isNull(int col) const { return sqlite3_column_type(stmt_.get(), col) == SQLITE_NULL; }

Result<Database> Database::open(const std::string& path, const char* vfs)
{
    sqlite3* raw = nullptr;
    int rc = sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, vfs);
    Database db;
    db.db_.reset(raw);
    if (rc != SQLITE_OK)
        return storageError(db, "open");
    sqlite3_extended_result_codes(raw, 1);
    sqlite3_busy_timeout(raw, 2000);
    return db;
}

Result<Done> Database::exec(const std::string& sql) const
{
    if (sqlite3_exec(db_.get(), sql.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK)
        return storageError(*this, sql.substr(0, 40));
    return Done{};
}

Message Database::lastError(std::string_view doing) const
{
    std::string detail = db_ ? sqlite3_errmsg(db_.get()) : "out of memory";
    return Message{"storage.error", "数据保存失败（" + detail + "）", "Storage failed while " + std::string(doing) + ": " + detail, ""};
}

// Nested use (a Store call inside a batch merge) becomes a savepoint, so the
// outer transaction stays the unit that commits or rolls back.
Transaction::Transaction(const Database& db) : db_(db)
{
    nested_ = sqlite3_get_autocommit(db_.handle()) == 0;
    auto begun = db_.exec(nested_ ? "SAVEPOINT nested" : "BEGIN IMMEDIATE");
    begun_ = begun.ok();
    if (!begun_)
        beginError_ = begun.error();
}

Transaction::~Transaction()
{
    if (begun_ && !done_)
        (void)db_.exec(nested_ ? "ROLLBACK TO nested; RELEASE nested" : "ROLLBACK");
}

Result<Done> Transaction::commit()
{
    if (!begun_)
        return beginError_;
    auto r = db_.exec(nested_ ? "RELEASE nested" : "COMMIT");
    if (r)
        done_ = true;
    return r;
}

Message storageError(const Database& db, std::string_view doing)
{
    int rc = db.handle() ? sqlite3_extended_errcode(db.handle()) & 0xFF : SQLITE_NOMEM;
    std::string detail = db.handle() ? sqlite3_errmsg(db.handle()) : "out of memory";
    // A sealed page that did not open (AtRestVfs): not a disk error, and not to be retried.
    if (db.handle() && sqlite3_extended_errcode(db.handle()) == SQLITE_IOERR_AUTH)
        return tamperedMessage();
    switch (rc) {
    case SQLITE_FULL:
        return {"storage.full", "存储空间已满，数据未保存。请导出批次或清理浏览器空间后重试",
                "Storage is full; nothing was saved. Export a batch or free space, then try again", ""};
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return {"storage.busy", "数据库正被另一个窗口使用，数据未保存", "The database is in use by another window; nothing was saved", ""};
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
        return {"storage.corrupt", "数据库文件已损坏", "The database file is damaged", ""};
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
    case SQLITE_READONLY:
        return {"storage.io", "无法写入存储（" + detail + "），数据未保存", "Cannot write to storage (" + detail + "); nothing was saved", ""};
    default:
        return db.lastError(doing);
    }
}

} // namespace gatepass
