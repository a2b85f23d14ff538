#include "SealedGate.h"

#include "AtRestMigration.h"
#include "GateEnrollment.h"
#include "RecordJson.h"

#include <sqlite3.h>

#include <nlohmann/json.hpp>

#include <chrono>

namespace gatepass {

using nlohmann::json;

namespace {

std::string failReply(const Message& m) { return json{{"ok", false}, {"error", toJson(m)}}.dump(-1, ' ', false, json::error_handler_t::replace); }

std::string okReply(json j)
{
    j["ok"] = true;
    return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

void wipe(DataKey& k)
{
    volatile uint8_t* p = k.data();
    for (size_t i = 0; i < k.size(); ++i)
        p[i] = 0;
}

bool fileExists(const std::string& vfs, const std::string& path)
{
    sqlite3_vfs* v = sqlite3_vfs_find(vfs.empty() ? nullptr : vfs.c_str());
    int out = 0;
    // A zero-length file counts as absent, here and in the OPFS VFS.
    return v && v->xAccess(v, path.c_str(), SQLITE_ACCESS_EXISTS, &out) == SQLITE_OK && out;
}

const char* vfsName(const std::string& vfs) { return vfs.empty() ? nullptr : vfs.c_str(); }

constexpr const char* kDamaged = "storage.damaged";

Message damagedMessage()
{
    return Message{kDamaged, "数据库文件已损坏，正在另存并新建数据库……", "The database file is damaged; it is being kept aside and a new one started…", ""};
}

Message quarantinedMessage(std::string_view keptAs)
{
    std::string file(keptAs);
    return Message{"storage.quarantined",
                   "加密的数据库文件已损坏（校验未通过），已另存为 " + file +
                       "（未删除，仍由本门岗的密钥加密），并新建了空的加密数据库。请联系管理员恢复数据。",
                   "The encrypted database file was damaged (it failed its check). It was kept aside as " + file +
                       " (not deleted, still sealed under this gate's key) and a new empty encrypted database was started. "
                       "Ask your administrator to recover it.",
                   ""};
}

// A check that says the bytes are wrong (a page that does not authenticate, or
// SQLite's own verdict), as opposed to storage that could not be read at all.
bool damaged(const FileCheck& c) { return !c.ok && (c.corrupt || c.rc == SQLITE_IOERR_AUTH); }

} // namespace

Result<std::unique_ptr<SealedGate>> SealedGate::open(SealedGateFiles files, SealedGateHost host)
{
    auto ring = KeyRing::open(files.keys, vfsName(files.vfs));
    if (!ring)
        return ring.error();
    std::unique_ptr<SealedGate> gate(new SealedGate(std::move(files), std::move(host), std::move(*ring)));
    if (gate->ring_.empty() && gate->plainExists()) {
        auto store = Store::open(gate->files_.plain, vfsName(gate->files_.vfs));
        if (!store)
            return store.error();
        gate->schemaVersion_ = store->schemaVersion();
        gate->legacy_.emplace(std::move(*store), gate->host_.crypto, gate->host_.lock);
    }
    return gate;
}

SealedGate::SealedGate(SealedGateFiles files, SealedGateHost host, KeyRing ring)
    : files_(std::move(files)), host_(std::move(host)), ring_(std::move(ring))
{
}

SealedGate::~SealedGate() { close(); }

bool SealedGate::sealedExists() const { return fileExists(files_.vfs, files_.sealed); }
bool SealedGate::plainExists() const { return fileExists(files_.vfs, files_.plain); }

void SealedGate::onProgress(std::function<void(std::string_view progressJson)> sink)
{
    progress_ = std::move(sink);
    if (api_)
        api_->onProgress(progress_);
    if (legacy_)
        legacy_->onProgress(progress_);
}

LockStatus SealedGate::status() const
{
    if (api_) {
        LockStatus s;
        s.locked = false;
        s.state = LockState::Set;
        return s;
    }
    auto row = ring_.lockRow();
    // No ring beside a sealed database: its key is gone with the ring; never a first start.
    if (ring_.empty() && sealedExists())
        row.reset();
    int64_t now = host_.lock.clock ? host_.lock.clock()
                                   : std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
    return lockStatusOf(row, true, now);
}

std::string SealedGate::statusReply() const
{
    json j = toJson(status());
    if (api_ && quarantined_)
        j["quarantined"] = toJson(*quarantined_);
    return okReply(std::move(j));
}

Api& SealedGate::idle()
{
    if (!idle_) {
        // Holds nothing: it answers what needs no data (lock.pin_check, enroll.prepare) and lock.locked to the rest.
        auto store = Store::open(":memory:");
        idle_.emplace(std::move(*store), PassCrypto{}, host_.lock);
    }
    return *idle_;
}

std::string SealedGate::call(std::string_view requestJson, std::optional<std::string_view> data)
{
    json req = json::parse(requestJson, nullptr, false);
    std::string op = req.is_object() && req.contains("op") && req["op"].is_string() ? req["op"].get<std::string>() : "";
    std::string pin = req.is_object() && req.contains("pin") && req["pin"].is_string() ? req["pin"].get<std::string>() : "";
    std::string reply;
    if (op.rfind("lock.", 0) == 0 && op != "lock.pin_check") {
        reply = legacy_ && !api_ ? legacyCall(requestJson, op, pin) : lockCall(op, requestJson, pin);
    } else if (api_) {
        reply = api_->call(requestJson, data);
        // A new community key gets its sealed copy of the data key: the office can then recover this gate.
        if (op == "gate.enroll" || op == "settings.set")
            sealToCommunityKeys();
    } else {
        reply = legacy_ ? legacy_->call(requestJson, data) : idle().call(requestJson, data);
    }
    std::fill(pin.begin(), pin.end(), '\0');
    return reply;
}

std::string SealedGate::legacyCall(std::string_view requestJson, const std::string& op, std::string_view pin)
{
    std::string reply = legacy_->call(requestJson);
    json r = json::parse(reply, nullptr, false);
    bool opened = r.is_object() && r.value("ok", false) && !r.value("locked", true);
    if (!opened || (op != "lock.unlock" && op != "lock.set_pin" && op != "lock.recover"))
        return reply;
    // The plain database's own lock took this PIN: the ring is made with it, and the file moved into the sealed one.
    auto key = ring_.create(pin, host_.ring, host_.lock.opslimit, host_.lock.memlimit);
    legacy_.reset();
    if (!key)
        return failReply(key.error());
    std::string opened2 = openReply(*key, std::nullopt);
    wipe(*key);
    return opened2;
}

std::string SealedGate::lockCall(const std::string& op, std::string_view requestJson, std::string_view pin)
{
    if (op == "lock.status")
        return statusReply();
    if (op == "lock.lock") {
        close();
        return statusReply();
    }
    if (op == "lock.unlock")
        return api_ ? statusReply() : unlock(pin);
    if (op == "lock.set_pin")
        return setPin(pin);
    if (op == "lock.recover")
        return recover(requestJson, pin);
    return idle().call(requestJson); // not an op: the Api words it
}

std::string SealedGate::unlock(std::string_view pin)
{
    LockStatus s = status();
    if (s.state == LockState::Lockout)
        return failReply(lockoutMessage());
    if (s.state == LockState::New)
        return failReply(Message{"lock.no_pin", "尚未设置 PIN：请先设置", "No PIN yet: set one first", ""});
    if (s.waitMs > 0)
        return failReply(waitMessage(s.waitMs)); // not tried, not counted: the wait is the point
    auto key = ring_.unwrap(pin, host_.ring);
    if (!key) {
        if (key.error().code != "lock.wrong_pin")
            return failReply(key.error());
        int failures = s.failures + 1;
        int64_t now = host_.lock.clock ? host_.lock.clock()
                                       : std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
        if (auto r = ring_.setPinFailures(failures, now); !r)
            return failReply(r.error());
        return failReply(wrongPinMessage(pinDelayMs(failures)));
    }
    if (s.failures != 0)
        if (auto r = ring_.setPinFailures(0, 0); !r) {
            wipe(*key);
            return failReply(r.error());
        }
    std::string reply = openReply(*key, std::nullopt);
    wipe(*key);
    return reply;
}

std::string SealedGate::setPin(std::string_view pin)
{
    if (auto f = StaffLock::checkPin(pin); !f)
        return failReply(f.error());
    if (api_) { // a change: the same key under the new PIN
        auto r = ring_.rewrap(key_, pin, host_.ring, host_.lock.opslimit, host_.lock.memlimit);
        return r ? statusReply() : failReply(r.error());
    }
    LockStatus s = status();
    if (s.state == LockState::Lockout)
        return failReply(lockoutMessage());
    if (s.state == LockState::Set)
        return failReply(lockedMessage());
    auto key = ring_.create(pin, host_.ring, host_.lock.opslimit, host_.lock.memlimit);
    if (!key)
        return failReply(key.error());
    std::string reply = openReply(*key, std::nullopt);
    wipe(*key);
    return reply;
}

std::string SealedGate::recover(std::string_view requestJson, std::string_view pin)
{
    // The PIN's form first: a recovery that then fails on the PIN would leave staff retyping the code.
    if (auto f = StaffLock::checkPin(pin); !f)
        return failReply(f.error());
    json req = json::parse(requestJson, nullptr, false);
    auto it = req.find("enrollment");
    if (it == req.end() || !it->is_string())
        return failReply(wrongPassphrase());
    auto e = parseEnrollment(it->get_ref<const std::string&>());
    if (!e)
        return failReply(e.error());
    Result<DataKey> key = Message{"lock.recover_other", "这个登记码打不开本门岗的数据。请向本社区办公室索取本门岗的登记码",
                                  "This enrollment code does not open this gate's data. Ask this community's office for this gate's code", ""};
    for (const CommunityKey& k : communityKeys(e->keysJson)) {
        key = ring_.recover(k.publicKey, k.secretKey, host_.ring);
        if (key)
            break;
    }
    if (!key)
        return failReply(key.error());
    auto r = ring_.rewrap(*key, pin, host_.ring, host_.lock.opslimit, host_.lock.memlimit);
    if (!r) {
        wipe(*key);
        return failReply(r.error());
    }
    close();
    // The enrollment's settings as at enrollment (community, gate, upload address and token, retention).
    std::string reply = openReply(*key, it->get<std::string>());
    wipe(*key);
    return reply;
}

std::string SealedGate::openReply(const DataKey& key, std::optional<std::string> enrollment)
{
    auto opened = openWith(key);
    if (!opened && opened.error().code == kDamaged) {
        damaged_ = Damaged{key, std::move(enrollment)};
        json j = json::parse(failReply(opened.error()));
        j["set_aside"] = files_.sealed;
        return j.dump(-1, ' ', false, json::error_handler_t::replace);
    }
    if (!opened)
        return failReply(opened.error());
    if (enrollment)
        if (auto r = applyEnrollment(*enrollment); !r) {
            close();
            return failReply(r.error());
        }
    return statusReply();
}

Result<Done> SealedGate::applyEnrollment(const std::string& enrollment)
{
    auto e = parseEnrollment(enrollment);
    if (!e)
        return e.error();
    // A key the ring held opened the data; the settings follow the code only when it
    // is this gate's community (as Api's lock.recover: enrollmentFitsGate), or the
    // database is new (one set aside as damaged, or never enrolled). Then it is
    // gate.enroll's own work, as at enrollment.
    if (!enrollmentFitsGate(api_->store().settings(), *e))
        return Done{};
    json r = json::parse(api_->call(json{{"op", "gate.enroll"}, {"enrollment", enrollment}}.dump()), nullptr, false);
    if (!r.is_object() || !r.value("ok", false)) {
        json m = r.is_object() ? r.value("error", json::object()) : json::object();
        return Message{m.value("code", "enroll.invalid"), m.value("zh", ""), m.value("en", ""), ""};
    }
    sealToCommunityKeys();
    return Done{};
}

std::string SealedGate::setAside(std::optional<std::string_view> keptAs)
{
    if (!damaged_)
        return failReply(Message{"storage.set_aside", "没有需要另存的数据库文件", "There is no damaged database to keep aside", ""});
    Damaged d = std::move(*damaged_);
    damaged_.reset();
    std::string reply;
    if (!keptAs || sealedExists()) // never a new database over the damaged one
        reply = failReply(Message{"storage.set_aside", "无法另存已损坏的数据库文件，未做任何更改。请刷新页面后重试。",
                                  "The damaged database file could not be kept aside; nothing was changed. Reload the page and try again.", ""});
    else {
        reply = openReply(d.key, std::move(d.enrollment));
        if (api_)
            quarantined_ = quarantinedMessage(*keptAs);
        reply = api_ ? statusReply() : reply;
    }
    wipe(d.key);
    return reply;
}

Result<Done> SealedGate::openWith(const DataKey& key)
{
    close();
    auto vfs = AtRestVfs::create(vfsName(files_.vfs), host_.aead, key);
    if (!vfs)
        return vfs.error();
    vfs_ = std::move(*vfs);
    // A gate from before: its plain file moved in (deleted only once the copy verified).
    if (auto m = migrateToSealed(files_.plain, vfsName(files_.vfs), files_.sealed, *vfs_); !m) {
        close();
        return m.error();
    }
    // Every page read once (each one authenticated) before the database is first used:
    // a damaged file is set aside by the caller, never written to or worked on. Once a
    // life: an unlock after an idle lock stays quick (what this process wrote it checks
    // as it reads it back: a page that does not authenticate is storage.tampered).
    if (!checked_ && sealedExists()) {
        FileCheck c = Store::checkFile(files_.sealed, vfs_->name());
        if (damaged(c)) {
            close();
            return damagedMessage();
        }
    }
    checked_ = true;
    auto store = Store::openSealed(files_.sealed, *vfs_);
    if (!store) {
        close();
        return store.error();
    }
    schemaVersion_ = store->schemaVersion();
    api_.emplace(std::move(*store), host_.crypto);
    if (progress_)
        api_->onProgress(progress_);
    key_ = key;
    idle_.reset();
    sealToCommunityKeys();
    return Done{};
}

void SealedGate::close()
{
    api_.reset(); // every connection closed before the shim goes
    vfs_.reset(); // unregistered, its copy of the key wiped
    wipe(key_);
    quarantined_.reset();
    if (damaged_) {
        wipe(damaged_->key);
        damaged_.reset();
    }
}

void SealedGate::sealToCommunityKeys()
{
    if (!api_)
        return;
    for (const CommunityKey& k : communityKeys(api_->store().settings().communityKeys))
        if (!ring_.hasRecipient(k.publicKey))
            (void)ring_.addRecipient(key_, k.publicKey, host_.ring); // best effort: the PIN still opens it
}

} // namespace gatepass
