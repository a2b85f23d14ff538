#include "Fixtures.h"

#include <catch2/catch.hpp>

#include <fstream>
#include <set>

using namespace gatepass;
using namespace gatepass::test;

namespace {

Entry makeEntry(const Person& p, int64_t at, Direction dir = Direction::In, std::optional<double> temp = 36.5)
{
    return Entry{newEntryId(), p.docNumber, p.name, p.personType, at, dir, temp, Verdict::Allow, {}, "北门", "小李"};
}

} // namespace

TEST_CASE("a new database is at the current schema version", "[store]")
{
    TempDb file;
    Store s = file.open();
    CHECK(s.schemaVersion() == kSchemaVersion);
    CHECK(s.integrityCheck() == "ok");
}

TEST_CASE("a database from a newer version is refused, not changed", "[store]")
{
    TempDb file;
    {
        Store s = file.open();
        REQUIRE(Database::open(file.path(), nullptr)->exec("PRAGMA user_version = 99"));
    }
    auto again = Store::open(file.path());
    REQUIRE_FALSE(again);
    CHECK(again.error().code == "storage.newer_schema");
}

TEST_CASE("persons: save, find, list in order, re-key, delete; all survive reopening", "[store]")
{
    TempDb file;
    PersonGenerator gen(3);
    std::vector<Person> people;
    {
        Store s = file.open();
        for (int i = 0; i < 5; ++i) {
            people.push_back(validate(gen.next(), kNow.today()).person);
            REQUIRE(s.savePerson(PersonRecord{people.back(), kNow.unixMs + i, std::nullopt, ""}));
        }
        // Saving again replaces in place: the list order stays the order of first registration.
        Person changed = people[1];
        changed.address = "9-9-909";
        REQUIRE(s.savePerson(PersonRecord{changed, kNow.unixMs + 10, std::nullopt, ""}));
        people[1] = changed;
    }
    Store s = file.open();
    auto list = s.listPersons();
    REQUIRE(list.size() == 5);
    for (size_t i = 0; i < 5; ++i)
        CHECK(list[i].person == people[i]);
    CHECK(s.findPerson(people[1].docNumber)->updatedAt == kNow.unixMs + 10);

    // The resident corrected a mistyped number: same person, new key.
    Person fixed = people[2];
    fixed.docType = DocType::Passport;
    fixed.docNumber = "E99887766";
    REQUIRE(s.savePerson(PersonRecord{fixed, kNow.unixMs + 20, std::nullopt, ""}, people[2].docNumber));
    CHECK_FALSE(s.findPerson(people[2].docNumber));
    CHECK(s.listPersons().size() == 5);

    REQUIRE(s.deletePerson(people[0].docNumber, kNow.unixMs));
    CHECK(s.deletePerson(people[0].docNumber, kNow.unixMs).error().code == "person.not_found");
    CHECK(s.listPersons().size() == 4);
}

TEST_CASE("verification is kept when the same person saves a new version", "[store]")
{
    TempDb file;
    Store s = file.open();
    Person p = samplePerson();
    REQUIRE(s.savePerson(PersonRecord{p, 1, 100, "小李"}));
    p.symptoms = true;
    REQUIRE(s.savePerson(PersonRecord{p, 2, std::nullopt, ""}));
    auto r = s.findPerson(p.docNumber);
    CHECK(r->verifiedAt == 100);
    CHECK(r->verifiedBy == "小李");
    CHECK(r->person.symptoms);
}

TEST_CASE("search by name, or the last digits of phone or ID only", "[store]")
{
    TempDb file;
    Store s = file.open();
    Person a = samplePerson();
    Person b = samplePerson();
    b.name = "李玥";
    b.docNumber = makeIdNumber("310104", *Date::fromYmd(1990, 5, 6), 123);
    b.phone = "13912345678";
    REQUIRE(s.savePerson(PersonRecord{a, 1, std::nullopt, ""}));
    REQUIRE(s.savePerson(PersonRecord{b, 2, std::nullopt, ""}));
    CHECK(s.search("喆").size() == 1);
    CHECK(s.search("李").at(0).person.name == "李玥");
    CHECK(s.search("5678").at(0).person.name == "李玥");
    CHECK(s.search("002x").at(0).person.name == "张喆");
    CHECK(s.search("19900506").empty()); // a birth date in the middle does not match
    CHECK(s.search("567").empty());      // too few digits
    CHECK(s.search("  ").empty());
    CHECK(s.search(std::string(101, 'a')).empty());
}

