#include "GateEnrollment.h"

#include "Feed.h"

#include "WebAddress.h"

#include "Base64.h"
#include "RecordJson.h"

#include <nlohmann/json.hpp>

namespace gatepass {

using nlohmann::json;

namespace {

Message invalid(const std::string& field)
{
    return Message{"enroll.invalid", "登记码内容无效（" + field + "），请让办公室重新生成",
                   "The enrollment code's content is invalid (" + field + "); ask the office for a new one", field};
}

bool isSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

// A 32-byte key or secret in base64url (43 characters).
bool isKey32(const json& j)
{
    if (!j.is_string())
        return false;
    auto bytes = decodeBase64Url(j.get_ref<const std::string&>());
    return bytes && bytes->size() == 32;
}

// A non-empty string of at most `max` bytes (the store's settings allow 200).
bool isText(const json& j, size_t max = 200)
{
    return j.is_string() && !j.get_ref<const std::string&>().empty() && j.get_ref<const std::string&>().size() <= max;
}

bool isWebAddress(const json& j) { return isText(j) && splitWebAddress(j.get_ref<const std::string&>()); }

} // namespace

Result<SealedEnrollment> splitEnrollmentCode(std::string_view code)
{
    while (!code.empty() && isSpace(code.back()))
        code.remove_suffix(1);
    while (!code.empty() && isSpace(code.front()))
        code.remove_prefix(1);
    if (!code.starts_with(kEnrollmentPrefix))
        return Message{"enroll.foreign", "这不是门岗登记码", "This is not a gate enrollment code", "code"};
    auto bytes = decodeBase64Url(code.substr(kEnrollmentPrefix.size()));
    if (!bytes || bytes->size() < kEnrollmentSaltBytes + kEnrollmentNonceBytes + kEnrollmentMacBytes)
        return Message{"enroll.damaged", "登记码不完整或已损坏", "The enrollment code is incomplete or damaged", "code"};
    auto at = bytes->begin();
    SealedEnrollment s;
    s.salt.assign(at, at + kEnrollmentSaltBytes);
    s.nonce.assign(at + kEnrollmentSaltBytes, at + kEnrollmentSaltBytes + kEnrollmentNonceBytes);
    s.box.assign(at + kEnrollmentSaltBytes + kEnrollmentNonceBytes, bytes->end());
    return s;
}

Message wrongPassphrase()
{
    return Message{"enroll.wrong_passphrase", "口令不正确，或登记码已被改动", "Wrong passphrase, or the enrollment code was altered",
                   "passphrase"};
}

Result<GateEnrollment> parseEnrollment(std::string_view text)
{
    json j = json::parse(text, nullptr, false);
    if (!j.is_object())
        return invalid("json");
    auto v = j.find("v");
    if (v == j.end() || !v->is_number_integer())
        return invalid("v");
    if (v->get<int64_t>() != 1)
        return Message{"enroll.version", "此登记码来自更新版本的办公室程序，请先更新门岗控制台",
                       "This enrollment code comes from a newer office version; update the gate console first", "v"};
    GateEnrollment e;
    const json& community = j.contains("community") ? j["community"] : json();
    if (!community.is_object())
        return invalid("community");
    if (!isText(community.value("code", json()), 40))
        return invalid("community.code");
    if (!isText(community.value("name", json())))
        return invalid("community.name");
    e.communityCode = community["code"];
    e.communityName = community["name"];
    if (!isWebAddress(j.value("site", json())))
        return invalid("site");
    e.site = j["site"];
    if (!isText(j.value("gate", json())))
        return invalid("gate");
    e.gate = j["gate"];
    const json keys = j.value("keys", json());
    if (!keys.is_array() || keys.empty() || keys.size() > 8)
        return invalid("keys");
    for (size_t i = 0; i < keys.size(); ++i) {
        const json& k = keys[i];
        if (!k.is_object() || !isText(k.value("id", json()), 64) || !isKey32(k.value("secret_key", json())) ||
            !isKey32(k.value("public_key", json())))
            return invalid("keys");
        // The first key is the current one; each retired one says until when it opens passes.
        const json until = k.value("until", json());
        if (i == 0 ? !until.is_null() : !(until.is_number_integer() && until.get<int64_t>() > 0))
            return invalid("keys");
    }
    e.keysJson = keys.dump();
    if (!isKey32(j.value("gate_key", json())))
        return invalid("gate_key");
    e.gateKey = j["gate_key"];
    const bool hasUrl = j.contains("upload_url"), hasToken = j.contains("token");
    if (hasUrl != hasToken)
        return invalid(hasUrl ? "token" : "upload_url");
    if (hasUrl) {
        if (!isWebAddress(j["upload_url"]))
            return invalid("upload_url");
        if (!uploadUrlAllowed(j["upload_url"].get<std::string>()))
            return Message{"upload.insecure_address", "上传地址必须以 https:// 开头（本机测试除外）",
                           "The upload address must start with https:// (except this machine, for a test)", "upload_url"};
        if (!isText(j["token"]))
            return invalid("token");
        e.uploadUrl = j["upload_url"];
        e.token = j["token"];
    }
    auto days = j.find("retention_days");
    if (days == j.end() || !days->is_number_integer() || days->get<int64_t>() < kMinRetentionDays || days->get<int64_t>() > kMaxRetentionDays)
        return invalid("retention_days");
    e.retentionDays = int(days->get<int64_t>());
    if (auto rows = j.find("revocations"); rows != j.end()) {
        if (!rows->is_array() || rows->size() > kMaxFeedRows)
            return invalid("revocations");
        std::vector<Revocation> list;
        for (const json& row : *rows) {
            auto r = revocationFromJson(row);
            if (!r || checkRevocation(*r))
                return invalid("revocations");
            list.push_back(std::move(*r));
        }
        e.revocations = std::move(list);
    }
    return e;
}

Settings withEnrollment(Settings s, const GateEnrollment& e)
{
    s.communityCode = e.communityCode;
    s.communityName = e.communityName;
    s.site = e.site;
    s.gateName = e.gate;
    s.communityKeys = e.keysJson;
    s.gateKey = e.gateKey;
    s.uploadUrl = e.uploadUrl;
    s.uploadToken = e.token;
    s.retentionDays = e.retentionDays;
    return s;
}

bool enrollmentFitsGate(const Settings& s, const GateEnrollment& e)
{
    std::vector<CommunityKey> held = communityKeys(s.communityKeys);
    if (held.empty())
        return s.communityCode.empty() || s.communityCode == e.communityCode;
    for (const CommunityKey& h : held)
        for (const CommunityKey& b : communityKeys(e.keysJson))
            if (h.publicKey == b.publicKey)
                return true;
    return false;
}

bool uploadUrlAllowed(std::string_view url)
{
    auto address = splitWebAddress(url);
    return address && isSecureOrLocal(*address);
}

} // namespace gatepass
