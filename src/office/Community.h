// A community as the office knows it, and the files `gatepass community init`
// writes for it:
//   DIR/community.key   the X25519 secret key, base64url + "\n", mode 0600
//   DIR/community.pub   the public key, base64url + "\n"
//   DIR/community.json  {"code","name","site","key_id","public_key"}
// key_id = crypto::keyId(public key). The secret key is never printed.
#pragma once

#include "KeyPair.h"
#include "Message.h"

#include <optional>
#include <string>
#include <string_view>

namespace gatepass::office {

inline constexpr int kDefaultRetentionDays = 28;

struct Community {
    std::string code;      // letters, digits, '-'; up to 40 (as in batch files)
    std::string name;      // as residents know it
    std::string site;      // https://HOST/PREFIX/ where the faces are served
    std::string keyId;     // 8 hex digits
    std::string publicKey; // base64url
    std::string keyDir;    // where the office keeps DIR/community.key (the office database holds no secret key)
    int retentionDays = kDefaultRetentionDays;
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

/// The core's posterUrl (PosterUrl.h) of this community, with its public key.
std::string posterUrl(const Community& community);

/// "https://…" (or http to 127.0.0.1 / localhost only), normalised to end in '/'.
Result<std::string> checkSiteUrl(std::string_view url, std::string_view what);

/// A code: 1–40 of letters, digits, '-'. A gate or community name: 1–40
/// characters of valid UTF-8 without control characters.
std::optional<Message> checkCode(std::string_view code);
std::optional<Message> checkName(std::string_view name, std::string_view what);

} // namespace gatepass::office
