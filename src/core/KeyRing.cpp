#include "KeyRing.h"

#include "Hex.h"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace gatepass {

using nlohmann::json;

namespace {

constexpr size_t kSaltBytes = 16;  // crypto_pwhash_SALTBYTES
constexpr size_t kNonceBytes = 24; // crypto_secretbox_NONCEBYTES

constexpr const char* kSchema = R"sql(
    CREATE TABLE IF NOT EXISTS ring(
        id          INTEGER PRIMARY KEY CHECK (id = 1),
        pin         TEXT,                       -- JSON: Argon2id parameters and the secretbox of the data key
        failures    INTEGER NOT NULL DEFAULT 0,
        failed_at   INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE IF NOT EXISTS recipients(
        public_key  TEXT PRIMARY KEY,           -- a community public key (base64url)
        sealed      BLOB NOT NULL               -- crypto_box_seal of the data key to it
    );
)sql";

void wipe(std::string& s)
{
    volatile char* p = s.data();
    for (size_t i = 0; i < s.size(); ++i)
        p[i] = 0;
    s.clear();
}

std::optional<DataKey> keyOf(std::string bytes)
{
    std::optional<DataKey> k;
    if (bytes.size() == kAtRestKeyBytes) {
        k.emplace();
        std::copy(bytes.begin(), bytes.end(), k->begin());
    }
    wipe(bytes);
    return k;
}

Message kdfFailed()
{
    return Message{"lock.kdf", "无法校验 PIN（内存不足？）：请刷新页面后重试", "Cannot check the PIN (out of memory?): reload and try again", ""};
}

Message wrongPin() { return Message{"lock.wrong_pin", "PIN 不正确", "Wrong PIN", ""}; }

// The key Argon2id makes of the PIN; empty when it failed.
std::string pinKey(std::string_view pin, std::string_view saltHex, uint64_t ops, uint64_t mem, const KeyRingCrypto& c)
{
    return bytesOfHex(c.kdf.argon2id(pin, saltHex, ops, mem));
}

// One copy of the ring, opened and checked: its schema made, SQLite's integrity check "ok".
Result<Database> openCopy(const std::string& path, const char* vfs)
{
    auto db = Database::open(path, vfs);
    if (!db)
        return db.error();
    if (auto r = db->exec("PRAGMA synchronous=FULL; PRAGMA temp_store=MEMORY; PRAGMA secure_delete=ON;"); !r)
        return r.error();
    if (auto r = db->exec(kSchema); !r)
        return r.error();
    auto check = db->prepare("PRAGMA integrity_check");
    if (!check.step() || check.text(0) != "ok")
        return storageError(*db, "checking the key ring");
    return db;
}

// A copy that cannot be used is removed (with its journal) and made anew.
Result<Database> openOrRemake(const std::string& path, const char* vfs, bool& remade)
{
    auto db = openCopy(path, vfs);
    remade = !db;
    if (db)
        return db;
    sqlite3_vfs* v = sqlite3_vfs_find(vfs);
    if (!v)
        return db.error();
    for (const std::string& p : {path, path + "-journal"})
        v->xDelete(v, p.c_str(), 0);
    return openCopy(path, vfs);
}

bool emptyRing(const Database& db)
{
    auto s = db.prepare("SELECT (SELECT count(*) FROM ring) + (SELECT count(*) FROM recipients)");
    return s.step() && s.integer(0) == 0;
}

// `to` made the same as `from`, page for page, in one transaction of `to` (SQLite's backup API).
Result<Done> copyRing(const Database& from, const Database& to)
{
    sqlite3_backup* b = sqlite3_backup_init(to.handle(), "main", from.handle(), "main");
    if (!b)
        return storageError(to, "copying the key ring");
    int rc = sqlite3_backup_step(b, -1);
    sqlite3_backup_finish(b);
    if (rc != SQLITE_DONE)
        return storageError(to, "copying the key ring");
    return Done{};
}

// Each copy's change count, in SQLite's user_version header field: every change sets both
// copies to one more than the higher of the two, in the same transaction as the change.
int64_t versionOf(const Database& db)
{
    auto s = db.prepare("PRAGMA user_version");
    return s.step() ? s.integer(0) : 0;
}

std::optional<std::string> pinRecord(const Database& db)
{
    auto s = db.prepare("SELECT pin FROM ring WHERE id = 1 AND pin IS NOT NULL");
    return s.step() ? std::optional<std::string>(s.text(0)) : std::nullopt;
}

} // namespace

