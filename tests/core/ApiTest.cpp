#include "Fixtures.h"

#include <catch2/catch.hpp>

using namespace gatepass;
using namespace gatepass::test;
using nlohmann::json;

namespace {

// The keys of a `display` or `changes` list, in order.
std::vector<std::string> keysOf(const json& list)
{
    std::vector<std::string> out;
    for (const auto& i : list)
        out.push_back(i["key"]);
    return out;
}

const json* item(const json& display, std::string_view key)
{
    for (const auto& i : display)
        if (i["key"] == key)
            return &i;
    return nullptr;
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
    CHECK(r["fields"][1]["choices"].size() == 7); // with the two 来往内地/大陆通行证
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

    // The gate refuses what the office would refuse in its batch (checkEntry), and stores nothing.
    json longStaff = call(api, {{"op", "entry.record"}, {"doc_number", samplePerson().docNumber}, {"temperature", 36.5}, {"direction", "in"}, {"staff", std::string(201, 'a')}});
    CHECK(longStaff["error"]["code"] == "entry.invalid");
    CHECK(longStaff["error"]["field"] == "staff");
    json ctlStaff = call(api, {{"op", "entry.record"}, {"doc_number", samplePerson().docNumber}, {"temperature", 36.5}, {"direction", "in"}, {"staff", "小\x07李"}});
    CHECK(ctlStaff["error"]["code"] == "entry.invalid");

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

// The words and views the core answers so the faces need not compute them:
// display, entry words in the request's zone, verdict words, scan changes,
// errors in form order, the pass's issue time kept on verification.

TEST_CASE("display: the fields asked of this person, in words, numbers masked", "[api][words]")
{
    TempDb file;
    Api api(file.open());
    json r = call(api, {{"op", "person.save"}, {"person", toJson(samplePerson())}});
    REQUIRE(r["ok"] == true);
    json d = r["record"]["display"];
    // No employer (blank), and neither travel detail nor observation start (not asked).
    CHECK(keysOf(d) == std::vector<std::string>{"name", "doc_type", "doc_number", "phone", "person_type", "address", "left_city",
                                                "epidemic_contact", "symptoms", "home_observation"});
    CHECK((*item(d, "doc_number"))["value"] == json{{"zh", "1101**********002X"}, {"en", "1101**********002X"}});
    CHECK((*item(d, "phone"))["value"]["zh"] == "138****8000");
    CHECK((*item(d, "doc_type"))["value"] == json{{"zh", "居民身份证"}, {"en", "Resident ID card"}});
    CHECK((*item(d, "left_city"))["value"] == json{{"zh", "否"}, {"en", "No"}});
    CHECK((*item(d, "left_city"))["item"] == 7);
    CHECK((*item(d, "left_city"))["zh"] == "近14天是否离开本市");

    Person p = samplePerson();
    p.leftCity = true;
    p.cameFrom = "武汉";
    p.returnDate = Date{kNow.today().days - 2};
    p.employer = "市第一医院";
    r = call(api, {{"op", "person.save"}, {"person", toJson(p)}});
    REQUIRE(r["ok"] == true);
    d = r["record"]["display"];
    CHECK(keysOf(d) == std::vector<std::string>{"name", "doc_type", "doc_number", "phone", "person_type", "address", "employer",
                                                "left_city", "came_from", "return_date", "epidemic_contact", "symptoms",
                                                "home_observation"});
    CHECK((*item(d, "left_city"))["value"]["en"] == "Yes");
    CHECK((*item(d, "return_date"))["value"]["zh"] == "2026-11-27");
    CHECK((*item(d, "came_from"))["value"]["zh"] == "武汉");

    // Lists and the scanned pass carry the same view.
    CHECK(call(api, {{"op", "person.list"}})["records"][0]["display"] == d);
    json scan = call(api, {{"op", "scan"}, {"text", *encodePass(p, kNow.unixMs)}});
    CHECK(scan["display"] == d);
}

TEST_CASE("entry words are in the request's time zone", "[api][words]")
{
    TempDb file;
    Api api(file.open());
    REQUIRE(call(api, {{"op", "person.verify"}, {"person", toJson(samplePerson())}, {"staff", "小李"}})["ok"] == true);
    json e = call(api, {{"op", "entry.record"}, {"doc_number", samplePerson().docNumber}, {"temperature", 37.8}, {"direction", "in"}, {"staff", "小李"}});
    REQUIRE(e["ok"] == true);
    json w = e["entry"]["words"];
    CHECK(w["time"] == "10:00");
    CHECK(w["date_time"] == "2026-11-29 10:00");
    CHECK(w["direction"] == json{{"zh", "进"}, {"en", "In"}});
    CHECK(w["verdict"] == json{{"zh", "请工作人员处理"}, {"en", "Refer to staff"}}); // fever
    CHECK(w["temperature"] == "37.8 °C");
    CHECK(w["person_type"] == json{{"zh", "本社区户籍居民"}, {"en", "Registered resident"}});

    // The same entry seen from UTC and from UTC-5: 02:00 and the evening before.
    json utc = call(api, {{"op", "entries.of"}, {"doc_number", samplePerson().docNumber}, {"tz", 0}});
    CHECK(utc["entries"][0]["words"]["time"] == "02:00");
    CHECK(utc["entries"][0]["words"]["date_time"] == "2026-11-29 02:00");
    json ny = call(api, {{"op", "entries.of"}, {"doc_number", samplePerson().docNumber}, {"tz", -300}});
    CHECK(ny["entries"][0]["words"]["date_time"] == "2026-11-28 21:00");

    json out = call(api, {{"op", "entry.record"}, {"doc_number", samplePerson().docNumber}, {"direction", "out"}, {"staff", "小李"}, {"now", kNow.unixMs + 60'000}});
    CHECK(out["entry"]["words"]["temperature"] == "");
    CHECK(out["entry"]["words"]["direction"]["zh"] == "出");
    CHECK(call(api, {{"op", "entries.today"}})["entries"][0]["words"]["verdict"]["en"] == "Allowed");
}

TEST_CASE("decide answers its verdict in words too", "[api][words]")
{
    TempDb file;
    Api api(file.open());
    Person courier = samplePerson();
    courier.personType = PersonType::Delivery;
    json r = call(api, {{"op", "decide"}, {"person", toJson(courier)}, {"temperature", 36.5}, {"direction", "in"}});
    CHECK(r["verdict"] == "deny");
    CHECK(r["verdict_words"] == json{{"zh", "不得进入"}, {"en", "Denied"}});
}

TEST_CASE("scan lists what changed since the stored record, in form order", "[api][words]")
{
    TempDb file;
    Api api(file.open());
    REQUIRE(call(api, {{"op", "person.verify"}, {"person", toJson(samplePerson())}, {"staff", "小李"}})["ok"] == true);

    json same = call(api, {{"op", "scan"}, {"text", *encodePass(samplePerson(), kNow.unixMs)}});
    CHECK(same["changed"] == false);
    CHECK(same["changes"] == json::array());

    Person moved = samplePerson();
    moved.phone = "13912345678";
    moved.address = "5-1-101";
    json scan = call(api, {{"op", "scan"}, {"text", *encodePass(moved, kNow.unixMs)}});
    CHECK(scan["changed"] == true);
    REQUIRE(scan["changes"].size() == 2);
    CHECK(keysOf(scan["changes"]) == std::vector<std::string>{"phone", "address"});
    CHECK(scan["changes"][0]["from"] == json{{"zh", "138****8000"}, {"en", "138****8000"}}); // masked
    CHECK(scan["changes"][0]["to"]["zh"] == "139****5678");
    CHECK(scan["changes"][1]["zh"] == "住址（楼-单元-门牌）");
    CHECK(scan["changes"][1]["from"]["zh"] == "3-2-501");
    CHECK(scan["changes"][1]["to"]["zh"] == "5-1-101");

    // A stranger's pass: nothing to compare with.
    Person other = samplePerson();
    other.docNumber = makeIdNumber("310104", *Date::fromYmd(1985, 5, 5), 12);
    json unknown = call(api, {{"op", "scan"}, {"text", *encodePass(other, kNow.unixMs)}});
    CHECK(unknown["known"] == false);
    CHECK(unknown["changes"] == json::array());
    CHECK(unknown["changed"] == false);
}

TEST_CASE("validation errors arrive in form order, shape and rule errors alike", "[api][validation]")
{
    TempDb file;
    Api api(file.open());
    json person = toJson(samplePerson());
    person["symptoms"] = "no";  // shape error, item 11
    person["left_city"] = true; // travel details now required: items 8 and 9
    person["came_from"] = "";
    person["phone"] = "12345";  // rule error, item 3
    person["name"] = "";        // rule error, item 1
    json r = call(api, {{"op", "person.validate"}, {"person", person}});
    REQUIRE(r["ok"] == false);
    std::vector<std::string> got;
    for (const auto& e : r["errors"])
        got.push_back(e["field"].get<std::string>() + ":" + e["code"].get<std::string>());
    CHECK(got == std::vector<std::string>{"name:required", "phone:phone.format", "came_from:required", "return_date:required",
                                          "symptoms:type"});
}

TEST_CASE("person.verify keeps the pass's issue time as the record's version", "[api]")
{
    TempDb file;
    Api api(file.open());
    int64_t issued = kNow.unixMs - 3 * 86'400'000LL;
    json r = call(api, {{"op", "person.verify"}, {"person", toJson(samplePerson())}, {"staff", "小李"}, {"issued_at", issued}});
    REQUIRE(r["ok"] == true);
    CHECK(r["record"]["updated_at"] == issued);
    CHECK(r["record"]["verified_at"] == kNow.unixMs);
    CHECK(r["record"]["verified_by"] == "小李");
    CHECK(call(api, {{"op", "person.get"}, {"doc_number", samplePerson().docNumber}})["record"]["updated_at"] == issued);
}

TEST_CASE("a pass from a phone whose clock runs ahead is versioned at the gate's now", "[api]")
{
    TempDb file;
    Api api(file.open());
    int64_t ahead = kNow.unixMs + 2 * 86'400'000LL;
    json v = call(api, {{"op", "person.verify"}, {"person", toJson(samplePerson())}, {"staff", "小李"}, {"issued_at", ahead}});
    REQUIRE(v["ok"] == true);
    CHECK(v["record"]["updated_at"] == kNow.unixMs);

    // Through entry.record (the pass's newer answers are kept), the same cap.
    Person moved = samplePerson();
    moved.address = "9-9-909";
    json e = call(api, {{"op", "entry.record"}, {"person", toJson(moved)}, {"issued_at", ahead}, {"temperature", 36.5},
                        {"direction", "in"}, {"staff", "小李"}, {"now", kNow.unixMs + 60'000}});
    REQUIRE(e["ok"] == true);
    json rec = call(api, {{"op", "person.get"}, {"doc_number", moved.docNumber}})["record"];
    CHECK(rec["person"]["address"] == "9-9-909");
    CHECK(rec["updated_at"] == kNow.unixMs + 60'000);
}

TEST_CASE("batch.get writes the CSV's times in the request's zone; the file stays the same bytes", "[api][batch]")
{
    TempDb file;
    Api api(file.open());
    REQUIRE(call(api, {{"op", "person.verify"}, {"person", toJson(samplePerson())}, {"staff", "小李"}})["ok"] == true);
    REQUIRE(call(api, {{"op", "entry.record"}, {"doc_number", samplePerson().docNumber}, {"temperature", 36.5}, {"direction", "in"}, {"staff", "小李"}})["ok"] == true);
    json b = call(api, {{"op", "batch.export"}, {"tz", 0}});
    REQUIRE(b["ok"] == true);
    CHECK(b["csv"]["text"].get<std::string>().find("\"2026-11-29 02:00\"") != std::string::npos);
    json china = call(api, {{"op", "batch.get"}, {"seq", 1}, {"tz", 480}});
    CHECK(china["csv"]["text"].get<std::string>().find("\"2026-11-29 10:00\"") != std::string::npos);
    CHECK(china["file"]["text"] == b["file"]["text"]);
    json utc = call(api, {{"op", "batch.get"}, {"seq", 1}, {"tz", 0}});
    CHECK(utc["csv"]["text"] == b["csv"]["text"]);
    // The header is the file's own.
    CHECK(china["header"]["community"].contains("code"));
    CHECK(china["header"]["counts"]["entries"] == 1);
}

TEST_CASE("info, integrity and batch.uploaded answer as documented", "[api]")
{
    TempDb file;
    Api api(file.open());
    json info = call(api, {{"op", "info"}});
    CHECK(info["schema_version"] == kSchemaVersion);
    CHECK(info["pass_format"] == kPassFormat);
    CHECK(info["batch_format"] == kBatchFormat);
    CHECK(call(api, {{"op", "integrity"}})["result"] == "ok");
    REQUIRE(call(api, {{"op", "person.save"}, {"person", toJson(samplePerson())}})["ok"] == true);
    REQUIRE(call(api, {{"op", "batch.export"}})["ok"] == true);
    CHECK(call(api, {{"op", "batch.list"}})["batches"][0]["uploaded_at"].is_null());
    REQUIRE(call(api, {{"op", "batch.uploaded"}, {"seq", 1}, {"now", kNow.unixMs + 5}})["ok"] == true);
    REQUIRE(call(api, {{"op", "batch.uploaded"}, {"seq", 1}, {"now", kNow.unixMs + 9}})["ok"] == true); // the first time counts
    json list = call(api, {{"op", "batch.list"}})["batches"];
    CHECK(list[0]["uploaded_at"] == kNow.unixMs + 5);
    CHECK(list[0]["persons"] == 1);
    CHECK(list[0]["gate"] == "");
    // The time in words is the core's, in the caller's zone (the console showed the browser's own).
    const int64_t created = list[0]["created_at"];
    CHECK(list[0]["created"] == formatLocalTime(created, kDefaultUtcOffsetMinutes));
    CHECK(call(api, {{"op", "batch.list"}, {"tz", 0}})["batches"][0]["created"] == formatLocalTime(created, 0));
    CHECK(formatLocalTime(created, 0) != formatLocalTime(created, kDefaultUtcOffsetMinutes));
}

TEST_CASE("the enrolled secrets are stored, never answered; batch.upload_request hands the token over TLS only", "[api][batch]")
{
    TempDb file;
    const std::string token = "tok_8Jq2VbW3xYz4AbCdEfGhIjKlMnOpQrStUvWxYz01234";
    const json keys = json::array({{{"id", "a1b2c3d4"}, {"secret_key", "c2VjcmV0"}, {"public_key", "cHVibGlj"}}});
    {
        Api api(file.open());
        json none = call(api, {{"op", "settings.get"}});
        CHECK(none["upload_token_set"] == false);
        CHECK(none["gate_key_set"] == false);
        CHECK(none["keys_set"] == false);

        json set = call(api, {{"op", "settings.set"},
                              {"settings", {{"community_code", "C001"}, {"gate_name", "北门"},
                                            {"upload_url", "https://office.example.org/api/upload"},
                                            {"upload_token", token}, {"gate_key", "Z2F0ZWtleQ"}, {"keys", keys}}}});
        REQUIRE(set["ok"] == true);
        CHECK(set["upload_token_set"] == true);
        CHECK(set["gate_key_set"] == true);
        CHECK(set["keys_set"] == true);
        CHECK(set.dump().find(token) == std::string::npos);
        CHECK(set.dump().find("c2VjcmV0") == std::string::npos);
        CHECK(set.dump().find("Z2F0ZWtleQ") == std::string::npos);
        // A malformed key list changes nothing.
        json bad = call(api, {{"op", "settings.set"}, {"settings", {{"keys", json::array({"x"})}, {"gate_name", "南门"}}}});
        CHECK(bad["error"]["code"] == "settings.invalid");
    }
    // Reopened: still set, still not answered; the console's round trip of the shown settings keeps them.
    Api api(file.open());
    json got = call(api, {{"op", "settings.get"}});
    CHECK(got["upload_token_set"] == true);
    CHECK(got["settings"]["gate_name"] == "北门");
    CHECK(got.dump().find(token) == std::string::npos);
    CHECK(call(api, {{"op", "settings.set"}, {"settings", got["settings"]}})["upload_token_set"] == true);

    // A gate with keys takes live passes only (LivePassTest); the person is checked by hand here.
    std::string pass = *encodePass(samplePerson(), kNow.unixMs - 60'000);
    CHECK(call(api, {{"op", "scan"}, {"text", pass}})["error"]["code"] == "pass.plain");
    REQUIRE(call(api, {{"op", "person.verify"}, {"person", toJson(samplePerson())}, {"staff", "小李"}, {"issued_at", kNow.unixMs - 60'000}})["ok"] == true);
    // A gate with a gate key MACs its batches; this Api has no crypto (the core
    // tests have no libsodium: tests/office exports with it), so it exports nothing
    // rather than a file its office would refuse. Without the keys (gate key, and the
    // community keys it would seal to: Batch.h format 3), it exports.
    CHECK(call(api, {{"op", "batch.export"}})["error"]["code"] == "crypto.unavailable");
    CHECK(call(api, {{"op", "batch.pending"}})["persons"] == 1);
    REQUIRE(call(api, {{"op", "settings.set"}, {"settings", {{"gate_key", ""}, {"keys", json::array()}}}})["gate_key_set"] == false);
    json exported = call(api, {{"op", "batch.export"}});
    REQUIRE(exported["ok"] == true);

    json req = call(api, {{"op", "batch.upload_request"}, {"seq", exported["seq"]}});
    REQUIRE(req["ok"] == true);
    CHECK(req["url"] == "https://office.example.org/api/upload");
    CHECK(req["token"] == token);
    CHECK(req["file"] == exported["file"]);

    for (const char* local : {"http://127.0.0.1:8080/api/upload", "http://localhost/api/upload"}) {
        REQUIRE(call(api, {{"op", "settings.set"}, {"settings", {{"upload_url", local}}}})["ok"] == true);
        CHECK(call(api, {{"op", "batch.upload_request"}, {"seq", exported["seq"]}})["url"] == local);
    }
    for (const char* remote : {"http://office.example.org/api/upload", "http://127.0.0.1.example.org/api/upload"}) {
        REQUIRE(call(api, {{"op", "settings.set"}, {"settings", {{"upload_url", remote}}}})["ok"] == true);
        json refused = call(api, {{"op", "batch.upload_request"}, {"seq", exported["seq"]}});
        CHECK(refused["error"]["code"] == "upload.insecure_address");
        CHECK(refused.dump().find(token) == std::string::npos);
    }
    REQUIRE(call(api, {{"op", "settings.set"}, {"settings", {{"upload_url", ""}}}})["ok"] == true);
    CHECK(call(api, {{"op", "batch.upload_request"}, {"seq", exported["seq"]}})["error"]["code"] == "upload.no_address");
}

TEST_CASE("who is inside: movements, not refusals; the next direction offered; the visitor cap", "[api][inside]")
{
    TempDb file;
    Api api(file.open());
    REQUIRE(call(api, {{"op", "settings.set"}, {"settings", {{"gate_name", "北门"}, {"rules", {{"refer_unverified", false}, {"refer_visitors", false}, {"max_visitors_inside", 2}}}}}})["ok"] == true);
    PersonGenerator gen(31);
    auto person = [&](PersonType type) {
        Person p = validate(gen.next(), kNow.today()).person;
        p.personType = type;
        p.homeObservation = p.epidemicContact = p.symptoms = p.leftCity = false;
        p.returnDate.reset();
        p.cameFrom.clear();
        return p;
    };
    int64_t t = kNow.unixMs;
    auto record = [&](const Person& p, const char* dir) {
        t += 1000;
        json r = call(api, {{"op", "entry.record"}, {"person", toJson(p)}, {"temperature", 36.5}, {"direction", dir}, {"staff", "小李"}}, t);
        REQUIRE(r["ok"] == true);
        return r["entry"];
    };
    Person resident = person(PersonType::Resident), courier = person(PersonType::Delivery);
    Person v1 = person(PersonType::Visitor), v2 = person(PersonType::Visitor), v3 = person(PersonType::Visitor);

    auto scanDirection = [&](const Person& p) {
        return call(api, {{"op", "scan"}, {"text", *encodePass(p, kNow.unixMs - 60'000)}}, t)["direction"];
    };
    CHECK(scanDirection(resident) == "in"); // never seen
    record(resident, "in");
    CHECK(scanDirection(resident) == "out");
    json refused = record(courier, "in");
    CHECK(refused["verdict"] == "deny");
    CHECK(refused["words"]["direction"]["zh"] == "未进入");
    CHECK(scanDirection(courier) == "in"); // a refusal is not a movement

    record(v1, "in");
    record(v2, "in");
    json inside = call(api, {{"op", "inside.now"}}, t);
    CHECK(inside["inside_now"] == 3);
    REQUIRE(inside["inside_by_person_type"].size() == 2);
    CHECK(inside["inside_by_person_type"][0]["person_type"] == "visitor"); // visitors first
    CHECK(inside["inside_by_person_type"][0]["count"] == 2);
    CHECK(inside["inside_by_person_type"][1]["person_type"] == "resident");

    // The cap of 2 is reached: the third visitor is referred; once one leaves, allowed.
    CHECK(call(api, {{"op", "decide"}, {"person", toJson(v3)}, {"temperature", 36.5}, {"direction", "in"}}, t)["reasons"][0]["code"] == "visitors.full");
    record(v1, "out");
    CHECK(call(api, {{"op", "decide"}, {"person", toJson(v3)}, {"temperature", 36.5}, {"direction", "in"}}, t)["verdict"] == "allow");

    json stats = call(api, {{"op", "stats"}}, t);
    CHECK(stats["in_today"] == 3);
    CHECK(stats["out_today"] == 1);
    CHECK(stats["refused_today"] == 1);
    CHECK(stats["inside_now"] == 2);
}
