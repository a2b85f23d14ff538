// A community as the office knows it, and the files `gatepass community init`
// writes for it:
//   DIR/community.key   the X25519 secret key, base64url + "\n", mode 0600
//   DIR/community.pub   the public key, base64url + "\n"
//   DIR/community.json  {"code","name","site","key_id","public_key",
//                        "retired"?:[{"key_id","public_key","until"}]}   newest first
//   DIR/retired/<key id>.key, .pub   a retired pair (rotateCommunityKey), 0600
// key_id = crypto::keyId(public key). The secret key is never printed.
//
// Rotation: a new pair becomes the poster's key; the old one is retired but
// gates keep it until "until" (ms since the epoch), so passes residents made
// from the old poster still open during the grace period. Gates learn the new
// key, and the retired ones still in grace, from their next enrollment code.
#pragma once

#include "KeyPair.h"
#include "Message.h"
#include "Records.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gatepass::office {

inline constexpr int kDefaultRetentionDays = 28;

struct RetiredKey {
    std::string keyId, publicKey;
    int64_t untilMs = 0; // gates open passes sealed to it until then
};

struct Community {
    std::string code;      // letters, digits, '-'; up to 40 (as in batch files)
    std::string name;      // as residents know it
    std::string site;      // https://HOST/PREFIX/ where the faces are served
    std::string keyId;     // 8 hex digits
    std::string publicKey; // base64url
    std::string keyDir;    // where the office keeps DIR/community.key (the office database holds no secret key)
    int retentionDays = kDefaultRetentionDays;
    std::vector<RetiredKey> retired; // from community.json only; newest first
};

struct CommunityInit {
    std::string code, name, site, outDir;
};

/// Checks the values, makes a key pair and writes the three files (refuses
/// to overwrite an existing community.key).
Result<Community> initCommunity(const CommunityInit& init);

/// community.json and community.pub, checked against each other.
Result<Community> readCommunity(const std::string& dir);

/// The key pair from community.key + community.pub, checked to belong together.
Result<crypto::BoxKeyPair> readCommunityKey(const std::string& dir);

/// One of a community's key pairs as an enrollment code carries it: the
/// current one (untilMs 0), or a retired one still in its grace period.
struct HeldKey {
    crypto::BoxKeyPair pair;
    std::string keyId;
    int64_t untilMs = 0;
};

/// The current pair, then each retired pair whose grace has not ended at
/// nowMs, newest first. community.key when a retired pair's files are
/// missing or do not match community.json.
Result<std::vector<HeldKey>> readCommunityKeys(const std::string& dir, int64_t nowMs);

/// Held keys as the core takes them (base64url text: PassCrypto, Batch.h BatchKeys).
std::vector<CommunityKey> coreKeys(const std::vector<HeldKey>& held);

/// Every pair DIR holds, the current and each retired one community.json
/// still lists whatever its grace: the keys that open the community's sealed
/// batches (Batch.h format 3) — a gate not yet enrolled again after a
/// rotation still seals to the old one. The office database holds no secret
/// key: this is read from the folder `office add-community --key` recorded.
Result<std::vector<CommunityKey>> batchOpeningKeys(const std::string& dir);

inline constexpr int kDefaultKeyGraceDays = 14;

struct KeyRotation {
    std::string dir;
    int graceDays = kDefaultKeyGraceDays; // 1–90
    int64_t nowMs = 0;
};

/// Retires the current pair (copied to DIR/retired/<key id>.key and .pub,
/// until nowMs + graceDays) and makes a new one, which the poster URL then
/// carries. Retired pairs past their grace are dropped from community.json
/// (their files stay until someone deletes them). community.grace for a grace
/// outside 1–90 days; nothing is changed when a file cannot be written.
Result<Community> rotateCommunityKey(const KeyRotation& rotation);

/// The core's posterUrl (PosterUrl.h) of this community, with its public key.
std::string posterUrl(const Community& community);

/// "https://…" (or http to 127.0.0.1 / localhost only), normalised to end in '/'.
Result<std::string> checkSiteUrl(std::string_view url, std::string_view what);

/// A code: 1–40 of letters, digits, '-'. A gate or community name: 1–40
/// characters of valid UTF-8 without control characters.
std::optional<Message> checkCode(std::string_view code);
std::optional<Message> checkName(std::string_view name, std::string_view what);

} // namespace gatepass::office
