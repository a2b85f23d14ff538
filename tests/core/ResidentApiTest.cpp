// The resident core (ResidentApi over the household file) answers the
// resident page's ops exactly as Api does over a SQLite Store: the same
// requests give the same reply bytes. And the household file: written whole
// through the host, read back the same, a refused write changes nothing.
#include "Fixtures.h"

#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

using namespace gatepass;
using namespace gatepass::test;
using nlohmann::json;

namespace {

// A stand-in for the worker's libsodium: deterministic, so two cores' live passes can be compared.
PassCrypto fakeSeal()
{
    PassCrypto c;
    c.seal = [](std::string_view plain, std::string_view key) { return std::optional<std::string>(std::string(key.substr(0, 4)) + std::string(plain)); };
    c.open = [](std::string_view, std::string_view, std::string_view) { return std::optional<std::string>(); };
    c.keyId = [](std::string_view key) -> std::optional<KeyId> {
        KeyId id{};
        std::copy_n(key.begin(), std::min(key.size(), id.size()), id.begin());
        return id;
    };
    c.randomHex = [](size_t n) { return std::string(2 * n, 'a'); }; // one visitor pass id, for both cores
    return c;
}

// The household's file as the host holds it: the last bytes it accepted.
struct MemoryFile {
    std::optional<std::string> bytes;
    int writes = 0;
    bool refuse = false;
    Household::Persist persist()
    {
        return [this](std::string_view b) -> Result<Done> {
            if (refuse)
                return Message{"storage.full", "满", "full", ""};
            bytes = std::string(b);
            ++writes;
            return Done{};
        };
    }
};

std::string at(json req)
{
    req["now"] = kNow.unixMs;
    req["tz"] = kNow.utcOffsetMinutes;
    return req.dump();
}

const std::string kKey = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"; // a 32-byte key as base64url

} // namespace

TEST_CASE("resident core: the resident page's ops answer as Api's, byte for byte", "[resident]")
{
    TempDb db;
    Api api(db.open(), fakeSeal());
    MemoryFile file;
    auto household = Household::open(std::nullopt, file.persist());
    REQUIRE(household);
    ResidentApi resident(std::move(*household), fakeSeal());

    Person second = samplePerson();
    second.name = "张小喆";
    second.docNumber = makeIdNumber("110105", Date::fromYmd(2015, 6, 1).value(), 31);
    json edited = toJson(samplePerson());
    edited["address"] = "5-1-101";
    json badPerson = toJson(samplePerson());
    badPerson["doc_number"] = "110105194912310021";
    badPerson["phone"] = "12345";
    json passport = toJson(samplePerson());
    passport["doc_number"] = "E12345678"; // a passport number under 居民身份证: a suggestion

    const std::vector<json> requests = {
        {{"op", "fields"}},
        {{"op", "settings.get"}},
        {{"op", "pass.live"}, {"doc_number", samplePerson().docNumber}}, // pass.no_key
        {{"op", "settings.set"}, {"settings", {{"community_public_key", "not a key"}}}},
        {{"op", "settings.set"}, {"settings", {{"community_public_key", kKey}}}},
        {{"op", "settings.set"}, {"settings", {{"no_such", 1}}}},
        {{"op", "settings.get"}},
        {{"op", "person.validate"}, {"person", toJson(samplePerson())}},
        {{"op", "person.validate"}, {"person", badPerson}},
        {{"op", "person.validate"}, {"person", passport}},
        {{"op", "person.save"}, {"person", badPerson}},
        {{"op", "person.save"}},
        {{"op", "person.save"}, {"person", toJson(samplePerson())}},
        {{"op", "person.save"}, {"person", toJson(second)}},
        {{"op", "person.save"}, {"person", toJson(second)}, {"replaces", samplePerson().docNumber}}, // person.duplicate
        {{"op", "person.save"}, {"person", edited}, {"replaces", samplePerson().docNumber}},
        {{"op", "person.list"}},
        {{"op", "person.get"}, {"doc_number", second.docNumber}},
        {{"op", "person.get"}, {"doc_number", "nobody"}},
        {{"op", "pass.live"}, {"doc_number", second.docNumber}},
        {{"op", "pass.live"}, {"doc_number", "nobody"}},
        {{"op", "visitor.pass"}, {"doc_number", second.docNumber}, {"visitor", {{"name", "李四"}, {"phone", "13912345678"}}},
         {"from", "2026-11-30"}, {"uses", "single"}},
        {{"op", "visitor.pass"}, {"doc_number", second.docNumber}, {"visitor", {{"name", ""}, {"phone", "12"}}},
         {"from", "2020-01-01"}, {"uses", "often"}}, // visitor.invalid with field errors
        {{"op", "visitor.pass"}, {"doc_number", "nobody"}, {"visitor", {{"name", "李四"}, {"phone", "13912345678"}}},
         {"from", "2026-11-30"}, {"uses", "single"}},
        {{"op", "pass.encode"}, {"person", toJson(second)}},
        {{"op", "live.clock"}},
        {{"op", "live.clock"}, {"tz", -300}},
        {{"op", "live.clock"}, {"now", "soon"}},
        {{"op", "person.delete"}, {"doc_number", "nobody"}},
        {{"op", "person.delete"}, {"doc_number", samplePerson().docNumber}},
        {{"op", "person.list"}},
        {{"op", 7}},
    };
    for (const json& r : requests) {
        json req = r;
        if (!req.contains("now"))
            req["now"] = kNow.unixMs;
        if (!req.contains("tz"))
            req["tz"] = kNow.utcOffsetMinutes;
        INFO(req.dump());
        CHECK(resident.call(req.dump()) == api.call(req.dump()));
    }
    CHECK(resident.call("{") == api.call("{"));
    // The phone makes a visitor pass (not an error that both cores happen to share).
    json visitor = json::parse(resident.call(at({{"op", "visitor.pass"}, {"doc_number", second.docNumber},
                                                 {"visitor", {{"name", "李四"}, {"phone", "13912345678"}}},
                                                 {"from", "2026-11-30"}, {"uses", "multiple"}})));
    CHECK(visitor["ok"] == true);
    CHECK(visitor["text"].get<std::string>().starts_with("GP2:"));
    // The gate's ops are not the phone's: refused as Api refuses an op it lacks.
    json gateOnly = json::parse(resident.call(at({{"op", "batch.export"}})));
    CHECK(gateOnly["ok"] == false);
    CHECK(gateOnly["error"]["code"] == "request.invalid");
}

