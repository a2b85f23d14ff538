#include "Community.h"

#include "PosterUrl.h"

#include "Base64Url.h"

#include <nlohmann/json.hpp>
#include <utf8.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>

#include <filesystem>
#include <fstream>
#include <iterator>

namespace gatepass::office {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

Message fail(std::string code, std::string zh, std::string en) { return Message{std::move(code), std::move(zh), std::move(en), ""}; }

std::optional<std::string> readText(const fs::path& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return std::nullopt;
    return std::string(std::istreambuf_iterator<char>(in), {});
}

std::string trimmed(std::string s)
{
    while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' '))
        s.pop_back();
    return s;
}

bool writeFile(const fs::path& path, std::string_view text, mode_t mode)
{
    // Created with its final mode, so the secret key is never readable by others, even briefly.
    std::FILE* f = nullptr;
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL, mode);
    if (fd < 0 || !(f = ::fdopen(fd, "wb")))
        return false;
    bool ok = std::fwrite(text.data(), 1, text.size(), f) == text.size();
    ok = (std::fflush(f) == 0) && ok && ::fsync(fd) == 0;
    return (std::fclose(f) == 0) && ok;
}

/// Replaces `path` whole: written beside it, then renamed over it.
bool replaceFile(const fs::path& path, std::string_view text, mode_t mode)
{
    fs::path next = path;
    next += ".new";
    ::unlink(next.c_str()); // a leftover from an interrupted rotation
    return writeFile(next, text, mode) && ::rename(next.c_str(), path.c_str()) == 0;
}

json communityJson(const Community& c)
{
    json j{{"code", c.code}, {"name", c.name}, {"site", c.site}, {"key_id", c.keyId}, {"public_key", c.publicKey}};
    if (!c.retired.empty()) {
        j["retired"] = json::array();
        for (const RetiredKey& r : c.retired)
            j["retired"].push_back({{"key_id", r.keyId}, {"public_key", r.publicKey}, {"until", r.untilMs}});
    }
    return j;
}

Message keyFilesBad(const fs::path& dir)
{
    return fail("community.key", "无法读取社区密钥，或密钥与公钥不符：" + dir.string(),
                "Cannot read the community key, or it does not match the public key: " + dir.string());
}

/// A pair from SECRET and PUBLIC files, checked to belong together.
Result<crypto::BoxKeyPair> readPair(const fs::path& secretFile, const fs::path& publicFile, const fs::path& dir)
{
    auto secret = readText(secretFile);
    auto pub = readText(publicFile);
    if (!secret || !pub)
        return keyFilesBad(dir);
    auto s = crypto::fromBase64Url(trimmed(*secret));
    auto p = crypto::fromBase64Url(trimmed(*pub));
    crypto::wipe(*secret);
    if (!s || !p || s->size() != 32 || p->size() != 32)
        return keyFilesBad(dir);
    crypto::BoxKeyPair pair;
    std::copy(s->begin(), s->end(), pair.secretKey.begin());
    std::copy(p->begin(), p->end(), pair.publicKey.begin());
    crypto::wipe(*s);
    if (!crypto::keysMatch(pair))
        return keyFilesBad(dir);
    return pair;
}

} // namespace

std::optional<Message> checkCode(std::string_view code)
{
    bool ok = !code.empty() && code.size() <= 40;
    for (unsigned char c : code)
        ok = ok && (std::isalnum(c) || c == '-');
    if (!ok)
        return fail("community.code", "社区代码须为 1–40 个字母、数字或 -", "A community code is 1–40 letters, digits or '-'");
    return std::nullopt;
}

std::optional<Message> checkName(std::string_view name, std::string_view what)
{
    bool ok = !name.empty() && utf8::is_valid(name.begin(), name.end());
    size_t chars = 0;
    if (ok)
        for (auto it = name.begin(); it != name.end();) {
            uint32_t cp = utf8::next(it, name.end());
            ok = ok && cp >= 0x20 && cp != 0x7f;
            ++chars;
        }
    if (!ok || chars > 40)
        return fail(std::string(what) + ".name", "名称须为 1–40 个字符，不含控制字符",
                    "A name is 1–40 characters without control characters");
    return std::nullopt;
}

