#include "Fixtures.h"

#include <catch2/catch.hpp>

using namespace gatepass;
using namespace gatepass::test;
using nlohmann::json;

namespace {

Settings gateSettings(std::string gate = "北门")
{
    Settings s;
    s.communityCode = "C001";
    s.communityName = "幸福里社区";
    s.gateName = std::move(gate);
    return s;
}

// A gate with `people` verified persons and one entry each.
void fillGate(Store& s, int people, unsigned seed, int64_t at)
{
    PersonGenerator gen(seed);
    for (int i = 0; i < people; ++i) {
        Person p = validate(gen.next(), kNow.today()).person;
        REQUIRE(s.savePerson(PersonRecord{p, at, at, "小李"}));
        REQUIRE(s.addEntry(Entry{newEntryId(), p.docNumber, p.name, p.personType, at + i, Direction::In, 36.4 + i % 3 * 0.5,
                                 Verdict::Allow, {Message{"ok", "各项检查通过", "All checks passed", ""}}, s.settings().gateName, "小李"}));
    }
}

// An office database as set up for the community, before any batch arrives.
Store officeStore(TempDb& file)
{
    Store s = file.open();
    Settings c;
    c.communityCode = "C001";
    REQUIRE(s.saveSettings(c));
    return s;
}

// The merge rules as an office applies them once it has authenticated a
// batch (importBatch's second half). These gates hold no key and the core
// tests have no libsodium: the MAC itself is tested where libsodium is, with
// the office (tests/office).
Result<ImportReport> mergeFile(Store& s, std::string_view text, const Clock& now)
{
    auto parsed = parseBatch(text);
    if (!parsed)
        return parsed.error();
    return mergeBatch(s, *parsed, now);
}

// Counted through a second connection: the Store has no SQL door.
int count(const TempDb& file, const char* table)
{
    auto db = Database::open(file.path(), nullptr);
    auto st = db->prepare(std::string("SELECT count(*) FROM ") + table);
    st.step();
    return int(st.integer(0));
}

} // namespace

TEST_CASE("export takes everything pending, once, as a self-describing file", "[batch]")
{
    TempDb gateFile;
    Store gate = gateFile.open();
    REQUIRE(gate.saveSettings(gateSettings()));
    CHECK(exportPending(gate, kNow).error().code == "batch.nothing_pending");
    fillGate(gate, 3, 1, kNow.unixMs);
    CHECK(gate.pendingCounts().entries == 3);

    auto b = exportPending(gate, kNow);
    REQUIRE(b);
    CHECK(b->header.seq == 1);
    CHECK(b->header.persons == 3);
    CHECK(b->header.entries == 3);
    CHECK(b->text.starts_with("GATEPASS-BATCH 2\n{"));
    CHECK(b->fileName == "gatepass-C001-北门-000001.batch");
    CHECK(gate.pendingCounts().entries == 0);
    CHECK(gate.pendingCounts().persons == 0);
    CHECK(exportPending(gate, kNow).error().code == "batch.nothing_pending");

    // The same batch again is the same bytes.
    auto again = exportedBatch(gate, 1, kNow.utcOffsetMinutes);
    REQUIRE(again);
    CHECK(again->text == b->text);
    CHECK(exportedBatch(gate, 2, kNow.utcOffsetMinutes).error().code == "batch.not_found");

    // New work goes into the next batch only.
    fillGate(gate, 1, 99, kNow.unixMs + 5000);
    auto second = exportPending(gate, kNow);
    REQUIRE(second);
    CHECK(second->header.seq == 2);
    CHECK(second->header.entries == 1);
}

TEST_CASE("the office merges batches; the same batch twice adds nothing", "[batch]")
{
    TempDb gateFile, officeFile;
    Store gate = gateFile.open();
    REQUIRE(gate.saveSettings(gateSettings()));
    fillGate(gate, 20, 2, kNow.unixMs);
    auto b = exportPending(gate, kNow);
    REQUIRE(b);

    Store office = officeStore(officeFile);
    auto r = mergeFile(office, b->text, kNow);
    INFO((r ? std::string() : r.error().en));
    REQUIRE(r);
    CHECK(r->personsAdded == 20);
    CHECK(r->entriesAdded == 20);
    CHECK(office.settings().communityName == "幸福里社区"); // the name, from the first batch of its community
    CHECK(office.findPerson(gate.listPersons()[0].person.docNumber)->verifiedAt);

    auto twice = mergeFile(office, b->text, kNow);
    REQUIRE(twice);
    CHECK(twice->alreadyImported);
    CHECK(count(officeFile, "entries") == 20);
    CHECK(count(officeFile, "persons") == 20);
    // Imported records are not the office's to export again.
    CHECK(office.pendingCounts().entries == 0);
}

