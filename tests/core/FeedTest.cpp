// What the office's upload reply carries reaching the gate (Feed.h): the
// watch list and revocations replaced whole, the roster merged, a bad reply
// taking nothing; the scan and the policy using them; Retry-After; and the
// guard against enrolling into another community with records unsent.
#include "Fixtures.h"

#include "Base64.h"
#include "UploadStatus.h"

#include <catch2/catch.hpp>

using namespace gatepass;
using namespace gatepass::test;
using nlohmann::json;

namespace {

constexpr const char* kDoc = "11010519491231002X"; // samplePerson()

json reply(json watch, json revocations = json::array(), json roster = json::array())
{
    return json{{"ok", true}, {"already", false}, {"batch", {{"community", "C001"}, {"gate", "北门"}, {"seq", 1}}},
                {"added", {{"persons", 0}, {"persons_updated", 0}, {"entries", 0}}}, {"conflicts", json::array()},
                {"revocations", revocations}, {"watch_list", watch}, {"roster", roster}};
}

json watchRow(std::string doc, std::string reason) { return {{"doc_number", doc}, {"reason", reason}, {"added_at", kNow.unixMs - 1000}}; }

json rosterRow(const Person& p, int64_t updatedAt, std::optional<int64_t> verifiedAt = std::nullopt)
{
    return toJson(PersonRecord{p, updatedAt, verifiedAt, verifiedAt ? "办公室" : ""});
}

// A gate with one exported batch (seq answered) to report replies for.
struct Gate {
    TempDb file;
    Api api{file.open()};
    int64_t seq = 0;

    Gate()
    {
        Person other = samplePerson();
        other.docNumber = "110105194912310038";
        other.name = "李四";
        REQUIRE(call(api, {{"op", "person.save"}, {"person", toJson(other)}})["ok"] == true);
        seq = call(api, {{"op", "batch.export"}})["seq"];
    }

    json result(const json& body, int status = 200)
    {
        return call(api, {{"op", "batch.upload_result"}, {"seq", seq}, {"status", status}, {"body", body.is_string() ? body.get<std::string>() : body.dump()}});
    }

    json scan(const Person& p)
    {
        json text = call(api, {{"op", "pass.encode"}, {"person", toJson(p)}});
        REQUIRE(text["ok"] == true);
        return call(api, {{"op", "scan"}, {"text", text["text"]}});
    }
};

} // namespace

TEST_CASE("an upload reply's watch list and revocations replace the gate's, and a removal at the office removes them", "[feed][api]")
{
    Gate g;
    json r = g.result(reply(json::array({watchRow(kDoc, "居家观察"), watchRow("E12345678", "冒用证件")}),
                            json::array({{{"kind", "person"}, {"subject", "110105194912310038"}, {"reason", "已搬离"}, {"revoked_at", 5}}})));
    REQUIRE(r["ok"] == true);
    CHECK(r["uploaded"] == true);
    CHECK(r["message"]["code"] == "upload.ok");
    CHECK(r["feed"]["watch_list"] == 2);
    CHECK(r["feed"]["revocations"] == 1);
    CHECK(g.scan(samplePerson())["alert"]["reasons"][0]["code"] == "watch_list");

    // The office took the person off and withdrew the revocation: the next reply says so.
    r = g.result(reply(json::array({watchRow("E12345678", "冒用证件")})));
    CHECK(r["feed"]["watch_list"] == 1);
    CHECK(r["feed"]["revocations"] == 0);
    json scanned = g.scan(samplePerson());
    REQUIRE(scanned["ok"] == true);
    CHECK_FALSE(scanned.contains("alert"));
    Person other = samplePerson();
    other.docNumber = "110105194912310038";
    other.name = "李四";
    CHECK(g.scan(other)["ok"] == true);
}