Result<KeyRing> KeyRing::open(const std::string& path, const char* vfs)
{
    bool firstRemade = false, secondRemade = false;
    auto second = openOrRemake(copyPath(path), vfs, secondRemade);
    if (!second)
        return second.error();
    auto first = openOrRemake(path, vfs, firstRemade);
    if (!first)
        return first.error();
    KeyRing ring(std::move(*first), std::move(*second));
    // A lost copy is made again from the other; of two whole copies, the one a later change
    // reached wins (a crash between a change's two writes: the first copy, written first). Two
    // that differ at the same count are left as they are: damage only the cryptography can
    // tell (unwrap).
    const bool firstLost = firstRemade || emptyRing(ring.db_), secondLost = secondRemade || emptyRing(ring.copy_);
    const int64_t firstVersion = versionOf(ring.db_), secondVersion = versionOf(ring.copy_);
    if (firstLost ? !secondLost : (!secondLost && secondVersion > firstVersion)) {
        if (auto r = copyRing(ring.copy_, ring.db_); !r)
            return r.error();
    } else if (secondLost ? !firstLost : firstVersion > secondVersion) {
        if (auto r = copyRing(ring.db_, ring.copy_); !r)
            return r.error();
    }
    return ring;
}

Result<Done> KeyRing::change(std::string_view sql, const std::function<void(Statement&)>& bind, std::string_view doing)
{
    const int64_t next = std::max(versionOf(db_), versionOf(copy_)) + 1;
    for (const Database* db : {&db_, &copy_}) {
        Transaction t(*db);
        if (!t.begun())
            return t.beginError();
        auto s = db->prepare(sql);
        bind(s);
        s.step();
        if (s.rc() != SQLITE_DONE)
            return storageError(*db, doing);
        if (auto r = db->exec("PRAGMA user_version = " + std::to_string(next)); !r)
            return r;
        if (auto r = t.commit(); !r)
            return r;
    }
    return Done{};
}

bool KeyRing::empty() const { return emptyRing(db_); }

std::optional<LockRow> KeyRing::lockRow() const
{
    if (empty())
        return LockRow{}; // a first start: a PIN may be set
    auto s = db_.prepare("SELECT pin, failures, failed_at FROM ring WHERE id = 1 AND pin IS NOT NULL");
    if (!s.step())
        return std::nullopt; // a key for recovery only: the PIN record was removed
    LockRow r;
    r.pin = s.text(0);
    r.failures = int(s.integer(1));
    r.failedAtMs = s.integer(2);
    return r;
}

Result<DataKey> KeyRing::create(std::string_view pin, const KeyRingCrypto& c, uint64_t opslimit, uint64_t memlimit)
{
    if (!empty())
        return lockoutMessage();
    if (!c.available())
        return kdfFailed();
    auto key = keyOf(bytesOfHex(c.kdf.randomHex(kAtRestKeyBytes)));
    if (!key)
        return kdfFailed();
    if (auto r = storeWrapped(*key, pin, c, opslimit, memlimit, true); !r)
        return r.error();
    return *key;
}

Result<Done> KeyRing::rewrap(const DataKey& key, std::string_view pin, const KeyRingCrypto& c, uint64_t opslimit, uint64_t memlimit)
{
    return storeWrapped(key, pin, c, opslimit, memlimit, false);
}

Result<Done> KeyRing::storeWrapped(const DataKey& key, std::string_view pin, const KeyRingCrypto& c, uint64_t opslimit,
                                   uint64_t memlimit, bool fresh)
{
    if (auto f = StaffLock::checkPin(pin); !f)
        return f;
    if (!c.available())
        return kdfFailed();
    std::string salt = c.kdf.randomHex(kSaltBytes);
    std::string nonce = bytesOfHex(c.kdf.randomHex(kNonceBytes));
    std::string wrapKey = pinKey(pin, salt, opslimit, memlimit, c);
    if (salt.size() != 2 * kSaltBytes || nonce.size() != kNonceBytes || wrapKey.size() != kAtRestKeyBytes)
        return kdfFailed();
    auto boxed = c.secretbox(std::string_view(reinterpret_cast<const char*>(key.data()), key.size()), nonce, wrapKey);
    wipe(wrapKey);
    if (!boxed)
        return kdfFailed();
    json record{{"alg", "argon2id13+secretbox"}, {"salt", salt},   {"opslimit", opslimit},
                {"memlimit", memlimit},          {"nonce", hexOf(nonce)}, {"box", hexOf(*boxed)}};
    // A new ring must stay new until its first write: two first starts would make two keys
    // (one worker holds the files: SealedGate's calls come one after another).
    if (fresh && !empty())
        return lockoutMessage();
    return change("INSERT OR REPLACE INTO ring(id, pin, failures, failed_at) VALUES (1, ?, 0, 0)",
                  [&](Statement& s) { s.bind(1, record.dump()); }, "saving the key ring");
}

