// What each setting a community edits is: its key, its words, its unit and
// the values it takes. One table drives settings validation (RecordJson's
// settingsFromJson), the stored and answered JSON, and the form a face draws
// (settings.get's "form"): a setting cannot be taken without being worded.
#pragma once

#include "Records.h"

#include <array>
#include <nlohmann/json.hpp>
#include <optional>
#include <string_view>

namespace gatepass {

/// Free text settings are at most this many bytes (an address, a name).
inline constexpr int kMaxSettingText = 200;

/// One entry rule (Policy.h Rules): exactly one of flag, whole, decimal is set.
/// Numbers are taken within [min, max], both inclusive; a decimal is shown
/// with one digit after the point and moved in steps of 0.1.
struct RuleSetting {
    std::string_view key;        // in settings.rules
    std::string_view zh, en;     // the label
    std::string_view unitZh = {}, unitEn = {}; // empty: none (a flag)
    std::string_view hintZh = {}, hintEn = {}; // what a special value means; empty: nothing to say
    bool Rules::*flag = nullptr;
    int Rules::*whole = nullptr;
    double Rules::*decimal = nullptr;
    double min = 0, max = 0;
};

// The ranges: a fever threshold outside 36–40 °C is a typo; a return window
// of up to 60 days covers every guidance seen; a live pass older than an hour
// is a screenshot, whatever a community wants; a phone clock an hour fast is
// broken; 10000 visitors is more than any residential gate sees at once.
inline constexpr std::array kRuleSettings{
    RuleSetting{.key = "fever_at_or_above", .zh = "发热标准 ≥", .en = "Fever at or above", .unitZh = "℃", .unitEn = "°C",
                .decimal = &Rules::feverAtOrAbove, .min = 36.0, .max = 40.0},
    RuleSetting{.key = "return_window_days", .zh = "返回观察天数", .en = "Return window", .unitZh = "天", .unitEn = "days",
                .whole = &Rules::returnWindowDays, .min = 0, .max = 60},
    RuleSetting{.key = "refer_returned", .zh = "近期返回者需人工处理", .en = "Refer recent returnees", .flag = &Rules::referReturned},
    RuleSetting{.key = "refer_contact_or_symptoms", .zh = "接触史或症状需人工处理", .en = "Refer contact or symptoms",
                .flag = &Rules::referContactOrSymptoms},
    RuleSetting{.key = "deny_observation_going_out", .zh = "居家观察者不得外出", .en = "Deny going out under observation",
                .flag = &Rules::denyObservationGoingOut},
    RuleSetting{.key = "deny_delivery", .zh = "快递外卖不得进入", .en = "Deny couriers", .flag = &Rules::denyDelivery},
    RuleSetting{.key = "refer_visitors", .zh = "访客需人工确认", .en = "Refer visitors", .flag = &Rules::referVisitors},
    RuleSetting{.key = "host_pass_admits_visitor", .zh = "住户生成的访客通行码可直接放行", .en = "A host's visitor pass admits",
                .flag = &Rules::hostPassAdmitsVisitor},
    RuleSetting{.key = "refer_unverified", .zh = "未核验者需人工处理", .en = "Refer unverified", .flag = &Rules::referUnverified},
    RuleSetting{.key = "pass_max_age_seconds", .zh = "实时通行码有效时长", .en = "Live pass valid for", .unitZh = "秒", .unitEn = "s",
                .whole = &Rules::passMaxAgeSeconds, .min = 10, .max = 3600},
    RuleSetting{.key = "pass_max_ahead_seconds", .zh = "手机时钟最多可快", .en = "Phone clock may run ahead by", .unitZh = "秒",
                .unitEn = "s", .whole = &Rules::passMaxAheadSeconds, .min = 0, .max = 3600},
    RuleSetting{.key = "max_visitors_inside", .zh = "在场访客上限", .en = "Visitors inside at most", .unitZh = "人", .unitEn = "persons",
                .hintZh = "0 为不限", .hintEn = "0: no cap", .whole = &Rules::maxVisitorsInside, .min = 0, .max = 10000},
};

/// One free-text setting of the community (Records.h Settings), as staff edit it.
struct TextSetting {
    std::string_view key;
    std::string_view zh, en;
    std::string_view hintZh, hintEn;
    std::string Settings::*text = nullptr;
};

/// The text settings staff edit in the form, in its order. site, the upload
/// token and the gate key come from the enrollment only and are not here.
inline constexpr std::array kTextSettings{
    TextSetting{"community_code", "社区代码", "Community code", "", "", &Settings::communityCode},
    TextSetting{"community_name", "社区名称", "Community name", "", "", &Settings::communityName},
    TextSetting{"gate_name", "门岗名称", "Gate name", "", "", &Settings::gateName},
    TextSetting{"city", "所在城市", "City", "第 7 项“本市”", "item 7 \"this city\"", &Settings::city},
    TextSetting{"upload_url", "上传地址", "Upload address", "留空则手动导出", "empty: export by hand", &Settings::uploadUrl},
};

/// The rule with this key, or nullptr.
const RuleSetting* ruleSetting(std::string_view key);

/// "bool", "int" or "decimal".
std::string_view kindOf(const RuleSetting& rule);

/// The rules as settings JSON shows them: {key: value} for every rule.
nlohmann::json rulesJson(const Rules& rules);

/// Takes one rule's value into `rules`; a wrong type or a value outside the
/// rule's range is refused with its words (code settings.invalid, field
/// "rules.KEY"), and `rules` is unchanged.
std::optional<Message> setRule(Rules& rules, const RuleSetting& rule, const nlohmann::json& value);

/// The form staff fill in, in its order: [{key, zh, en, fields: [{key, zh, en,
/// kind: text|bool|int|decimal, unit?: {zh, en}, hint?: {zh, en}, min?, max?,
/// max_length?}]}] — a section "community" (the text settings) and a section
/// "rules"; a field's key is its path in the settings ("rules.KEY" for a rule).
nlohmann::json settingsFormJson();

/// The first-start checklist, while a gate is not set up: {done, items: [{key,
/// zh, en, done}]} — enrolling (the office's code, which sets the rest), then
/// the community code and name, the gate's name and the city (item 7's
/// "this city"), each done when set. done: every item is.
nlohmann::json checklistJson(const Settings& settings, bool enrolled);

} // namespace gatepass