TEST_CASE("the roster is merged like a batch's persons: new ones known at the first visit, the newer version wins", "[feed][api]")
{
    Gate g;
    Person fresh = samplePerson();
    Person known = samplePerson();
    known.docNumber = "110105194912310038";
    known.name = "李四"; // as the gate registered them (Gate), phone 13800138000
    const int64_t localVersion = call(g.api, {{"op", "person.get"}, {"doc_number", known.docNumber}})["record"]["updated_at"];
    Person older = known;
    older.phone = "13700137000";

    json r = g.result(reply(json::array(), json::array(), json::array({rosterRow(fresh, kNow.unixMs - 5000, kNow.unixMs - 4000),
                                                                            rosterRow(older, localVersion - 1)})));
    REQUIRE(r["ok"] == true);
    CHECK(r["feed"]["roster_added"] == 1);
    CHECK(r["feed"]["roster_updated"] == 0); // the gate's own version is newer: kept
    json got = call(g.api, {{"op", "person.get"}, {"doc_number", kDoc}});
    REQUIRE(got["ok"] == true);
    CHECK(got["record"]["verified_at"] == kNow.unixMs - 4000);
    CHECK(call(g.api, {{"op", "person.get"}, {"doc_number", known.docNumber}})["record"]["person"]["phone"] == "13800138000");
    // The office's roster is not sent back to it.
    CHECK(call(g.api, {{"op", "batch.pending"}})["persons"] == 0);
    // Known and verified at the first scan: no ID check asked.
    json scanned = g.scan(fresh);
    CHECK(scanned["known"] == true);
    CHECK(scanned["verified"] == true);

    Person newer = known;
    newer.phone = "13600136000";
    r = g.result(reply(json::array(), json::array(), json::array({rosterRow(newer, kNow.unixMs + 1000)})));
    CHECK(r["feed"]["roster_updated"] == 1);
    CHECK(call(g.api, {{"op", "person.get"}, {"doc_number", known.docNumber}})["record"]["person"]["phone"] == "13600136000");
}

TEST_CASE("an office's roster row never replaces a resident's own record at the gate, made before the import or after", "[feed][api]")
{
    Gate g; // 李四 registered at this gate, before the office imports its roster
    Person listed = samplePerson();
    listed.docNumber = "110105194912310038";
    listed.name = "李四";
    listed.phone = "13700137000"; // the office's list has an old phone
    const json mine = call(g.api, {{"op", "person.get"}, {"doc_number", listed.docNumber}})["record"];
    Person absent = samplePerson(); // on the list, never at this gate

    // The import happens later; its rows carry kRosterVersion, not the import time.
    json r = g.result(reply(json::array(), json::array(), json::array({rosterRow(listed, kRosterVersion), rosterRow(absent, kRosterVersion)})));
    REQUIRE(r["ok"] == true);
    CHECK(r["feed"]["roster_added"] == 1);
    CHECK(r["feed"]["roster_updated"] == 0);
    CHECK(call(g.api, {{"op", "person.get"}, {"doc_number", listed.docNumber}})["record"] == mine);
    // The same reply again changes nothing (a tie keeps what the gate holds).
    r = g.result(reply(json::array(), json::array(), json::array({rosterRow(listed, kRosterVersion), rosterRow(absent, kRosterVersion)})));
    CHECK(r["feed"]["roster_added"] == 0);
    CHECK(r["feed"]["roster_updated"] == 0);
    // The listed-only person is known at the first scan; any record made at a gate is newer than the list's.
    CHECK(g.scan(absent)["known"] == true);
    CHECK(call(g.api, {{"op", "person.get"}, {"doc_number", kDoc}})["record"]["updated_at"] == kRosterVersion);
    CHECK(mine["updated_at"].get<int64_t>() > kRosterVersion);
}

