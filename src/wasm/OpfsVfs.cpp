#include "OpfsVfs.h"

#include <emscripten.h>
#include <sqlite3.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <map>
#include <string>
#include <vector>

// ---- the JS side: Module.gpOpfs = { ids: Map(name → id), handles: [FileSystemSyncAccessHandle], fail(op, name, err) }
// Every function returns a negative number on failure: -2 for a quota error, -1 otherwise.

EM_JS(int, gp_opfs_lookup, (const char* name), {
    const o = Module.gpOpfs;
    if (!o) return -1;
    const id = o.ids.get(UTF8ToString(name));
    return id === undefined ? -1 : id;
});

EM_JS(double, gp_opfs_read, (int id, uint8_t* buf, int n, double at), {
    const o = Module.gpOpfs;
    try {
        return o.handles[id].read(HEAPU8.subarray(buf, buf + n), { at: at });
    } catch (e) {
        return o.fail('read', id, e);
    }
});

EM_JS(double, gp_opfs_write, (int id, const uint8_t* buf, int n, double at), {
    const o = Module.gpOpfs;
    try {
        return o.handles[id].write(HEAPU8.subarray(buf, buf + n), { at: at });
    } catch (e) {
        return o.fail('write', id, e);
    }
});

EM_JS(int, gp_opfs_truncate, (int id, double size), {
    const o = Module.gpOpfs;
    try {
        o.handles[id].truncate(size);
        return 0;
    } catch (e) {
        return o.fail('truncate', id, e);
    }
});

EM_JS(int, gp_opfs_flush, (int id), {
    const o = Module.gpOpfs;
    try {
        o.handles[id].flush();
        return 0;
    } catch (e) {
        return o.fail('flush', id, e);
    }
});

EM_JS(double, gp_opfs_size, (int id), {
    const o = Module.gpOpfs;
    try {
        return o.handles[id].getSize();
    } catch (e) {
        return o.fail('getSize', id, e);
    }
});

