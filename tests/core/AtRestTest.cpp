// The gate's database sealed at rest (AtRestVfs.h) over the default VFS,
// with libsodium's XChaCha20-Poly1305: natively only (the wasm build of the
// tests has no libsodium; the browser tests run the shim over OPFS).
#ifdef GATEPASS_WITH_SODIUM

#include "Fixtures.h"

#include "AtRestCrypto.h"
#include "AtRestMigration.h"
#include "AtRestVfs.h"

#include <catch2/catch.hpp>

#include <fstream>
#include <iterator>

using namespace gatepass;
using namespace gatepass::test;

namespace {

DataKey keyOf(uint8_t seed)
{
    DataKey k{};
    for (size_t i = 0; i < k.size(); ++i)
        k[i] = uint8_t(seed * 31 + i);
    return k;
}

std::unique_ptr<AtRestVfs> shimWith(const DataKey& key)
{
    auto v = AtRestVfs::create(nullptr, crypto::pageAead(), key);
    REQUIRE(v);
    return std::move(*v);
}

Store openSealed(const std::string& path, const AtRestVfs& vfs)
{
    auto s = Store::openSealed(path, vfs);
    if (!s)
        FAIL(s.error().code + ": " + s.error().en);
    return std::move(*s);
}

std::string bytesOf(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

void writeBytes(const std::string& path, const std::string& bytes)
{
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), std::streamsize(bytes.size()));
}

PersonRecord recordOf(const Person& p) { return PersonRecord{p, kNow.unixMs, std::nullopt, {}}; }

} // namespace

TEST_CASE("atrest: a sealed database reads back, and no ID number, phone or SQLite header is in the file", "[atrest]")
{
    TempDb file;
    Person p = samplePerson();
    {
        auto vfs = shimWith(keyOf(1));
        Store s = openSealed(file.path(), *vfs);
        REQUIRE(s.savePerson(recordOf(p)));
        CHECK(s.integrityCheck() == "ok");
        CHECK(vfs->counters().sealed > 0);
    }
    std::string raw = bytesOf(file.path());
    REQUIRE(raw.size() % kAtRestPageSize == 0);
    CHECK(raw.find(p.docNumber) == std::string::npos);
    CHECK(raw.find(p.phone) == std::string::npos);
    CHECK(raw.find("persons") == std::string::npos);
    CHECK(raw.find("SQLite format 3") == std::string::npos);

    auto vfs = shimWith(keyOf(1));
    Store s = openSealed(file.path(), *vfs);
    CHECK(s.schemaVersion() == kSchemaVersion);
    auto back = s.findPerson(p.docNumber);
    REQUIRE(back);
    CHECK(back->person.phone == p.phone);
    CHECK(s.integrityCheck() == "ok");
}

TEST_CASE("atrest: the wrong key opens nothing: storage.tampered", "[atrest]")
{
    TempDb file;
    {
        auto vfs = shimWith(keyOf(1));
        Store s = openSealed(file.path(), *vfs);
        REQUIRE(s.savePerson(recordOf(samplePerson())));
    }
    auto other = shimWith(keyOf(2));
    auto s = Store::openSealed(file.path(), *other);
    REQUIRE(!s);
    CHECK(s.error().code == "storage.tampered");
    CHECK(s.error().zh != "");
    CHECK(other->counters().refused > 0);
    // Nor does the plain VFS read it as a database.
    CHECK(!Store::checkFile(file.path()).ok);
}

