#include "AtRestVfs.h"

#include <sqlite3.h>

#include <algorithm>
#include <cstring>
#include <vector>

namespace gatepass {

struct AtRestVfs::State {
    sqlite3_vfs vfs{};
    sqlite3_vfs* under = nullptr;
    std::string name;
    PageAead aead;
    DataKey key{};
    Counters counters;
};

namespace {

constexpr int P = kAtRestPageSize;
constexpr int kBody = P - kAtRestReserveBytes; // the sealed part of a page

// Files SQLite needs only while the connection lives: kept in memory here.
constexpr int kTransientFiles = SQLITE_OPEN_TEMP_DB | SQLITE_OPEN_TEMP_JOURNAL | SQLITE_OPEN_SUBJOURNAL
                              | SQLITE_OPEN_TRANSIENT_DB | SQLITE_OPEN_DELETEONCLOSE;

enum class Role : uint8_t { Database = 'D', Journal = 'J' };

// The last page 1 this handle saw, sealed and open: SQLite reads page 1's
// change counter before every transaction, and a write must not cost a
// decryption when nothing changed. Compared whole, so it is exact.
struct PageOne {
    bool valid = false;
    uint8_t sealed[P];
    uint8_t plain[P];
};

struct ShimFile {
    sqlite3_file base;
    AtRestVfs::State* state;
    Role role;
    std::vector<uint8_t>* memory; // a transient file; real is then unused
    PageOne* one;                 // the database's page 1 cache
    sqlite3_file* real;           // the underlying VFS's file, right after this struct
};

constexpr size_t kShimBytes = (sizeof(ShimFile) + 15) & ~size_t(15);

ShimFile& shim(sqlite3_file* f) { return *reinterpret_cast<ShimFile*>(f); }

void wipe(void* p, size_t n)
{
    volatile uint8_t* v = static_cast<volatile uint8_t*>(p);
    while (n--)
        *v++ = 0;
}

// "gp1" + role + page number (big-endian): where the page belongs.
std::array<uint8_t, 8> associated(Role role, uint32_t pgno)
{
    return {'g', 'p', '1', uint8_t(role), uint8_t(pgno >> 24), uint8_t(pgno >> 16), uint8_t(pgno >> 8), uint8_t(pgno)};
}

bool openPage(AtRestVfs::State& s, Role role, uint32_t pgno, uint8_t* page)
{
    auto ad = associated(role, pgno);
    uint8_t* nonce = page + kBody;
    uint8_t* tag = nonce + kAtRestNonceBytes;
    if (!s.aead.open || !s.aead.open(page, kBody, ad.data(), ad.size(), s.key.data(), nonce, tag)) {
        ++s.counters.refused;
        wipe(page, P);
        return false;
    }
    ++s.counters.opened;
    // SQLite never reads its reserved bytes; zero rather than hand it our nonce and tag.
    std::memset(page + kBody, 0, kAtRestReserveBytes);
    return true;
}

bool sealPage(AtRestVfs::State& s, Role role, uint32_t pgno, uint8_t* page)
{
    auto ad = associated(role, pgno);
    uint8_t* nonce = page + kBody;
    uint8_t* tag = nonce + kAtRestNonceBytes;
    if (!s.aead.seal || !s.aead.seal(page, kBody, ad.data(), ad.size(), s.key.data(), nonce, tag))
        return false;
    ++s.counters.sealed;
    return true;
}

// ---- memory files ---------------------------------------------------------------

int memClose(sqlite3_file* f)
{
    delete shim(f).memory;
    shim(f).memory = nullptr;
    return SQLITE_OK;
}

int memRead(sqlite3_file* f, void* buf, int n, sqlite3_int64 at)
{
    auto& m = *shim(f).memory;
    int got = 0;
    if (at < sqlite3_int64(m.size())) {
        got = int(std::min<sqlite3_int64>(n, sqlite3_int64(m.size()) - at));
        std::memcpy(buf, m.data() + at, size_t(got));
    }
    if (got < n) {
        std::memset(static_cast<uint8_t*>(buf) + got, 0, size_t(n - got));
        return SQLITE_IOERR_SHORT_READ;
    }
    return SQLITE_OK;
}

int memWrite(sqlite3_file* f, const void* buf, int n, sqlite3_int64 at)
{
    auto& m = *shim(f).memory;
    if (m.size() < size_t(at + n))
        m.resize(size_t(at + n));
    std::memcpy(m.data() + at, buf, size_t(n));
    return SQLITE_OK;
}

int memTruncate(sqlite3_file* f, sqlite3_int64 size)
{
    auto& m = *shim(f).memory;
    if (m.size() > size_t(size))
        m.resize(size_t(size));
    return SQLITE_OK;
}

int memSync(sqlite3_file*, int) { return SQLITE_OK; }
int memSize(sqlite3_file* f, sqlite3_int64* size)
{
    *size = sqlite3_int64(shim(f).memory->size());
    return SQLITE_OK;
}
int memLock(sqlite3_file*, int) { return SQLITE_OK; }
int memCheckReserved(sqlite3_file*, int* out)
{
    *out = 0;
    return SQLITE_OK;
}
int memControl(sqlite3_file*, int, void*) { return SQLITE_NOTFOUND; }
int memSector(sqlite3_file*) { return 4096; }
int memDevice(sqlite3_file*) { return 0; }

const sqlite3_io_methods kMemMethods = {
    1, memClose, memRead, memWrite, memTruncate, memSync, memSize, memLock, memLock, memCheckReserved,
    memControl, memSector, memDevice, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr,
};

// ---- sealed files ---------------------------------------------------------------

int shimClose(sqlite3_file* f)
{
    ShimFile& s = shim(f);
    int rc = s.real->pMethods ? s.real->pMethods->xClose(s.real) : SQLITE_OK;
    if (s.one) {
        wipe(s.one->plain, P);
        delete s.one;
        s.one = nullptr;
    }
    return rc;
}

int realRead(ShimFile& s, void* buf, int n, sqlite3_int64 at) { return s.real->pMethods->xRead(s.real, buf, n, at); }

// One database page, opened: from the page 1 cache when its sealed bytes are unchanged.
int readDatabasePage(ShimFile& s, uint32_t pgno, uint8_t* out)
{
    int rc = realRead(s, out, P, sqlite3_int64(pgno - 1) * P);
    if (rc != SQLITE_OK) {
        if (rc == SQLITE_IOERR_SHORT_READ)
            std::memset(out, 0, P); // past the end (a new file): zeros, as SQLite expects
        return rc;
    }
    if (pgno == 1 && s.one->valid && std::memcmp(out, s.one->sealed, P) == 0) {
        std::memcpy(out, s.one->plain, P);
        return SQLITE_OK;
    }
    uint8_t sealed[P];
    if (pgno == 1)
        std::memcpy(sealed, out, P);
    if (!openPage(*s.state, Role::Database, pgno, out))
        return SQLITE_IOERR_AUTH;
    if (pgno == 1) {
        std::memcpy(s.one->sealed, sealed, P);
        std::memcpy(s.one->plain, out, P);
        s.one->valid = true;
    }
    return SQLITE_OK;
}

uint32_t journalPageNumber(ShimFile& s, sqlite3_int64 pageAt, int* rc)
{
    uint8_t b[4] = {};
    *rc = realRead(s, b, 4, pageAt - 4);
    return uint32_t(b[0]) << 24 | uint32_t(b[1]) << 16 | uint32_t(b[2]) << 8 | b[3];
}

bool isJournalPage(int n, sqlite3_int64 at) { return n == P && at % 8 != 0; }

int shimRead(sqlite3_file* f, void* buf, int n, sqlite3_int64 at)
{
    ShimFile& s = shim(f);
    auto* out = static_cast<uint8_t*>(buf);
    if (s.role == Role::Journal) {
        if (!isJournalPage(n, at))
            return realRead(s, buf, n, at);
        int rc = SQLITE_OK;
        uint32_t pgno = journalPageNumber(s, at, &rc);
        if (rc == SQLITE_OK)
            rc = realRead(s, buf, n, at);
        if (rc != SQLITE_OK)
            return rc;
        return openPage(*s.state, Role::Journal, pgno, out) ? SQLITE_OK : SQLITE_IOERR_AUTH;
    }
    // The database: whole pages, or a part of one (the header, its change counter).
    uint32_t pgno = uint32_t(at / P) + 1;
    if (n == P && at % P == 0)
        return readDatabasePage(s, pgno, out);
    if (at % P + n > P)
        return SQLITE_IOERR_READ;
    uint8_t page[P];
    int rc = readDatabasePage(s, pgno, page);
    if (rc == SQLITE_OK || rc == SQLITE_IOERR_SHORT_READ)
        std::memcpy(out, page + at % P, size_t(n));
    wipe(page, P);
    return rc;
}

// Page 1 as SQLite is about to write it: our page size, and room for nonce and tag.
bool headerFits(const uint8_t* page)
{
    int pageSize = page[16] << 8 | page[17];
    return pageSize == P && page[20] >= kAtRestReserveBytes;
}

int shimWrite(sqlite3_file* f, const void* buf, int n, sqlite3_int64 at)
{
    ShimFile& s = shim(f);
    const auto* in = static_cast<const uint8_t*>(buf);
    uint32_t pgno = 0;
    if (s.role == Role::Journal) {
        if (!isJournalPage(n, at))
            return s.real->pMethods->xWrite(s.real, buf, n, at);
        int rc = SQLITE_OK;
        pgno = journalPageNumber(s, at, &rc);
        if (rc != SQLITE_OK)
            return SQLITE_IOERR_WRITE;
    } else {
        // Only whole pages reach the database file in rollback mode.
        if (n != P || at % P != 0)
            return SQLITE_IOERR_WRITE;
        pgno = uint32_t(at / P) + 1;
        if (pgno == 1 && !headerFits(in))
            return SQLITE_IOERR_WRITE;
    }
    uint8_t page[P];
    std::memcpy(page, in, P);
    if (!sealPage(*s.state, s.role, pgno, page)) {
        wipe(page, P);
        return SQLITE_IOERR_WRITE;
    }
    int rc = s.real->pMethods->xWrite(s.real, page, P, at);
    if (s.role == Role::Database && pgno == 1) {
        s.one->valid = rc == SQLITE_OK;
        std::memcpy(s.one->sealed, page, P);
        std::memcpy(s.one->plain, in, P);
        std::memset(s.one->plain + kBody, 0, kAtRestReserveBytes);
    }
    return rc;
}

int shimTruncate(sqlite3_file* f, sqlite3_int64 size)
{
    ShimFile& s = shim(f);
    if (s.one)
        s.one->valid = false;
    return s.real->pMethods->xTruncate(s.real, size);
}
int shimSync(sqlite3_file* f, int flags) { return shim(f).real->pMethods->xSync(shim(f).real, flags); }
int shimSize(sqlite3_file* f, sqlite3_int64* size) { return shim(f).real->pMethods->xFileSize(shim(f).real, size); }
int shimLock(sqlite3_file* f, int level) { return shim(f).real->pMethods->xLock(shim(f).real, level); }
int shimUnlock(sqlite3_file* f, int level) { return shim(f).real->pMethods->xUnlock(shim(f).real, level); }
int shimCheckReserved(sqlite3_file* f, int* out)
{
    return shim(f).real->pMethods->xCheckReservedLock(shim(f).real, out);
}
int shimControl(sqlite3_file* f, int op, void* arg) { return shim(f).real->pMethods->xFileControl(shim(f).real, op, arg); }
int shimSector(sqlite3_file* f) { return shim(f).real->pMethods->xSectorSize(shim(f).real); }
int shimDevice(sqlite3_file* f)
{
    // Atomic and safe-append writes would change how SQLite lays out and trusts
    // its journal (pages at other offsets, records without a synced count).
    int d = shim(f).real->pMethods->xDeviceCharacteristics(shim(f).real);
    return d & ~(SQLITE_IOCAP_ATOMIC | SQLITE_IOCAP_ATOMIC512 | SQLITE_IOCAP_ATOMIC1K | SQLITE_IOCAP_ATOMIC2K
                 | SQLITE_IOCAP_ATOMIC4K | SQLITE_IOCAP_ATOMIC8K | SQLITE_IOCAP_ATOMIC16K | SQLITE_IOCAP_ATOMIC32K
                 | SQLITE_IOCAP_ATOMIC64K | SQLITE_IOCAP_SAFE_APPEND | SQLITE_IOCAP_BATCH_ATOMIC);
}

// Version 1: no shared memory (no WAL) and no xFetch (a memory map would hand SQLite sealed bytes).
const sqlite3_io_methods kShimMethods = {
    1, shimClose, shimRead, shimWrite, shimTruncate, shimSync, shimSize, shimLock, shimUnlock, shimCheckReserved,
    shimControl, shimSector, shimDevice, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr,
};

AtRestVfs::State& stateOf(sqlite3_vfs* v) { return *static_cast<AtRestVfs::State*>(v->pAppData); }

int vfsOpen(sqlite3_vfs* v, sqlite3_filename name, sqlite3_file* f, int flags, int* outFlags)
{
    AtRestVfs::State& st = stateOf(v);
    ShimFile& s = shim(f);
    s.base.pMethods = nullptr;
    s.state = &st;
    s.memory = nullptr;
    s.one = nullptr;
    s.real = reinterpret_cast<sqlite3_file*>(reinterpret_cast<char*>(f) + kShimBytes);
    s.real->pMethods = nullptr;
    if (!name || (flags & kTransientFiles)) {
        s.memory = new std::vector<uint8_t>();
        s.base.pMethods = &kMemMethods;
        if (outFlags)
            *outFlags = flags;
        return SQLITE_OK;
    }
    if (flags & SQLITE_OPEN_MAIN_DB)
        s.role = Role::Database;
    else if (flags & SQLITE_OPEN_MAIN_JOURNAL)
        s.role = Role::Journal;
    else
        return SQLITE_CANTOPEN; // a WAL or super-journal: never written sealed, so never written
    int rc = st.under->xOpen(st.under, name, s.real, flags, outFlags);
    if (rc != SQLITE_OK) {
        if (s.real->pMethods)
            s.real->pMethods->xClose(s.real);
        return rc;
    }
    if (s.role == Role::Database)
        s.one = new PageOne();
    s.base.pMethods = &kShimMethods;
    return SQLITE_OK;
}

int vfsDelete(sqlite3_vfs* v, const char* name, int sync) { return stateOf(v).under->xDelete(stateOf(v).under, name, sync); }
int vfsAccess(sqlite3_vfs* v, const char* name, int flags, int* out)
{
    return stateOf(v).under->xAccess(stateOf(v).under, name, flags, out);
}
int vfsFullPathname(sqlite3_vfs* v, const char* name, int n, char* out)
{
    return stateOf(v).under->xFullPathname(stateOf(v).under, name, n, out);
}
int vfsRandomness(sqlite3_vfs* v, int n, char* out) { return stateOf(v).under->xRandomness(stateOf(v).under, n, out); }
int vfsSleep(sqlite3_vfs* v, int us) { return stateOf(v).under->xSleep(stateOf(v).under, us); }
int vfsCurrentTime(sqlite3_vfs* v, double* t) { return stateOf(v).under->xCurrentTime(stateOf(v).under, t); }
int vfsLastError(sqlite3_vfs* v, int n, char* out)
{
    sqlite3_vfs* u = stateOf(v).under;
    return u->xGetLastError ? u->xGetLastError(u, n, out) : 0;
}
int vfsCurrentTimeInt64(sqlite3_vfs* v, sqlite3_int64* t)
{
    sqlite3_vfs* u = stateOf(v).under;
    if (u->iVersion >= 2 && u->xCurrentTimeInt64)
        return u->xCurrentTimeInt64(u, t);
    double d = 0;
    int rc = u->xCurrentTime(u, &d);
    *t = sqlite3_int64(d * 86400000.0);
    return rc;
}

} // namespace

Result<std::unique_ptr<AtRestVfs>> AtRestVfs::create(const char* underlying, PageAead aead, const DataKey& key)
{
    static int made = 0;
    if (sqlite3_initialize() != SQLITE_OK)
        return Message{"storage.io", "无法初始化数据库", "Cannot initialise SQLite", ""};
    sqlite3_vfs* under = sqlite3_vfs_find(underlying);
    if (!under)
        return Message{"storage.io", "找不到存储层", "The storage layer is not registered", ""};
    auto st = std::make_unique<State>();
    st->under = under;
    st->name = "atrest-" + std::to_string(++made);
    st->aead = std::move(aead);
    st->key = key;
    sqlite3_vfs& v = st->vfs;
    v.iVersion = 2;
    v.szOsFile = int(kShimBytes) + under->szOsFile;
    v.mxPathname = under->mxPathname;
    v.zName = st->name.c_str();
    v.pAppData = st.get();
    v.xOpen = vfsOpen;
    v.xDelete = vfsDelete;
    v.xAccess = vfsAccess;
    v.xFullPathname = vfsFullPathname;
    v.xRandomness = vfsRandomness;
    v.xSleep = vfsSleep;
    v.xCurrentTime = vfsCurrentTime;
    v.xGetLastError = vfsLastError;
    v.xCurrentTimeInt64 = vfsCurrentTimeInt64;
    if (sqlite3_vfs_register(&v, 0) != SQLITE_OK)
        return Message{"storage.io", "无法注册加密存储层", "Cannot register the encrypting storage layer", ""};
    return std::unique_ptr<AtRestVfs>(new AtRestVfs(std::move(st)));
}

AtRestVfs::AtRestVfs(std::unique_ptr<State> state) : state_(std::move(state)) {}

AtRestVfs::~AtRestVfs()
{
    sqlite3_vfs_unregister(&state_->vfs);
    wipe(state_->key.data(), state_->key.size());
}

const char* AtRestVfs::name() const { return state_->name.c_str(); }

AtRestVfs::Counters AtRestVfs::counters() const { return state_->counters; }

Message tamperedMessage()
{
    return Message{"storage.tampered",
                   "数据库文件未通过校验（被改动、损坏，或密钥不符），未读取任何数据。请联系管理员。",
                   "The database file failed its check (altered, damaged, or the wrong key); nothing was read from it. Ask your administrator.",
                   ""};
}

} // namespace gatepass