TEST_CASE("a batch never decides which community a database holds", "[batch]")
{
    TempDb gateFile, emptyFile, x999File;
    Store gate = gateFile.open();
    REQUIRE(gate.saveSettings(gateSettings()));
    fillGate(gate, 3, 6, kNow.unixMs);
    std::string good = exportPending(gate, kNow)->text;

    // A database set up for no community takes nothing, not even a genuine batch.
    Store empty = emptyFile.open();
    auto r = mergeFile(empty, good, kNow);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == "batch.no_community");
    CHECK(empty.settings().communityCode.empty());
    CHECK(count(emptyFile, "persons") == 0);

    // A (well-formed) file claiming X999 cannot take a C001 office; genuine C001 batches still merge after it.
    TempDb forgerFile;
    Store forger = forgerFile.open();
    Settings x = gateSettings();
    x.communityCode = "X999";
    REQUIRE(forger.saveSettings(x));
    fillGate(forger, 1, 7, kNow.unixMs);
    std::string claim = exportPending(forger, kNow)->text;
    Store office = officeStore(x999File);
    CHECK(mergeFile(office, claim, kNow).error().code == "batch.other_community");
    CHECK(office.settings().communityCode == "C001");
    auto genuine = mergeFile(office, good, kNow);
    REQUIRE(genuine);
    CHECK(genuine->entriesAdded == 3);
}

