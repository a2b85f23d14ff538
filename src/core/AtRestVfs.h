// The gate's database encrypted at rest: an SQLite VFS shim that seals every
// page of the main database, and every page copy in its rollback journal,
// with XChaCha20-Poly1305 (IETF) under a 32-byte data key, and passes the
// sealed bytes to an underlying VFS (the browser's OPFS one, or the platform
// default natively, where the tests run it).
//
// Page layout (kAtRestPageSize bytes, fixed): bytes [0, size-40) are the
// ciphertext of the page's own bytes; the last 40 are the 24-byte random
// nonce and the 16-byte tag, kept in the page's reserved bytes, so SQLite
// never uses them (Store opens with kAtRestReserveBytes reserved, set before
// the first page is written; a page 1 that says otherwise is not written).
// The associated data is the file's role (database or journal) and the page
// number: a page moved to another place, or from the journal to the database,
// does not authenticate. A page that does not authenticate makes the read fail
// with SQLITE_IOERR_AUTH, which storageError() words as storage.tampered; the
// wrong key looks the same.
//
// The journal: SQLite writes and reads a page record as three calls (4-byte
// page number, the page, 4-byte checksum); the page is the only call of
// kAtRestPageSize bytes at an offset that is not a multiple of 8 (headers sit
// at sector boundaries), so those are sealed, with the page number written
// just before them as associated data. The header and the record's page
// number and checksum stay plain: they say nothing but counts, page numbers
// and SQLite's sum of 20 bytes of the page plus a random start.
//
// Files SQLite needs only while the connection lives (statement journals,
// temp tables, VACUUM's copy) are kept in memory and never reach the
// underlying VFS. WAL, super-journals and memory mapping are not offered.
//
// Not protected: replaying an older sealed version of the same page at the
// same place (the key is per database; old versions only exist in copies of
// the file), and the file's length.
//
// The cryptography is the host's (the core has none: libsodium natively,
// libsodium.js in the browser worker), given as a PageAead.
#pragma once

#include "Message.h"

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace gatepass {

inline constexpr int kAtRestPageSize = 4096;
inline constexpr int kAtRestNonceBytes = 24; // crypto_aead_xchacha20poly1305_ietf_NPUBBYTES
inline constexpr int kAtRestTagBytes = 16;   // crypto_aead_xchacha20poly1305_ietf_ABYTES
inline constexpr int kAtRestReserveBytes = kAtRestNonceBytes + kAtRestTagBytes;
inline constexpr int kAtRestKeyBytes = 32;

using DataKey = std::array<uint8_t, kAtRestKeyBytes>;

/// XChaCha20-Poly1305-IETF, detached, in place, from a maintained library.
struct PageAead {
    /// crypto_aead_xchacha20poly1305_ietf_encrypt_detached: fills `nonce`
    /// with 24 fresh random bytes, replaces text[0..n) with its ciphertext,
    /// writes the 16-byte tag. False: the host could not (not loaded).
    std::function<bool(uint8_t* text, size_t n, const uint8_t* ad, size_t adLen, const uint8_t* key, uint8_t* nonce, uint8_t* tag)> seal;
    /// ..._decrypt_detached in place; false when it does not authenticate.
    std::function<bool(uint8_t* text, size_t n, const uint8_t* ad, size_t adLen, const uint8_t* key, const uint8_t* nonce, const uint8_t* tag)> open;

    bool available() const { return seal && open; }
};

/// A registered shim VFS holding one data key. Open the database with
/// name() as its VFS; close every connection before the AtRestVfs is
/// destroyed, which unregisters it and wipes the key (the lock does that).
class AtRestVfs {
public:
    /// Registers a shim over `underlying` (nullptr: the default VFS) under a
    /// fresh name. storage.io when the underlying VFS is not registered.
    static Result<std::unique_ptr<AtRestVfs>> create(const char* underlying, PageAead aead, const DataKey& key);
    ~AtRestVfs();
    AtRestVfs(const AtRestVfs&) = delete;
    AtRestVfs& operator=(const AtRestVfs&) = delete;

    const char* name() const;

    /// Pages opened (decrypted) and sealed since the shim was made: the
    /// benchmark and the tests bound the work a write costs.
    struct Counters {
        uint64_t opened = 0;
        uint64_t sealed = 0;
        uint64_t refused = 0; // pages that did not authenticate
    };
    Counters counters() const;

    struct State; // defined in AtRestVfs.cpp; public only for its C callbacks

private:
    explicit AtRestVfs(std::unique_ptr<State> state);
    std::unique_ptr<State> state_;
};

/// storage.tampered: a page of the database did not authenticate.
Message tamperedMessage();

} // namespace gatepass
