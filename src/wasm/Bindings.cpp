// The C functions the core worker calls (web/shared/core-worker.js).
//
// Strings in and out are UTF-8; every returned string is malloc'd and the
// caller frees it. Replies are JSON objects with "ok" like the core's own.
//
//   gp_init()                     registers the OPFS VFS; SQLite result code
//   gp_check(path, vfs)           integrity of the file before the Store touches it:
//                                 {"ok":true,"integrity":"ok"} | {"ok":false,"corrupt":true|false,"rc":N,"detail":"..."}
//   gp_open(path, vfs)            opens the Store on it (creates, migrates):
//                                 {"ok":true,"schema_version":N} | {"ok":false,"error":{code,zh,en}}
//   gp_call(request)              one Api request → its reply (see src/core/Api.h)
//   gp_pad(path, vfs, bytes)      benchmark only: grows the file to about `bytes` with a padding table
#include "OpfsVfs.h"

#include "../core/Api.h"

#include <emscripten.h>
#include <sqlite3.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <optional>
#include <string>

namespace {

std::optional<gatepass::Api> api;

char* copyOut(const std::string& s)
{
    char* out = static_cast<char*>(std::malloc(s.size() + 1));
    if (out) std::memcpy(out, s.c_str(), s.size() + 1);
    return out;
}

std::string quoted(const std::string& s)
{
    std::string out = "\"";
    for (unsigned char c : s) {
        if (c == '"' || c == '\\') {
            out += '\\';
            out += char(c);
        } else if (c < 0x20) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\u%04x", c);
            out += buf;
        } else {
            out += char(c);
        }
    }
    return out + "\"";
}

const char* vfsOrDefault(const char* vfs) { return vfs && *vfs ? vfs : nullptr; }

} // namespace

extern "C" {

EMSCRIPTEN_KEEPALIVE int gp_init() { return gatepass::wasm::registerOpfsVfs(); }

EMSCRIPTEN_KEEPALIVE char* gp_check(const char* path, const char* vfs)
{
    sqlite3* db = nullptr;
    // Read-write: a hot journal left by a crash must be rolled back before the check.
    int rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, vfsOrDefault(vfs));
    std::string problems;
    if (rc == SQLITE_OK) {
        sqlite3_extended_result_codes(db, 1);
        sqlite3_stmt* stmt = nullptr;
        rc = sqlite3_prepare_v2(db, "PRAGMA integrity_check(20)", -1, &stmt, nullptr);
        while (rc == SQLITE_OK && sqlite3_step(stmt) == SQLITE_ROW) {
            if (!problems.empty()) problems += "\n";
            problems += reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
        }
        if (stmt) rc = sqlite3_finalize(stmt);
    }
    std::string detail = db ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close_v2(db);
    if (rc == SQLITE_OK && problems == "ok") return copyOut(R"({"ok":true,"integrity":"ok"})");
    int primary = rc & 0xFF;
    bool corrupt = rc == SQLITE_OK || primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB;
    return copyOut(std::string(R"({"ok":false,"corrupt":)") + (corrupt ? "true" : "false") + R"(,"rc":)"
                   + std::to_string(rc) + R"(,"detail":)" + quoted(rc == SQLITE_OK ? problems : detail) + "}");
}

EMSCRIPTEN_KEEPALIVE char* gp_open(const char* path, const char* vfs)
{
    api.reset();
    auto store = gatepass::Store::open(path, vfsOrDefault(vfs));
    if (!store) {
        const auto& e = store.error();
        return copyOut(R"({"ok":false,"error":{"code":)" + quoted(e.code) + R"(,"zh":)" + quoted(e.zh) + R"(,"en":)"
                       + quoted(e.en) + "}}");
    }
    int version = store->schemaVersion();
    api.emplace(std::move(store).value());
    return copyOut(R"({"ok":true,"schema_version":)" + std::to_string(version) + "}");
}

EMSCRIPTEN_KEEPALIVE char* gp_call(const char* request)
{
    if (!api)
        return copyOut(R"({"ok":false,"error":{"code":"core.closed","zh":"数据库未打开","en":"The database is not open"}})");
    return copyOut(api->call(request));
}

EMSCRIPTEN_KEEPALIVE char* gp_pad(const char* path, const char* vfs, double bytes)
{
    sqlite3* db = nullptr;
    int rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, vfsOrDefault(vfs));
    if (rc == SQLITE_OK) {
        // 64 KiB random blobs: incompressible, and each row fills whole overflow pages.
        char sql[256];
        std::snprintf(sql, sizeof sql,
                      "CREATE TABLE IF NOT EXISTS bench_padding(b BLOB);"
                      "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %d)"
                      " INSERT INTO bench_padding SELECT randomblob(65536) FROM n;",
                      int(bytes / 65536));
        rc = sqlite3_exec(db, sql, nullptr, nullptr, nullptr);
    }
    std::string detail = db ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close_v2(db);
    return copyOut(rc == SQLITE_OK ? R"({"ok":true})" : R"({"ok":false,"detail":)" + quoted(detail) + "}");
}

} // extern "C"