TEST_CASE("a batch with times far in the future is refused whole", "[batch]")
{
    const int64_t hour = 3'600'000;
    struct Case {
        const char* what;
        int64_t offset;
        bool verified;
        bool refused;
    };
    // An hour of difference between a gate's clock and the office's is tolerated.
    const Case cases[] = {{"version 50 minutes ahead", 50 * 60'000, false, false},
                          {"version 2 hours ahead", 2 * hour, false, true},
                          {"verified 2 hours ahead", 2 * hour, true, true},
                          {"entry in 2090", 3'800'000'000'000 - kNow.unixMs, false, true}};
    for (const Case& c : cases) {
        INFO(c.what);
        TempDb gateFile, officeFile;
        Store gate = gateFile.open();
        REQUIRE(gate.saveSettings(gateSettings()));
        Person p = validate(PersonGenerator(11).next(), kNow.today()).person;
        int64_t t = kNow.unixMs + c.offset;
        REQUIRE(gate.savePerson(PersonRecord{p, c.verified ? kNow.unixMs : t, c.verified ? std::optional<int64_t>(t) : std::nullopt, "小李"}));
        REQUIRE(gate.addEntry(Entry{newEntryId(), p.docNumber, p.name, p.personType, c.offset > 10 * hour ? t : kNow.unixMs,
                                    Direction::In, 36.5, Verdict::Allow, {}, "北门", "小李"}));
        std::string text = exportPending(gate, kNow)->text;
        Store office = officeStore(officeFile);
        auto r = mergeFile(office, text, kNow);
        if (c.refused) {
            REQUIRE_FALSE(r);
            CHECK(r.error().code == "batch.future");
            CHECK(count(officeFile, "persons") == 0);
            CHECK(count(officeFile, "entries") == 0);
        } else {
            CHECK(r);
        }
    }
}

TEST_CASE("overlapping batches add each entry once", "[batch]")
{
    TempDb aFile, bFile, officeFile;
    Store a = aFile.open();
    REQUIRE(a.saveSettings(gateSettings("北门")));
    fillGate(a, 5, 3, kNow.unixMs);
    auto first = exportPending(a, kNow);
    REQUIRE(first);

    // Gate B received gate A's batch (multi-gate), then exported its own: the
    // office sees A's entries twice, under different checksums.
    Store b = bFile.open();
    REQUIRE(b.saveSettings(gateSettings("南门")));
    REQUIRE(mergeFile(b, first->text, kNow));
    fillGate(b, 2, 4, kNow.unixMs + 10);
    // Re-stamp A's entries as B's pending ones to make an overlapping file.
    REQUIRE(Database::open(bFile.path(), nullptr)->exec("UPDATE entries SET batch_seq = NULL"));
    auto overlap = exportPending(b, kNow);
    REQUIRE(overlap);
    CHECK(overlap->header.entries == 7);

    Store office = officeStore(officeFile);
    REQUIRE(mergeFile(office, first->text, kNow)->entriesAdded == 5);
    auto r = mergeFile(office, overlap->text, kNow);
    REQUIRE(r);
    CHECK_FALSE(r->alreadyImported);
    CHECK(r->entriesAdded == 2);
    CHECK(count(officeFile, "entries") == 7);
}

TEST_CASE("the newer record of a person wins and the conflict is reported", "[batch]")
{
    TempDb aFile, bFile, officeFile;
    Person p = samplePerson();
    Store a = aFile.open();
    REQUIRE(a.saveSettings(gateSettings("北门")));
    REQUIRE(a.savePerson(PersonRecord{p, 1000, std::nullopt, ""}));
    auto older = exportPending(a, kNow);

    Store b = bFile.open();
    REQUIRE(b.saveSettings(gateSettings("南门")));
    Person newer = p;
    newer.symptoms = true;
    REQUIRE(b.savePerson(PersonRecord{newer, 2000, 1500, "老王"}));
    auto newerBatch = exportPending(b, kNow);

    Store office = officeStore(officeFile);
    REQUIRE(mergeFile(office, newerBatch->text, kNow));
    auto r = mergeFile(office, older->text, kNow);
    REQUIRE(r);
    REQUIRE(r->conflicts.size() == 1);
    CHECK(r->conflicts[0].code == "merge.newer_kept");
    CHECK(r->conflicts[0].zh.find("1101**********002X") != std::string::npos); // masked, never the full number
    CHECK(office.findPerson(p.docNumber)->person.symptoms);

    // The other order: the newer arrives second and replaces, keeping the verification.
    TempDb office2File;
    Store office2 = officeStore(office2File);
    REQUIRE(mergeFile(office2, older->text, kNow));
    auto r2 = mergeFile(office2, newerBatch->text, kNow);
    REQUIRE(r2->conflicts.size() == 1);
    CHECK(r2->conflicts[0].code == "merge.newer_incoming");
    CHECK(r2->personsUpdated == 1);
    CHECK(office2.findPerson(p.docNumber)->person.symptoms);
    CHECK(office2.findPerson(p.docNumber)->verifiedBy == "老王");
}

TEST_CASE("a truncated, altered or foreign file is refused whole", "[batch]")
{
    TempDb gateFile, officeFile;
    Store gate = gateFile.open();
    REQUIRE(gate.saveSettings(gateSettings()));
    fillGate(gate, 4, 5, kNow.unixMs);
    std::string good = exportPending(gate, kNow)->text;
    Store office = officeStore(officeFile);

    auto refusedWith = [&](const std::string& text) {
        auto r = mergeFile(office, text, kNow);
        REQUIRE_FALSE(r);
        CHECK(count(officeFile, "entries") == 0);
        CHECK(count(officeFile, "persons") == 0);
        CHECK(count(officeFile, "imports") == 0);
        return r.error().code;
    };

    for (size_t cut : {size_t(0), size_t(10), size_t(17), good.size() / 2, good.size() - 1})
        CHECK_FALSE(refusedWith(good.substr(0, cut)).empty());
    CHECK(refusedWith(good.substr(0, good.size() - 1)) == "batch.damaged");

    std::string tampered = good;
    auto pos = tampered.find("36.");
    REQUIRE(pos != std::string::npos);
    tampered[pos + 1] = '9'; // 36.x → 39.x
    CHECK(refusedWith(tampered) == "batch.damaged");

    CHECK(refusedWith("name,phone\n张三,138\n") == "batch.foreign");
    CHECK(refusedWith(std::string("\x89PNG\r\n", 6)) == "batch.foreign");
    CHECK(refusedWith("GATEPASS-BATCH 4\n{}\n") == "batch.newer_version");
    CHECK(refusedWith("GATEPASS-BATCH 1\nnot json\n") == "batch.damaged");

    // The office of another community refuses it too.
    REQUIRE(office.saveSettings(Settings{"C999", "别的社区", "", "", "", {}}));
    CHECK(refusedWith(good) == "batch.other_community");
}

TEST_CASE("a batch whose entries no gate could have written is refused whole", "[batch]")
{
    // Made with the store's own door (no checks there), exported with a correct
    // checksum: only the office's entry checks stand between it and the merge.
    struct Case {
        const char* what;
        void (*spoil)(Entry&);
    };
    const Case cases[] = {
        {"name of 10,000 characters", [](Entry& e) { e.name = std::string(10'000, 'A'); }},
        {"name with digits", [](Entry& e) { e.name = "张三3"; }},
        {"document number not a document", [](Entry& e) { e.docNumber = "<not validated>"; }},
        {"document number of 31 characters", [](Entry& e) { e.docNumber = std::string(31, '1'); }},
        {"id with a quote", [](Entry& e) { e.id = "a'b"; }},
        {"staff with a control character", [](Entry& e) { e.staff = "小\x1b李"; }},
        {"gate of 201 bytes", [](Entry& e) { e.gate = std::string(201, 'g'); }},
        {"17 reasons", [](Entry& e) { e.reasons.assign(17, Message{"ok", "好", "ok", ""}); }},
    };
    for (const Case& c : cases) {
        INFO(c.what);
        TempDb gateFile, officeFile;
        Store gate = gateFile.open();
        REQUIRE(gate.saveSettings(gateSettings()));
        Person p = validate(PersonGenerator(9).next(), kNow.today()).person;
        REQUIRE(gate.savePerson(PersonRecord{p, kNow.unixMs, kNow.unixMs, "小李"}));
        Entry e{newEntryId(), p.docNumber, p.name, p.personType, kNow.unixMs, Direction::In, 36.5, Verdict::Allow, {}, "北门", "小李"};
        REQUIRE_FALSE(checkEntry(e)); // the unspoilt entry passes
        c.spoil(e);
        REQUIRE(gate.addEntry(e));
        std::string text = exportPending(gate, kNow)->text;

        Store office = officeStore(officeFile);
        auto r = mergeFile(office, text, kNow);
        REQUIRE_FALSE(r);
        CHECK(r.error().code == "batch.invalid_record");
        CHECK(count(officeFile, "entries") == 0);
        CHECK(count(officeFile, "persons") == 0);
        CHECK(count(officeFile, "imports") == 0);
    }
}

TEST_CASE("the CSV opens in spreadsheets: BOM, Chinese, no formulas", "[batch][csv]")
{
    TempDb gateFile;
    Store gate = gateFile.open();
    REQUIRE(gate.saveSettings(gateSettings()));
    Person p = samplePerson();
    p.address = "=HYPERLINK(\"http://evil\")";
    p.employer = "+1 公司";
    REQUIRE(gate.savePerson(PersonRecord{p, 1, 1, "小李"}));
    REQUIRE(gate.addEntry(Entry{"e1", p.docNumber, p.name, p.personType, kNow.unixMs, Direction::In, 36.5, Verdict::Allow, {}, "北门", "@staff"}));
    auto b = exportPending(gate, kNow);
    REQUIRE(b);
    const std::string& csv = b->csv;
    CHECK(csv.starts_with("\xEF\xBB\xBF\"时间\""));
    CHECK(csv.find("\"2026-11-29 10:00\"") != std::string::npos);
    CHECK(csv.find("\"'=HYPERLINK(\"\"http://evil\"\")\"") != std::string::npos);
    CHECK(csv.find("\"'+1 公司\"") != std::string::npos);
    CHECK(csv.find("\"'@staff\"") != std::string::npos);
    CHECK(csv.find("\"11010519491231002X\t\"") != std::string::npos);
    CHECK(csv.find("\"本社区户籍居民\"") != std::string::npos);
    CHECK(csv.find("\r\n") != std::string::npos);
}

TEST_CASE("the persons CSV: the 12 items, when updated and verified; one row a record, numbers kept as text", "[batch][csv]")
{
    Person p = samplePerson();
    p.address = "-1 层";
    Person q = samplePerson();
    q.docType = DocType::Passport;
    q.docNumber = "E12345678";
    q.name = "喆 Zhe";
    const std::vector<PersonRecord> records{{p, kNow.unixMs, kNow.unixMs, "小李"}, {q, kNow.unixMs, std::nullopt, ""}};
    const std::string csv = personsCsv(records, kDefaultUtcOffsetMinutes);
    CHECK(csv.starts_with("\xEF\xBB\xBF\"姓名\""));
    CHECK(csv.find("\"核验人\"\r\n") != std::string::npos);
    CHECK(csv.find("\"11010519491231002X\t\"") != std::string::npos);
    CHECK(csv.find("\"'-1 层\"") != std::string::npos);
    CHECK(csv.find("\"喆 Zhe\"") != std::string::npos);
    CHECK(csv.find("\"2026-11-29 10:00\",\"小李\"") != std::string::npos);
    size_t lines = 0;
    for (size_t at = csv.find("\r\n"); at != std::string::npos; at = csv.find("\r\n", at + 2))
        ++lines;
    CHECK(lines == 3); // the header and two records
}

TEST_CASE("a merge that keeps the local record keeps it pending for export", "[batch]")
{
    TempDb aFile, bFile;
    Person p = samplePerson();
    Store a = aFile.open();
    REQUIRE(a.saveSettings(gateSettings("北门")));
    REQUIRE(a.savePerson(PersonRecord{p, 1000, 900, "老王"})); // older, but verified
    auto older = exportPending(a, kNow);
    REQUIRE(older);

    Store b = bFile.open();
    REQUIRE(b.saveSettings(gateSettings("南门")));
    Person changed = p;
    changed.address = "8-8-808";
    REQUIRE(b.savePerson(PersonRecord{changed, 2000, std::nullopt, ""})); // newer, not yet exported
    auto r = mergeFile(b, older->text, kNow);
    REQUIRE(r);
    CHECK(r->conflicts.size() == 1);
    auto kept = b.findPerson(p.docNumber);
    CHECK(kept->person.address == "8-8-808");
    CHECK(kept->verifiedBy == "老王");          // the verification travels
    CHECK(b.pendingCounts().persons == 1);       // and the local change still leaves with the next batch
}

TEST_CASE("the CSV says what the console says", "[batch][csv][words]")
{
    TempDb gateFile;
    Store gate = gateFile.open();
    REQUIRE(gate.saveSettings(gateSettings()));
    Person p = samplePerson();
    REQUIRE(gate.savePerson(PersonRecord{p, 1, 1, "小李"}));
    REQUIRE(gate.addEntry(Entry{"e1", p.docNumber, p.name, p.personType, kNow.unixMs, Direction::In, 37.9, Verdict::Refer, {}, "北门", "小李"}));
    REQUIRE(gate.addEntry(Entry{"e2", p.docNumber, p.name, p.personType, kNow.unixMs + 1, Direction::Out, std::nullopt, Verdict::Deny, {}, "北门", "小李"}));
    REQUIRE(gate.addEntry(Entry{"e3", "X1234", "王五", PersonType::Visitor, kNow.unixMs + 2, Direction::In, 36.6, Verdict::Allow, {}, "北门", "小李"}));
    auto b = exportPending(gate, kNow);
    REQUIRE(b);
    const std::string& csv = b->csv;
    CHECK(csv.find("\"请工作人员处理\"") != std::string::npos);
    CHECK(csv.find("\"不得进入\"") != std::string::npos);
    CHECK(csv.find("\"通行\"") != std::string::npos);
    CHECK(csv.find("人工核查") == std::string::npos);
    CHECK(csv.find("\"37.9\"") != std::string::npos);
    CHECK(csv.find("\"否\"") != std::string::npos); // a yes/no answer in words
    // Someone this gate does not know: only what the entry says.
    CHECK(csv.find("\"王五\"") != std::string::npos);
}

// Issue 12: a checksum anyone recomputes proves nothing about who made a file.
// The MAC itself needs libsodium, so it is tested with the office
// (tests/office); here, what the core decides without one.
TEST_CASE("an office believes no batch without a gate MAC: format 2 unMACed or format 1, refused whole", "[batch][mac]")
{
    TempDb gateFile, officeFile;
    Store gate = gateFile.open();
    REQUIRE(gate.saveSettings(gateSettings()));
    fillGate(gate, 3, 7, kNow.unixMs);
    std::string text = exportPending(gate, kNow)->text;
    REQUIRE(text.starts_with("GATEPASS-BATCH 2\n"));
    REQUIRE(text.find("\"mac\"") == std::string::npos); // a gate never enrolled has no key

    // The same file as format 1: still read (batch verify, a gate's stored exports) …
    std::string v1 = text;
    v1.replace(0, 16, "GATEPASS-BATCH 1");
    v1.replace(v1.find("\"format\":2"), 10, "\"format\":1");
    auto parsed = parseBatch(v1);
    REQUIRE(parsed);
    CHECK(parsed->format == 1);
    CHECK(parsed->mac.empty());

    // … but an office that knows every gate's key believes neither.
    Store office = officeStore(officeFile);
    const BatchTrust trust{{}, [](std::string_view) { return std::optional<std::string>("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"); }, false};
    for (const std::string& file : {text, v1}) {
        auto r = importBatch(office, file, kNow, trust);
        REQUIRE_FALSE(r);
        CHECK(r.error().code == "batch.unauthenticated");
        CHECK_FALSE(r.error().zh.empty());
        CHECK_FALSE(r.error().en.empty());
    }
    CHECK(count(officeFile, "persons") == 0);
    CHECK(count(officeFile, "entries") == 0);
    CHECK(count(officeFile, "imports") == 0);
}

TEST_CASE("a MAC member must be the header's last and only one: anything else is damage", "[batch][mac]")
{
    TempDb gateFile;
    Store gate = gateFile.open();
    REQUIRE(gate.saveSettings(gateSettings()));
    fillGate(gate, 1, 8, kNow.unixMs);
    std::string text = exportPending(gate, kNow)->text;
    size_t close = text.find("}\n", text.find('\n') + 1);
    std::string fake = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

    std::string last = text;
    last.insert(close, ",\"mac\":\"" + fake + "\"");
    auto p = parseBatch(last);
    REQUIRE(p);
    CHECK(p->mac == fake);
    CHECK(p->signedHeader.find("mac") == std::string::npos);

    std::string first = text;
    first.insert(text.find('{') + 1, "\"mac\":\"" + fake + "\",");
    CHECK(parseBatch(first).error().code == "batch.damaged");
    std::string twice = last;
    twice.insert(text.find('{') + 1, "\"mac\":\"" + fake + "\",");
    CHECK(parseBatch(twice).error().code == "batch.damaged");
    std::string quoted = text;
    quoted.insert(close, ",\"mac\":\"A\\\"B\"");
    CHECK(parseBatch(quoted).error().code == "batch.damaged");
}

TEST_CASE("an enrolled gate never writes an unauthenticated batch: without its MAC function, nothing is exported", "[batch][mac]")
{
    TempDb gateFile;
    Store gate = gateFile.open();
    Settings s = gateSettings();
    s.gateKey = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    REQUIRE(gate.saveSettings(s));
    fillGate(gate, 2, 9, kNow.unixMs);
    auto b = exportPending(gate, kNow); // no PassCrypto: the worker's libsodium did not load
    REQUIRE_FALSE(b);
    CHECK(b.error().code == "crypto.unavailable");
    CHECK(gate.pendingCounts().entries == 2);
    CHECK(gate.listExports().empty());
}

TEST_CASE("a console takes another gate's batch, which it cannot authenticate, without its verifications", "[batch][mac][api]")
{
    TempDb northFile, southFile;
    Store north = northFile.open();
    REQUIRE(north.saveSettings(gateSettings("北门")));
    fillGate(north, 2, 10, kNow.unixMs); // verified by 小李 at the north gate
    std::string text = exportPending(north, kNow)->text;
    auto parsed = parseBatch(text);
    REQUIRE(parsed);
    REQUIRE(parsed->persons.front().verifiedAt);

    Store south = southFile.open();
    REQUIRE(south.saveSettings(gateSettings("南门")));
    Api api(std::move(south));
    json r = call(api, {{"op", "batch.import"}, {"text", text}}, kNow.unixMs);
    REQUIRE(r["ok"] == true);
    CHECK(r["added_persons"] == 2);
    json got = call(api, {{"op", "person.get"}, {"doc_number", parsed->persons.front().person.docNumber}}, kNow.unixMs);
    REQUIRE(got["ok"] == true);
    CHECK_FALSE(got["record"].contains("verified_at"));
    CHECK(got["record"].value("verified_by", "") == "");
}
