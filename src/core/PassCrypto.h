// The sealed-box operations live passes need (Pass.h format 2) and the MAC
// gate batches carry (Batch.h format 2), given to the core by its host: the core itself holds no cryptography, because the wasm
// core has no libsodium. (SHA-256, which plain passes and batches need on every
// host, with or without keys, is reached without a PassCrypto: Digest.h.) Natively src/crypto/SealedBox.h gives libsodium's;
// in the browser src/wasm/Bindings.cpp gives the core worker's
// libsodium-wrappers (Module.gpCrypto). Keys travel as unpadded base64url
// text, as settings keep them; bytes as std::string.
//
// The secret key goes from the store to `open` only: no Api reply carries it.
#pragma once

#include "Pass.h"
#include "Records.h"

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gatepass {

struct PassCrypto {
    /// crypto_box_seal(plain, publicKey); nullopt when the key is not one.
    std::function<std::optional<std::string>(std::string_view plain, std::string_view publicKey)> seal;
    /// crypto_box_seal_open; nullopt when the bytes were not sealed to this pair or were altered.
    std::function<std::optional<std::string>(std::string_view sealed, std::string_view publicKey, std::string_view secretKey)> open;
    /// Pass.h's key id of a public key (BLAKE2b-256, first 4 bytes); nullopt when the key is not one.
    std::function<std::optional<KeyId>(std::string_view publicKey)> keyId;

    /// crypto_auth (HMAC-SHA-512-256) of `message` under a gate key: the 32-byte
    /// tag; nullopt when the key is not a 32-byte base64url key.
    std::function<std::optional<std::string>(std::string_view message, std::string_view key)> mac;
    /// crypto_auth_verify (constant time): `tag` is `message`'s under `key`.
    std::function<bool(std::string_view tag, std::string_view message, std::string_view key)> verify;

    /// `n` random bytes from the host's CSPRNG (randombytes_buf natively,
    /// crypto.getRandomValues in the worker) as 2n lower-case hex digits:
    /// visitor pass ids (VisitorPass.h).
    std::function<std::string(size_t n)> randomHex;

    bool available() const { return seal && open && keyId; }
    bool canMac() const { return mac && verify; }
};

/// crypto.unavailable: the host gave no PassCrypto (the worker's libsodium did not load).
Message cryptoUnavailable();

/// The plain bytes of a GP2 pass, opened with the one of `keys` whose id it
/// names, not yet read (their first byte says which payload: Pass.h format 2,
/// CardPass.h format 3, VisitorPass.h format 4): unframeSealedPass's errors,
/// pass.not_enrolled (no keys), pass.other_community (none has its id),
/// pass.retired_key (its key's grace ended before nowMs), crypto.unavailable,
/// pass.damaged (did not open).
Result<std::string> openSealedPlain(std::string_view text, const std::vector<CommunityKey>& keys, const PassCrypto& crypto,
                                    int64_t nowMs);

/// A GP2 pass opened with the one of `keys` whose id it names, read and
/// checked against the clock — the one way a gate and the office CLI open a
/// live pass: unframeSealedPass's errors, pass.not_enrolled (no keys),
/// pass.other_community (none has its id), pass.retired_key (its key's grace
/// ended before nowMs: the resident scans the new poster), crypto.unavailable,
/// pass.damaged (did not open), then readLivePassPlain's.
Result<LivePass> openLivePass(std::string_view text, const std::vector<CommunityKey>& keys, const PassCrypto& crypto,
                              int64_t nowMs, const LiveWindow& window);

} // namespace gatepass
