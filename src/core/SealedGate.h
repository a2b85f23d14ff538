// The gate's database sealed at rest, behind the staff lock: what the browser
// worker (and a native host) talks to instead of a bare Api for gate.sqlite.
//
// Files through one VFS: the sealed database (AtRestVfs.h), its key ring
// (KeyRing.h: gate.keys and its second copy gate.keys2) and, on a gate from
// before encryption at rest, the plain database. While locked no page of the sealed database can be read: the
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
//       wrapped by the new PIN; the database opened, and the code's settings
//       (community, gate, site, keys, upload address and token, retention)
//       applied as at enrollment when it is this gate's community
//       (enrollmentFitsGate);
//   a ring without a PIN record, or no ring (neither copy) beside a sealed
//       database: a lock-out, never a first start (a ring lost with both its
//       copies cannot be recovered: the recovery copies of the key are in it);
//   a damaged sealed database: with the right key (never after a wrong PIN:
//       the key is proven by the ring's box before the file is read) every
//       page is checked before the database is first used in this
//       SealedGate's life (the worker's: once a page load, not at every
//       unlock); a page that does not authenticate, or a failed integrity
//       check, answers storage.damaged
//       with "set_aside": the path the host moves aside (with its -journal,
//       keeping the bytes) before it calls setAside(); a new empty sealed
//       database is then started under the same key ring, and the reply says
//       where the old one went (quarantined: storage.quarantined, zh/en).
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
    /// The host's answer to a reply with "set_aside": the damaged file and its
    /// journal are now at `keptAs` (a name for staff, e.g. quarantine/…), or
    /// nullopt when they could not be moved (storage.set_aside; nothing
    /// opened, the next unlock tries again). Opens a new sealed database under
    /// the held key and applies a recovery's enrollment; the status reply
    /// carries `quarantined` (storage.quarantined, naming `keptAs`).
    std::string setAside(std::optional<std::string_view> keptAs);
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
    /// With the key: the shim, the migration of a plain file, the sealed Api;
    /// storage.damaged when the sealed file fails its check.
    Result<Done> openWith(const DataKey& key);
    /// openWith, then a recovery's enrollment applied; the status reply, or
    /// the set-aside request when the file is damaged (the key held meanwhile).
    std::string openReply(const DataKey& key, std::optional<std::string> enrollment);
    Result<Done> applyEnrollment(const std::string& enrollment);
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
    struct Damaged { // the key and the recovery's enrollment, until the host set the file aside
        DataKey key{};
        std::optional<std::string> enrollment;
    };
    std::optional<Damaged> damaged_;
    std::optional<Message> quarantined_; // said in every status reply until the next lock
    bool checked_ = false;               // the sealed file passed its check (or was started) in this life
    std::function<void(std::string_view)> progress_;
    int schemaVersion_ = 0;
};

} // namespace gatepass
