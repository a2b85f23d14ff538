// A thin RAII layer over the SQLite C API: a connection, prepared statements
// and a transaction guard. Errors become Messages carrying SQLite's own text
// in English (it is for logs and support, not for a resident).
#pragma once

#include "Message.h"

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace gatepass {

class Statement {
public:
    Statement(sqlite3* db, std::string_view sql);
    bool ok() const { return stmt_ != nullptr; }

    Statement& bind(int index, std::string_view text);
    Statement& bind(int index, int64_t value);
    Statement& bind(int index, int value) { return bind(index, int64_t(value)); }
    Statement& bind(int index, double value);
    Statement& bind(int index, std::nullopt_t);
    template <typename T>
    Statement& bind(int index, const std::optional<T>& value)
    {
        return value ? bind(index, *value) : bind(index, std::nullopt);
    }

    /// SQLITE_ROW → true; SQLITE_DONE → false; an error is kept in rc().
    bool step();
    int rc() const { return rc_; }
    /// Makes the statement ready to bind and step again, so a loop prepares
    /// once. Bindings are kept until rebound.
    Statement& reset();

    std::string text(int col) const;
    int64_t integer(int col) const;
    double real(int col) const;
    bool isNull(int col) const;

private:
    struct Finalizer {
        void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
    };
    std::unique_ptr<sqlite3_stmt, Finalizer> stmt_;
    int rc_ = SQLITE_OK;
};

class Database {
public:
    /// Opens (creating if needed) with the named VFS, or the default one.
    static Result<Database> open(const std::string& path, const char* vfs);
    /// Takes a connection opened elsewhere (closed with the Database).
    static Database adopt(sqlite3* db)
    {
        Database d;
        d.db_.reset(db);
        if (db)
            sqlite3_extended_result_codes(db, 1);
        return d;
    }

    sqlite3* handle() const { return db_.get(); }
    Statement prepare(std::string_view sql) const { return Statement(db_.get(), sql); }
    /// Runs one or more statements without results.
    Result<Done> exec(const std::string& sql) const;
    Message lastError(std::string_view doing) const;

private:
    struct Closer {
        void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
    };
    std::unique_ptr<sqlite3, Closer> db_;
};

/// BEGIN IMMEDIATE on construction (a savepoint when already inside one);
/// ROLLBACK on destruction unless commit() succeeded. Immediate so a second
/// writer fails at the start, not halfway.
class Transaction {
public:
    explicit Transaction(const Database& db);
    ~Transaction();
    bool begun() const { return begun_; }
    /// Why it did not begin (busy, full, ...), when it did not.
    const Message& beginError() const { return beginError_; }
    Result<Done> commit();

private:
    const Database& db_;
    Message beginError_;
    bool nested_ = false;
    bool begun_ = false;
    bool done_ = false;
};

/// "Storage is full / not writable / damaged" in words a gate worker can act on.
Message storageError(const Database& db, std::string_view doing);

} // namespace gatepass