namespace gatepass::wasm {
namespace {

// In-process lock state of one file, shared by every connection that opens it.
struct LockTable {
    int shared = 0;            // connections holding at least SHARED
    const void* reserved = nullptr;
    const void* pending = nullptr;
    const void* exclusive = nullptr;
};

std::map<std::string, LockTable>& lockTables()
{
    static std::map<std::string, LockTable> tables;
    return tables;
}

struct FileImpl {
    std::string name;
    int id = -1;                    // OPFS handle id, or -1 for a memory file
    std::vector<uint8_t> memory;    // contents of a memory file
    int lock = SQLITE_LOCK_NONE;
};

struct File {
    sqlite3_file base;
    FileImpl* impl;
};

FileImpl& implOf(sqlite3_file* f) { return *reinterpret_cast<File*>(f)->impl; }

int errorCode(double rc, int ioerr) { return rc == -2 ? SQLITE_FULL : ioerr; }

int xClose(sqlite3_file* f)
{
    File* file = reinterpret_cast<File*>(f);
    if (file->impl) {
        // Closing a connection drops its locks; the OPFS handle stays open for the next connection.
        if (file->impl->id >= 0) {
            LockTable& t = lockTables()[file->impl->name];
            if (file->impl->lock >= SQLITE_LOCK_SHARED) --t.shared;
            if (t.reserved == file->impl) t.reserved = nullptr;
            if (t.pending == file->impl) t.pending = nullptr;
            if (t.exclusive == file->impl) t.exclusive = nullptr;
        }
        delete file->impl;
        file->impl = nullptr;
    }
    return SQLITE_OK;
}

int xRead(sqlite3_file* f, void* buf, int n, sqlite3_int64 at)
{
    FileImpl& file = implOf(f);
    auto* out = static_cast<uint8_t*>(buf);
    int got = 0;
    if (file.id < 0) {
        if (at < static_cast<sqlite3_int64>(file.memory.size())) {
            got = static_cast<int>(std::min<sqlite3_int64>(n, file.memory.size() - at));
            std::memcpy(out, file.memory.data() + at, got);
        }
    } else {
        double rc = gp_opfs_read(file.id, out, n, static_cast<double>(at));
        if (rc < 0) return SQLITE_IOERR_READ;
        got = static_cast<int>(rc);
    }
    if (got < n) {
        // SQLite requires the rest of the buffer zeroed on a short read.
        std::memset(out + got, 0, n - got);
        return SQLITE_IOERR_SHORT_READ;
    }
    return SQLITE_OK;
}

int xWrite(sqlite3_file* f, const void* buf, int n, sqlite3_int64 at)
{
    FileImpl& file = implOf(f);
    auto* in = static_cast<const uint8_t*>(buf);
    if (file.id < 0) {
        if (file.memory.size() < static_cast<size_t>(at + n)) file.memory.resize(at + n);
        std::memcpy(file.memory.data() + at, in, n);
        return SQLITE_OK;
    }
    double rc = gp_opfs_write(file.id, in, n, static_cast<double>(at));
    if (rc < 0) return errorCode(rc, SQLITE_IOERR_WRITE);
    // A short write means the disk is full (the handle wrote what fit).
    if (rc < n) return SQLITE_FULL;
    return SQLITE_OK;
}

int xTruncate(sqlite3_file* f, sqlite3_int64 size)
{
    FileImpl& file = implOf(f);
    if (file.id < 0) {
        if (file.memory.size() > static_cast<size_t>(size)) file.memory.resize(size);
        return SQLITE_OK;
    }
    int rc = gp_opfs_truncate(file.id, static_cast<double>(size));
    return rc < 0 ? errorCode(rc, SQLITE_IOERR_TRUNCATE) : SQLITE_OK;
}

int xSync(sqlite3_file* f, int)
{
    FileImpl& file = implOf(f);
    if (file.id < 0) return SQLITE_OK;
    return gp_opfs_flush(file.id) < 0 ? SQLITE_IOERR_FSYNC : SQLITE_OK;
}

int xFileSize(sqlite3_file* f, sqlite3_int64* size)
{
    FileImpl& file = implOf(f);
    if (file.id < 0) {
        *size = static_cast<sqlite3_int64>(file.memory.size());
        return SQLITE_OK;
    }
    double rc = gp_opfs_size(file.id);
    if (rc < 0) return SQLITE_IOERR_FSTAT;
    *size = static_cast<sqlite3_int64>(rc);
    return SQLITE_OK;
}

int xLock(sqlite3_file* f, int level)
{
    FileImpl& file = implOf(f);
    if (file.id < 0 || file.lock >= level) {
        file.lock = std::max(file.lock, level);
        return SQLITE_OK;
    }
    LockTable& t = lockTables()[file.name];
    const void* me = &file;
    auto heldByOther = [me](const void* owner) { return owner != nullptr && owner != me; };
    switch (level) {
    case SQLITE_LOCK_SHARED:
        if (heldByOther(t.pending) || heldByOther(t.exclusive)) return SQLITE_BUSY;
        ++t.shared;
        break;
    case SQLITE_LOCK_RESERVED:
        if (heldByOther(t.reserved) || heldByOther(t.exclusive)) return SQLITE_BUSY;
        t.reserved = me;
        break;
    case SQLITE_LOCK_EXCLUSIVE:
        if (heldByOther(t.pending) || heldByOther(t.exclusive)) return SQLITE_BUSY;
        t.pending = me;
        // Wait (by returning BUSY) until the readers other than us are gone.
        if (t.shared > 1) return SQLITE_BUSY;
        t.exclusive = me;
        break;
    default: return SQLITE_BUSY; // PENDING is never requested directly
    }
    file.lock = level;
    return SQLITE_OK;
}

int xUnlock(sqlite3_file* f, int level)
{
    FileImpl& file = implOf(f);
    if (file.lock <= level) return SQLITE_OK;
    if (file.id >= 0) {
        LockTable& t = lockTables()[file.name];
        const void* me = &file;
        if (t.exclusive == me) t.exclusive = nullptr;
        if (t.pending == me) t.pending = nullptr;
        if (t.reserved == me) t.reserved = nullptr;
        if (level == SQLITE_LOCK_NONE && file.lock >= SQLITE_LOCK_SHARED) --t.shared;
    }
    file.lock = level;
    return SQLITE_OK;
}

int xCheckReservedLock(sqlite3_file* f, int* out)
{
    FileImpl& file = implOf(f);
    if (file.id < 0) {
        *out = 0;
        return SQLITE_OK;
    }
    LockTable& t = lockTables()[file.name];
    *out = (t.reserved != nullptr && t.reserved != &file) || (t.exclusive != nullptr && t.exclusive != &file);
    return SQLITE_OK;
}

int xFileControl(sqlite3_file*, int, void*) { return SQLITE_NOTFOUND; }
int xSectorSize(sqlite3_file*) { return 4096; }
int xDeviceCharacteristics(sqlite3_file*) { return SQLITE_IOCAP_UNDELETABLE_WHEN_OPEN; }

const sqlite3_io_methods kIoMethods = {
    1, // iVersion: no shared memory, so no WAL
    xClose, xRead, xWrite, xTruncate, xSync, xFileSize, xLock, xUnlock, xCheckReservedLock,
    xFileControl, xSectorSize, xDeviceCharacteristics,
    nullptr, nullptr, nullptr, nullptr, nullptr, nullptr,
};

sqlite3_vfs* defaultVfs() { return sqlite3_vfs_find(nullptr); }

// Files SQLite needs only while this connection lives; they may be kept in memory.
constexpr int kTransientFiles = SQLITE_OPEN_TEMP_DB | SQLITE_OPEN_TEMP_JOURNAL | SQLITE_OPEN_SUBJOURNAL
                              | SQLITE_OPEN_TRANSIENT_DB | SQLITE_OPEN_DELETEONCLOSE;

int xOpen(sqlite3_vfs*, sqlite3_filename name, sqlite3_file* f, int flags, int* outFlags)
{
    File* file = reinterpret_cast<File*>(f);
    file->base.pMethods = nullptr;
    file->impl = nullptr;
    int id = name ? gp_opfs_lookup(name) : -1;
    if (id < 0 && !(flags & kTransientFiles) && name) {
        // A persistent file the worker opened no handle for (e.g. a WAL or super-journal): refuse.
        return SQLITE_CANTOPEN;
    }
    file->impl = new FileImpl{name ? name : "", id, {}, SQLITE_LOCK_NONE};
    file->base.pMethods = &kIoMethods;
    if (outFlags) *outFlags = flags;
    return SQLITE_OK;
}

int xDelete(sqlite3_vfs*, const char* name, int)
{
    int id = gp_opfs_lookup(name);
    if (id < 0) return SQLITE_OK;
    // The handle cannot be removed while open: an empty file is an absent file.
    if (gp_opfs_truncate(id, 0) < 0) return SQLITE_IOERR_DELETE;
    return gp_opfs_flush(id) < 0 ? SQLITE_IOERR_DELETE : SQLITE_OK;
}

int xAccess(sqlite3_vfs*, const char* name, int, int* out)
{
    int id = gp_opfs_lookup(name);
    *out = id >= 0 && gp_opfs_size(id) > 0;
    return SQLITE_OK;
}

int xFullPathname(sqlite3_vfs*, const char* name, int n, char* out)
{
    sqlite3_snprintf(n, out, "%s", name);
    return SQLITE_OK;
}

int xRandomness(sqlite3_vfs*, int n, char* out) { return defaultVfs()->xRandomness(defaultVfs(), n, out); }
int xSleep(sqlite3_vfs*, int us) { return defaultVfs()->xSleep(defaultVfs(), us); }
int xCurrentTime(sqlite3_vfs*, double* t) { return defaultVfs()->xCurrentTime(defaultVfs(), t); }
int xGetLastError(sqlite3_vfs*, int, char*) { return 0; }
int xCurrentTimeInt64(sqlite3_vfs*, sqlite3_int64* t) { return defaultVfs()->xCurrentTimeInt64(defaultVfs(), t); }

} // namespace

int registerOpfsVfs()
{
    if (sqlite3_vfs_find(kOpfsVfsName)) return SQLITE_OK;
    int rc = sqlite3_initialize();
    if (rc != SQLITE_OK) return rc;
    static sqlite3_vfs vfs = {
        2, // iVersion: has xCurrentTimeInt64
        sizeof(File),
        1024, // mxPathname
        nullptr,
        kOpfsVfsName,
        nullptr,
        xOpen, xDelete, xAccess, xFullPathname,
        nullptr, nullptr, nullptr, nullptr, // no loadable extensions
        xRandomness, xSleep, xCurrentTime, xGetLastError, xCurrentTimeInt64,
        nullptr, nullptr, nullptr,
    };
    return sqlite3_vfs_register(&vfs, 0);
}

} // namespace gatepass::wasm
