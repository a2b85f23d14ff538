// Every JSON number the core reads is range-checked before conversion
// (JsonNumber.h); each case here was undefined behaviour or a wrapped value
// before (issue 12).
#include "Fixtures.h"

#include "JsonNumber.h"
#include "Digest.h"

#include <catch2/catch.hpp>

using namespace gatepass;
using namespace gatepass::test;
using nlohmann::json;

namespace {

// The request exactly as given (no default now or tz): the numbers are the test.
json rawCall(Api& api, const json& req) { return json::parse(api.call(req.dump())); }

std::string errorCode(const json& reply) { return reply["ok"].get<bool>() ? "" : reply["error"]["code"].get<std::string>(); }

// A batch whose body is `body` (one JSON object a line), with a correct checksum:
// what someone writing batches by hand can make.
std::string handMadeBatch(const std::string& body, int persons, int entries)
{
    json header{{"format", kBatchFormat},
                {"community", {{"code", "C001"}, {"name", "幸福里社区"}}},
                {"gate", "北门"},
                {"seq", 1},
                {"created_at", kNow.unixMs},
                {"time_range", {{"from", kNow.unixMs}, {"to", kNow.unixMs}}},
                {"counts", {{"persons", persons}, {"entries", entries}}},
                {"body_sha256", *sha256Hex(body)}};
    return std::string(kBatchMagic) + "\n" + header.dump() + "\n" + body;
}

} // namespace

TEST_CASE("integerIn takes whole numbers in range and nothing else", "[number]")
{
    CHECK(integerIn(json(5), 0, 10) == 5);
    CHECK(integerIn(json(5.0), 0, 10) == 5);
    CHECK(integerIn(json(-0.0), 0, 10) == 0);
    CHECK_FALSE(integerIn(json(5.5), 0, 10));
    CHECK_FALSE(integerIn(json(1e30), 0, kLatestMs));
    CHECK_FALSE(integerIn(json(-1e30), INT64_MIN, 0));
    CHECK_FALSE(integerIn(json(uint64_t(1) << 63), 0, kLatestMs));
    CHECK_FALSE(integerIn(json(INT64_MIN), 0, kLatestMs));
    CHECK_FALSE(integerIn(json(11), 0, 10));
    CHECK_FALSE(integerIn(json("5"), 0, 10));
    CHECK_FALSE(integerIn(json(nullptr), 0, 10));
    CHECK(numberIn(json(36.6), 34, 43) == 36.6);
    CHECK_FALSE(numberIn(json(1e308), 34, 43));
    CHECK_FALSE(numberIn(json("36.6"), 34, 43));
}

TEST_CASE("request numbers out of range are a named error and change nothing", "[number][api]")
{
    TempDb file;
    Api api(file.open());
    for (const json& req : {json{{"op", "info"}, {"now", 1e30}},
                            json{{"op", "info"}, {"now", -5}},
                            json{{"op", "info"}, {"tz", 100000}},
                            json{{"op", "info"}, {"tz", 1.5}},
                            json{{"op", "entries.today"}, {"limit", 1e30}},
                            json{{"op", "entries.today"}, {"limit", -5}},
                            json{{"op", "search"}, {"query", "张"}, {"limit", 0}},
                            json{{"op", "batch.get"}, {"seq", 1e300}},
                            json{{"op", "batch.uploaded"}, {"seq", -1e300}}}) {
        INFO(req.dump());
        json reply = rawCall(api, req);
        CHECK(errorCode(reply) == "request.number");
        CHECK_FALSE(reply["error"]["zh"].get<std::string>().empty());
        CHECK_FALSE(reply["error"]["en"].get<std::string>().empty());
    }
    json verify{{"op", "person.verify"}, {"person", toJson(samplePerson())}, {"staff", "王"}, {"issued_at", 1e30}, {"now", kNow.unixMs}};
    CHECK(errorCode(rawCall(api, verify)) == "request.number");
    CHECK(rawCall(api, {{"op", "person.list"}})["records"].empty());
    // And the core still answers.
    CHECK(rawCall(api, {{"op", "info"}, {"now", kNow.unixMs}, {"tz", 480}})["ok"] == true);
}

TEST_CASE("a batch header with numbers out of range is damaged, not wrapped", "[number][batch]")
{
    std::string ok = handMadeBatch("", 0, 0);
    REQUIRE(parseBatch(ok));
    using Swap = std::pair<std::string, std::string>;
    for (auto [from, to] : {Swap{"\"created_at\":" + std::to_string(kNow.unixMs), "\"created_at\":1e30"},
                            Swap{"\"seq\":1", "\"seq\":-9223372036854775808"},
                            Swap{"\"persons\":0", "\"persons\":1e300"}}) {
        std::string bad = ok;
        REQUIRE(bad.find(from) != std::string::npos);
        bad.replace(bad.find(from), from.size(), to);
        INFO(to);
        auto parsed = parseBatch(bad);
        REQUIRE_FALSE(parsed);
        CHECK(parsed.error().code == "batch.damaged");
    }
}

TEST_CASE("entries with impossible times or temperatures are refused whole", "[number][batch]")
{
    Entry e{"0123456789abcdef", samplePerson().docNumber, samplePerson().name, PersonType::Resident, kNow.unixMs,
            Direction::In, 36.5, Verdict::Allow, {}, "北门", "王"};
    json good = toJson(e);
    REQUIRE(parseBatch(handMadeBatch(json{{"entry", good}}.dump() + "\n", 0, 1)));
    using Change = std::pair<std::string, json>;
    for (auto [key, value] : {Change{"at", json(INT64_MIN)}, Change{"at", json(-5)}, Change{"at", json(1e30)},
                              Change{"temperature", json(1e308)}, Change{"temperature", json(-40)}}) {
        json bad = good;
        bad[key] = value;
        INFO(key << " = " << value.dump());
        CHECK_FALSE(parseBatch(handMadeBatch(json{{"entry", bad}}.dump() + "\n", 0, 1)));
    }
}

TEST_CASE("times at the ends of int64 format without overflow", "[number][date]")
{
    CHECK(formatLocalTime(INT64_MIN, 480) == "1970-01-01 08:00");
    CHECK(formatLocalTime(INT64_MAX, 0) == "9999-12-31 23:59");
    CHECK(Clock{INT64_MAX, 840}.today().days == Date::fromYmd(9999, 12, 31)->days + 1);
}

TEST_CASE("a pass refuses dates it cannot carry instead of wrapping them", "[number][pass]")
{
    Person p = samplePerson();
    p.leftCity = true;
    p.cameFrom = "武汉";
    p.returnDate = Date::fromYmd(2090, 3, 1);
    auto pass = encodePass(p, kNow.unixMs);
    REQUIRE_FALSE(pass);
    CHECK(pass.error().code == "pass.date_range");
    p.returnDate = Date::fromYmd(2079, 6, 6);
    auto last = encodePass(p, kNow.unixMs);
    REQUIRE(last);
    CHECK(decodePass(*last)->person.returnDate == p.returnDate);
}
