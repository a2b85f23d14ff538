// A batch file in parts (BatchParts.h, the batch.import.* ops): what the
// browser's worker sends for a file of any size. The parts must give exactly
// what batch.import gives for the whole text, whatever their sizes; anything
// out of order, missing or damaged stores nothing.
#include "Fixtures.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cctype>
#include <memory>

using namespace gatepass;
using namespace gatepass::test;
using nlohmann::json;

namespace {

Settings partsGateSettings(std::string gate)
{
    Settings s;
    s.communityCode = "C001";
    s.communityName = "幸福里社区";
    s.gateName = std::move(gate);
    return s;
}

// Another gate's batch: `people` persons with Chinese names (multi-byte UTF-8
// all through the body) and one entry each.
std::string northBatch(int people)
{
    TempDb file;
    Store north = file.open();
    REQUIRE(north.saveSettings(partsGateSettings("北门")));
    PersonGenerator gen(31);
    for (int i = 0; i < people; ++i) {
        Person p = validate(gen.next(), kNow.today()).person;
        REQUIRE(north.savePerson(PersonRecord{p, kNow.unixMs, kNow.unixMs, "小李"}));
        REQUIRE(north.addEntry(Entry{newEntryId(), p.docNumber, p.name, p.personType, kNow.unixMs - 1000 + i, Direction::In, 36.5,
                                     Verdict::Allow, {Message{"ok", "各项检查通过", "All checks passed", ""}}, "北门", "小李"}));
    }
    auto b = exportPending(north, kNow);
    REQUIRE(b);
    return b->text;
}

// The console at the south gate, importing.
struct South {
    TempDb file;
    std::unique_ptr<Api> api;
    std::vector<json> heard; // what the progress sink heard

    South()
    {
        Store s = file.open();
        REQUIRE(s.saveSettings(partsGateSettings("南门")));
        api = std::make_unique<Api>(std::move(s));
        api->onProgress([this](std::string_view j) { heard.push_back(json::parse(j)); });
    }

    json call(json req, std::optional<std::string_view> data = std::nullopt)
    {
        req["now"] = kNow.unixMs;
        req["tz"] = kNow.utcOffsetMinutes;
        return json::parse(api->call(req.dump(), data));
    }

    json begin(size_t size) { return call({{"op", "batch.import.begin"}, {"size", size}}); }
    json part(size_t at, std::string_view bytes) { return call({{"op", "batch.import.part"}, {"at", at}}, bytes); }
    json end() { return call({{"op", "batch.import.end"}}); }

    size_t persons() { return call({{"op", "person.list"}})["records"].size(); }
    size_t entries() { return call({{"op", "entries.today"}, {"limit", 5000}})["entries"].size(); }
};

// The text cut at `cuts` (increasing offsets), each piece sent as a part.
json sendInParts(South& south, const std::string& text, const std::vector<size_t>& cuts)
{
    json r = south.begin(text.size());
    REQUIRE(r["ok"] == true);
    size_t at = 0;
    for (size_t cut : cuts) {
        r = south.part(at, std::string_view(text).substr(at, cut - at));
        REQUIRE(r["ok"] == true);
        CHECK(r["received"] == cut);
        at = cut;
    }
    r = south.part(at, std::string_view(text).substr(at));
    REQUIRE(r["ok"] == true);
    CHECK(r["received"] == text.size());
    return south.end();
}

// The offset just after the first byte of the first 3-byte UTF-8 character at or after `from`.
size_t insideCharacter(const std::string& text, size_t from)
{
    for (size_t i = from; i < text.size(); ++i)
        if ((static_cast<unsigned char>(text[i]) & 0xF0) == 0xE0)
            return i + 1;
    FAIL("no 3-byte character after " << from);
    return 0;
}

} // namespace

