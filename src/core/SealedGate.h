// The gate's database sealed at rest, behind the staff lock: what the browser
// worker (and a native host) talks to instead of a bare Api for gate.sqlite.
//
// Three files through one VFS: the sealed database (AtRestVfs.h), its key ring
// (KeyRing.h) and, on a gate from before encryption at rest, the plain
// database. While locked no page of the sealed database can be read: the
// data key exists only between an unlock and the next lock.
//
//   first start (no ring, no sealed file, no plain file): lock.set_pin makes a
//       random data key, wraps it by the PIN in the ring, opens an empty sealed
//       database;
//   a plain database from before: its own StaffLock answers lock.* (the PIN
//       record, waits and lock-out it always had); once it unlocks (unlock,
//       set_pin or recover), the ring is made with that PIN and the plain file
//       is moved into the sealed one (migrateToSealed: deleted only after the
//       copy verified; a crash leaves it to be done at the next unlock);
//   lock.unlock {pin}: the key unwrapped (wrong PINs counted in the ring, the
//       waits of Lock.h held before anything is tried), the sealed database
//       opened; lock.lock: the database closed, the key wiped;
//   lock.recover {enrollment, pin}: the key opened with a community key pair
//       of the office's enrollment code (sealed to it in the ring at enrollment),
//       wrapped by the new PIN;
//   a ring without a PIN record, or no ring beside a sealed database: a
//       lock-out, never a first start (a lost ring cannot be recovered: the
//       recovery copies of the key are in it).
// Replies are the Api's (Api.h), lock.* included; while locked every other op
// answers lock.locked but lock.pin_check and enroll.prepare. Every community
// public key the gate holds gets a sealed copy of the data key after an unlock
// and after gate.enroll / settings.set / lock.recover.
#pragma once

#include "Api.h"
#include "AtRestVfs.h"
#include "KeyRing.h"
#include "Lock.h"

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace gatepass {

struct SealedGateFiles {
    std::string sealed = "gate.sealed";
    std::string plain = "gate.sqlite"; // a database from before encryption at rest
    std::string keys = "gate.keys";
    std::string vfs;                   // "": the default VFS
};

struct SealedGateHost {
    PageAead aead;
    KeyRingCrypto ring;
    LockOptions lock; // the Argon2id limits and the clock; kdf as ring.kdf
    PassCrypto crypto;
};

class SealedGate {
public:
    /// Opens the key ring (creates it when absent) and, when the ring is
    /// empty and a plain database exists, that database behind its StaffLock.
    static Result<std::unique_ptr<SealedGate>> open(SealedGateFiles files, SealedGateHost host);
    ~SealedGate();

    /// One request (Api::call's contract).
    std::string call(std::string_view requestJson, std::optional<std::string_view> data = std::nullopt);
    void onProgress(std::function<void(std::string_view progressJson)> sink);
    /// The sealed database is open (the key is in memory).
    bool unlocked() const { return api_.has_value(); }
    /// Schema version of the open database; 0 while locked.
    int schemaVersion() const { return schemaVersion_; }

private:
    SealedGate(SealedGateFiles files, SealedGateHost host, KeyRing ring);
    bool sealedExists() const;
    bool plainExists() const;
    LockStatus status() const;
    std::string statusReply() const;
    std::string lockCall(const std::string& op, std::string_view requestJson, std::string_view pin);
    std::string unlock(std::string_view pin);
    std::string setPin(std::string_view pin);
    std::string recover(std::string_view requestJson, std::string_view pin);
    std::string legacyCall(std::string_view requestJson, const std::string& op, std::string_view pin);
    /// With the key: the shim, the migration of a plain file, the sealed Api.
    Result<Done> openWith(const DataKey& key);
    void close();
    void sealToCommunityKeys();
    Api& idle();

    SealedGateFiles files_;
    SealedGateHost host_;
    KeyRing ring_;
    DataKey key_{};
    std::unique_ptr<AtRestVfs> vfs_;
    std::optional<Api> api_;    // the sealed database, while unlocked
    std::optional<Api> legacy_; // the plain database, until it is moved
    std::optional<Api> idle_;   // locked: a database in memory that holds nothing, behind a StaffLock
    std::function<void(std::string_view)> progress_;
    int schemaVersion_ = 0;
};

} // namespace gatepass