TEST_CASE("a reply whose lists are not valid changes none of them, and says so by name", "[feed][api]")
{
    Person bad = samplePerson();
    json badPerson = toJson(bad);
    badPerson["doc_number"] = "11010519491231002Y"; // checksum
    json tooMany = json::array();
    for (size_t i = 0; i <= kMaxFeedRows; ++i)
        tooMany.push_back(i); // shape is not even looked at: the count is refused first
    const std::vector<std::pair<const char*, json>> cases = {
        {"not JSON", json("{\"ok\":true, \"watch_list\": [")},
        {"no watch list", [] { json j = reply(json::array()); j.erase("watch_list"); return j; }()},
        {"watch list not an array", [] { json j = reply(json::array()); j["watch_list"] = "x"; return j; }()},
        {"lower-case number", reply(json::array({watchRow("11010519491231002x", "居家观察")}))},
        {"short number", reply(json::array({watchRow("123", "居家观察")}))},
        {"empty reason", reply(json::array({watchRow(kDoc, "")}))},
        {"long reason", reply(json::array({watchRow(kDoc, std::string(201, 'a'))}))},
        {"control character", reply(json::array({watchRow(kDoc, "居家\n观察")}))},
        {"time as text", reply(json::array({{{"doc_number", kDoc}, {"reason", "x"}, {"added_at", "now"}}}))},
        {"negative time", reply(json::array({{{"doc_number", kDoc}, {"reason", "x"}, {"added_at", -1}}}))},
        {"missing reason", reply(json::array({{{"doc_number", kDoc}, {"added_at", 1}}}))},
        {"row not an object", reply(json::array({kDoc}))},
        {"too many rows", reply(tooMany)},
        {"unknown kind", reply(json::array(), json::array({{{"kind", "gate"}, {"subject", kDoc}, {"reason", "x"}, {"revoked_at", 1}}}))},
        {"person subject not a number", reply(json::array(), json::array({{{"kind", "person"}, {"subject", "张三"}, {"reason", "x"}, {"revoked_at", 1}}}))},
        {"invalid roster person", reply(json::array(), json::array(), json::array({{{"person", badPerson}, {"updated_at", 1}}}))},
    };
    for (const auto& [what, body] : cases) {
        INFO(what);
        Gate g;
        // What the gate held before: one watched person, to see it kept.
        REQUIRE(g.result(reply(json::array({watchRow(kDoc, "居家观察")})))["feed"]["watch_list"] == 1);
        // A valid roster row beside the bad part must not be taken either.
        Person extra = samplePerson();
        extra.docNumber = "E99887766";
        extra.docType = DocType::Passport;
        json b = body;
        if (b.is_object() && b.contains("roster") && b["roster"].empty())
            b["roster"].push_back(rosterRow(extra, kNow.unixMs));
        json r = g.result(b);
        REQUIRE(r["ok"] == true);
        CHECK(r["uploaded"] == true); // the office has the batch all the same
        CHECK(r["message"]["code"] == "feed.invalid");
        CHECK(!r["message"]["zh"].get<std::string>().empty());
        CHECK(!r["message"]["en"].get<std::string>().empty());
        CHECK_FALSE(r.contains("feed"));
        CHECK(g.scan(samplePerson())["alert"]["reasons"][0]["code"] == "watch_list");
        CHECK(call(g.api, {{"op", "person.get"}, {"doc_number", "E99887766"}})["ok"] == false);
    }
}

TEST_CASE("feedFromReply refuses bytes that are not UTF-8 (a request cannot carry them; the reader is checked alone)", "[feed]")
{
    std::string t = reply(json::array({watchRow(kDoc, "@@")})).dump();
    REQUIRE(feedFromReply(t));
    t.replace(t.find("@@"), 2, "\xff\xfe");
    auto r = feedFromReply(t);
    REQUIRE(!r);
    CHECK(r.error().code == "feed.invalid");
}

