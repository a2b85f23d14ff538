// The staff lock: what stands between a script on the gate laptop and the
// community's records. The PIN's record and the count of wrong attempts live
// in the database (Store's gate_lock row), and the core refuses every request
// but the lock's own until the right PIN was given (Api, when built with a
// StaffLock). The PIN is stretched with Argon2id from libsodium, which the
// face supplies (PinKdf): libsodium.js in the browser worker, the Debian
// library natively. The core owns the rules: at least kPinMinDigits digits,
// a growing wait after wrong ones (pinDelayMs), no PIN record on a database
// that has data = lock-out.
#pragma once

#include "Message.h"
#include "Store.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace gatepass {

inline constexpr int kPinMinDigits = 6;
inline constexpr int kPinMaxDigits = 12;

/// The key-derivation function the lock uses, from a maintained library.
struct PinKdf {
    /// `n` bytes from a CSPRNG, as lower-case hex.
    std::function<std::string(size_t n)> randomHex;
    /// crypto_pwhash (Argon2id 1.3) of `pin` with the salt (hex, 16 bytes):
    /// 32 bytes as lower-case hex; empty when it failed (out of memory).
    std::function<std::string(std::string_view pin, std::string_view saltHex, uint64_t opslimit, uint64_t memlimit)> argon2id;
};

struct LockOptions {
    PinKdf kdf;
    // libsodium's "interactive" limits: about half a second in a browser.
    uint64_t opslimit = 2;
    uint64_t memlimit = 64u << 20;
    /// Unix ms for the waits. Never the request's `now`: a script could pass
    /// any time it likes. Empty: the system clock.
    std::function<int64_t()> clock;
};

/// How long the next attempt must wait after `failures` wrong PINs in a row:
/// two typos are free, then 5 s doubling up to 15 minutes.
int64_t pinDelayMs(int failures);

enum class LockState { New, Set, Lockout };

struct LockStatus {
    bool locked = true;
    LockState state = LockState::Lockout;
    int failures = 0;
    int64_t waitMs = 0; // before the next attempt is heard
};

/// The status a lock row gives (nullopt: no row, a lock-out) at `nowMs`;
/// StaffLock's over the Store, SealedGate's over the key ring.
LockStatus lockStatusOf(const std::optional<LockRow>& row, bool locked, int64_t nowMs);

class StaffLock {
public:
    explicit StaffLock(LockOptions options);

    bool locked() const { return locked_; }
    LockStatus status(const Store& store) const;
    /// The PIN's form only (kPinMinDigits..kPinMaxDigits digits); lock.pin_format.
    static Result<Done> checkPin(std::string_view pin);
    /// Sets the PIN: on first start, or when unlocked (a change). Unlocks.
    Result<Done> setPin(Store& store, std::string_view pin);
    /// lock.wait while the delay runs, lock.wrong_pin (counted, durably),
    /// lock.lockout without a PIN record; ok: unlocked, the count cleared.
    Result<Done> unlock(Store& store, std::string_view pin);
    void lock() { locked_ = true; }
    /// A new PIN whatever the state (lock-out, a forgotten PIN), the count
    /// cleared, unlocked. Only after the caller has proof (lock.recover: the
    /// office's enrollment code for this gate's community).
    Result<Done> resetPin(Store& store, std::string_view pin);

private:
    int64_t now() const;
    Result<Done> storePin(Store& store, std::string_view pin, bool restore);
    bool locked_ = true;
    LockOptions options_;
};

/// Every request but the lock's own, while locked.
Message lockedMessage();
/// The line the lock screen shows for a lock-out.
Message lockoutMessage();
/// lock.wait: the wait after too many wrong PINs is still running.
Message waitMessage(int64_t ms);
/// lock.wrong_pin, saying the wait the next attempt has (none: 0).
Message wrongPinMessage(int64_t nextWaitMs);

} // namespace gatepass