TEST_CASE("searchTerm: the one search rule of the gate and the office", "[store]")
{
    CHECK(searchTerm(" 5678 ")->text == "5678");
    CHECK(searchTerm("002x")->digits);
    CHECK_FALSE(searchTerm("李")->digits);
    CHECK_FALSE(searchTerm("567"));  // digits: 4 or more
    CHECK(searchTerm("李"));          // a name: one character is enough
    CHECK_FALSE(searchTerm("   "));
    CHECK_FALSE(searchTerm(std::string(kMaxSearchQuery + 1, 'a')));
    CHECK(searchTerm(std::string(kMaxSearchQuery, 'a')));
}

TEST_CASE("entries: stored once, listed by day, counted", "[store]")
{
    TempDb file;
    Store s = file.open();
    Person p = samplePerson();
    p.leftCity = true;
    p.cameFrom = "武汉";
    p.returnDate = Date{kNow.today().days - 3};
    Person q = samplePerson();
    q.docNumber = makeIdNumber("110105", *Date::fromYmd(1970, 1, 1), 5);
    q.personType = PersonType::Visitor;
    q.homeObservation = true;
    q.observationStart = kNow.today();
    REQUIRE(s.savePerson(PersonRecord{p, 1, std::nullopt, ""}));
    REQUIRE(s.savePerson(PersonRecord{q, 1, std::nullopt, ""}));

    Entry e = makeEntry(p, kNow.unixMs);
    REQUIRE(s.addEntry(e));
    CHECK_FALSE(s.addEntry(e)); // the same id twice is refused
    REQUIRE(s.addEntry(makeEntry(q, kNow.unixMs + 1000, Direction::In, 38.1)));
    REQUIRE(s.addEntry(makeEntry(q, kNow.unixMs - 86'400'000))); // yesterday

    int64_t from = kNow.dayStartMs();
    auto today = s.entriesBetween(from, from + 86'400'000);
    REQUIRE(today.size() == 2);
    CHECK(today[1] == e); // newest first; the entry reads back exactly

    Stats st = s.stats(kNow);
    CHECK(st.persons == 2);
    CHECK(st.byPersonType["resident"] == 1);
    CHECK(st.byPersonType["visitor"] == 1);
    CHECK(st.returnedWithinWindow == 1);
    CHECK(st.underObservation == 1);
    CHECK(st.feverToday == 1);
    CHECK(st.entriesToday == 2);
    CHECK(st.hourlyToday[10] == 2); // 10:00 local
}

