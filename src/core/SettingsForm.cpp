#include "SettingsForm.h"

#include <cmath>
#include <cstdio>
#include <string>

namespace gatepass {

using nlohmann::json;

const RuleSetting* ruleSetting(std::string_view key)
{
    for (const RuleSetting& r : kRuleSettings)
        if (r.key == key)
            return &r;
    return nullptr;
}

std::string_view kindOf(const RuleSetting& rule)
{
    return rule.flag ? "bool" : rule.whole ? "int" : "decimal";
}

json rulesJson(const Rules& rules)
{
    json j = json::object();
    for (const RuleSetting& r : kRuleSettings) {
        if (r.flag)
            j[std::string(r.key)] = rules.*r.flag;
        else if (r.whole)
            j[std::string(r.key)] = rules.*r.whole;
        else
            j[std::string(r.key)] = rules.*r.decimal;
    }
    return j;
}

namespace {

// A bound as the words show it: a decimal with its one digit, a whole number without.
std::string bound(const RuleSetting& rule, double v)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, rule.decimal ? "%.1f" : "%.0f", v);
    return buf;
}

Message refusal(const RuleSetting& rule)
{
    std::string field = "rules." + std::string(rule.key);
    if (rule.flag)
        return {"settings.invalid", std::string(rule.zh) + "：须为是或否", std::string(rule.en) + ": must be yes or no", field};
    std::string lo = bound(rule, rule.min), hi = bound(rule, rule.max);
    auto unit = [](std::string_view u) { return u.empty() ? std::string() : " " + std::string(u); };
    return {"settings.invalid", std::string(rule.zh) + "：须为 " + lo + " 至 " + hi + unit(rule.unitZh),
            std::string(rule.en) + ": must be " + lo + " to " + hi + unit(rule.unitEn), field};
}

} // namespace

std::optional<Message> setRule(Rules& rules, const RuleSetting& rule, const json& value)
{
    if (rule.flag) {
        if (!value.is_boolean())
            return refusal(rule);
        rules.*rule.flag = value.get<bool>();
        return std::nullopt;
    }
    // Whole numbers must be whole (a JSON 120.0 is not taken for 120: the form sends integers).
    if (rule.whole ? !value.is_number_integer() : !value.is_number())
        return refusal(rule);
    double v = value.get<double>();
    if (!std::isfinite(v) || v < rule.min || v > rule.max)
        return refusal(rule);
    if (rule.whole)
        rules.*rule.whole = value.get<int>();
    else
        rules.*rule.decimal = v;
    return std::nullopt;
}

json settingsFormJson()
{
    auto words = [](std::string_view zh, std::string_view en) { return json{{"zh", zh}, {"en", en}}; };
    json community = json::array();
    for (const TextSetting& s : kTextSettings) {
        json f{{"key", s.key}, {"zh", s.zh}, {"en", s.en}, {"kind", "text"}, {"max_length", kMaxSettingText}};
        if (!s.hintZh.empty())
            f["hint"] = words(s.hintZh, s.hintEn);
        community.push_back(std::move(f));
    }
    json rules = json::array();
    for (const RuleSetting& r : kRuleSettings) {
        json f{{"key", "rules." + std::string(r.key)}, {"zh", r.zh}, {"en", r.en}, {"kind", kindOf(r)}};
        if (!r.flag) {
            f["min"] = r.min;
            f["max"] = r.max;
        }
        if (!r.unitZh.empty())
            f["unit"] = words(r.unitZh, r.unitEn);
        if (!r.hintZh.empty())
            f["hint"] = words(r.hintZh, r.hintEn);
        rules.push_back(std::move(f));
    }
    return json::array({json{{"key", "community"}, {"zh", "社区与门岗"}, {"en", "Community and gate"}, {"fields", community}},
                        json{{"key", "rules"}, {"zh", "通行规则"}, {"en", "Entry rules"}, {"fields", rules}}});
}

json checklistJson(const Settings& settings, bool enrolled)
{
    json items = json::array({json{{"key", "enroll"}, {"zh", "登记本门岗（办公室的登记码）"}, {"en", "Enrol this gate (the office's code)"}, {"done", enrolled}}});
    bool all = enrolled;
    for (const TextSetting& t : kTextSettings) {
        if (t.key == "upload_url")
            continue; // optional: without one, staff export by hand
        bool done = !(settings.*t.text).empty();
        all = all && done;
        items.push_back({{"key", t.key}, {"zh", t.zh}, {"en", t.en}, {"done", done}});
    }
    return json{{"done", all}, {"items", items}};
}

} // namespace gatepass