TEST_CASE("a batch in parts of odd sizes, cut inside UTF-8 characters, imports exactly as the whole text does", "[batch][parts]")
{
    const std::string text = northBatch(40);
    South whole;
    json once = whole.call({{"op", "batch.import"}, {"text", text}});
    REQUIRE(once["ok"] == true);

    South parts;
    const size_t mid = insideCharacter(text, text.size() / 2);
    std::vector<size_t> cuts{1, 8, insideCharacter(text, 9), 4101, mid, mid + 1, text.size() - 1};
    REQUIRE(std::is_sorted(cuts.begin(), cuts.end()));
    json r = sendInParts(parts, text, cuts);
    REQUIRE(r["ok"] == true);
    for (const char* key : {"added_persons", "updated_persons", "added_entries", "already", "header"})
        CHECK(r[key] == once[key]);
    CHECK(r["added_persons"] == 40);
    CHECK(r["added_entries"] == 40);
    CHECK(parts.persons() == 40);

    // The sink heard every step, its percent never going back, ending at 100.
    REQUIRE_FALSE(parts.heard.empty());
    std::vector<std::string> steps;
    int last = -1;
    for (const json& h : parts.heard) {
        CHECK(h["percent"].get<int>() >= last);
        last = h["percent"];
        std::string code = h["progress"]["code"];
        if (steps.empty() || steps.back() != code)
            steps.push_back(code);
        CHECK_FALSE(h["progress"]["zh"].get<std::string>().empty());
        CHECK_FALSE(h["progress"]["en"].get<std::string>().empty());
    }
    CHECK(steps == std::vector<std::string>{"batch.import.reading", "batch.import.checking", "batch.import.merging"});
    CHECK(last == 100);

    // The same file again, in one part: already imported, nothing added.
    json again = sendInParts(parts, text, {});
    REQUIRE(again["ok"] == true);
    CHECK(again["already"] == true);
    CHECK(again["added_entries"] == 0);
}

TEST_CASE("a part out of order, past the size, or without a begin stores nothing and ends the staged import", "[batch][parts]")
{
    const std::string text = northBatch(5);
    South south;
    SECTION("a part and an end with no begin")
    {
        CHECK(south.part(0, text)["error"]["code"] == "batch.import.not_begun");
        json r = south.end();
        CHECK(r["error"]["code"] == "batch.import.not_begun");
        CHECK_FALSE(r["error"]["zh"].get<std::string>().empty());
        CHECK_FALSE(r["error"]["en"].get<std::string>().empty());
    }
    SECTION("a part skipping ahead")
    {
        REQUIRE(south.begin(text.size())["ok"] == true);
        REQUIRE(south.part(0, std::string_view(text).substr(0, 100))["ok"] == true);
        CHECK(south.part(200, std::string_view(text).substr(200))["error"]["code"] == "batch.import.order");
        // The staged import is over: the rest of the file has nowhere to go.
        CHECK(south.part(100, std::string_view(text).substr(100))["error"]["code"] == "batch.import.not_begun");
        CHECK(south.end()["error"]["code"] == "batch.import.not_begun");
    }
    SECTION("a part sent twice")
    {
        REQUIRE(south.begin(text.size())["ok"] == true);
        REQUIRE(south.part(0, std::string_view(text).substr(0, 100))["ok"] == true);
        CHECK(south.part(0, std::string_view(text).substr(0, 100))["error"]["code"] == "batch.import.order");
    }
    SECTION("more bytes than announced")
    {
        REQUIRE(south.begin(text.size() - 1)["ok"] == true);
        CHECK(south.part(0, text)["error"]["code"] == "batch.import.overrun");
        CHECK(south.end()["error"]["code"] == "batch.import.not_begun");
    }
    SECTION("a part without its bytes, or with a bad offset")
    {
        REQUIRE(south.begin(text.size())["ok"] == true);
        CHECK(south.call({{"op", "batch.import.part"}, {"at", 0}})["error"]["code"] == "request.invalid");
        REQUIRE(south.begin(text.size())["ok"] == true);
        CHECK(south.call({{"op", "batch.import.part"}, {"at", -1}}, text)["error"]["code"] == "request.number");
        CHECK(south.end()["error"]["code"] == "batch.import.not_begun");
    }
    SECTION("bytes beside another op")
    {
        CHECK(south.call({{"op", "batch.import"}, {"text", text}}, text)["error"]["code"] == "request.invalid");
    }
    CHECK(south.persons() == 0);
    CHECK(south.entries() == 0);
}