TEST_CASE("atrest: one changed byte, or two pages swapped, is refused as storage.tampered", "[atrest]")
{
    TempDb file;
    PersonGenerator gen(7);
    {
        auto vfs = shimWith(keyOf(1));
        Store s = openSealed(file.path(), *vfs);
        auto t = s.transaction();
        for (int i = 0; i < 200; ++i)
            REQUIRE(s.savePerson(recordOf(gen.next())));
        REQUIRE(t.commit());
    }
    const std::string good = bytesOf(file.path());
    const size_t pages = good.size() / kAtRestPageSize;
    REQUIRE(pages > 8);
    auto checkWith = [&](const std::string& bytes) {
        writeBytes(file.path(), bytes);
        auto vfs = shimWith(keyOf(1));
        return Store::checkFile(file.path(), vfs->name());
    };
    SECTION("untouched: ok")
    {
        CHECK(checkWith(good).ok);
    }
    SECTION("a byte of the last page's body")
    {
        std::string bad = good;
        bad[(pages - 1) * kAtRestPageSize + 100] ^= 1;
        FileCheck c = checkWith(bad);
        CHECK(!c.ok);
        CHECK(c.rc == SQLITE_IOERR_AUTH);
        CHECK(!c.corrupt); // never quarantined as if damaged: it may be the wrong key
    }
    SECTION("a byte of a tag")
    {
        std::string bad = good;
        bad[3 * kAtRestPageSize - 1] ^= 0x80;
        CHECK(checkWith(bad).rc == SQLITE_IOERR_AUTH);
    }
    SECTION("pages 3 and 4 swapped, each intact")
    {
        std::string bad = good;
        std::swap_ranges(bad.begin() + 2 * kAtRestPageSize, bad.begin() + 3 * kAtRestPageSize, bad.begin() + 3 * kAtRestPageSize);
        CHECK(checkWith(bad).rc == SQLITE_IOERR_AUTH);
    }
    SECTION("page 1 changed: the Store does not open")
    {
        std::string bad = good;
        bad[30] ^= 4;
        writeBytes(file.path(), bad);
        auto vfs = shimWith(keyOf(1));
        auto s = Store::openSealed(file.path(), *vfs);
        REQUIRE(!s);
        CHECK(s.error().code == "storage.tampered");
    }
}

TEST_CASE("atrest: a database without room for nonce and tag is never written through the shim", "[atrest]")
{
    TempDb file;
    auto vfs = shimWith(keyOf(1));
    // Store::open (not openSealed) asks for no reserved bytes: page 1 is refused.
    auto s = Store::open(file.path(), vfs->name());
    CHECK(!s);
    CHECK(vfs->counters().sealed == 0);
}

TEST_CASE("atrest: a crash mid-transaction is rolled back from the sealed journal", "[atrest]")
{
    TempDb file, crashed;
    PersonGenerator gen(11);
    auto vfs = shimWith(keyOf(1));
    Store s = openSealed(file.path(), *vfs);
    std::vector<std::string> numbers;
    for (int i = 0; i < 50; ++i) {
        Person p = gen.next();
        numbers.push_back(p.docNumber);
        REQUIRE(s.savePerson(recordOf(p)));
    }
    const std::string before = bytesOf(file.path());
    std::string midwayBytes, journalBytes;
    {
        // A small cache spills changed pages into the file before the commit:
        // the state a power cut leaves, with the journal holding the old pages.
        REQUIRE(s.connection().exec("PRAGMA cache_size=2"));
        auto t = s.transaction();
        for (int i = 0; i < 300; ++i)
            REQUIRE(s.savePerson(recordOf(gen.next())));
        const std::string journal = bytesOf(file.path() + "-journal");
        const std::string midway = bytesOf(file.path());
        REQUIRE(journal.size() > size_t(kAtRestPageSize));
        REQUIRE(midway != before); // pages were overwritten in place
        // The journal holds the old copies of the pages those persons live on.
        for (const auto& n : numbers)
            CHECK(journal.find(n) == std::string::npos);
        midwayBytes = midway;
        journalBytes = journal;
        // The transaction is rolled back here; the copies are what a crash left.
    }
    SECTION("the old pages come back from the journal")
    {
        writeBytes(crashed.path(), midwayBytes);
        writeBytes(crashed.path() + "-journal", journalBytes);
        auto again = shimWith(keyOf(1));
        Store r = openSealed(crashed.path(), *again);
        CHECK(r.listPersons().size() == 50);
        CHECK(r.integrityCheck() == "ok");
        CHECK(again->counters().refused == 0);
    }
    SECTION("a changed page in the journal is refused, not played back")
    {
        // The first record's page: after the header (one sector) and its 4-byte page number.
        std::string bad = journalBytes;
        bad[512 + 4 + 1000] ^= 1;
        writeBytes(crashed.path(), midwayBytes);
        writeBytes(crashed.path() + "-journal", bad);
        auto again = shimWith(keyOf(1));
        auto r = Store::openSealed(crashed.path(), *again);
        REQUIRE(!r);
        CHECK(r.error().code == "storage.tampered");
    }
}

