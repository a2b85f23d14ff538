// The gate's half of enrolling: the passphrase rule, the code's shape, the
// enrollment JSON checked whole, and what an upload's HTTP status means. The
// cryptography between them (Argon2id + secretbox) is libsodium's: tested
// with real codes in tests/office (OfficeTests.cpp) and in the browser.
#include "Fixtures.h"

#include "Base64.h"
#include "GateEnrollment.h"
#include "Passphrase.h"

#include <catch2/catch.hpp>

#include <functional>

using namespace gatepass;
using namespace gatepass::test;
using nlohmann::json;

namespace {

std::string key32(uint8_t fill) { return encodeBase64Url(std::vector<uint8_t>(32, fill)); }

json enrollment()
{
    return json{{"v", 1},
                {"community", {{"code", "C001"}, {"name", "八角路社区"}}},
                {"site", "https://bajiao.example.org/"},
                {"gate", "北门"},
                {"keys", json::array({{{"id", "a1b2c3d4"}, {"secret_key", key32(1)}, {"public_key", key32(2)}}})},
                {"gate_key", key32(3)},
                {"upload_url", "https://office.example.org/api/upload"},
                {"token", "T0k3n-of-this-gate"},
                {"retention_days", 21}};
}

} // namespace

TEST_CASE("passphrase: case, groups and separators do not matter; nothing else is kept", "[enroll]")
{
    CHECK(normalizePassphrase("7kqm-ab2c-XYZ9") == "7KQMAB2CXYZ9");
    CHECK(normalizePassphrase(" 7KQM AB2C\n\tXYZ9 ") == "7KQMAB2CXYZ9");
    CHECK(normalizePassphrase("7KQM—AB2C，") == "7KQMAB2C"); // a full-width comma and an em dash from an IME
    CHECK(normalizePassphrase("é") == "");
    CHECK(normalizePassphrase("") == "");
}

TEST_CASE("base64url: round trip and canonical form only", "[enroll]")
{
    for (size_t n : {0u, 1u, 2u, 3u, 31u, 32u, 33u}) {
        std::vector<uint8_t> bytes(n);
        for (size_t i = 0; i < n; ++i)
            bytes[i] = uint8_t(i * 37 + 250);
        auto text = encodeBase64Url(bytes);
        CHECK(text.find('=') == std::string::npos);
        CHECK(decodeBase64Url(text) == bytes);
    }
    CHECK(encodeBase64Url({0xfb, 0xff}) == "-_8");
    CHECK(!decodeBase64Url("-_9")); // stray bits in the last character
    CHECK(!decodeBase64Url("ab+/"));
    CHECK(!decodeBase64Url("abc="));
    CHECK(!decodeBase64Url("a"));
    CHECK(key32(0).size() == 43);
}

TEST_CASE("enroll.prepare splits a code and normalises the passphrase; foreign and damaged codes are named", "[enroll][api]")
{
    TempDb file;
    Api api(file.open());
    std::vector<uint8_t> raw;
    for (int i = 0; i < 16 + 24 + 16 + 5; ++i)
        raw.push_back(uint8_t(i));
    std::string code = std::string(kEnrollmentPrefix) + encodeBase64Url(raw);

    json r = call(api, {{"op", "enroll.prepare"}, {"code", "  " + code + "\n"}, {"passphrase", "7kqm-ab2c"}});
    REQUIRE(r["ok"] == true);
    CHECK(r["passphrase"] == "7KQMAB2C");
    CHECK(*decodeBase64Url(r["salt"].get<std::string>()) == std::vector<uint8_t>(raw.begin(), raw.begin() + 16));
    CHECK(*decodeBase64Url(r["nonce"].get<std::string>()) == std::vector<uint8_t>(raw.begin() + 16, raw.begin() + 40));
    CHECK(*decodeBase64Url(r["box"].get<std::string>()) == std::vector<uint8_t>(raw.begin() + 40, raw.end()));

    auto code_of = [&](json rep) { return rep["error"]["code"].get<std::string>(); };
    CHECK(code_of(call(api, {{"op", "enroll.prepare"}, {"code", "GP2:ABCDEF"}, {"passphrase", "x"}})) == "enroll.foreign");
    CHECK(code_of(call(api, {{"op", "enroll.prepare"}, {"code", "https://example.com/"}, {"passphrase", "x"}})) == "enroll.foreign");
    CHECK(code_of(call(api, {{"op", "enroll.prepare"}, {"code", code.substr(0, 60)}, {"passphrase", "x"}})) == "enroll.damaged");
    CHECK(code_of(call(api, {{"op", "enroll.prepare"}, {"code", code + "*"}, {"passphrase", "x"}})) == "enroll.damaged");
    CHECK(code_of(call(api, {{"op", "enroll.prepare"}, {"code", code}, {"passphrase", " - "}})) == "enroll.no_passphrase");
    json words = call(api, {{"op", "enroll.prepare"}, {"code", "GP2:ABCDEF"}, {"passphrase", "x"}})["error"];
    CHECK(!words["zh"].get<std::string>().empty());
    CHECK(!words["en"].get<std::string>().empty());
}