TEST_CASE("a watched person is shown denied at the scan with the office's reason, and the decision denies", "[feed][api][policy]")
{
    Gate g;
    REQUIRE(g.result(reply(json::array({watchRow(kDoc, "居家观察期未满")})))["ok"] == true);
    json s = g.scan(samplePerson());
    REQUIRE(s["ok"] == true);
    CHECK(s["alert"]["verdict"] == "deny");
    CHECK(s["alert"]["verdict_words"]["zh"] == "不得进入");
    CHECK(s["alert"]["reasons"][0]["zh"].get<std::string>().find("居家观察期未满") != std::string::npos);
    CHECK(s["alert"]["reasons"][0]["en"].get<std::string>().find("居家观察期未满") != std::string::npos);

    for (const char* direction : {"in", "out"}) {
        json d = call(g.api, {{"op", "decide"}, {"person", toJson(samplePerson())}, {"temperature", 36.5}, {"direction", direction}});
        REQUIRE(d["ok"] == true);
        CHECK(d["verdict"] == "deny");
        CHECK(d["reasons"][0]["code"] == "watch_list");
    }
    json e = call(g.api, {{"op", "entry.record"}, {"person", toJson(samplePerson())}, {"temperature", 36.5}, {"direction", "in"}, {"staff", "王"}});
    REQUIRE(e["ok"] == true);
    CHECK(e["entry"]["verdict"] == "deny");
}

TEST_CASE("a revoked person's pass is refused pass.revoked and nothing of it is stored", "[feed][api]")
{
    Gate g;
    REQUIRE(g.result(reply(json::array(), json::array({{{"kind", "person"}, {"subject", kDoc}, {"reason", "已搬离本社区"}, {"revoked_at", 1}}})))["ok"] == true);
    json s = g.scan(samplePerson());
    CHECK(s["ok"] == false);
    CHECK(s["error"]["code"] == "pass.revoked");
    CHECK(s["error"]["zh"].get<std::string>().find("已搬离本社区") != std::string::npos);
    json args{{"person", toJson(samplePerson())}, {"temperature", 36.5}, {"direction", "in"}, {"staff", "王"}};
    auto op = [&](const char* name) {
        json req = args;
        req["op"] = name;
        return call(g.api, req);
    };
    CHECK(op("entry.record")["error"]["code"] == "pass.revoked");
    CHECK(op("decide")["error"]["code"] == "pass.revoked");
    CHECK(call(g.api, {{"op", "person.get"}, {"doc_number", kDoc}})["ok"] == false);
    CHECK(call(g.api, {{"op", "batch.pending"}})["entries"] == 0);
    // A card revocation does not touch a person of the same text.
    REQUIRE(g.result(reply(json::array(), json::array({{{"kind", "card"}, {"subject", kDoc}, {"reason", "挂失"}, {"revoked_at", 1}}})))["ok"] == true);
    CHECK(g.scan(samplePerson())["ok"] == true);
}

TEST_CASE("a 429's Retry-After is the next try's wait, in words; a missing or odd one leaves the backoff", "[feed][api][batch]")
{
    CHECK(retryAfterSeconds("120") == 120);
    CHECK(retryAfterSeconds(" 7 ") == 7);
    CHECK(retryAfterSeconds("0") == 1);
    CHECK(retryAfterSeconds("999999999") == kMaxRetryAfterSeconds);
    CHECK(!retryAfterSeconds(""));
    CHECK(!retryAfterSeconds("-5"));
    CHECK(!retryAfterSeconds("Wed, 21 Oct 2026 07:28:00 GMT"));
    CHECK(!retryAfterSeconds("1e3"));

    Gate g;
    auto rate = [&](json retryAfter) {
        return call(g.api, {{"op", "batch.upload_result"}, {"seq", g.seq}, {"status", 429}, {"body", "{\"ok\":false}"}, {"retry_after", retryAfter}});
    };
    json r = rate("42");
    REQUIRE(r["ok"] == true);
    CHECK(r["uploaded"] == false);
    CHECK(r["retry_after_ms"] == 42000);
    CHECK(r["message"]["zh"].get<std::string>().find("42 秒") != std::string::npos);
    CHECK(r["message"]["en"].get<std::string>().find("42 s") != std::string::npos);
    CHECK_FALSE(rate("soon").contains("retry_after_ms"));
    CHECK_FALSE(rate(nullptr).contains("retry_after_ms"));
    CHECK(rate(5)["error"]["code"] == "request.invalid");
    // Only a 429 waits what the office says.
    CHECK_FALSE(call(g.api, {{"op", "batch.upload_result"}, {"seq", g.seq}, {"status", 503}, {"retry_after", "42"}}).contains("retry_after_ms"));
    CHECK(call(g.api, {{"op", "batch.list"}})["batches"][0]["uploaded_at"].is_null());
}