TEST_CASE("who is inside: each person's last movement, kept as entries come and go", "[store]")
{
    TempDb file;
    Store s = file.open();
    Person p = samplePerson();
    REQUIRE(s.savePerson(PersonRecord{p, 1, std::nullopt, ""}));
    auto inside = [&] {
        int n = 0;
        for (const auto& [type, count] : s.insideByPersonType())
            n += count;
        return n;
    };
    auto entry = [&](std::string id, int64_t at, Direction dir, Verdict verdict = Verdict::Allow) {
        Entry e = makeEntry(p, at, dir);
        e.id = std::move(id);
        e.verdict = verdict;
        REQUIRE(s.addEntry(e));
    };
    CHECK_FALSE(s.lastMovement(p.docNumber));

    entry("e1", kNow.unixMs, Direction::In);
    CHECK(s.lastMovement(p.docNumber) == Direction::In);
    CHECK(inside() == 1);
    entry("e3", kNow.unixMs + 1000, Direction::Out);
    CHECK(s.lastMovement(p.docNumber) == Direction::Out);
    CHECK(inside() == 0);
    // A refused entry is no movement, however late.
    entry("e4", kNow.unixMs + 5000, Direction::In, Verdict::Deny);
    CHECK(s.lastMovement(p.docNumber) == Direction::Out);
    // Two in the same millisecond: the later id is the last, whichever was logged first.
    entry("e2", kNow.unixMs + 1000, Direction::In);
    CHECK(s.lastMovement(p.docNumber) == Direction::Out);
    entry("e9", kNow.unixMs + 1000, Direction::In);
    CHECK(s.lastMovement(p.docNumber) == Direction::In);
    // An earlier entry arriving late (from another gate's batch) changes nothing.
    entry("e0", kNow.unixMs - 60'000, Direction::Out);
    CHECK(s.lastMovement(p.docNumber) == Direction::In);

    // The last movement deleted: the one before it (the refused one is still none).
    REQUIRE(s.connection().exec("DELETE FROM entries WHERE id = 'e9'"));
    CHECK(s.lastMovement(p.docNumber) == Direction::Out);
    CHECK(inside() == 0);
    REQUIRE(s.connection().exec("DELETE FROM entries WHERE id IN ('e3', 'e2')"));
    CHECK(s.lastMovement(p.docNumber) == Direction::In);
    CHECK(inside() == 1);

    // The person deleted: no movement left.
    REQUIRE(s.deletePerson(p.docNumber, kNow.unixMs + 10'000));
    CHECK_FALSE(s.lastMovement(p.docNumber));
    CHECK(inside() == 0);
}

TEST_CASE("settings persist and reject nonsense", "[store]")
{
    TempDb file;
    {
        Store s = file.open();
        Settings st;
        st.communityCode = "C001";
        st.communityName = "幸福里社区";
        st.gateName = "北门";
        st.rules.feverAtOrAbove = 37.5;
        REQUIRE(s.saveSettings(st));
    }
    Store s = file.open();
    CHECK(s.settings().communityName == "幸福里社区");
    CHECK(s.settings().rules.feverAtOrAbove == 37.5);
    CHECK_FALSE(settingsFromJson(nlohmann::json{{"rules", {{"fever_at_or_above", 12}}}}, s.settings()));
    CHECK_FALSE(settingsFromJson(nlohmann::json{{"upload_url", "javascript:alert(1)"}}, s.settings()));
    CHECK_FALSE(settingsFromJson(nlohmann::json{{"colour", "red"}}, s.settings()));
}

TEST_CASE("entry ids are unique", "[store]")
{
    std::set<std::string> ids;
    for (int i = 0; i < 10000; ++i)
        ids.insert(newEntryId());
    CHECK(ids.size() == 10000);
    CHECK(ids.begin()->size() == 16);
}

TEST_CASE("a schema 1 database is carried forward; its exports keep their bytes and get their header columns", "[store][migration]")
{
    // A schema 1 gate, made here rather than committed (no database files in
    // the repository): three verified persons with an entry each exported as
    // batch 1 (uploaded), then one more entry left pending; then the columns
    // schema 2 added are dropped and the version set back, which gives the
    // exports table exactly the shape schema 1 created.
    TempDb file;
    std::string firstDoc;
    {
        Store gate = file.open();
        Settings settings;
        settings.communityCode = "C001";
        settings.communityName = "幸福里社区";
        settings.gateName = "北门";
        REQUIRE(gate.saveSettings(settings));
        PersonGenerator gen(11);
        Person first;
        for (int i = 0; i < 3; ++i) {
            Person p = validate(gen.next(), kNow.today()).person;
            if (i == 0)
                first = p;
            int64_t at = 1'795'917'600'000 + i * 60'000;
            REQUIRE(gate.savePerson(PersonRecord{p, at, at, "小李"}));
            REQUIRE(gate.addEntry(Entry{newEntryId(), p.docNumber, p.name, p.personType, at, Direction::In, 36.5,
                                        Verdict::Allow, {}, "北门", "小李"}));
        }
        REQUIRE(exportPending(gate, Clock{1'795'917'800'000, 480}));
        REQUIRE(gate.markUploaded(1, 1'795'918'000'000));
        REQUIRE(gate.addEntry(Entry{newEntryId(), first.docNumber, first.name, first.personType, 1'795'918'100'000, Direction::Out,
                                    std::nullopt, Verdict::Allow, {}, "北门", "小李"}));
        firstDoc = first.docNumber;
    }
    {
        auto raw = Database::open(file.path(), nullptr);
        REQUIRE(raw);
        // Later versions' additions first (9, 7, 6, 5, 4, 3), then version 2's.
        REQUIRE(raw->exec("ALTER TABLE exports DROP COLUMN deletions; ALTER TABLE exports DROP COLUMN revocations; ALTER TABLE exports DROP COLUMN visitor_uses; DROP TABLE staff_actions; DROP TRIGGER last_moves_added; DROP TRIGGER last_moves_removed; DROP TABLE last_moves; DROP INDEX persons_pending; DROP TABLE watch_list; DROP TABLE revocations; DROP TABLE gate_lock; DROP TABLE deletions; ALTER TABLE exports DROP COLUMN purged_at;"));
        for (const char* column : {"community_code", "community_name", "gate", "time_from", "time_to"})
            REQUIRE(raw->exec(std::string("ALTER TABLE exports DROP COLUMN ") + column));
        REQUIRE(raw->exec("PRAGMA user_version=1"));
    }
    {
        auto raw = Database::open(file.path(), nullptr);
        auto v = raw->prepare("PRAGMA user_version");
        REQUIRE(v.step());
        REQUIRE(v.integer(0) == 1);
    }
    Store s = file.open();
    CHECK(s.schemaVersion() == kSchemaVersion);
    CHECK(s.integrityCheck() == "ok");
    // A database that had data before the PIN lived in it: a lock-out, not a first start (Lock.h).
    CHECK_FALSE(s.lockRow());

    auto list = s.listExports();
    REQUIRE(list.size() == 1);
    const BatchHeader& h = list[0].header;
    CHECK(h.seq == 1);
    CHECK(h.communityCode == "C001");
    CHECK(h.communityName == "幸福里社区");
    CHECK(h.gate == "北门");
    CHECK(h.persons == 3);
    CHECK(h.entries == 3);
    CHECK(h.fromMs == 1'795'917'600'000);
    CHECK(h.toMs == 1'795'917'720'000);
    CHECK(list[0].uploadedAt == 1'795'918'000'000);

    // The file is the same bytes, and its header agrees with the columns.
    auto again = exportedBatch(s, 1, kNow.utcOffsetMinutes);
    REQUIRE(again);
    CHECK(again->header.bodySha256 == h.bodySha256);
    CHECK(again->header.toMs == h.toMs);

    CHECK(s.listPersons().size() == 3);
    CHECK(s.pendingCounts().entries == 1);
    // Step 6 filled the last movements from the entries already there: the first person went in, then out.
    CHECK(s.lastMovement(firstDoc) == Direction::Out);
    int inside = 0;
    for (const auto& [type, n] : s.insideByPersonType())
        inside += n;
    CHECK(inside == 2);
    auto next = exportPending(s, kNow);
    REQUIRE(next);
    CHECK(next->header.seq == 2);
    REQUIRE(s.listExports().size() == 2);
    CHECK(s.listExports()[1].header.gate == "北门");
    CHECK(s.listExports()[1].header.entries == 1);
}

TEST_CASE("stats count 'returned within the window' by the policy's rule and the gate's settings", "[store][policy]")
{
    TempDb file;
    Store s = file.open();
    Rules rules;
    for (int daysAgo : {0, rules.returnWindowDays - 1, rules.returnWindowDays, rules.returnWindowDays + 5}) {
        Person p = samplePerson();
        p.docNumber = makeIdNumber("110105", *Date::fromYmd(1980, 1, 1), 100 + daysAgo);
        p.leftCity = true;
        p.cameFrom = "武汉";
        p.returnDate = Date{kNow.today().days - daysAgo};
        REQUIRE(s.savePerson(PersonRecord{p, 1, std::nullopt, ""}));
        // The same predicate the gate decides with.
        CHECK(returnedWithinWindow(p, kNow.today(), rules) == (daysAgo < rules.returnWindowDays));
    }
    CHECK(s.stats(kNow).returnedWithinWindow == 2);
    Settings wider = s.settings();
    wider.rules.returnWindowDays = 17;
    REQUIRE(s.saveSettings(wider));
    CHECK(s.stats(kNow).returnedWithinWindow == 3);
}

TEST_CASE("checkFile tells a healthy file from a damaged one before the Store opens it", "[store]")
{
    TempDb file;
    {
        Store s = file.open();
        REQUIRE(s.savePerson(PersonRecord{samplePerson(), 1, std::nullopt, ""}));
    }
    FileCheck good = Store::checkFile(file.path());
    CHECK(good.ok);
    CHECK_FALSE(good.corrupt);
    {
        std::ofstream out(file.path(), std::ios::binary | std::ios::trunc);
        out << std::string(8192, 'x');
    }
    FileCheck bad = Store::checkFile(file.path());
    CHECK_FALSE(bad.ok);
    CHECK(bad.corrupt);
    CHECK_FALSE(bad.detail.empty());
}
