// A fresh, empty gate store for each fuzz input, without building the schema
// each time: the schema's migrations, run once per input, were most of a
// store-backed target's time (batch ~47 runs/s, api ~72 runs/s under ASan).
//
// The first call builds a template store (":memory:", every migration); each
// later Store::open(":memory:") is given a copy of it by SQLite's online
// backup API, from an auto-extension that runs inside sqlite3_open, so the
// Store finds its schema current and migrates nothing. Each input still gets
// a database of its own, exactly as a new one: nothing one input writes is
// seen by the next. (The amalgamation is built with SQLITE_OMIT_DESERIALIZE,
// so sqlite3_deserialize is not there; the backup API is.)
//
// GATEPASS_FUZZ_FRESH_SCHEMA=1 in the environment builds the schema for every
// input as before: for measuring the two side by side.
#pragma once

#include "gatepass.h"

#include <sqlite3.h>

#include <cstdlib>

namespace gatepass::fuzz {

namespace detail {

inline sqlite3* templateDb = nullptr; // the template's connection, kept open for the process
inline bool capturing = false;        // the next connection opened is the template's

inline int copyTemplate(sqlite3* db, const char**, const void*)
{
    if (capturing) {
        templateDb = db;
        capturing = false;
        return SQLITE_OK;
    }
    if (!templateDb)
        return SQLITE_OK;
    sqlite3_backup* b = sqlite3_backup_init(db, "main", templateDb, "main");
    if (!b || sqlite3_backup_step(b, -1) != SQLITE_DONE || sqlite3_backup_finish(b) != SQLITE_OK)
        std::abort();
    return SQLITE_OK;
}

} // namespace detail

inline Store freshStore()
{
    static const bool useTemplate = [] {
        const char* fresh = std::getenv("GATEPASS_FUZZ_FRESH_SCHEMA");
        if (fresh && *fresh == '1')
            return false;
        detail::capturing = true;
        if (sqlite3_auto_extension(reinterpret_cast<void (*)()>(&detail::copyTemplate)) != SQLITE_OK)
            std::abort();
        static auto keep = Store::open(":memory:"); // the template: migrated once, never written again
        if (!keep || !detail::templateDb)
            std::abort();
        return true;
    }();
    (void)useTemplate;
    auto store = Store::open(":memory:");
    if (!store)
        std::abort();
    return std::move(*store);
}

} // namespace gatepass::fuzz
