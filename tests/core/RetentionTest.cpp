// Deleted when its time is up (retention.apply) and deleted when asked
// (person.delete): only what is due, never what was not yet sent, and the
// deletion travels to the office in the next batch.
#include "Fixtures.h"

#include "Digest.h"

#include <catch2/catch.hpp>

#include <fstream>
#include <iterator>

using namespace gatepass;
using namespace gatepass::test;
using nlohmann::json;

namespace {

constexpr int64_t kDay = 86'400'000;

json personJson(const std::string& name, const std::string& doc)
{
    json p = toJson(samplePerson());
    p["name"] = name;
    p["doc_number"] = doc;
    return p;
}

void visit(Api& api, const json& person, int64_t at)
{
    REQUIRE(call(api, {{"op", "entry.record"}, {"person", person}, {"issued_at", at}, {"direction", "in"}, {"temperature", 36.5}}, at)["ok"] == true);
}

std::string fileBytes(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

int count(Store& s, const std::string& sql)
{
    auto st = s.connection().prepare(sql);
    return st.step() ? int(st.integer(0)) : -1;
}

} // namespace

TEST_CASE("retention: 28 days by default, bounds worded by the core", "[retention]")
{
    TempDb file;
    Api api(file.open());
    CHECK(call(api, {{"op", "settings.get"}})["settings"]["retention_days"] == 28);
    json p = call(api, {{"op", "retention.policy"}});
    CHECK(p["retention_days"] == 28);
    CHECK(p["policy"]["zh"].get<std::string>().find("28") != std::string::npos);
    for (int bad : {0, 13, 367}) {
        json r = call(api, {{"op", "settings.set"}, {"settings", {{"retention_days", bad}}}});
        CHECK(r["error"]["code"] == "settings.retention_days");
        CHECK(r["error"]["field"] == "retention_days");
    }
    CHECK(call(api, {{"op", "settings.set"}, {"settings", {{"retention_days", 60}}}})["settings"]["retention_days"] == 60);
}

TEST_CASE("retention: deletes only what is due and sent; holds back the unsent and says so", "[retention]")
{
    TempDb file;
    Api api(file.open());
    const int64_t now = kNow.unixMs;
    json oldSent = personJson("王伟", makeIdNumber("110105", *Date::fromYmd(1980, 1, 1), 11));
    json recent = personJson("李芳", makeIdNumber("110105", *Date::fromYmd(1981, 2, 2), 22));
    json oldUnsent = personJson("赵敏", makeIdNumber("110105", *Date::fromYmd(1982, 3, 3), 33));
    visit(api, oldSent, now - 40 * kDay);
    visit(api, recent, now - 40 * kDay);
    visit(api, recent, now - 2 * kDay); // seen within the period: kept, with its recent entry
    REQUIRE(call(api, {{"op", "batch.export"}}, now - kDay)["ok"] == true);
    visit(api, oldUnsent, now - 35 * kDay); // recorded with an old time, never exported

    json r = call(api, {{"op", "retention.apply"}});
    REQUIRE(r["ok"] == true);
    CHECK(r["retention_days"] == 28);
    CHECK(r["deleted"]["entries"] == 2);
    CHECK(r["deleted"]["persons"] == 1);
    CHECK(r["held"]["entries"] == 1);
    CHECK(r["held"]["persons"] == 1);
    CHECK(r["warning"]["code"] == "retention.held");
    CHECK(call(api, {{"op", "person.get"}, {"doc_number", oldSent["doc_number"]}})["ok"] == false);
    CHECK(call(api, {{"op", "person.get"}, {"doc_number", recent["doc_number"]}})["ok"] == true);
    CHECK(call(api, {{"op", "entries.of"}, {"doc_number", recent["doc_number"]}})["entries"].size() == 1);
    CHECK(call(api, {{"op", "person.get"}, {"doc_number", oldUnsent["doc_number"]}})["ok"] == true);
    CHECK(call(api, {{"op", "batch.pending"}})["entries"] == 1);

    // Once exported, the held record goes at the next run; nothing due is left, so no warning.
    REQUIRE(call(api, {{"op", "batch.export"}})["ok"] == true);
    r = call(api, {{"op", "retention.apply"}});
    CHECK(r["deleted"]["entries"] == 1);
    CHECK(r["deleted"]["persons"] == 1);
    CHECK(r["held"]["entries"] == 0);
    CHECK_FALSE(r.contains("warning"));
    // Run again: nothing more.
    r = call(api, {{"op", "retention.apply"}});
    CHECK(r["deleted"]["entries"] == 0);
}

TEST_CASE("retention: a stored export past the period is emptied once sent; unsent while uploads are expected, held", "[retention]")
{
    TempDb file;
    Api api(file.open());
    const int64_t now = kNow.unixMs;
    REQUIRE(call(api, {{"op", "settings.set"}, {"settings", {{"upload_url", "https://office.example/upload"}}}})["ok"] == true);
    json p = personJson("王伟", makeIdNumber("110105", *Date::fromYmd(1980, 1, 1), 11));
    visit(api, p, now - 40 * kDay);
    REQUIRE(call(api, {{"op", "batch.export"}}, now - 39 * kDay)["ok"] == true);
    visit(api, p, now - 38 * kDay);
    REQUIRE(call(api, {{"op", "batch.export"}}, now - 37 * kDay)["ok"] == true);
    REQUIRE(call(api, {{"op", "batch.uploaded"}, {"seq", 1}}, now - 39 * kDay)["ok"] == true);

    json r = call(api, {{"op", "retention.apply"}});
    CHECK(r["deleted"]["batches"] == 1);
    CHECK(r["held"]["batches"] == 1);
    CHECK(r["warning"]["code"] == "retention.held");
    CHECK(call(api, {{"op", "batch.get"}, {"seq", 1}})["error"]["code"] == "batch.purged");
    json second = call(api, {{"op", "batch.get"}, {"seq", 2}});
    REQUIRE(second["ok"] == true); // still there to upload
    CHECK(second["file"]["text"].get<std::string>().find(p["doc_number"].get<std::string>()) != std::string::npos);
}

TEST_CASE("retention: the deleted ID number is gone from the file's bytes (secure_delete, compacted)", "[retention]")
{
    TempDb file;
    const int64_t now = kNow.unixMs;
    std::string doc = makeIdNumber("110105", *Date::fromYmd(1975, 5, 5), 77);
    {
        Api api(file.open());
        visit(api, personJson("王伟", doc), now - 40 * kDay);
        REQUIRE(call(api, {{"op", "batch.export"}}, now - 39 * kDay)["ok"] == true);
        REQUIRE(fileBytes(file.path()).find(doc) != std::string::npos);
        json r = call(api, {{"op", "retention.apply"}});
        CHECK(r["deleted"]["persons"] == 1);
        CHECK(r["deleted"]["batches"] == 1); // no upload address: exported by hand counts as sent
    }
    CHECK(fileBytes(file.path()).find(doc) == std::string::npos);
}

TEST_CASE("person.delete removes their entries and their lines in stored exports; the deletion reaches the office", "[retention][batch]")
{
    TempDb gateFile, officeFile;
    Api gate(gateFile.open());
    REQUIRE(call(gate, {{"op", "settings.set"}, {"settings", {{"community_code", "C001"}, {"community_name", "幸福里"}, {"gate_name", "北门"}}}})["ok"] == true);
    const int64_t now = kNow.unixMs;
    json gone = personJson("王伟", makeIdNumber("110105", *Date::fromYmd(1980, 1, 1), 11));
    json stays = personJson("李芳", makeIdNumber("110105", *Date::fromYmd(1981, 2, 2), 22));
    visit(gate, gone, now - 3 * kDay);
    visit(gate, stays, now - 3 * kDay);
    json first = call(gate, {{"op", "batch.export"}}, now - 2 * kDay);
    REQUIRE(first["ok"] == true);
    visit(gate, gone, now - kDay);

    // The office has the first batch.
    Api office(officeFile.open());
    REQUIRE(call(office, {{"op", "settings.set"}, {"settings", {{"community_code", "C001"}}}})["ok"] == true);
    REQUIRE(call(office, {{"op", "batch.import"}, {"text", first["file"]["text"]}})["added_persons"] == 2);

    json d = call(gate, {{"op", "person.delete"}, {"doc_number", gone["doc_number"]}});
    REQUIRE(d["ok"] == true);
    CHECK(d["deleted_entries"] == 2);
    CHECK(d["pending"]["deletions"] == 1);
    CHECK(call(gate, {{"op", "entries.of"}, {"doc_number", gone["doc_number"]}})["entries"].empty());
    // The stored export no longer carries them, and is still a valid batch.
    json again = call(gate, {{"op", "batch.get"}, {"seq", 1}});
    REQUIRE(again["ok"] == true);
    std::string text = again["file"]["text"];
    CHECK(text.find(gone["doc_number"].get<std::string>()) == std::string::npos);
    CHECK(text.find(stays["doc_number"].get<std::string>()) != std::string::npos);
    CHECK(again["counts"]["persons"] == 1);
    REQUIRE(parseBatch(text));

    // The next batch carries the deletion; the office deletes the person and their entries.
    json next = call(gate, {{"op", "batch.export"}});
    REQUIRE(next["ok"] == true);
    CHECK(next["header"]["counts"]["deletions"] == 1);
    CHECK(next["file"]["text"].get<std::string>().find("\"deletion\"") != std::string::npos);
    json merged = call(office, {{"op", "batch.import"}, {"text", next["file"]["text"]}});
    REQUIRE(merged["ok"] == true);
    CHECK(merged["deleted_persons"] == 1);
    CHECK(call(office, {{"op", "person.get"}, {"doc_number", gone["doc_number"]}})["ok"] == false);
    CHECK(call(office, {{"op", "entries.of"}, {"doc_number", gone["doc_number"]}})["entries"].empty());
    CHECK(call(office, {{"op", "person.get"}, {"doc_number", stays["doc_number"]}})["ok"] == true);
    CHECK(call(gate, {{"op", "batch.pending"}})["deletions"] == 0);
}

TEST_CASE("person.delete of a record never exported leaves no deletion behind (a resident's phone)", "[retention]")
{
    TempDb file;
    Api api(file.open());
    REQUIRE(call(api, {{"op", "person.save"}, {"person", toJson(samplePerson())}})["ok"] == true);
    REQUIRE(call(api, {{"op", "person.delete"}, {"doc_number", samplePerson().docNumber}})["ok"] == true);
    Store s = file.open();
    CHECK(count(s, "SELECT count(*) FROM deletions") == 0);
}

TEST_CASE("batch: a malformed deletion line is refused whole; a good one is read", "[retention][batch]")
{
    auto withBody = [](const std::string& line) {
        BatchHeader h;
        h.communityCode = "C001";
        h.communityName = "幸福里";
        h.gate = "北门";
        h.seq = 1;
        h.createdAt = kNow.unixMs;
        h.deletions = 1;
        std::string body = line + "\n";
        h.bodySha256 = *sha256Hex(body);
        return std::string(kBatchMagic) + "\n" + headerJson(h).dump() + "\n" + body;
    };
    for (std::string bad : {R"({"deletion":{}})", R"({"deletion":{"at":1}})", R"({"deletion":{"doc_number":"X"}})", R"({"deletion":5})",
                            R"({"deletion":{"doc_number":"","at":1}})", R"({"deletion":{"doc_number":7,"at":1}})",
                            R"({"deletion":{"doc_number":"X","at":-1}})"}) {
        auto r = parseBatch(withBody(bad));
        REQUIRE_FALSE(r);
        CHECK(r.error().code == "batch.invalid_record");
    }
    auto good = parseBatch(withBody(R"({"deletion":{"doc_number":"X","at":1}})"));
    REQUIRE(good);
    REQUIRE(good->deletions.size() == 1);
    CHECK(good->deletions[0].docNumber == "X");
}
