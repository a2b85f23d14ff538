// What the core answers so that a guard taps less (issue 14, "fewer taps"):
// the one-tap readings, a temperature as typed, today's referred and refused,
// and the first-start checklist. The console only shows these.
#include "Fixtures.h"

#include "SettingsForm.h"

#include <catch2/catch.hpp>

using namespace gatepass;
using namespace gatepass::test;
using nlohmann::json;

TEST_CASE("one-tap readings: 36.2 to 36.7 in tenths, never a fever", "[policy][taps]")
{
    std::vector<std::string> texts;
    for (const Reading& r : commonReadings(Rules{}))
        texts.push_back(r.text);
    CHECK(texts == std::vector<std::string>{"36.2", "36.3", "36.4", "36.5", "36.6", "36.7"});
    // A stricter community: what would be a fever is not offered as a tap.
    Rules strict;
    strict.feverAtOrAbove = 36.5;
    auto low = commonReadings(strict);
    REQUIRE(low.size() == 3);
    CHECK(low.back().text == "36.4");
    for (const Reading& r : low)
        CHECK(!isFever(r.celsius, strict));
    // The settings reply carries them, following the rule.
    TempDb file;
    Api api(file.open());
    CHECK(call(api, {{"op", "settings.get"}})["readings"].size() == 6);
    json set = call(api, {{"op", "settings.set"}, {"settings", {{"rules", {{"fever_at_or_above", 36.5}}}}}});
    REQUIRE(set["readings"].size() == 3);
    CHECK(set["readings"][2] == json{{"value", 36.4}, {"text", "36.4"}});
}

TEST_CASE("a temperature as staff typed it: a decimal number, else temperature.format; blank is none", "[policy][taps]")
{
    CHECK(temperatureFromText("36.5").value() == 36.5);
    CHECK(temperatureFromText(" 37.8 ").value() == 37.8);
    CHECK(temperatureFromText("36").value() == 36.0);
    CHECK(!temperatureFromText("").value());
    CHECK(!temperatureFromText("   ").value());
    for (std::string_view bad : {"abc", "36.5.1", "-36", "3e1", ".", "36,5", "inf", "nan", "0x24", "123456789"}) {
        INFO(bad);
        auto r = temperatureFromText(bad);
        REQUIRE(!r);
        CHECK(r.error().code == "temperature.format");
        CHECK(r.error().field == "temperature");
    }
    // Through the API: the text decides like the number; a misreading is still judged by range.
    TempDb file;
    Api api(file.open());
    REQUIRE(call(api, {{"op", "person.verify"}, {"person", toJson(samplePerson())}, {"staff", "小李"}})["ok"] == true);
    auto decideWith = [&](json t) {
        return call(api, {{"op", "decide"}, {"doc_number", samplePerson().docNumber}, {"temperature", t}, {"direction", "in"}});
    };
    CHECK(decideWith("36.5")["verdict"] == "allow");
    CHECK(decideWith("38.2")["verdict"] == "refer");
    CHECK(decideWith("3.65")["error"]["code"] == "temperature.range");
    CHECK(decideWith("36.5x")["error"]["code"] == "temperature.format");
    CHECK(decideWith("")["error"]["code"] == "temperature.missing");
    json stored = call(api, {{"op", "entry.record"}, {"doc_number", samplePerson().docNumber}, {"temperature", "36.6"}, {"direction", "in"}, {"staff", "小李"}});
    REQUIRE(stored["ok"] == true);
    CHECK(stored["entry"]["temperature"] == 36.6);
    CHECK(call(api, {{"op", "entry.record"}, {"doc_number", samplePerson().docNumber}, {"temperature", "x"}, {"direction", "in"}, {"staff", "小李"}})["error"]["code"] == "temperature.format");
    CHECK(call(api, {{"op", "entries.today"}})["entries"].size() == 1); // the refused request stored nothing
}