TEST_CASE("gate.enroll stores the enrollment and answers none of its secrets", "[enroll][api]")
{
    TempDb file;
    {
        Api api(file.open());
        json before = call(api, {{"op", "settings.set"}, {"settings", {{"city", "北京"}, {"rules", {{"deny_delivery", true}}}}}});
        REQUIRE(before["ok"] == true);
        CHECK(before["enrolled"] == false);
        CHECK(before["poster_url"] == ""); // no site: no poster
        json r = call(api, {{"op", "gate.enroll"}, {"enrollment", enrollment().dump()}});
        REQUIRE(r["ok"] == true);
        const json& s = r["settings"];
        CHECK(s["community_code"] == "C001");
        CHECK(s["community_name"] == "八角路社区");
        CHECK(s["site"] == "https://bajiao.example.org/");
        CHECK(s["gate_name"] == "北门");
        CHECK(s["upload_url"] == "https://office.example.org/api/upload");
        CHECK(s["retention_days"] == 21);
        CHECK(s["city"] == "北京");                  // what staff set stays
        CHECK(s["rules"]["deny_delivery"] == true);
        CHECK(r["upload_token_set"] == true);
        CHECK(r["gate_key_set"] == true);
        CHECK(r["keys_set"] == true);
        CHECK(r["enrolled"] == true);
        // The poster: the enrolled site, never this console's address; the community's public key for sealing.
        CHECK(r["poster_url"] == "https://bajiao.example.org/resident/?c=C001&n=%E5%85%AB%E8%A7%92%E8%B7%AF%E7%A4%BE%E5%8C%BA&k=" + key32(2));
        for (const std::string& secret : {key32(1), key32(3), std::string("T0k3n-of-this-gate")})
            CHECK(r.dump().find(secret) == std::string::npos);
    }
    // Kept across a reopen; the token is what the uploader gets.
    Api api(file.open());
    CHECK(call(api, {{"op", "settings.get"}})["settings"]["site"] == "https://bajiao.example.org/");
    REQUIRE(call(api, {{"op", "person.save"}, {"person", toJson(samplePerson())}})["ok"] == true);
    // The enrolled gate key MACs batches, which needs libsodium (tests/office); without it nothing is exported.
    CHECK(call(api, {{"op", "batch.export"}})["error"]["code"] == "crypto.unavailable");
    REQUIRE(call(api, {{"op", "settings.set"}, {"settings", {{"gate_key", ""}, {"keys", json::array()}}}})["ok"] == true);
    json exported = call(api, {{"op", "batch.export"}});
    json req = call(api, {{"op", "batch.upload_request"}, {"seq", exported["seq"]}});
    CHECK(req["token"] == "T0k3n-of-this-gate");
    CHECK(req["url"] == "https://office.example.org/api/upload");
}

