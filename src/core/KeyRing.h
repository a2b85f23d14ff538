// The key ring of a sealed gate database (AtRestVfs.h): a small plain SQLite
// file beside it (gate.keys), read before the database can be opened. It
// holds the random 32-byte data key wrapped twice, and nothing else secret:
//   - by the staff PIN: Argon2id (crypto_pwhash) of the PIN and a salt gives
//     a key that crypto_secretbox'es the data key; the right PIN is the one
//     whose box opens, so there is no separate PIN hash;
//   - for recovery: crypto_box_seal'ed to each community public key the gate
//     is enrolled with, so the office's enrollment code (which carries the
//     private key) opens it when the PIN is forgotten or the record lost.
// It also keeps the count of wrong PINs and when the last one came, so the
// lock's waits (Lock.h) hold before the database is opened.
//
// Two copies: the ring at `path` and a second one at `path` + "2" (gate.keys2).
// Every change is made to the first, then the same change to the second, each
// in its own SQLite transaction (so a crash leaves each whole, the second at
// most one change behind), and each transaction also sets the copy's change
// count (SQLite's user_version) to one more than the higher of the two. At
// open, a copy that is missing, empty while the other is not, or fails
// SQLite's integrity check is made again from the other, and of two whole
// copies at different counts the higher one is copied over the lower (a PIN
// change cut between its two writes holds: the old PIN does not come back).
// Two copies at the same count that differ are damage, which is the
// cryptography's to judge (no checksum here): a PIN whose box does not open
// in the first copy but opens in the second proves the first damaged, and it
// is restored from the second; a recovery tries both. Both copies lost: a
// lock-out, as before.
//
// The cryptography is the host's (libsodium natively, libsodium.js in the
// browser worker), given as a KeyRingCrypto. Keys leave this class only as
// the DataKey the caller hands to AtRestVfs; they are never in a reply.
#pragma once

#include "AtRestVfs.h"
#include "Lock.h"
#include "PassCrypto.h"
#include "Sqlite.h"

#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace gatepass {

struct KeyRingCrypto {
    PinKdf kdf; // randomHex (also the data key and nonces), argon2id
    /// crypto_secretbox_easy(plain, nonce (24 bytes), key (32 bytes)); nullopt when it could not.
    std::function<std::optional<std::string>(std::string_view plain, std::string_view nonce, std::string_view key)> secretbox;
    /// crypto_secretbox_open_easy; nullopt when it does not open (another key, altered).
    std::function<std::optional<std::string>(std::string_view boxed, std::string_view nonce, std::string_view key)> secretboxOpen;
    PassCrypto box; // seal / open: crypto_box_seal to a community key (base64url keys)

    bool available() const { return kdf.randomHex && kdf.argon2id && secretbox && secretboxOpen && box.seal && box.open; }
};

class KeyRing {
public:
    /// Opens or creates the key ring file and its second copy (`path` + "2")
    /// through `vfs` (the plain one), restoring one from the other (above).
    static Result<KeyRing> open(const std::string& path, const char* vfs = nullptr);
    /// The second copy's path for a ring at `path`.
    static std::string copyPath(const std::string& path) { return path + "2"; }

    /// No data key yet: a new gate (or one from before encryption at rest).
    bool empty() const;
    /// The lock's state as Store::lockRow gives it: nullopt when the ring
    /// has a data key but no PIN record (removed: a lock-out).
    std::optional<LockRow> lockRow() const;

    /// A new random data key wrapped by `pin`: first start only (lock.lockout
    /// when the ring already holds one). Argon2id with the given limits.
    Result<DataKey> create(std::string_view pin, const KeyRingCrypto& c, uint64_t opslimit, uint64_t memlimit);
    /// The data key opened with `pin`; lock.wrong_pin when the box opens in
    /// neither copy (when only the second's opens and the second is at the
    /// first's change count, the first is restored from it; a second copy
    /// behind the first never opens: its PIN was changed), lock.lockout
    /// without a PIN record, lock.kdf when Argon2id failed.
    /// Counting wrong PINs is the caller's (setPinFailures).
    Result<DataKey> unwrap(std::string_view pin, const KeyRingCrypto& c);
    /// Wraps `key` under a new PIN (a change, or after recovery); the count cleared.
    Result<Done> rewrap(const DataKey& key, std::string_view pin, const KeyRingCrypto& c, uint64_t opslimit, uint64_t memlimit);
    /// Seals `key` to a community public key (at enrollment, at a key change).
    /// A sealed copy of the key to this community public key is kept.
    bool hasRecipient(std::string_view publicKey) const;
    Result<Done> addRecipient(const DataKey& key, std::string_view publicKey, const KeyRingCrypto& c);
    /// The data key opened with a community key pair (from the office's
    /// enrollment code), from either copy; lock.recover_other when it was
    /// sealed to no such key.
    Result<DataKey> recover(std::string_view publicKey, std::string_view secretKey, const KeyRingCrypto& c) const;
    Result<Done> setPinFailures(int failures, int64_t atMs);

private:
    KeyRing(Database db, Database copy) : db_(std::move(db)), copy_(std::move(copy)) {}
    Result<Done> storeWrapped(const DataKey& key, std::string_view pin, const KeyRingCrypto& c, uint64_t opslimit,
                              uint64_t memlimit, bool fresh);
    /// One change (`sql`, bound by `bind`) to both copies, the first first.
    Result<Done> change(std::string_view sql, const std::function<void(Statement&)>& bind, std::string_view doing);
    Database db_;
    Database copy_; // the second copy (gate.keys2)
};

} // namespace gatepass
