#include "Fixtures.h"

#include <catch2/catch.hpp>

using namespace gatepass;
using namespace gatepass::test;
using nlohmann::json;

namespace {

json call(Api& api, json req)
{
    if (!req.contains("now"))
        req["now"] = kNow.unixMs;
    req["tz"] = kNow.utcOffsetMinutes;
    json reply = json::parse(api.call(req.dump()));
    REQUIRE(reply.contains("ok"));
    return reply;
}

} // namespace

TEST_CASE("api: malformed requests get a reason, never a crash", "[api]")
{
    TempDb file;
    Api api(file.open());
    for (std::string bad : {"", "{", "[]", "{\"op\":1}", "{\"op\":\"no.such\"}"}) {
        json r = json::parse(api.call(bad));
        CHECK(r["ok"] == false);
        CHECK(r["error"]["code"] == "request.invalid");
    }
    json r = call(api, {{"op", "search"}, {"query", "x"}, {"limit", "ten"}});
    CHECK(r["ok"] == false);
}

TEST_CASE("api: fields describe the twelve items for every face", "[api]")
{
    TempDb file;
    Api api(file.open());
    json r = call(api, {{"op", "fields"}});
    CHECK(r["items"].size() == 12);
    CHECK(r["fields"].size() == fields().size());
    CHECK(r["fields"][1]["key"] == "doc_type");
    CHECK(r["fields"][1]["choices"].size() == 5);
    CHECK(r["fields"][8]["when"] == "left_city");
}

TEST_CASE("api: the resident's journey — validate, save, list, edit, delete", "[api]")
{
    TempDb file;
    Api api(file.open());
    json person = toJson(samplePerson());
    person["doc_number"] = "110105194912310021"; // wrong check digit
    person["phone"] = "12345";
    json r = call(api, {{"op", "person.save"}, {"person", person}});
    CHECK(r["ok"] == false);
    CHECK(r["errors"].size() == 2);
    CHECK(r["errors"][0]["field"] == "doc_number");
    CHECK(r["errors"][0]["code"] == "id.checksum");
    CHECK(r["errors"][1]["field"] == "phone");
    CHECK(call(api, {{"op", "person.list"}})["records"].empty()); // nothing saved

    r = call(api, {{"op", "person.save"}, {"person", toJson(samplePerson())}});
    REQUIRE(r["ok"] == true);
    CHECK(r["record"]["masked"]["doc_number"] == "1101**********002X");
    CHECK(r["record"]["masked"]["phone"] == "138****8000");
    std::string pass = r["record"]["pass"];
    json decoded = call(api, {{"op", "pass.decode"}, {"text", pass}});
    CHECK(decoded["person"] == toJson(samplePerson()));

    json edited = toJson(samplePerson());
    edited["address"] = "5-1-101";
    r = call(api, {{"op", "person.save"}, {"person", edited}, {"replaces", samplePerson().docNumber}});
    REQUIRE(r["ok"] == true);
    auto list = call(api, {{"op", "person.list"}})["records"];
    REQUIRE(list.size() == 1);
    CHECK(list[0]["person"]["address"] == "5-1-101");
    CHECK(call(api, {{"op", "person.delete"}, {"doc_number", samplePerson().docNumber}})["ok"] == true);
    CHECK(call(api, {{"op", "person.list"}})["records"].empty());
}

TEST_CASE("api: the gate's journey — scan, verify, decide, record, export", "[api]")
{
    TempDb file;
    Api api(file.open());
    REQUIRE(call(api, {{"op", "settings.set"}, {"settings", {{"community_code", "C001"}, {"community_name", "幸福里"}, {"gate_name", "北门"}}}})["ok"] == true);
    std::string pass = *encodePass(samplePerson(), kNow.unixMs - 60'000);

    json scan = call(api, {{"op", "scan"}, {"text", pass}});
    REQUIRE(scan["ok"] == true);
    CHECK(scan["known"] == false);
    CHECK(scan["verified"] == false);
    json first = call(api, {{"op", "decide"}, {"person", scan["person"]}, {"temperature", 36.5}, {"direction", "in"}});
    CHECK(first["verdict"] == "refer"); // never verified at this gate

    REQUIRE(call(api, {{"op", "person.verify"}, {"person", scan["person"]}, {"staff", "小李"}, {"issued_at", scan["issued_at"]}})["ok"] == true);
    scan = call(api, {{"op", "scan"}, {"text", pass}});
    CHECK(scan["known"] == true);
    CHECK(scan["verified"] == true);

    json entry = call(api, {{"op", "entry.record"}, {"doc_number", samplePerson().docNumber}, {"temperature", 36.5}, {"direction", "in"}, {"staff", "小李"}});
    REQUIRE(entry["ok"] == true);
    CHECK(entry["entry"]["verdict"] == "allow");
    CHECK(entry["entry"]["gate"] == "北门");
    CHECK(entry["pending"]["entries"] == 1);

    // A minute later: entries of the same millisecond would tie in time order.
    json fever = call(api, {{"op", "entry.record"}, {"doc_number", samplePerson().docNumber}, {"temperature", 38.2}, {"direction", "in"}, {"staff", "小李"}, {"now", kNow.unixMs + 60'000}});
    CHECK(fever["entry"]["verdict"] == "refer");
    CHECK(fever["entry"]["reasons"][0]["code"] == "fever");

    json noTemp = call(api, {{"op", "entry.record"}, {"doc_number", samplePerson().docNumber}, {"direction", "in"}});
    CHECK(noTemp["error"]["code"] == "temperature.missing");

    json today = call(api, {{"op", "entries.today"}});
    CHECK(today["entries"].size() == 2);
    CHECK(today["entries"][0]["masked_doc_number"] == "1101**********002X");

    json history = call(api, {{"op", "entries.of"}, {"doc_number", samplePerson().docNumber}, {"limit", 1}});
    REQUIRE(history["entries"].size() == 1);
    CHECK(history["entries"][0]["temperature"] == 38.2); // newest first

    json stats = call(api, {{"op", "stats"}});
    CHECK(stats["entries_today"] == 2);
    CHECK(stats["fever_today"] == 1);

    json foreign = call(api, {{"op", "scan"}, {"text", "http://example.com"}});
    CHECK(foreign["error"]["code"] == "pass.foreign");

    json b = call(api, {{"op", "batch.export"}});
    REQUIRE(b["ok"] == true);
    CHECK(b["counts"]["entries"] == 2);
    CHECK(b["pending"]["entries"] == 0);
    json again = call(api, {{"op", "batch.get"}, {"seq", 1}});
    CHECK(again["file"]["text"] == b["file"]["text"]);
    CHECK(call(api, {{"op", "batch.list"}})["batches"].size() == 1);
}