TEST_CASE("gate.enroll refuses a bad enrollment whole and changes nothing", "[enroll][api]")
{
    TempDb file;
    Api api(file.open());
    REQUIRE(call(api, {{"op", "gate.enroll"}, {"enrollment", enrollment().dump()}})["ok"] == true);
    const json before = call(api, {{"op", "settings.get"}});

    struct Case {
        const char* what;
        std::function<void(json&)> change;
        const char* code;
        const char* field;
    };
    const std::vector<Case> cases = {
        {"newer version", [](json& j) { j["v"] = 2; }, "enroll.version", "v"},
        {"no version", [](json& j) { j.erase("v"); }, "enroll.invalid", "v"},
        {"no community", [](json& j) { j.erase("community"); }, "enroll.invalid", "community"},
        {"empty community code", [](json& j) { j["community"]["code"] = ""; }, "enroll.invalid", "community.code"},
        {"community name a number", [](json& j) { j["community"]["name"] = 7; }, "enroll.invalid", "community.name"},
        {"site not a web address", [](json& j) { j["site"] = "ftp://x/"; }, "enroll.invalid", "site"},
        {"no gate", [](json& j) { j.erase("gate"); }, "enroll.invalid", "gate"},
        {"no keys", [](json& j) { j["keys"] = json::array(); }, "enroll.invalid", "keys"},
        {"short secret key", [](json& j) { j["keys"][0]["secret_key"] = encodeBase64Url(std::vector<uint8_t>(31, 1)); }, "enroll.invalid", "keys"},
        {"public key not base64url", [](json& j) { j["keys"][0]["public_key"] = std::string(43, '+'); }, "enroll.invalid", "keys"},
        {"key without id", [](json& j) { j["keys"][0].erase("id"); }, "enroll.invalid", "keys"},
        {"current key with an end", [](json& j) { j["keys"][0]["until"] = 1; }, "enroll.invalid", "keys"},
        {"retired key without its end", [](json& j) { j["keys"].push_back({{"id", "b"}, {"secret_key", key32(4)}, {"public_key", key32(5)}}); },
         "enroll.invalid", "keys"},
        {"retired key's end as text", [](json& j) { j["keys"].push_back({{"id", "b"}, {"secret_key", key32(4)}, {"public_key", key32(5)}, {"until", "soon"}}); },
         "enroll.invalid", "keys"},
        {"gate key too long", [](json& j) { j["gate_key"] = encodeBase64Url(std::vector<uint8_t>(33, 1)); }, "enroll.invalid", "gate_key"},
        {"address without token", [](json& j) { j.erase("token"); }, "enroll.invalid", "token"},
        {"token without address", [](json& j) { j.erase("upload_url"); }, "enroll.invalid", "upload_url"},
        {"plain http to another machine", [](json& j) { j["upload_url"] = "http://office.example.org/api/upload"; }, "upload.insecure_address", "upload_url"},
        {"empty token", [](json& j) { j["token"] = ""; }, "enroll.invalid", "token"},
        {"retention 0 days", [](json& j) { j["retention_days"] = 0; }, "enroll.invalid", "retention_days"},
        {"retention as text", [](json& j) { j["retention_days"] = "28"; }, "enroll.invalid", "retention_days"},
    };
    for (const Case& c : cases) {
        INFO(c.what);
        json e = enrollment();
        e["community"]["code"] = "C999"; // were anything stored, it would show
        c.change(e);
        json r = call(api, {{"op", "gate.enroll"}, {"enrollment", e.dump()}});
        CHECK(r["ok"] == false);
        CHECK(r["error"]["code"] == c.code);
        CHECK(r["error"]["field"] == c.field);
        CHECK(!r["error"]["zh"].get<std::string>().empty());
        CHECK(!r["error"]["en"].get<std::string>().empty());
    }
    for (json bad : {json("not json"), json("[1,2]"), json(7)}) {
        json r = call(api, {{"op", "gate.enroll"}, {"enrollment", bad}});
        CHECK(r["ok"] == false);
    }
    // No enrollment: the worker could not open the box with the passphrase.
    CHECK(call(api, {{"op", "gate.enroll"}})["error"]["code"] == "enroll.wrong_passphrase");
    CHECK(call(api, {{"op", "settings.get"}}) == before);

    // Without an office service: export by hand, no token left over from before.
    json byHand = enrollment();
    byHand.erase("upload_url");
    byHand.erase("token");
    json r = call(api, {{"op", "gate.enroll"}, {"enrollment", byHand.dump()}});
    REQUIRE(r["ok"] == true);
    CHECK(r["settings"]["upload_url"] == "");
    CHECK(r["upload_token_set"] == false);
}

TEST_CASE("batch.upload_result: a 2xx marks the batch sent, every other answer keeps it queued, all in words", "[enroll][api][batch]")
{
    TempDb file;
    Api api(file.open());
    REQUIRE(call(api, {{"op", "person.save"}, {"person", toJson(samplePerson())}})["ok"] == true);
    json exported = call(api, {{"op", "batch.export"}});
    const int64_t seq = exported["seq"];
    auto uploadedAt = [&] { return call(api, {{"op", "batch.list"}})["batches"][0]["uploaded_at"]; };

    const std::vector<std::pair<int, const char*>> refused = {
        {0, "upload.offline"},         {401, "upload.revoked"},       {403, "upload.other_community"},
        {400, "upload.damaged"},       {413, "upload.too_large"},     {429, "upload.rate_limited"},
        {503, "upload.office_error"},  {404, "upload.failed"},
    };
    for (auto [status, code] : refused) {
        INFO(status);
        json r = call(api, {{"op", "batch.upload_result"}, {"seq", seq}, {"status", status}});
        REQUIRE(r["ok"] == true);
        CHECK(r["uploaded"] == false);
        CHECK(r["message"]["code"] == code);
        CHECK(!r["message"]["zh"].get<std::string>().empty());
        CHECK(!r["message"]["en"].get<std::string>().empty());
        CHECK(uploadedAt().is_null());
    }
    CHECK(call(api, {{"op", "batch.upload_result"}, {"seq", seq}})["error"]["code"] == "request.invalid");
    CHECK(call(api, {{"op", "batch.upload_result"}, {"seq", seq}, {"status", 1000}})["error"]["code"] == "request.number");

    json ok = call(api, {{"op", "batch.upload_result"}, {"seq", seq}, {"status", 200}, {"already", true}, {"now", kNow.unixMs + 7}});
    CHECK(ok["uploaded"] == true);
    CHECK(ok["message"]["code"] == "upload.already");
    CHECK(uploadedAt() == kNow.unixMs + 7);
    CHECK(call(api, {{"op", "batch.upload_result"}, {"seq", seq}, {"status", 200}})["message"]["code"] == "upload.ok");
}
