// Staff actions leave a trace (issue 13): each logged kind makes exactly one
// row, with the staff name and the time, in the action's own transaction;
// no row holds the ID number, the phone or health answers; the rows travel
// in the next batch and an importer stores each once; retention removes the
// old ones that were sent; a v6 database gains the table.
#include "Fixtures.h"

#include <catch2/catch.hpp>

using namespace gatepass;
using namespace gatepass::test;
using nlohmann::json;

namespace {

constexpr int64_t kDay = 86'400'000;

json person(std::string_view name, int seq)
{
    Person p = samplePerson();
    p.name = name;
    p.docNumber = makeIdNumber("110105", *Date::fromYmd(1980, 1, 1), seq);
    p.phone = "1391234" + std::to_string(1000 + seq);
    return toJson(p);
}

json actions(Api& api) { return call(api, {{"op", "staff.actions"}, {"limit", 100}})["actions"]; }

// Every column of every row, as one text: what a look at the table would show.
std::string everyRowText(Api& api)
{
    std::string all;
    for (const json& a : actions(api))
        all += a.dump() + "\n";
    return all;
}

void setUpGate(Api& api)
{
    REQUIRE(call(api, {{"op", "settings.set"}, {"staff", "所长"},
                       {"settings", {{"community_code", "C001"}, {"community_name", "幸福里"}, {"gate_name", "北门"}}}})["ok"] == true);
}

void visit(Api& api, const json& p, int64_t at)
{
    REQUIRE(call(api, {{"op", "entry.record"}, {"person", p}, {"temperature", 36.5}, {"direction", "in"}, {"staff", "小李"}}, at)["ok"] == true);
}

} // namespace