Result<std::string> checkSiteUrl(std::string_view url, std::string_view what)
{
    std::string u(url);
    auto hostIsLocal = [&](std::string_view rest) {
        return rest.starts_with("127.0.0.1") || rest.starts_with("localhost") || rest.starts_with("[::1]");
    };
    bool https = u.starts_with("https://") && u.size() > 8;
    bool localHttp = u.starts_with("http://") && hostIsLocal(std::string_view(u).substr(7));
    bool clean = u.find_first_of(" \t\r\n\"'<>\\") == std::string::npos && u.find('?') == std::string::npos &&
                 u.find('#') == std::string::npos;
    if (!(https || localHttp) || !clean)
        return fail(std::string(what) + ".url", "地址须以 https:// 开头（本机测试可用 http://127.0.0.1），且不含 ? 或 #",
                    "The address must start with https:// (http://127.0.0.1 for testing on this machine) and hold no ? or #");
    if (u.back() != '/')
        u += '/';
    return u;
}

std::string posterUrl(const Community& c) { return gatepass::posterUrl(c.site, c.code, c.name, c.publicKey); }

Result<Community> initCommunity(const CommunityInit& init)
{
    if (auto m = checkCode(init.code))
        return *m;
    if (auto m = checkName(init.name, "community"))
        return *m;
    auto site = checkSiteUrl(init.site, "site");
    if (!site)
        return site.error();
    fs::path dir(init.outDir);
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (fs::exists(dir / "community.key"))
        return fail("community.exists", "该目录已有社区密钥，未覆盖：" + (dir / "community.key").string(),
                    "A community key already exists there; not overwritten: " + (dir / "community.key").string());

    crypto::BoxKeyPair pair = crypto::newBoxKeyPair();
    Community c;
    c.code = init.code;
    c.name = init.name;
    c.site = *site;
    c.publicKey = crypto::toBase64Url(pair.publicKey);
    c.keyId = crypto::keyId(pair.publicKey);
    c.keyDir = fs::absolute(dir).string();

    std::string secret = crypto::toBase64Url(pair.secretKey) + "\n";
    bool ok = writeFile(dir / "community.key", secret, 0600);
    crypto::wipe(secret);
    ok = ok && writeFile(dir / "community.pub", c.publicKey + "\n", 0644);
    ok = ok && writeFile(dir / "community.json", communityJson(c).dump(2) + "\n", 0644);
    if (!ok)
        return fail("file.write", "无法写入 " + dir.string(), "Cannot write to " + dir.string());
    return c;
}

Result<Community> readCommunity(const std::string& dirText)
{
    fs::path dir(dirText);
    auto bad = [&](std::string why) {
        return fail("community.files", "社区文件缺失或不一致（" + why + "）：" + dir.string(),
                    "The community files are missing or do not match (" + why + "): " + dir.string());
    };
    auto text = readText(dir / "community.json");
    auto pub = readText(dir / "community.pub");
    if (!text || !pub)
        return bad("community.json / community.pub");
    json j = json::parse(*text, nullptr, false);
    Community c;
    try {
        c.code = j.at("code").get<std::string>();
        c.name = j.at("name").get<std::string>();
        c.site = j.at("site").get<std::string>();
        c.keyId = j.at("key_id").get<std::string>();
        c.publicKey = j.at("public_key").get<std::string>();
        for (const json& r : j.value("retired", json::array()))
            c.retired.push_back({r.at("key_id").get<std::string>(), r.at("public_key").get<std::string>(), r.at("until").get<int64_t>()});
    } catch (const json::exception&) {
        return bad("community.json");
    }
    auto key = crypto::fromBase64Url(c.publicKey);
    if (!key || key->size() != 32 || trimmed(*pub) != c.publicKey || crypto::keyId(*key) != c.keyId)
        return bad("public key");
    if (checkCode(c.code) || checkName(c.name, "community"))
        return bad("code / name");
    c.keyDir = fs::absolute(dir).string();
    return c;
}

Result<crypto::BoxKeyPair> readCommunityKey(const std::string& dirText)
{
    fs::path dir(dirText);
    return readPair(dir / "community.key", dir / "community.pub", dir);
}