TEST_CASE("today's referred and refused: entries.today at_least, newest first", "[api][taps]")
{
    TempDb file;
    Api api(file.open());
    Person visitor = samplePerson();
    REQUIRE(call(api, {{"op", "person.verify"}, {"person", toJson(visitor)}, {"staff", "小李"}})["ok"] == true);
    Person courier = samplePerson();
    courier.docNumber = "E7654321";
    courier.docType = DocType::Passport;
    courier.personType = PersonType::Delivery;
    REQUIRE(call(api, {{"op", "person.verify"}, {"person", toJson(courier)}, {"staff", "小李"}})["ok"] == true);
    auto record = [&](const Person& p, double t, int minute) {
        json r = call(api, {{"op", "entry.record"}, {"doc_number", p.docNumber}, {"temperature", t}, {"direction", "in"}, {"staff", "小李"},
                            {"now", kNow.unixMs + minute * 60'000}});
        REQUIRE(r["ok"] == true);
        return r["entry"]["verdict"].get<std::string>();
    };
    REQUIRE(record(visitor, 36.5, 0) == "allow");
    REQUIRE(record(courier, 36.5, 1) == "deny");  // couriers hand over at the gate
    REQUIRE(record(visitor, 38.0, 2) == "refer"); // fever
    REQUIRE(record(visitor, 36.4, 3) == "allow");
    auto verdicts = [&](json req) {
        req["op"] = "entries.today";
        std::vector<std::string> out;
        json reply = call(api, req, kNow.unixMs + 10 * 60'000); // kept: a range over a temporary's member dangles
        for (const json& e : reply["entries"])
            out.push_back(e["verdict"]);
        return out;
    };
    CHECK(verdicts({}) == std::vector<std::string>{"allow", "refer", "deny", "allow"});
    CHECK(verdicts({{"at_least", "refer"}}) == std::vector<std::string>{"refer", "deny"});
    CHECK(verdicts({{"at_least", "deny"}}) == std::vector<std::string>{"deny"});
    CHECK(verdicts({{"at_least", "allow"}}).size() == 4);
    CHECK(verdicts({{"at_least", "refer"}, {"limit", 1}}) == std::vector<std::string>{"refer"});
    for (json bad : {json("worse"), json(1), json::array({"refer"})}) {
        json r = call(api, {{"op", "entries.today"}, {"at_least", bad}});
        CHECK(r["ok"] == false);
        CHECK(r["error"]["code"] == "request.invalid");
    }
}

TEST_CASE("first start: the checklist lists what is not set, in words, until it all is", "[api][taps]")
{
    TempDb file;
    Api api(file.open());
    json list = call(api, {{"op", "settings.get"}})["checklist"];
    CHECK(list["done"] == false);
    std::vector<std::string> keys;
    for (const json& i : list["items"]) {
        keys.push_back(i["key"]);
        CHECK(i["done"] == false);
        CHECK(!i["zh"].get<std::string>().empty());
        CHECK(!i["en"].get<std::string>().empty());
    }
    CHECK(keys == std::vector<std::string>{"enroll", "community_code", "community_name", "gate_name", "city"});
    json set = call(api, {{"op", "settings.set"}, {"settings", {{"community_code", "C001"}, {"community_name", "幸福里"}, {"gate_name", "北门"}, {"city", "北京"}}}});
    list = set["checklist"];
    CHECK(list["done"] == false); // not enrolled: no live pass opens here
    for (const json& i : list["items"])
        CHECK(i["done"] == (i["key"] != "enroll"));
    // Keys (as an enrollment stores them) finish it.
    json keys1 = json::array({{{"id", "a1b2c3d4"}, {"secret_key", "c2VjcmV0"}, {"public_key", "cHVibGlj"}}});
    CHECK(call(api, {{"op", "settings.set"}, {"settings", {{"keys", keys1}}}})["checklist"]["done"] == true);
    // An emptied name is on the list again.
    json emptied = call(api, {{"op", "settings.set"}, {"settings", {{"gate_name", ""}}}})["checklist"];
    CHECK(emptied["done"] == false);
}

TEST_CASE("the ±0.1 buttons step what was typed in whole tenths, within the plausible range", "[policy][taps]")
{
    CHECK(steppedTemperature("", +1) == "36.5"); // the first tap shows where the buttons start
    CHECK(steppedTemperature("abc", -1) == "36.5");
    CHECK(steppedTemperature("36.6", +1) == "36.7"); // not 36.699999: tenths are counted whole
    CHECK(steppedTemperature("36.6", -1) == "36.5");
    CHECK(steppedTemperature(" 37 ", +1) == "37.1");
    CHECK(steppedTemperature("36.55", +1) == "36.7"); // rounded to a tenth first
    CHECK(steppedTemperature("43.0", +1) == "43.0");  // kept within the range decide accepts
    CHECK(steppedTemperature("34", -1) == "34.0");
    CHECK(steppedTemperature("99999", -1) == "42.9"); // a slip of the finger comes back into range
    TempDb file;
    Api api(file.open());
    CHECK(call(api, {{"op", "temperature.step"}, {"text", "36.9"}, {"tenths", -1}})["text"] == "36.8");
    CHECK(call(api, {{"op", "temperature.step"}, {"text", "36.9"}, {"tenths", 1e30}})["error"]["code"] == "request.number");
}