TEST_CASE("staff actions: each kind makes exactly one row, with staff and time, and nothing personal", "[staff_actions]")
{
    TempDb file;
    Api api(file.open());
    setUpGate(api);
    json first = actions(api);
    REQUIRE(first.size() == 1);
    CHECK(first[0]["kind"] == "settings");
    CHECK(first[0]["staff"] == "所长");
    CHECK(first[0]["detail"]["en"] == "community_code, community_name, gate_name");

    json p = person("王伟", 11);
    const std::string doc = p["doc_number"], phone = p["phone"];
    visit(api, p, kNow.unixMs);
    CHECK(actions(api).size() == 1); // an entry is no staff action

    // Each op, one row of its kind, at the request's time, by the staff member named.
    struct Case {
        json req;
        const char* kind;
    };
    const int64_t at = kNow.unixMs + 60'000;
    for (const Case& c : {Case{{{"op", "person.reveal"}, {"person", p}}, "reveal"},
                          Case{{{"op", "person.reveal"}, {"doc_number", doc}}, "reveal"},
                          Case{{{"op", "batch.export"}}, "export"},
                          Case{{{"op", "batch.get"}, {"seq", 1}}, "export"},
                          Case{{{"op", "settings.set"}, {"settings", {{"city", "北京"}}}}, "settings"},
                          Case{{{"op", "settings.set"}, {"settings", {{"upload_url", "https://u:secret@office.example.org/up?k=1"}}}}, "upload_address"},
                          Case{{{"op", "settings.set"}, {"settings", {{"upload_token", "tok-very-secret"}}}}, "settings"}}) {
        INFO(c.req.dump());
        const size_t before = actions(api).size();
        json req = c.req;
        req["staff"] = " 小李 ";
        json r = call(api, req, at);
        REQUIRE(r["ok"] == true);
        json now = actions(api);
        REQUIRE(now.size() == before + 1);
        CHECK(now[0]["kind"] == c.kind);
        CHECK(now[0]["staff"] == "小李"); // trimmed by the core
        CHECK(now[0]["at"] == at);
        CHECK(now[0]["gate"] == "北门");
        CHECK(now[0]["time"] == "2026-11-29 10:01");
    }
    // The reveal answers the full numbers, and logs them masked.
    json reveal = call(api, {{"op", "person.reveal"}, {"doc_number", doc}, {"staff", "小李"}}, at);
    CHECK(reveal["doc_number"] == doc);
    CHECK(reveal["phone"] == phone);
    CHECK(actions(api)[0]["detail"]["en"] == maskDocNumber(doc));

    // Nothing personal, no secret, in any row: not the number, the phone, the
    // address's password or the token; the health answers are never read.
    std::string all = everyRowText(api);
    CHECK(all.find(doc) == std::string::npos);
    CHECK(all.find(phone) == std::string::npos);
    CHECK(all.find("secret") == std::string::npos);
    CHECK(all.find("k=1") == std::string::npos);
    CHECK(all.find("https://office.example.org/up") != std::string::npos);
    CHECK(all.find("upload_token") != std::string::npos); // the key's name only

    // The automatic export before an upload keeps its files inside: no row.
    visit(api, p, kNow.unixMs + 120'000);
    const size_t before = actions(api).size();
    REQUIRE(call(api, {{"op", "batch.export"}, {"upload", true}, {"staff", "小李"}})["ok"] == true);
    CHECK(actions(api).size() == before);
    // Settings saved unchanged: nothing changed, nothing logged.
    REQUIRE(call(api, {{"op", "settings.set"}, {"settings", {{"city", "北京"}}}, {"staff", "小李"}})["ok"] == true);
    CHECK(actions(api).size() == before);
}

TEST_CASE("staff actions: no name is logged as —; a bad name refuses the action and changes nothing", "[staff_actions]")
{
    TempDb file;
    Api api(file.open());
    setUpGate(api);
    json p = person("李芳", 22);
    REQUIRE(call(api, {{"op", "person.reveal"}, {"person", p}})["ok"] == true);
    CHECK(actions(api)[0]["staff"] == "—");
    const size_t before = actions(api).size();
    for (std::string bad : {std::string("小\x07李"), std::string(201, 'a')}) {
        json r = call(api, {{"op", "settings.set"}, {"settings", {{"gate_name", "南门"}}}, {"staff", bad}});
        CHECK(r["error"]["code"] == "staff.invalid");
        CHECK_FALSE(r["error"]["zh"].get<std::string>().empty());
        CHECK(call(api, {{"op", "person.reveal"}, {"person", p}, {"staff", bad}})["error"]["code"] == "staff.invalid");
    }
    CHECK(actions(api).size() == before);
    CHECK(call(api, {{"op", "settings.get"}})["settings"]["gate_name"] == "北门");
}

TEST_CASE("staff actions: an import is one row with its counts; a refused file one row with its reason", "[staff_actions][batch]")
{
    TempDb gateFile, otherFile;
    Api gate(gateFile.open());
    setUpGate(gate);
    visit(gate, person("王伟", 11), kNow.unixMs);
    std::string text = call(gate, {{"op", "batch.export"}, {"staff", "小李"}})["file"]["text"];

    Api other(otherFile.open());
    setUpGate(other);
    const size_t before = actions(other).size();
    json r = call(other, {{"op", "batch.import"}, {"text", text}, {"staff", "老张"}});
    REQUIRE(r["ok"] == true);
    json list = actions(other);
    // The import's own row, and the gate's two actions (settings, export) it carried.
    REQUIRE(list.size() == before + 1 + 2);
    json mine = json::array();
    for (const json& a : list)
        if (a["staff"] == "老张")
            mine.push_back(a);
    REQUIRE(mine.size() == 1);
    CHECK(mine[0]["kind"] == "import");
    CHECK(mine[0]["detail"]["en"] == "北门 #1: 1 persons added, 0 updated, 1 entries added");

    json refused = call(other, {{"op", "batch.import"}, {"text", "GATEPASS-BATCH 2\n{}\n"}, {"staff", "老张"}});
    CHECK(refused["ok"] == false);
    json now = actions(other);
    REQUIRE(now.size() == list.size() + 1);
    CHECK(now[0]["kind"] == "import");
    CHECK(now[0]["detail"]["en"].get<std::string>().starts_with("refused (batch.damaged)"));
}

TEST_CASE("staff actions travel in the next batch, are marked sent with it, and an importer stores each once", "[staff_actions][batch]")
{
    TempDb gateFile, officeFile;
    Api gate(gateFile.open());
    setUpGate(gate);
    json p = person("王伟", 11);
    visit(gate, p, kNow.unixMs);
    REQUIRE(call(gate, {{"op", "person.reveal"}, {"person", p}, {"staff", "小李"}})["ok"] == true);
    json exported = call(gate, {{"op", "batch.export"}, {"staff", "小李"}});
    REQUIRE(exported["ok"] == true);
    const std::string text = exported["file"]["text"];
    CHECK(exported["header"]["counts"]["actions"] == 3); // settings, reveal, and the export itself

    auto parsed = parseBatch(text);
    REQUIRE(parsed);
    REQUIRE(parsed->actions.size() == 3);
    CHECK(parsed->actions[2].kind == StaffActionKind::Export);
    CHECK(parsed->actions[1].kind == StaffActionKind::Reveal);
    CHECK(parsed->actions[1].staff == "小李");
    CHECK(text.find(p["doc_number"].get<std::string>()) != std::string::npos); // the person's line, not an action's
    // Sent: the next export carries none of them again.
    visit(gate, p, kNow.unixMs + 60'000);
    auto second = parseBatch(call(gate, {{"op", "batch.export"}, {"upload", true}})["file"]["text"].get<std::string>());
    REQUIRE(second);
    CHECK(second->actions.empty());

    // The office's Store: stored once; the same batch again adds nothing.
    Store office = officeFile.open();
    Settings s;
    s.communityCode = "C001";
    REQUIRE(office.saveSettings(s));
    auto first = mergeBatch(office, *parsed, kNow);
    REQUIRE(first);
    CHECK(first->actionsAdded == 3);
    auto replay = mergeBatch(office, *parsed, kNow);
    REQUIRE(replay);
    CHECK(replay->alreadyImported);
    CHECK(office.staffActions(100).size() == 3);
    // The same actions in another batch (overlapping): none twice.
    ParsedBatch overlap = *parsed;
    overlap.header.bodySha256 = "other";
    auto again = mergeBatch(office, overlap, kNow);
    REQUIRE(again);
    CHECK(again->actionsAdded == 0);
    CHECK(office.staffActions(100).size() == 3);
    // A console's own list (its Data tab) leaves out other gates' actions; the gate's holds its own, sent or not.
    CHECK(office.staffActions(100, true).empty());
    CHECK(call(gate, {{"op", "staff.actions"}, {"here", true}})["actions"] == actions(gate));
    CHECK(actions(gate).size() == 3);

    // An altered action line is refused whole (format 2: a gate not enrolled writes it readable).
    std::string altered = text;
    size_t kind = altered.find("\"kind\":\"reveal\"");
    REQUIRE(kind != std::string::npos);
    altered.replace(kind, 15, "\"kind\":\"revea1\"");
    CHECK(parseBatch(altered).error().code == "batch.damaged"); // its checksum
}

TEST_CASE("staff actions follow the retention period: old ones sent are deleted, unsent ones kept", "[staff_actions][retention]")
{
    TempDb file;
    Api api(file.open());
    setUpGate(api);
    json p = person("王伟", 11);
    visit(api, p, kNow.unixMs - 40 * kDay);
    REQUIRE(call(api, {{"op", "person.reveal"}, {"person", p}, {"staff", "小李"}}, kNow.unixMs - 40 * kDay)["ok"] == true);
    REQUIRE(call(api, {{"op", "batch.export"}, {"upload", true}}, kNow.unixMs - 39 * kDay)["ok"] == true);
    REQUIRE(call(api, {{"op", "person.reveal"}, {"person", p}, {"staff", "小李"}}, kNow.unixMs - 38 * kDay)["ok"] == true); // never sent
    REQUIRE(actions(api).size() == 3);
    json r = call(api, {{"op", "retention.apply"}});
    REQUIRE(r["ok"] == true);
    CHECK(r["deleted"]["actions"] == 1); // the reveal sent in batch 1 (settings were logged now: within the period)
    json left = actions(api);
    REQUIRE(left.size() == 2);
    CHECK(left[0]["kind"] == "settings"); // logged at kNow, sent, within the period
    CHECK(left[1]["at"] == kNow.unixMs - 38 * kDay);
}

TEST_CASE("a schema 6 database gains the staff actions table; its records are kept", "[staff_actions][migration]")
{
    TempDb file;
    {
        Api api(file.open());
        setUpGate(api);
        visit(api, person("王伟", 11), kNow.unixMs);
    }
    {
        auto raw = Database::open(file.path(), nullptr);
        REQUIRE(raw);
        REQUIRE(raw->exec("ALTER TABLE exports DROP COLUMN deletions; ALTER TABLE exports DROP COLUMN revocations; ALTER TABLE exports DROP COLUMN visitor_uses; DROP TABLE staff_actions; ALTER TABLE revocations DROP COLUMN batch_seq; PRAGMA user_version=6"));
    }
    Store s = file.open();
    CHECK(s.schemaVersion() == kSchemaVersion);
    CHECK(s.integrityCheck() == "ok");
    CHECK(s.pendingEntries().size() == 1);
    CHECK(s.staffActions(10).empty());
    StaffAction a = newStaffAction(StaffActionKind::Export, "小李", kNow.unixMs, "北门", sameWords("x"));
    REQUIRE(s.logStaffAction(a));
    CHECK(s.pendingStaffActions() == std::vector<StaffAction>{a});
}