TEST_CASE("atrest: a write costs a bounded number of page decryptions, whatever the table's size", "[atrest]")
{
    TempDb file;
    PersonGenerator gen(3);
    {
        auto vfs = shimWith(keyOf(1));
        Store s = openSealed(file.path(), *vfs);
        auto t = s.transaction();
        for (int i = 0; i < 3000; ++i)
            REQUIRE(s.savePerson(recordOf(gen.next())));
        REQUIRE(t.commit());
    }
    REQUIRE(bytesOf(file.path()).size() > 250 * size_t(kAtRestPageSize));
    auto vfs = shimWith(keyOf(1));
    Store s = openSealed(file.path(), *vfs);
    auto write = [&] {
        REQUIRE(s.savePerson(recordOf(gen.next())));
        Entry e;
        e.id = newEntryId();
        e.docNumber = samplePerson().docNumber;
        e.name = "x";
        e.atMs = kNow.unixMs;
        REQUIRE(s.addEntry(e));
        (void)s.pendingCounts(); // what each entry.record reply counts
    };
    auto opened = [&] { return vfs->counters().opened; };
    uint64_t start = opened();
    write(); // cold: the paths from the roots down
    uint64_t cold = opened() - start;
    INFO("cold write opened " << cold << " pages");
    CHECK(cold < 60);
    start = opened();
    write();
    uint64_t warm = opened() - start;
    INFO("warm write opened " << warm << " pages");
    CHECK(warm <= 2); // page 1 is not opened again when unchanged
}

TEST_CASE("atrest: a plain database is moved into a sealed one; a crash between steps loses nothing", "[atrest]")
{
    TempDb plain, sealed;
    PersonGenerator gen(5);
    std::vector<std::string> numbers;
    {
        Store s = plain.open();
        for (int i = 0; i < 100; ++i) {
            Person p = gen.next();
            numbers.push_back(p.docNumber);
            REQUIRE(s.savePerson(recordOf(p)));
        }
        Entry e;
        e.id = newEntryId();
        e.docNumber = numbers[0];
        e.name = "x";
        e.atMs = kNow.unixMs;
        REQUIRE(s.addEntry(e));
        REQUIRE(s.setSetting("gate_name", "东门"));
    }
    auto vfs = shimWith(keyOf(1));
    auto exists = [](const std::string& p) { return std::filesystem::exists(p) && std::filesystem::file_size(p) > 0; };
    auto plainIntact = [&] {
        Store s = plain.open();
        CHECK(s.listPersons().size() == 100);
    };

    SECTION("no crash: the plain file is gone, every row is in the sealed one")
    {
        auto r = migrateToSealed(plain.path(), nullptr, sealed.path(), *vfs);
        REQUIRE(r);
        CHECK(r->migrated);
        CHECK(r->rows >= 102);
        CHECK(!exists(plain.path()));
        // Twice is once: nothing more to do.
        auto again = migrateToSealed(plain.path(), nullptr, sealed.path(), *vfs);
        REQUIRE(again);
        CHECK(!again->migrated);
    }
    SECTION("stopped after the copy, the copy then cut short: the next attempt copies again")
    {
        auto r = migrateToSealed(plain.path(), nullptr, sealed.path(), *vfs, [](MigrationStep s) { return s != MigrationStep::Copied; });
        REQUIRE(!r);
        plainIntact();
        std::filesystem::resize_file(sealed.path(), std::filesystem::file_size(sealed.path()) / 2);
        auto resumed = migrateToSealed(plain.path(), nullptr, sealed.path(), *vfs);
        REQUIRE(resumed);
        CHECK(resumed->migrated);
        CHECK(!exists(plain.path()));
    }
    SECTION("stopped after the verification: the next attempt keeps the copy and deletes the plain file")
    {
        auto r = migrateToSealed(plain.path(), nullptr, sealed.path(), *vfs, [](MigrationStep s) { return s != MigrationStep::Verified; });
        REQUIRE(!r);
        plainIntact();
        uint64_t sealedBefore = vfs->counters().sealed;
        auto resumed = migrateToSealed(plain.path(), nullptr, sealed.path(), *vfs);
        REQUIRE(resumed);
        CHECK(resumed->migrated);
        CHECK(vfs->counters().sealed - sealedBefore < 5); // verified, not copied again
        CHECK(!exists(plain.path()));
    }
    auto again = shimWith(keyOf(1));
    Store s = openSealed(sealed.path(), *again);
    CHECK(s.schemaVersion() == kSchemaVersion);
    CHECK(s.listPersons().size() == 100);
    CHECK(s.entriesOf(numbers[0]).size() == 1);
    CHECK(s.setting("gate_name") == "东门");
    CHECK(s.integrityCheck() == "ok");
    std::string raw = bytesOf(sealed.path());
    for (const auto& n : numbers)
        CHECK(raw.find(n) == std::string::npos);
}

#endif