TEST_CASE("a 2xx reply's own \"already\" is read from its body", "[feed][api][batch]")
{
    Gate g;
    json body = reply(json::array());
    body["already"] = true;
    CHECK(g.result(body)["message"]["code"] == "upload.already");
    CHECK(g.result(std::string(""))["message"]["code"] == "upload.ok"); // no body: no lists, no error
}

TEST_CASE("the policy denies a watched person in either direction, the office's reason first", "[policy][feed]")
{
    GateContext gate;
    gate.temperature = 36.5;
    gate.verified = true;
    Person p = samplePerson();
    CHECK(decide(p, gate, kNow, Rules{})->verdict == Verdict::Allow);
    CHECK(!alertAtScan(gate));
    gate.watchReason = "居家观察";
    for (Direction d : {Direction::In, Direction::Out}) {
        gate.direction = d;
        auto r = decide(p, gate, kNow, Rules{});
        REQUIRE(r);
        CHECK(r->verdict == Verdict::Deny);
        CHECK(r->reasons.front().code == "watch_list");
    }
    auto a = alertAtScan(gate);
    REQUIRE(a);
    CHECK(a->verdict == Verdict::Deny);
    CHECK(a->reasons.size() == 1);
}

TEST_CASE("gate.enroll into another community is refused while records are not exported or batches not uploaded", "[feed][enroll][api]")
{
    auto enrollment = [](std::string code) {
        return json{{"v", 1},
                    {"community", {{"code", code}, {"name", code == "C001" ? "八角路社区" : "古城社区"}}},
                    {"site", "https://bajiao.example.org/"},
                    {"gate", "北门"},
                    {"keys", json::array({{{"id", code == "C001" ? "a1b2c3d4" : "b1b2c3d4"},
                                           {"secret_key", encodeBase64Url(std::vector<uint8_t>(32, 1))},
                                           {"public_key", encodeBase64Url(std::vector<uint8_t>(32, 2))}}})},
                    {"gate_key", encodeBase64Url(std::vector<uint8_t>(32, 3))},
                    {"upload_url", "https://office.example.org/api/upload"},
                    {"token", "T0k3n"},
                    {"retention_days", 28}}
            .dump();
    };
    TempDb file;
    Api api(file.open());
    json first = call(api, {{"op", "gate.enroll"}, {"enrollment", enrollment("C001")}});
    REQUIRE(first["ok"] == true);
    REQUIRE(call(api, {{"op", "person.save"}, {"person", toJson(samplePerson())}})["ok"] == true);

    json r = call(api, {{"op", "gate.enroll"}, {"enrollment", enrollment("C002")}});
    CHECK(r["error"]["code"] == "enroll.pending_other_community");
    CHECK(r["error"]["zh"].get<std::string>().find("八角路社区") != std::string::npos);
    CHECK(call(api, {{"op", "settings.get"}})["settings"]["community_code"] == "C001");
    // The same community again is a re-enrolment: allowed, the records stay for its office.
    CHECK(call(api, {{"op", "gate.enroll"}, {"enrollment", enrollment("C001")}})["ok"] == true);

    // Batches of an enrolled gate are MACed and sealed with libsodium, which the core tests do without (tests/office has it).
    REQUIRE(call(api, {{"op", "settings.set"}, {"settings", {{"gate_key", ""}, {"keys", json::array()}}}})["ok"] == true);
    const int64_t seq = call(api, {{"op", "batch.export"}})["seq"];
    CHECK(call(api, {{"op", "gate.enroll"}, {"enrollment", enrollment("C002")}})["error"]["code"] == "enroll.pending_other_community");
    REQUIRE(call(api, {{"op", "batch.upload_result"}, {"seq", seq}, {"status", 200}})["uploaded"] == true);
    json moved = call(api, {{"op", "gate.enroll"}, {"enrollment", enrollment("C002")}});
    REQUIRE(moved["ok"] == true);
    CHECK(moved["settings"]["community_code"] == "C002");
}