Result<std::vector<HeldKey>> readCommunityKeys(const std::string& dirText, int64_t nowMs)
{
    fs::path dir(dirText);
    auto c = readCommunity(dirText);
    if (!c)
        return c.error();
    auto current = readCommunityKey(dirText);
    if (!current)
        return current.error();
    std::vector<HeldKey> keys{{*current, c->keyId, 0}};
    for (const RetiredKey& r : c->retired) {
        if (r.untilMs <= nowMs)
            continue;
        // The id names the files, so it must be hex before it touches a path.
        if (r.keyId.size() != 8 || r.keyId.find_first_not_of("0123456789abcdef") != std::string::npos)
            return keyFilesBad(dir);
        auto pair = readPair(dir / "retired" / (r.keyId + ".key"), dir / "retired" / (r.keyId + ".pub"), dir);
        if (!pair)
            return pair.error();
        if (crypto::keyId(pair->publicKey) != r.keyId || crypto::toBase64Url(pair->publicKey) != r.publicKey)
            return keyFilesBad(dir);
        keys.push_back({*pair, r.keyId, r.untilMs});
    }
    return keys;
}

std::vector<CommunityKey> coreKeys(const std::vector<HeldKey>& held)
{
    std::vector<CommunityKey> keys;
    for (const HeldKey& k : held)
        keys.push_back({k.keyId, crypto::toBase64Url(k.pair.secretKey), crypto::toBase64Url(k.pair.publicKey), k.untilMs});
    return keys;
}

Result<std::vector<CommunityKey>> batchOpeningKeys(const std::string& dir)
{
    auto held = readCommunityKeys(dir, 0); // 0: every retired pair listed, whatever its grace
    if (!held)
        return held.error();
    return coreKeys(*held);
}

Result<Community> rotateCommunityKey(const KeyRotation& rotation)
{
    if (rotation.graceDays < 1 || rotation.graceDays > 90)
        return fail("community.grace", "宽限期须为 1–90 天", "The grace period is 1–90 days");
    fs::path dir(rotation.dir);
    auto c = readCommunity(rotation.dir);
    if (!c)
        return c.error();
    auto old = readCommunityKey(rotation.dir);
    if (!old)
        return old.error();
    auto cannotWrite = fail("file.write", "无法写入 " + dir.string() + "，密钥未更换", "Cannot write to " + dir.string() + "; the key was not changed");

    // 1. The old pair is kept first, so a failure later leaves it where gates need it.
    std::error_code ec;
    fs::create_directories(dir / "retired", ec);
    fs::path oldKey = dir / "retired" / (c->keyId + ".key"), oldPub = dir / "retired" / (c->keyId + ".pub");
    std::string secret = crypto::toBase64Url(old->secretKey) + "\n";
    bool ok = replaceFile(oldKey, secret, 0600) && replaceFile(oldPub, c->publicKey + "\n", 0644);
    crypto::wipe(secret);
    if (!ok)
        return cannotWrite;

    // 2. The new pair and community.json, each replaced whole. An interruption
    // between the renames leaves files readCommunity refuses as not matching
    // (community.files), never a key that opens nothing: rotate again.
    Community next = *c;
    next.retired.clear();
    next.retired.push_back({c->keyId, c->publicKey, rotation.nowMs + int64_t(rotation.graceDays) * 86'400'000});
    for (const RetiredKey& r : c->retired)
        if (r.untilMs > rotation.nowMs)
            next.retired.push_back(r);
    crypto::BoxKeyPair pair = crypto::newBoxKeyPair();
    next.publicKey = crypto::toBase64Url(pair.publicKey);
    next.keyId = crypto::keyId(pair.publicKey);
    secret = crypto::toBase64Url(pair.secretKey) + "\n";
    ok = replaceFile(dir / "community.key", secret, 0600);
    crypto::wipe(secret);
    ok = ok && replaceFile(dir / "community.pub", next.publicKey + "\n", 0644) &&
         replaceFile(dir / "community.json", communityJson(next).dump(2) + "\n", 0644);
    if (!ok)
        return cannotWrite;
    return next;
}

} // namespace gatepass::office