namespace {

// The data key from one PIN record; lock.wrong_pin when its box does not open.
Result<DataKey> unwrapRecord(const std::string& pinJson, std::string_view pin, const KeyRingCrypto& c)
{
    json record = json::parse(pinJson, nullptr, false);
    if (!record.is_object() || record.value("alg", "") != "argon2id13+secretbox")
        return wrongPin();
    std::string wrapKey = pinKey(pin, record.value("salt", ""), record.value("opslimit", uint64_t(0)),
                                 record.value("memlimit", uint64_t(0)), c);
    if (wrapKey.size() != kAtRestKeyBytes)
        return kdfFailed();
    auto opened = c.secretboxOpen(bytesOfHex(record.value("box", "")), bytesOfHex(record.value("nonce", "")), wrapKey);
    wipe(wrapKey);
    if (!opened)
        return wrongPin();
    auto key = keyOf(std::move(*opened));
    if (!key)
        return wrongPin();
    return *key;
}

} // namespace

Result<DataKey> KeyRing::unwrap(std::string_view pin, const KeyRingCrypto& c)
{
    auto row = lockRow();
    if (!row || !row->pin)
        return lockoutMessage();
    if (!c.available())
        return kdfFailed();
    if (!StaffLock::checkPin(pin))
        return wrongPin(); // a PIN of the wrong form is a wrong PIN, not a free probe
    auto key = unwrapRecord(*row->pin, pin, c);
    if (key || key.error().code != "lock.wrong_pin")
        return key;
    // The second copy's record, when it differs at the same change count: its box opening
    // proves the first copy damaged. One a change has not reached yet (its second write
    // failed) holds an older PIN, which must not come back.
    auto other = pinRecord(copy_);
    if (!other || *other == *row->pin || versionOf(copy_) < versionOf(db_))
        return key;
    auto second = unwrapRecord(*other, pin, c);
    if (!second)
        return key;
    if (auto r = copyRing(copy_, db_); !r)
        return r.error();
    return second;
}

bool KeyRing::hasRecipient(std::string_view publicKey) const
{
    auto s = db_.prepare("SELECT 1 FROM recipients WHERE public_key = ?");
    s.bind(1, publicKey);
    return s.step();
}

Result<Done> KeyRing::addRecipient(const DataKey& key, std::string_view publicKey, const KeyRingCrypto& c)
{
    if (!c.available())
        return cryptoUnavailable();
    auto sealed = c.box.seal(std::string_view(reinterpret_cast<const char*>(key.data()), key.size()), publicKey);
    if (!sealed)
        return Message{"lock.recipient", "社区公钥无效，无法登记恢复密钥", "The community public key is not valid; no recovery key was stored", ""};
    return change("INSERT OR REPLACE INTO recipients(public_key, sealed) VALUES (?, ?)",
                  [&](Statement& s) { s.bind(1, publicKey).bind(2, *sealed); }, "saving the key ring");
}

Result<DataKey> KeyRing::recover(std::string_view publicKey, std::string_view secretKey, const KeyRingCrypto& c) const
{
    if (!c.available())
        return cryptoUnavailable();
    std::optional<std::string> opened;
    for (const Database* db : {&db_, &copy_}) {
        auto s = db->prepare("SELECT sealed FROM recipients WHERE public_key = ?");
        s.bind(1, publicKey);
        if (s.step())
            opened = c.box.open(s.text(0), publicKey, secretKey);
        if (opened)
            break;
    }
    if (!opened)
        return Message{"lock.recover_other", "这个登记码打不开本门岗的数据。请向本社区办公室索取本门岗的登记码",
                       "This enrollment code does not open this gate's data. Ask this community's office for this gate's code", ""};
    auto key = keyOf(std::move(*opened));
    if (!key)
        return lockoutMessage();
    return *key;
}

Result<Done> KeyRing::setPinFailures(int failures, int64_t atMs)
{
    return change("UPDATE ring SET failures = ?, failed_at = ? WHERE id = 1",
                  [&](Statement& s) { s.bind(1, failures).bind(2, atMs); }, "counting a wrong PIN");
}

} // namespace gatepass
