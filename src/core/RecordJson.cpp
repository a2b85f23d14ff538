#include "RecordJson.h"

#include "JsonNumber.h"
#include "PersonJson.h"
#include "Policy.h"
#include "SettingsForm.h"
#include "Validation.h"
#include "WebAddress.h"

namespace gatepass {

using nlohmann::json;

json toJson(const Message& m)
{
    json j{{"code", m.code}, {"zh", m.zh}, {"en", m.en}};
    if (!m.field.empty())
        j["field"] = m.field;
    return j;
}

json toJson(const std::vector<Message>& messages)
{
    json out = json::array();
    for (const auto& m : messages)
        out.push_back(toJson(m));
    return out;
}

std::vector<Message> messagesFromJson(const json& j)
{
    std::vector<Message> out;
    if (!j.is_array())
        return out;
    for (const auto& m : j)
        if (m.is_object())
            out.push_back(Message{m.value("code", ""), m.value("zh", ""), m.value("en", ""), m.value("field", "")});
    return out;
}

json toJson(const PersonRecord& r)
{
    json j{{"person", toJson(r.person)}, {"updated_at", r.updatedAt}};
    if (r.verifiedAt) {
        j["verified_at"] = *r.verifiedAt;
        j["verified_by"] = r.verifiedBy;
    }
    return j;
}

std::optional<PersonRecord> personRecordFromJson(const json& j)
{
    if (!j.is_object() || !j.contains("person") || !j["person"].is_object() || !j.contains("updated_at"))
        return std::nullopt;
    auto updated = integerIn(j["updated_at"], 0, kLatestMs);
    if (!updated)
        return std::nullopt;
    Validated v = checkPersonJson(j["person"], std::nullopt);
    if (!v.ok())
        return std::nullopt;
    PersonRecord r{v.person, *updated, std::nullopt, ""};
    if (j.contains("verified_at")) {
        auto verified = integerIn(j["verified_at"], 0, kLatestMs);
        if (!verified)
            return std::nullopt;
        r.verifiedAt = *verified;
        r.verifiedBy = j.value("verified_by", "");
    }
    return r;
}

json toJson(const Entry& e)
{
    json j{{"id", e.id},
           {"doc_number", e.docNumber},
           {"name", e.name},
           {"person_type", keyOf(e.personType)},
           {"at", e.atMs},
           {"direction", keyOf(e.direction)},
           {"verdict", keyOf(e.verdict)},
           {"reasons", toJson(e.reasons)},
           {"gate", e.gate},
           {"staff", e.staff}};
    if (e.temperature)
        j["temperature"] = *e.temperature;
    return j;
}

std::optional<Entry> entryFromJson(const json& j)
{
    try {
        Entry e;
        e.id = j.at("id").get<std::string>();
        e.docNumber = j.at("doc_number").get<std::string>();
        e.name = j.at("name").get<std::string>();
        auto pt = fromKey<PersonType>(j.at("person_type").get<std::string>());
        auto at = integerIn(j.at("at"), 0, kLatestMs);
        if (!at)
            return std::nullopt;
        e.atMs = *at;
        auto dir = fromKey<Direction>(j.at("direction").get<std::string>());
        auto verdict = fromKey<Verdict>(j.at("verdict").get<std::string>());
        if (!pt || !dir || !verdict || e.id.empty() || e.id.size() > 64 || e.docNumber.empty())
            return std::nullopt;
        e.personType = *pt;
        e.direction = *dir;
        e.verdict = *verdict;
        if (j.contains("temperature")) {
            // What a thermometer can show; a misreading was refused at the gate already.
            auto t = numberIn(j.at("temperature"), kLowestTemperature, kHighestTemperature);
            if (!t)
                return std::nullopt;
            e.temperature = *t;
        }
        e.reasons = messagesFromJson(j.at("reasons"));
        e.gate = j.at("gate").get<std::string>();
        e.staff = j.at("staff").get<std::string>();
        return e;
    } catch (const json::exception&) {
        return std::nullopt;
    }
}

json toJson(const EntryWords& w)
{
    return json{{"time", w.time},
                {"date_time", w.dateTime},
                {"direction", toJson(w.direction)},
                {"verdict", toJson(w.verdict)},
                {"temperature", w.temperature},
                {"person_type", toJson(w.personType)}};
}

json insideJson(const std::map<std::string, int>& byType)
{
    // Visitors and couriers first: they are the ones a gate watches leave.
    json out = json::array();
    auto add = [&](const Choice& c) {
        auto it = byType.find(std::string(c.value));
        if (it != byType.end() && it->second > 0)
            out.push_back({{"person_type", c.value}, {"zh", c.zh}, {"en", c.en}, {"count", it->second}});
    };
    for (PersonType first : {PersonType::Visitor, PersonType::Delivery})
        add(kPersonTypeChoices[size_t(first)]);
    for (const Choice& c : kPersonTypeChoices)
        if (c.value != keyOf(PersonType::Visitor) && c.value != keyOf(PersonType::Delivery))
            add(c);
    return out;
}

json toJson(const Stats& s)
{
    return json{{"persons", s.persons},
                {"by_person_type", s.byPersonType},
                {"returned_14d", s.returnedWithinWindow},
                {"home_observation", s.underObservation},
                {"fever_today", s.feverToday},
                {"entries_today", s.entriesToday},
                {"in_today", s.inToday},
                {"out_today", s.outToday},
                {"refused_today", s.refusedToday},
                {"inside_now", s.insideNow},
                {"inside_by_person_type", insideJson(s.insideByPersonType)},
                {"allow_today", s.allowToday},
                {"refer_today", s.referToday},
                {"deny_today", s.denyToday},
                {"hourly_today", s.hourlyToday}};
}

json toJson(const Settings& s)
{
    return json{{"community_code", s.communityCode},
                {"community_name", s.communityName},
                {"gate_name", s.gateName},
                {"city", s.city},
                {"upload_url", s.uploadUrl},
                {"retention_days", s.retentionDays},
                {"community_public_key", s.communityPublicKey},
                {"site", s.site},
                {"rules", rulesJson(s.rules)}};
}

json toStoredJson(const Settings& s)
{
    json j = toJson(s);
    j["upload_token"] = s.uploadToken;
    j["gate_key"] = s.gateKey;
    j["keys"] = s.communityKeys.empty() ? json::array() : json::parse(s.communityKeys, nullptr, false);
    return j;
}

bool isPublicKeyText(std::string_view key)
{
    constexpr std::string_view kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    return key.empty() || (key.size() == 43 && key.find_first_not_of(kAlphabet) == std::string_view::npos &&
                           kAlphabet.find(key.back()) % 4 == 0);
}

std::vector<CommunityKey> communityKeys(std::string_view keysJson)
{
    std::vector<CommunityKey> keys;
    json list = keysJson.empty() ? json::array() : json::parse(keysJson, nullptr, false);
    if (!list.is_array())
        return keys;
    for (const json& k : list)
        if (k.is_object() && k.value("id", json()).is_string() && k.value("secret_key", json()).is_string() &&
            k.value("public_key", json()).is_string())
            keys.push_back({k["id"].get<std::string>(), k["secret_key"].get<std::string>(), k["public_key"].get<std::string>(),
                            k.value("until", json()).is_number_integer() ? k["until"].get<int64_t>() : 0});
    return keys;
}

Result<Settings> settingsFromJson(const json& j, Settings s)
{
    auto bad = [](const std::string& key) {
        return Message{"settings.invalid", "设置项无效：" + key, "Invalid setting: " + key, key};
    };
    if (!j.is_object())
        return bad("settings");
    for (auto it = j.begin(); it != j.end(); ++it) {
        const std::string& k = it.key();
        const json& v = it.value();
        std::string* text = k == "site"           ? &s.site
                            : k == "upload_token" ? &s.uploadToken
                            : k == "gate_key"     ? &s.gateKey
                                                  : nullptr;
        for (const TextSetting& t : kTextSettings)
            if (t.key == k)
                text = &(s.*t.text);
        if (text) {
            if (!v.is_string() || v.get_ref<const std::string&>().size() > size_t(kMaxSettingText))
                return bad(k);
            *text = v.get<std::string>();
            continue;
        }
        if (k == "retention_days") {
            if (!v.is_number_integer() || v.get<int64_t>() < kMinRetentionDays || v.get<int64_t>() > kMaxRetentionDays)
                return Message{"settings.retention_days",
                               "保存期限须为 " + std::to_string(kMinRetentionDays) + " 至 " + std::to_string(kMaxRetentionDays) + " 天",
                               "The retention period must be " + std::to_string(kMinRetentionDays) + " to " +
                                   std::to_string(kMaxRetentionDays) + " days",
                               k};
            s.retentionDays = v.get<int>();
            continue;
        }
        if (k == "community_public_key") {
            // 32 bytes as unpadded base64url: 43 characters, the last carrying 2 bits (4 spare, zero).
            if (!v.is_string() || !isPublicKeyText(v.get_ref<const std::string&>()))
                return bad(k);
            s.communityPublicKey = v.get<std::string>();
            continue;
        }
        if (k == "keys") {
            // A few community key pairs (a key rotation keeps the old one); each {id, secret_key, public_key}.
            if (!v.is_array() || v.size() > 8)
                return bad(k);
            for (const json& key : v)
                if (!key.is_object() || !key.contains("id") || !key.contains("secret_key") || !key.contains("public_key"))
                    return bad(k);
            s.communityKeys = v.empty() ? std::string() : v.dump();
            continue;
        }
        if (k != "rules" || !v.is_object())
            return bad(k);
        // Each rule through its table entry (SettingsForm.h): its type, its range, its words.
        Rules rules = s.rules;
        for (auto rt = v.begin(); rt != v.end(); ++rt) {
            const RuleSetting* rule = ruleSetting(rt.key());
            if (!rule)
                return bad("rules." + rt.key());
            if (auto refused = setRule(rules, *rule, rt.value()))
                return *refused;
        }
        s.rules = rules;
    }
    // An upload address and a site must be http(s) web addresses; anything else would be a surprise.
    if (!s.uploadUrl.empty() && !splitWebAddress(s.uploadUrl))
        return bad("upload_url");
    if (!s.site.empty() && !splitWebAddress(s.site))
        return bad("site");
    return s;
}

nlohmann::json toJson(const LockStatus& s)
{
    static constexpr const char* kStates[] = {"new", "set", "lockout"};
    json j{{"locked", s.locked},
           {"state", kStates[int(s.state)]},
           {"failures", s.failures},
           {"wait_ms", s.waitMs},
           {"min_digits", kPinMinDigits},
           {"max_digits", kPinMaxDigits}};
    if (s.state == LockState::Lockout)
        j["lockout"] = toJson(lockoutMessage());
    return j;
}

} // namespace gatepass
