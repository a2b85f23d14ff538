// The settings form (SettingsForm.h): what settings.get words for each
// setting is exactly what settings.set takes.
#include "Fixtures.h"

#include "SettingsForm.h"

#include <catch2/catch.hpp>

#include <set>

using namespace gatepass;
using namespace gatepass::test;
using nlohmann::json;

namespace {

// The form's fields by key, from a settings reply.
std::map<std::string, json> formFields(const json& reply)
{
    std::map<std::string, json> out;
    for (const json& section : reply["form"]) {
        CHECK(!section["zh"].get<std::string>().empty());
        CHECK(!section["en"].get<std::string>().empty());
        for (const json& f : section["fields"])
            out[f["key"].get<std::string>()] = f;
    }
    return out;
}

// {"rules": {"k": v}} for "rules.k", {"k": v} otherwise.
json settingAt(const std::string& key, const json& value)
{
    if (key.starts_with("rules."))
        return json{{"rules", {{key.substr(6), value}}}};
    return json{{key, value}};
}

const json& valueAt(const json& settings, const std::string& key)
{
    return key.starts_with("rules.") ? settings["rules"][key.substr(6)] : settings[key];
}

} // namespace

TEST_CASE("settings form: every rule the core keeps is worded, with a unit where it has one", "[settings]")
{
    TempDb file;
    Api api(file.open());
    json got = call(api, {{"op", "settings.get"}});
    auto fields = formFields(got);
    // Every rule the settings hold (and a batch or the store would carry) has its field.
    REQUIRE(got["settings"]["rules"].size() == kRuleSettings.size());
    for (const auto& [key, value] : got["settings"]["rules"].items()) {
        INFO(key);
        REQUIRE(fields.count("rules." + key) == 1);
        const json& f = fields["rules." + key];
        CHECK(!f["zh"].get<std::string>().empty());
        CHECK(!f["en"].get<std::string>().empty());
        CHECK(f["kind"] == (value.is_boolean() ? "bool" : value.is_number_integer() ? "int" : "decimal"));
        if (f["kind"] != "bool") {
            CHECK(f.contains("unit"));
            CHECK(f["min"].get<double>() <= value.get<double>());
            CHECK(value.get<double>() <= f["max"].get<double>());
        }
    }
    // Each table entry sets its own member: setting every rule away from its
    // default changes a Rules that compares unequal, and each one separately.
    std::set<std::string> zh;
    for (const RuleSetting& r : kRuleSettings) {
        INFO(r.key);
        CHECK(zh.insert(std::string(r.zh)).second); // two rules never read the same
        CHECK(int(r.flag != nullptr) + int(r.whole != nullptr) + int(r.decimal != nullptr) == 1);
        Rules changed;
        json other = r.flag ? json(!(Rules{}.*r.flag)) : r.whole ? json(int(Rules{}.*r.whole == int(r.min) ? r.max : r.min)) : json(r.max);
        REQUIRE(!setRule(changed, r, other));
        CHECK(!(changed == Rules{}));
        CHECK(rulesJson(changed)[std::string(r.key)] == other);
    }
}

TEST_CASE("settings form: settings.set takes exactly the range the form says, and words the refusal", "[settings]")
{
    TempDb file;
    Api api(file.open());
    json before = call(api, {{"op", "settings.get"}});
    auto fields = formFields(before);
    REQUIRE(fields.size() == kRuleSettings.size() + kTextSettings.size());
    for (const auto& [key, f] : fields) {
        INFO(key);
        std::vector<json> good, bad;
        const std::string kind = f["kind"];
        if (kind == "bool") {
            good = {true, false};
            bad = {1, "yes", nullptr};
        } else if (kind == "text") {
            int n = f["max_length"];
            good = {"", std::string(size_t(n), 'a')};
            bad = {std::string(size_t(n) + 1, 'a'), 7};
            if (key == "upload_url") // an address is http(s) (and at most max_length)
                good = {"", "https://" + std::string(size_t(n) - 8, 'a')};
        } else {
            double lo = f["min"], hi = f["max"];
            double step = kind == "int" ? 1 : 0.1;
            good = kind == "int" ? std::vector<json>{int(lo), int(hi)} : std::vector<json>{lo, hi};
            bad = kind == "int" ? std::vector<json>{int(lo) - 1, int(hi) + 1, lo + 0.5, "10"} : std::vector<json>{lo - step, hi + step, "37"};
        }
        for (const json& v : good) {
            INFO(v.dump());
            json r = call(api, {{"op", "settings.set"}, {"settings", settingAt(key, v)}});
            REQUIRE(r["ok"] == true);
            CHECK(valueAt(r["settings"], key) == v);
        }
        json now = call(api, {{"op", "settings.get"}});
        for (const json& v : bad) {
            INFO(v.dump());
            json r = call(api, {{"op", "settings.set"}, {"settings", settingAt(key, v)}});
            CHECK(r["ok"] == false);
            CHECK(r["error"]["code"] == "settings.invalid");
            CHECK(r["error"]["field"] == key);
            CHECK(call(api, {{"op", "settings.get"}})["settings"] == now["settings"]); // nothing changed
        }
    }
    // The refusal names the rule and its range in words.
    json r = call(api, {{"op", "settings.set"}, {"settings", {{"rules", {{"fever_at_or_above", 41.0}}}}}});
    CHECK(r["error"]["zh"] == "发热标准 ≥：须为 36.0 至 40.0 ℃");
    CHECK(r["error"]["en"] == "Fever at or above: must be 36.0 to 40.0 °C");
    // A rule the form does not have is not a setting.
    CHECK(call(api, {{"op", "settings.set"}, {"settings", {{"rules", {{"no_such_rule", 1}}}}}})["error"]["field"] == "rules.no_such_rule");
    // One bad rule among good ones changes none of them.
    json mixed = call(api, {{"op", "settings.get"}});
    r = call(api, {{"op", "settings.set"}, {"settings", {{"rules", {{"deny_delivery", !mixed["settings"]["rules"]["deny_delivery"]}, {"return_window_days", 99}}}}}});
    CHECK(r["ok"] == false);
    CHECK(call(api, {{"op", "settings.get"}})["settings"] == mixed["settings"]);
}

TEST_CASE("settings form: every rule survives the store, each one on its own", "[settings]")
{
    TempDb file;
    Rules all;
    for (const RuleSetting& r : kRuleSettings)
        REQUIRE(!setRule(all, r, r.flag ? json(!(Rules{}.*r.flag)) : r.whole ? json(int(r.max)) : json(r.max)));
    {
        Api api(file.open());
        REQUIRE(call(api, {{"op", "settings.set"}, {"settings", {{"rules", rulesJson(all)}}}})["ok"] == true);
    }
    Api api(file.open());
    json got = call(api, {{"op", "settings.get"}});
    CHECK(got["settings"]["rules"] == rulesJson(all));
}
