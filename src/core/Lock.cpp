#include "Lock.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>

namespace gatepass {

using nlohmann::json;

namespace {

constexpr int kFreeFailures = 2;              // typos
constexpr int64_t kFirstDelayMs = 5'000;
constexpr int64_t kMaxDelayMs = 15 * 60'000; // 10^6 PINs at this pace take decades
constexpr size_t kSaltBytes = 16;            // crypto_pwhash_SALTBYTES

// A wait in words: seconds under two minutes, minutes (rounded up) above.
std::pair<std::string, std::string> waitWords(int64_t ms)
{
    int64_t s = (ms + 999) / 1000;
    if (s < 120)
        return {std::to_string(s) + " 秒", std::to_string(s) + " s"};
    int64_t m = (s + 59) / 60;
    return {std::to_string(m) + " 分钟", std::to_string(m) + " min"};
}

} // namespace

Message waitMessage(int64_t ms)
{
    auto [zh, en] = waitWords(ms);
    return Message{"lock.wait", "PIN 错误次数过多：请等 " + zh + " 后再试",
                   "Too many wrong PINs: wait " + en + " before trying again", ""};
}

Message wrongPinMessage(int64_t nextWaitMs)
{
    if (nextWaitMs == 0)
        return Message{"lock.wrong_pin", "PIN 不正确", "Wrong PIN", ""};
    auto [zh, en] = waitWords(nextWaitMs);
    return Message{"lock.wrong_pin", "PIN 不正确：请等 " + zh + " 后再试", "Wrong PIN: wait " + en + " before trying again", ""};
}

namespace {

Message kdfFailed()
{
    return Message{"lock.kdf", "无法校验 PIN（内存不足？）：请刷新页面后重试", "Cannot check the PIN (out of memory?): reload and try again", ""};
}

// Both hex strings from the KDF; the time taken does not depend on where they differ.
bool sameHash(std::string_view a, std::string_view b)
{
    if (a.size() != b.size() || a.empty())
        return false;
    unsigned char diff = 0;
    for (size_t i = 0; i < a.size(); ++i)
        diff |= static_cast<unsigned char>(a[i] ^ b[i]);
    return diff == 0;
}

} // namespace

int64_t pinDelayMs(int failures)
{
    if (failures <= kFreeFailures)
        return 0;
    int64_t d = kFirstDelayMs;
    for (int i = kFreeFailures + 1; i < failures && d < kMaxDelayMs; ++i)
        d *= 2;
    return std::min(d, kMaxDelayMs);
}

Message lockedMessage()
{
    return Message{"lock.locked", "控制台已锁定：请输入 PIN 解锁", "The console is locked: enter the PIN to unlock", ""};
}

Message lockoutMessage()
{
    return Message{"lock.lockout",
                   "此数据库没有 PIN 记录，无法解锁。请向社区办公室索取本门岗的登记码以恢复。",
                   "This database has no PIN record and cannot be unlocked. Ask the office for this gate's enrollment code to recover it.",
                   ""};
}

StaffLock::StaffLock(LockOptions options) : options_(std::move(options)) {}

int64_t StaffLock::now() const
{
    if (options_.clock)
        return options_.clock();
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

LockStatus StaffLock::status(const Store& store) const
{
    return lockStatusOf(store.lockRow(), locked_, now());
}

LockStatus lockStatusOf(const std::optional<LockRow>& row, bool locked, int64_t nowMs)
{
    LockStatus s;
    s.locked = locked;
    if (!row)
        return s;
    s.state = row->pin ? LockState::Set : LockState::New;
    s.failures = row->failures;
    // A clock set back must not shorten the wait: the elapsed time is at least 0.
    int64_t elapsed = std::max<int64_t>(0, nowMs - row->failedAtMs);
    s.waitMs = std::max<int64_t>(0, pinDelayMs(row->failures) - elapsed);
    return s;
}

Result<Done> StaffLock::checkPin(std::string_view pin)
{
    bool digits = std::all_of(pin.begin(), pin.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (!digits || pin.size() < size_t(kPinMinDigits) || pin.size() > size_t(kPinMaxDigits))
        return Message{"lock.pin_format",
                       "PIN 须为 " + std::to_string(kPinMinDigits) + " 至 " + std::to_string(kPinMaxDigits) + " 位数字",
                       "The PIN must be " + std::to_string(kPinMinDigits) + " to " + std::to_string(kPinMaxDigits) + " digits",
                       "pin"};
    return Done{};
}

Result<Done> StaffLock::setPin(Store& store, std::string_view pin)
{
    LockStatus s = status(store);
    if (s.state == LockState::Lockout)
        return lockoutMessage();
    if (s.state == LockState::Set && locked_)
        return lockedMessage();
    return storePin(store, pin, false);
}

Result<Done> StaffLock::resetPin(Store& store, std::string_view pin) { return storePin(store, pin, true); }

Result<Done> StaffLock::storePin(Store& store, std::string_view pin, bool restore)
{
    if (auto c = checkPin(pin); !c)
        return c;
    if (!options_.kdf.randomHex || !options_.kdf.argon2id)
        return kdfFailed();
    std::string salt = options_.kdf.randomHex(kSaltBytes);
    std::string hash = options_.kdf.argon2id(pin, salt, options_.opslimit, options_.memlimit);
    if (salt.size() != 2 * kSaltBytes || hash.empty())
        return kdfFailed();
    json record{{"alg", "argon2id13"}, {"salt", salt}, {"hash", hash}, {"opslimit", options_.opslimit}, {"memlimit", options_.memlimit}};
    if (auto r = restore ? store.restorePinRecord(record.dump()) : store.setPinRecord(record.dump()); !r)
        return r;
    locked_ = false;
    return Done{};
}

Result<Done> StaffLock::unlock(Store& store, std::string_view pin)
{
    auto row = store.lockRow();
    if (!row)
        return lockoutMessage();
    if (!row->pin)
        return Message{"lock.no_pin", "尚未设置 PIN：请先设置", "No PIN yet: set one first", ""};
    LockStatus s = status(store);
    if (s.waitMs > 0)
        return waitMessage(s.waitMs); // not tried, not counted: the wait is the point
    json record = json::parse(*row->pin, nullptr, false);
    if (!record.is_object() || record.value("alg", "") != "argon2id13")
        return lockoutMessage();
    std::string hash;
    if (checkPin(pin))
        hash = options_.kdf.argon2id ? options_.kdf.argon2id(pin, record.value("salt", ""), record.value("opslimit", uint64_t(0)),
                                                             record.value("memlimit", uint64_t(0)))
                                     : "";
    // A PIN of the wrong form is a wrong PIN (counted), not a free probe.
    if (!hash.empty() && sameHash(hash, record.value("hash", ""))) {
        if (row->failures != 0)
            if (auto r = store.setPinFailures(0, 0); !r)
                return r;
        locked_ = false;
        return Done{};
    }
    if (checkPin(pin) && hash.empty())
        return kdfFailed();
    int failures = row->failures + 1;
    if (auto r = store.setPinFailures(failures, now()); !r)
        return r;
    return wrongPinMessage(pinDelayMs(failures));
}

} // namespace gatepass