TEST_CASE("an end before every byte arrived, or after a cancel, imports nothing", "[batch][parts]")
{
    const std::string text = northBatch(5);
    South south;
    SECTION("end without parts")
    {
        REQUIRE(south.begin(text.size())["ok"] == true);
        json r = south.end();
        CHECK(r["error"]["code"] == "batch.import.incomplete");
        CHECK(r["error"]["en"].get<std::string>().find("0 of " + std::to_string(text.size())) != std::string::npos);
        // The staged bytes are gone with it.
        CHECK(south.end()["error"]["code"] == "batch.import.not_begun");
    }
    SECTION("end with the last part missing")
    {
        REQUIRE(south.begin(text.size())["ok"] == true);
        REQUIRE(south.part(0, std::string_view(text).substr(0, text.size() - 1))["ok"] == true);
        CHECK(south.end()["error"]["code"] == "batch.import.incomplete");
    }
    SECTION("cancel")
    {
        REQUIRE(south.begin(text.size())["ok"] == true);
        REQUIRE(south.part(0, std::string_view(text).substr(0, 10))["ok"] == true);
        json c = south.call({{"op", "batch.import.cancel"}});
        CHECK(c["cancelled"] == true);
        CHECK(c["message"]["code"] == "batch.import.cancelled");
        CHECK(south.part(10, std::string_view(text).substr(10))["error"]["code"] == "batch.import.not_begun");
        CHECK(south.call({{"op", "batch.import.cancel"}})["cancelled"] == false);
    }
    SECTION("the worker could not read the file's next slice: dropped, and the core words why")
    {
        REQUIRE(south.begin(text.size())["ok"] == true);
        REQUIRE(south.part(0, std::string_view(text).substr(0, 10))["ok"] == true);
        json c = south.call({{"op", "batch.import.cancel"}, {"why", "unreadable"}});
        CHECK(c["ok"] == false);
        CHECK(c["error"]["code"] == "batch.unreadable");
        CHECK_FALSE(c["error"]["zh"].get<std::string>().empty());
        CHECK_FALSE(c["error"]["en"].get<std::string>().empty());
        CHECK(south.part(10, std::string_view(text).substr(10))["error"]["code"] == "batch.import.not_begun");
    }
    SECTION("a begin replaces an unfinished import")
    {
        REQUIRE(south.begin(text.size())["ok"] == true);
        REQUIRE(south.part(0, std::string_view(text).substr(0, 10))["ok"] == true);
        REQUIRE(south.begin(text.size())["ok"] == true);
        CHECK(south.part(10, std::string_view(text).substr(10))["error"]["code"] == "batch.import.order");
    }
    CHECK(south.persons() == 0);
    CHECK(south.entries() == 0);
}

TEST_CASE("a batch damaged by one byte near its end, sent in parts, is refused whole and stores nothing", "[batch][parts]")
{
    std::string text = northBatch(30);
    // A digit inside the last entry's time: still JSON, still the same length.
    size_t at = text.rfind("\"at\":") + 6;
    REQUIRE(std::isdigit(static_cast<unsigned char>(text[at])));
    text[at] = text[at] == '1' ? '2' : '1';
    South south;
    json r = sendInParts(south, text, {text.size() / 3, insideCharacter(text, text.size() / 2)});
    REQUIRE(r["ok"] == false);
    CHECK(r["error"]["code"] == "batch.damaged");
    CHECK(r["error"]["zh"].get<std::string>().find("未导入任何数据") != std::string::npos);
    CHECK(r["error"]["en"].get<std::string>().find("nothing was imported") != std::string::npos);
    CHECK(south.persons() == 0);
    CHECK(south.entries() == 0);
    // Checking was heard, merging never: nothing was written.
    bool merged = false;
    for (const json& h : south.heard)
        merged = merged || h["progress"]["code"] == "batch.import.merging";
    CHECK_FALSE(merged);
}

TEST_CASE("a batch size outside what the core stages is refused at the begin", "[batch][parts]")
{
    South south;
    CHECK(south.begin(0)["error"]["code"] == "batch.too_large");
    json r = south.begin(size_t(kMaxBatchBytes) + 1);
    CHECK(r["error"]["code"] == "batch.too_large");
    CHECK(r["error"]["zh"].get<std::string>().find("256 MB") != std::string::npos);
    CHECK(south.call({{"op", "batch.import.begin"}})["error"]["code"] == "request.invalid");
    CHECK(south.call({{"op", "batch.import.begin"}, {"size", 1e300}})["error"]["code"] == "request.number");
    CHECK(south.end()["error"]["code"] == "batch.import.not_begun");
}
