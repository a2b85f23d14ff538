#include "ApiShared.h"

#include "Fields.h"
#include "JsonNumber.h"
#include "LiveBand.h"
#include "Pass.h"
#include "PersonJson.h"
#include "PosterUrl.h"
#include "RecordJson.h"
#include "SettingsForm.h"
#include "VisitorPass.h"

namespace gatepass {

using nlohmann::json;

Failure fail(Message m) { return Failure{std::move(m), {}, {}}; }

Failure badRequest(const std::string& what)
{
    return fail(Message{"request.invalid", "请求无效：" + what, "Invalid request: " + what, ""});
}

Message badNumber(const std::string& key)
{
    return Message{"request.number", "数值无效或超出范围：" + key, "Number invalid or out of range: " + key, key};
}

int64_t intArg(const json& req, const char* key, int64_t lo, int64_t hi, int64_t fallback)
{
    auto it = req.find(key);
    if (it == req.end() || it->is_null())
        return fallback;
    auto v = integerIn(*it, lo, hi);
    if (!v)
        throw BadNumber{key};
    return *v;
}

std::string stringArg(const json& req, const char* key)
{
    auto it = req.find(key);
    return it != req.end() && it->is_string() ? it->get<std::string>() : std::string();
}

namespace {

json replyJson(Reply r)
{
    json reply;
    if (auto* ok = std::get_if<json>(&r)) {
        reply = std::move(*ok);
        reply["ok"] = true;
        return reply;
    }
    auto& f = std::get<Failure>(r);
    reply = {{"ok", false}, {"error", toJson(f.error)}};
    if (!f.errors.empty())
        reply["errors"] = toJson(f.errors);
    if (!f.suggestions.empty()) {
        json list = json::array();
        for (const Suggestion& sg : f.suggestions)
            list.push_back({{"field", sg.field}, {"about", sg.about}, {"value", sg.value}, {"zh", sg.words.zh}, {"en", sg.words.en}});
        reply["suggestions"] = list;
    }
    for (auto& [key, value] : f.details.items())
        reply[key] = value;
    return reply;
}

} // namespace

std::string answerRequest(std::string_view requestJson, const Handle& handle)
{
    json reply;
    try {
        json req = json::parse(requestJson, nullptr, false);
        if (!req.is_object() || !req.contains("op") || !req["op"].is_string())
            return replyJson(badRequest("op")).dump();
        Clock clock = Clock::system();
        clock.unixMs = intArg(req, "now", 0, kLatestMs, clock.unixMs);
        clock.utcOffsetMinutes = int(intArg(req, "tz", kMinUtcOffsetMinutes, kMaxUtcOffsetMinutes, clock.utcOffsetMinutes));
        const std::string& op = req["op"].get_ref<const std::string&>();
        std::optional<Reply> r = handle(op, req, clock);
        if (!r)
            return replyJson(badRequest("unknown op " + op)).dump(-1, ' ', false, json::error_handler_t::replace);
        reply = replyJson(std::move(*r));
    } catch (const BadNumber& b) {
        reply = {{"ok", false}, {"error", toJson(badNumber(b.key))}};
    } catch (const std::exception& e) {
        // A wrong-typed argument (nlohmann's value() on a string, say) lands here.
        reply = {{"ok", false}, {"error", toJson(badRequest(e.what()).error)}};
    }
    return reply.dump(-1, ' ', false, json::error_handler_t::replace);
}

// --- records ---------------------------------------------------------------------------

json maskedJson(const Person& p) { return {{"doc_number", maskDocNumber(p.docNumber)}, {"phone", maskPhone(p.phone)}}; }

json recordJson(const PersonRecord& r)
{
    json j = toJson(r);
    auto pass = encodePass(r.person, r.updatedAt);
    j["pass"] = pass ? *pass : "";
    j["masked"] = maskedJson(r.person);
    j["display"] = displayJson(r.person);
    return j;
}

json recordsJson(const std::vector<PersonRecord>& records)
{
    json list = json::array();
    for (const auto& r : records)
        list.push_back(recordJson(r));
    return list;
}

Message notFound() { return Message{"person.not_found", "没有找到此人", "No such person", ""}; }

std::optional<Failure> checkPerson(const json& req, const Clock& clock, Person& out, std::optional<IdNumberInfo>* id)
{
    auto it = req.find("person");
    if (it == req.end())
        return badRequest("person");
    Validated v = checkPersonJson(*it, clock.today());
    if (!v.ok())
        return Failure{Message{"person.invalid", "请检查标红的项目", "Please check the marked items", ""}, v.errors, v.suggestions};
    out = v.person;
    if (id)
        *id = v.id;
    return std::nullopt;
}

// --- shared operations -----------------------------------------------------------------

Reply personSaveReply(const json& req, const Clock& clock, const std::function<std::optional<PersonRecord>(std::string_view doc)>& find,
                      const std::function<Result<Done>(const PersonRecord& record, std::string_view replaces)>& save)
{
    Person p;
    if (auto f = checkPerson(req, clock, p))
        return *f;
    std::string replaces = stringArg(req, "replaces");
    if (!replaces.empty() && replaces != p.docNumber && find(p.docNumber))
        return fail(Message{"person.duplicate", "已有相同证件号码的登记", "Someone with this document number is already registered", "doc_number"});
    if (auto s = save(PersonRecord{p, clock.unixMs, std::nullopt, ""}, replaces); !s)
        return fail(s.error());
    return json{{"record", recordJson(*find(p.docNumber))}};
}

Reply fieldsReply()
{
    json itemList = json::array(), fieldList = json::array();
    for (const ItemSpec& i : items())
        itemList.push_back({{"item", i.number}, {"zh", i.zh}, {"en", i.en}});
    for (const FieldSpec& f : fields()) {
        static constexpr const char* kKinds[] = {"name", "text", "choice", "doc_number", "phone", "yes_no", "date"};
        json j{{"key", f.key},     {"item", f.item},           {"zh", f.zh},
               {"en", f.en},       {"kind", kKinds[int(f.kind)]}, {"required", f.required},
               {"hint_zh", f.hintZh}, {"hint_en", f.hintEn}};
        if (!f.requiredWhen.empty())
            j["when"] = f.requiredWhen;
        if (f.maxChars)
            j["max_chars"] = f.maxChars;
        if (f.copiedInHousehold)
            j["copied_in_household"] = true;
        if (f.optionalUnderAge)
            j["optional_under_age"] = f.optionalUnderAge;
        if (!f.choices.empty()) {
            json choices = json::array();
            for (size_t i = 0; i < f.choices.size(); ++i) {
                const Choice& ch = f.choices[f.choiceOrder.empty() ? i : f.choiceOrder[i]];
                choices.push_back({{"value", ch.value}, {"zh", ch.zh}, {"en", ch.en}});
            }
            j["choices"] = choices;
        }
        fieldList.push_back(j);
    }
    return json{{"items", itemList}, {"fields", fieldList}};
}

Reply personValidateReply(const json& req, const Clock& clock)
{
    Person p;
    std::optional<IdNumberInfo> id;
    if (auto f = checkPerson(req, clock, p, &id))
        return *f;
    json out{{"person", toJson(p)}, {"masked", maskedJson(p)}};
    if (id)
        out["derived"] = {{"birth_date", id->birthDate.toString()}, {"sex", id->male ? "male" : "female"}};
    return out;
}

Reply passEncodeReply(const json& req, const Clock& clock)
{
    Person p;
    if (auto f = checkPerson(req, clock, p))
        return *f;
    auto text = encodePass(p, clock.unixMs);
    if (!text)
        return fail(text.error());
    return json{{"text", *text}};
}

namespace {

Message noCommunityKey()
{
    return Message{"pass.no_key", "本页面还没有社区公钥：请扫描社区海报上的二维码重新打开本页",
                   "This page has no community key yet: open it again from the QR code on the community poster", ""};
}

Message badCommunityKey()
{
    return Message{"pass.bad_key", "社区公钥无效：请扫描社区海报上的二维码重新打开本页",
                   "The community key is not valid: open this page again from the QR code on the community poster", ""};
}

} // namespace

Reply livePassReply(const Settings& s, const std::optional<PersonRecord>& stored, const PassCrypto& crypto, const Clock& clock)
{
    if (s.communityPublicKey.empty())
        return fail(noCommunityKey());
    if (!stored)
        return fail(notFound());
    if (!crypto.available())
        return fail(cryptoUnavailable());
    auto plain = livePassPlain(stored->person, stored->updatedAt, clock.unixMs);
    if (!plain)
        return fail(plain.error());
    auto keyId = crypto.keyId(s.communityPublicKey);
    auto sealed = keyId ? crypto.seal(*plain, s.communityPublicKey) : std::nullopt;
    if (!sealed)
        return fail(badCommunityKey());
    const int64_t madeAt = clock.unixMs / 1000 * 1000;
    return json{{"text", frameSealedPass(*keyId, *sealed)}, {"made_at", madeAt}, {"renew_at", madeAt + kLiveRenewSeconds * 1000},
                {"issued_at", stored->updatedAt}};
}

json visitorJson(const VisitorPass& v)
{
    return json{{"line", toJson(visitorLine(v))}, {"days", toJson(visitorDays(v))},   {"uses", toJson(visitorUses(v))},
                {"multiple", v.multipleUse},      {"from", v.firstDay.toString()},    {"to", v.lastDay.toString()},
                {"host_address", v.hostAddress},  {"host_name", v.hostName},          {"name", v.name},
                {"phone", maskPhone(v.phone)}};
}

Reply visitorPassReply(const Settings& s, const std::optional<PersonRecord>& host, const json& req, const PassCrypto& crypto,
                       const Clock& clock)
{
    if (s.communityPublicKey.empty())
        return fail(noCommunityKey());
    if (!host)
        return fail(notFound());
    if (!crypto.available() || !crypto.randomHex)
        return fail(cryptoUnavailable());
    auto visitorArg = [&](const char* key) {
        auto v = req.find("visitor");
        if (v == req.end() || !v->is_object())
            return std::string();
        auto it = v->find(key);
        return it != v->end() && it->is_string() ? it->get<std::string>() : std::string();
    };
    VisitorRequest r{visitorArg("name"), visitorArg("phone"), stringArg(req, "from"), stringArg(req, "to"), stringArg(req, "uses")};
    VisitorChecked v = makeVisitorPass(r, host->person, crypto.randomHex(kVisitorPassIdBytes), clock.today(), clock.unixMs);
    if (!v.ok())
        return Failure{Message{"visitor.invalid", "请检查标红的项目", "Please check the marked items", ""}, v.errors, {}};
    auto keyId = crypto.keyId(s.communityPublicKey);
    auto sealed = keyId ? crypto.seal(visitorPassPlain(v.pass), s.communityPublicKey) : std::nullopt;
    if (!sealed)
        return fail(badCommunityKey());
    return json{{"text", frameSealedPass(*keyId, *sealed)}, {"visitor", visitorJson(v.pass)}};
}

json bandJson(const Clock& clock)
{
    DayBand b = dayBand(clock.today());
    return json{{"colour", b.colour}, {"zh", b.words.zh}, {"en", b.words.en}};
}

Reply liveClockReply(const Clock& clock)
{
    std::string local = formatLocalTime(clock.unixMs, clock.utcOffsetMinutes); // "YYYY-MM-DD HH:MM"
    int64_t second = ((clock.unixMs / 1000) % 60 + 60) % 60;
    std::string ss = (second < 10 ? "0" : "") + std::to_string(second);
    return json{{"date", local.substr(0, 10)}, {"time", local.substr(11) + ":" + ss}, {"band", bandJson(clock)}};
}

namespace {

// Which keys the gate holds, by id only: what a console shows as "enrolled".
json keyIdsJson(const Settings& s)
{
    json ids = json::array();
    for (const CommunityKey& k : communityKeys(s.communityKeys))
        ids.push_back(k.id);
    return ids;
}

// The one-tap temperatures (Policy.h commonReadings) as [{value, text}].
json readingsJson(const Rules& rules)
{
    json out = json::array();
    for (const Reading& r : commonReadings(rules))
        out.push_back({{"value", r.celsius}, {"text", r.text}});
    return out;
}

} // namespace

// The secrets are answered as "is set" only: a reply is shown and may be logged by a face.
json settingsReply(const Settings& s)
{
    std::vector<CommunityKey> keys = communityKeys(s.communityKeys);
    // The poster carries the newest key (the enrollment lists it first): passes are sealed to it.
    std::string url = posterUrl(s.site, s.communityCode, s.communityName, keys.empty() ? "" : keys.front().publicKey);
    return json{{"settings", toJson(s)},
                {"enrolled", !keys.empty()},
                {"poster_url", url},
                {"upload_token_set", !s.uploadToken.empty()},
                {"key_ids", keyIdsJson(s)},
                {"gate_key_set", !s.gateKey.empty()},
                {"keys_set", !s.communityKeys.empty()},
                {"form", settingsFormJson()},
                {"checklist", checklistJson(s, !keys.empty())},
                {"readings", readingsJson(s.rules)}};
}

} // namespace gatepass