TEST_CASE("resident core: the household file reads back the same; a refused write changes nothing", "[resident]")
{
    MemoryFile file;
    {
        auto h = Household::open(std::nullopt, file.persist());
        REQUIRE(h);
        ResidentApi resident(std::move(*h));
        CHECK(json::parse(resident.call(at({{"op", "settings.set"}, {"settings", {{"community_public_key", kKey}}}})))["ok"] == true);
        CHECK(json::parse(resident.call(at({{"op", "person.save"}, {"person", toJson(samplePerson())}})))["ok"] == true);
        CHECK(file.writes == 2);

        file.refuse = true;
        Person other = samplePerson();
        other.docNumber = makeIdNumber("310104", Date::fromYmd(1990, 5, 5).value(), 81);
        json r = json::parse(resident.call(at({{"op", "person.save"}, {"person", toJson(other)}})));
        CHECK(r["ok"] == false);
        CHECK(r["error"]["code"] == "storage.full");
        r = json::parse(resident.call(at({{"op", "person.delete"}, {"doc_number", samplePerson().docNumber}})));
        CHECK(r["error"]["code"] == "storage.full");
        CHECK(json::parse(resident.call(at({{"op", "person.list"}})))["records"].size() == 1); // neither happened
        file.refuse = false;
    }
    auto reopened = Household::open(*file.bytes, file.persist());
    REQUIRE(reopened);
    REQUIRE(reopened->persons().size() == 1);
    CHECK(reopened->persons()[0].person == samplePerson());
    CHECK(reopened->persons()[0].updatedAt == kNow.unixMs);
    CHECK(reopened->settings().communityPublicKey == kKey);

    for (const std::string& bad : std::vector<std::string>{"", "{", "[]", R"({"household":2,"persons":[],"settings":{}})", R"({"household":1,"persons":[{"person":{}}],"settings":{}})",
                            file.bytes->substr(0, file.bytes->size() / 2)}) {
        auto h = Household::open(bad, file.persist());
        REQUIRE_FALSE(h);
        CHECK(h.error().code == "household.damaged");
    }
}

TEST_CASE("resident core: a household moved in from elsewhere is written before it is used", "[resident]")
{
    MemoryFile file;
    Settings s;
    s.communityPublicKey = kKey;
    auto h = Household::create({PersonRecord{samplePerson(), 5, std::nullopt, ""}}, s, file.persist());
    REQUIRE(h);
    CHECK(file.writes == 1);
    auto back = Household::open(*file.bytes, {});
    REQUIRE(back);
    CHECK(back->persons() == h->persons());
    CHECK(back->settings() == s);

    file.refuse = true;
    CHECK_FALSE(Household::create({}, s, file.persist()));
}

TEST_CASE("resident core: writeFileAtomically replaces the file whole and leaves no new file behind", "[resident]")
{
    TempDb tmp; // only for a fresh path
    const std::string path = tmp.path() + ".household";
    REQUIRE(writeFileAtomically(path, "first"));
    REQUIRE(writeFileAtomically(path, "second, longer"));
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    CHECK(text.str() == "second, longer");
    CHECK_FALSE(std::filesystem::exists(path + ".new"));
    std::filesystem::remove(path);
    auto r = writeFileAtomically("/nonexistent-dir/x/household", "x");
    REQUIRE_FALSE(r);
    CHECK(r.error().code == "storage.io");
}
