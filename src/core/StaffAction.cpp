#include "StaffAction.h"

#include "WebAddress.h"

#include "Date.h"
#include "JsonNumber.h"
#include "Person.h"
#include "RecordJson.h"
#include "Store.h"
#include "Validation.h"

#include <nlohmann/json.hpp>

namespace gatepass {

using nlohmann::json;

Result<std::string> staffName(std::string_view given)
{
    while (!given.empty() && given.front() == ' ')
        given.remove_prefix(1);
    while (!given.empty() && given.back() == ' ')
        given.remove_suffix(1);
    if (!isPlainText(given, kMaxStaffName))
        return Message{"staff.invalid", "值班人员姓名最多200字节，且不能含控制字符，本操作未执行",
                       "The staff name is at most 200 bytes, without control characters; nothing was done", "staff"};
    return given.empty() ? std::string(kUnknownStaff) : std::string(given);
}

StaffAction newStaffAction(StaffActionKind kind, std::string_view staff, int64_t atMs, std::string_view gate, Words detail)
{
    return StaffAction{newEntryId(), atMs, std::string(gate), std::string(staff), kind, std::move(detail)};
}

Words revealDetail(std::string_view docNumber) { return sameWords(maskDocNumber(docNumber)); }

std::vector<std::string> changedSettingKeys(const Settings& before, const Settings& after)
{
    // The stored shape names every setting, the secrets included (by name only here).
    json a = toStoredJson(before), b = toStoredJson(after);
    std::vector<std::string> keys;
    for (auto it = b.begin(); it != b.end(); ++it) {
        if (it.key() == "upload_url")
            continue;
        if (it.key() == "rules" && it->is_object() && a["rules"].is_object()) {
            for (auto r = it->begin(); r != it->end(); ++r)
                if (a["rules"].value(r.key(), json()) != r.value())
                    keys.push_back("rules." + r.key());
            continue;
        }
        if (a.value(it.key(), json()) != it.value())
            keys.push_back(it.key());
    }
    return keys;
}

std::string loggedAddress(std::string_view url)
{
    auto address = splitWebAddress(url);
    return address ? addressForLog(*address, kMaxStaffName) : "?";
}

json toJson(const StaffAction& a)
{
    return json{{"id", a.id},       {"at", a.atMs},           {"gate", a.gate},
                {"staff", a.staff}, {"kind", keyOf(a.kind)}, {"detail", {{"zh", a.detail.zh}, {"en", a.detail.en}}}};
}

std::optional<StaffAction> staffActionFromJson(const json& j)
{
    if (!j.is_object() || j.size() != 6)
        return std::nullopt;
    auto text = [&](const json& v, size_t max) -> std::optional<std::string> {
        if (!v.is_string() || !isPlainText(v.get_ref<const std::string&>(), max))
            return std::nullopt;
        return v.get<std::string>();
    };
    StaffAction a;
    auto id = text(j.value("id", json()), 64);
    auto at = integerIn(j.value("at", json()), 0, kLatestMs);
    auto gate = text(j.value("gate", json()), kMaxStaffName);
    auto staff = text(j.value("staff", json()), kMaxStaffName);
    auto kind = j.value("kind", json()).is_string() ? fromKey<StaffActionKind>(j["kind"].get_ref<const std::string&>()) : std::nullopt;
    json d = j.value("detail", json());
    auto zh = d.is_object() ? text(d.value("zh", json()), 1000) : std::nullopt;
    auto en = d.is_object() ? text(d.value("en", json()), 1000) : std::nullopt;
    if (!id || id->empty() || !at || !gate || !staff || staff->empty() || !kind || !zh || !en || d.size() != 2)
        return std::nullopt;
    return StaffAction{*id, *at, *gate, *staff, *kind, Words{*zh, *en}};
}

json staffActionListJson(const StaffAction& a, int utcOffsetMinutes)
{
    json j = toJson(a);
    Words kind = wordsOf(a.kind);
    j["kind_words"] = {{"zh", kind.zh}, {"en", kind.en}};
    j["time"] = formatLocalTime(a.atMs, utcOffsetMinutes);
    return j;
}

} // namespace gatepass
