// The gate's database sealed at rest behind the lock (SealedGate.h), with
// libsodium natively as the browser worker does with libsodium.js: first
// start, lock and unlock, wrong PINs counted in the ring, a plain database
// from before moved in, a missing ring a lock-out, a damaged sealed file set
// aside (never after a wrong PIN), recovery applying the enrollment.
#ifdef GATEPASS_WITH_SODIUM

#include "Fixtures.h"

#include "AtRestCrypto.h"
#include "Base64Url.h"
#include "KeyPair.h"
#include "PersonJson.h"
#include "SealedGate.h"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <iterator>

using namespace gatepass;
using namespace gatepass::test;
using nlohmann::json;

namespace {

struct Files {
    TempDb base;
    std::string sealed = base.path() + ".sealed", plain = base.path(), keys = base.path() + ".keys";
    ~Files()
    {
        std::error_code ec;
        for (const auto& p : {sealed, keys, KeyRing::copyPath(keys)})
            for (const char* suffix : {"", "-journal"})
                std::filesystem::remove(p + suffix, ec);
    }
};

SealedGateHost host(int64_t* clock)
{
    SealedGateHost h;
    h.aead = crypto::pageAead();
    h.ring = crypto::keyRingCrypto();
    h.lock.kdf = h.ring.kdf;
    h.lock.opslimit = 1; // libsodium's minimum: the tests test the lifecycle, not the KDF's cost
    h.lock.memlimit = 8192;
    h.lock.clock = [clock] { return *clock; };
    h.crypto = h.ring.box;
    return h;
}

std::unique_ptr<SealedGate> openGate(const Files& f, int64_t* clock)
{
    auto g = SealedGate::open(SealedGateFiles{f.sealed, f.plain, f.keys, ""}, host(clock));
    if (!g)
        FAIL(g.error().en);
    return std::move(*g);
}

json call(SealedGate& g, json req)
{
    req["now"] = kNow.unixMs;
    req["tz"] = kNow.utcOffsetMinutes;
    return json::parse(g.call(req.dump()));
}

/// A sealed gate made in `f` with the PIN 246813 and samplePerson() saved, then closed.
void makeGateWithOnePerson(const Files& f, int64_t* clock)
{
    auto g = openGate(f, clock);
    REQUIRE(call(*g, {{"op", "lock.set_pin"}, {"pin", "246813"}})["ok"] == true);
    REQUIRE(call(*g, {{"op", "person.save"}, {"person", toJson(samplePerson())}})["ok"] == true);
}

std::string code(const json& reply) { return reply.value("error", json::object()).value("code", ""); }

bool fileHas(const std::string& path, const std::string& needle)
{
    std::ifstream in(path, std::ios::binary);
    std::string raw(std::istreambuf_iterator<char>(in), {});
    return raw.find(needle) != std::string::npos;
}

std::string readAll(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

// Bytes changed in the middle of page `page` (as a disk, or a person with an editor, would).
void damagePage(const std::string& path, int page)
{
    std::fstream io(path, std::ios::in | std::ios::out | std::ios::binary);
    io.seekp(std::streamoff(page) * kAtRestPageSize + 1000);
    io.write("\x13\x37\x13\x37", 4);
}

// An enrollment as the office's code carries it, with a real community key pair
// (the ring seals the data key to its public half).
std::string enrollmentJson(const crypto::BoxKeyPair& k, const std::string& uploadUrl)
{
    return json{{"v", 1},
                {"community", {{"code", "C001"}, {"name", "八角路社区"}}},
                {"site", "https://bajiao.example.org/"},
                {"gate", "北门"},
                {"keys", json::array({{{"id", "a1b2c3d4"}, {"secret_key", crypto::toBase64Url(k.secretKey)}, {"public_key", crypto::toBase64Url(k.publicKey)}}})},
                {"gate_key", crypto::toBase64Url(k.publicKey)},
                {"upload_url", uploadUrl},
                {"token", "t0k3n-from-the-office"},
                {"retention_days", 21}}
        .dump();
}

} // namespace

TEST_CASE("sealed gate: first start, lock, wrong and right PIN; the ID number is in no file", "[atrest][sealedgate]")
{
    Files f;
    int64_t now = kNow.unixMs;
    const std::string doc = samplePerson().docNumber;
    {
        auto g = openGate(f, &now);
        json s = call(*g, {{"op", "lock.status"}});
        CHECK(s["state"] == "new");
        CHECK(code(call(*g, {{"op", "person.list"}})) == "lock.locked");
        CHECK(call(*g, {{"op", "lock.pin_check"}, {"pin", "246813"}})["ok"] == true);
        REQUIRE(call(*g, {{"op", "lock.set_pin"}, {"pin", "246813"}})["locked"] == false);
        REQUIRE(call(*g, {{"op", "person.save"}, {"person", toJson(samplePerson())}})["ok"] == true);
        CHECK(call(*g, {{"op", "lock.lock"}})["locked"] == true);
        CHECK(!g->unlocked());
        CHECK(code(call(*g, {{"op", "person.get"}, {"doc_number", doc}})) == "lock.locked");
        CHECK(code(call(*g, {{"op", "lock.set_pin"}, {"pin", "111111"}})) == "lock.locked");
    }
    CHECK(!fileHas(f.sealed, doc));
    CHECK(!fileHas(f.sealed, "SQLite format 3"));
    CHECK(!fileHas(f.keys, doc));
    auto g = openGate(f, &now);
    CHECK(call(*g, {{"op", "lock.status"}})["state"] == "set");
    for (int i = 0; i < 3; ++i)
        CHECK(code(call(*g, {{"op", "lock.unlock"}, {"pin", "999999"}})) == "lock.wrong_pin");
    CHECK(code(call(*g, {{"op", "lock.unlock"}, {"pin", "246813"}})) == "lock.wait"); // the third wrong one waits
    CHECK(call(*g, {{"op", "lock.status"}})["failures"] == 3);
    now += 5'000;
    REQUIRE(call(*g, {{"op", "lock.unlock"}, {"pin", "246813"}})["locked"] == false);
    CHECK(call(*g, {{"op", "lock.status"}})["failures"] == 0);
    CHECK(call(*g, {{"op", "person.get"}, {"doc_number", doc}})["ok"] == true);
    // A change of PIN while unlocked keeps the data under the same key.
    REQUIRE(call(*g, {{"op", "lock.set_pin"}, {"pin", "13579135"}})["ok"] == true);
    call(*g, {{"op", "lock.lock"}});
    CHECK(code(call(*g, {{"op", "lock.unlock"}, {"pin", "246813"}})) == "lock.wrong_pin");
    REQUIRE(call(*g, {{"op", "lock.unlock"}, {"pin", "13579135"}})["locked"] == false);
    CHECK(call(*g, {{"op", "person.get"}, {"doc_number", doc}})["ok"] == true);
}

TEST_CASE("sealed gate: a plain database from before is moved in at the first unlock with its own PIN", "[atrest][sealedgate]")
{
    Files f;
    int64_t now = kNow.unixMs;
    const std::string doc = samplePerson().docNumber;
    {
        Api plain(f.base.open(), PassCrypto{}, host(&now).lock);
        REQUIRE(test::call(plain, {{"op", "lock.set_pin"}, {"pin", "246813"}})["ok"] == true);
        REQUIRE(test::call(plain, {{"op", "person.save"}, {"person", toJson(samplePerson())}})["ok"] == true);
    }
    REQUIRE(fileHas(f.plain, doc));
    auto g = openGate(f, &now);
    CHECK(call(*g, {{"op", "lock.status"}})["state"] == "set");
    CHECK(code(call(*g, {{"op", "lock.unlock"}, {"pin", "999999"}})) == "lock.wrong_pin");
    REQUIRE(call(*g, {{"op", "lock.unlock"}, {"pin", "246813"}})["locked"] == false);
    CHECK(call(*g, {{"op", "person.get"}, {"doc_number", doc}})["ok"] == true);
    g.reset();
    CHECK(!fileHas(f.plain, doc)); // removed (or emptied) once the sealed copy verified
    CHECK(!fileHas(f.sealed, doc));
    g = openGate(f, &now);
    REQUIRE(call(*g, {{"op", "lock.unlock"}, {"pin", "246813"}})["locked"] == false);
    CHECK(call(*g, {{"op", "person.get"}, {"doc_number", doc}})["ok"] == true);
}

TEST_CASE("sealed gate: no key ring (neither copy) beside a sealed database is a lock-out, never a first start", "[atrest][sealedgate]")
{
    Files f;
    int64_t now = kNow.unixMs;
    makeGateWithOnePerson(f, &now);
    std::filesystem::remove(f.keys);
    std::filesystem::remove(KeyRing::copyPath(f.keys));
    auto g = openGate(f, &now);
    json s = call(*g, {{"op", "lock.status"}});
    CHECK(s["state"] == "lockout");
    CHECK(code(call(*g, {{"op", "lock.set_pin"}, {"pin", "246813"}})) == "lock.lockout");
    CHECK(code(call(*g, {{"op", "lock.unlock"}, {"pin", "246813"}})) == "lock.lockout");
}

TEST_CASE("sealed gate: gate.keys lost, its second copy opens the data with the same PIN", "[atrest][sealedgate]")
{
    Files f;
    int64_t now = kNow.unixMs;
    makeGateWithOnePerson(f, &now);
    std::filesystem::remove(f.keys);
    auto g = openGate(f, &now);
    CHECK(call(*g, {{"op", "lock.status"}})["state"] == "set");
    REQUIRE(call(*g, {{"op", "lock.unlock"}, {"pin", "246813"}})["locked"] == false);
    CHECK(call(*g, {{"op", "person.get"}, {"doc_number", samplePerson().docNumber}})["ok"] == true);
}

TEST_CASE("sealed gate: a damaged sealed file is set aside with the right PIN, never with a wrong one", "[atrest][sealedgate]")
{
    Files f;
    int64_t now = kNow.unixMs;
    {
        auto g = openGate(f, &now);
        REQUIRE(call(*g, {{"op", "lock.set_pin"}, {"pin", "246813"}})["ok"] == true);
        PersonGenerator people(13);
        for (int i = 0; i < 60; ++i) // a few pages, so the damage is in one the open does not need
            REQUIRE(call(*g, {{"op", "person.save"}, {"person", toJson(people.next())}})["ok"] == true);
    }
    std::error_code ec;
    REQUIRE(std::filesystem::file_size(f.sealed, ec) > 3 * kAtRestPageSize);
    damagePage(f.sealed, 2);
    const std::string damagedBytes = readAll(f.sealed);

    auto g = openGate(f, &now);
    // A wrong PIN reads nothing and moves nothing.
    json wrong = call(*g, {{"op", "lock.unlock"}, {"pin", "999999"}});
    CHECK(code(wrong) == "lock.wrong_pin");
    CHECK(!wrong.contains("set_aside"));
    CHECK(readAll(f.sealed) == damagedBytes);
    now += 5'000;

    // The right PIN: the core asks for the file to be set aside, and opens nothing meanwhile.
    json asked = call(*g, {{"op", "lock.unlock"}, {"pin", "246813"}});
    INFO(asked.dump());
    CHECK(code(asked) == "storage.damaged");
    REQUIRE(asked["set_aside"] == f.sealed);
    CHECK(!g->unlocked());
    CHECK(code(call(*g, {{"op", "person.list"}})) == "lock.locked");
    CHECK(readAll(f.sealed) == damagedBytes);

    // A host that could not move it: nothing opened, nothing changed, and the next unlock asks again.
    CHECK(json::parse(g->setAside(std::nullopt))["error"]["code"] == "storage.set_aside");
    CHECK(!g->unlocked());
    CHECK(readAll(f.sealed) == damagedBytes);
    REQUIRE(call(*g, {{"op", "lock.unlock"}, {"pin", "246813"}})["set_aside"] == f.sealed);
    // Nor is a new database started over a file still in place.
    CHECK(json::parse(g->setAside("quarantine/x"))["error"]["code"] == "storage.set_aside");
    CHECK(readAll(f.sealed) == damagedBytes);

    // Moved aside (as the browser worker does, into quarantine/): a new sealed database, the same PIN.
    REQUIRE(call(*g, {{"op", "lock.unlock"}, {"pin", "246813"}})["set_aside"] == f.sealed);
    const std::string kept = f.base.path() + ".aside";
    std::filesystem::rename(f.sealed, kept);
    json opened = json::parse(g->setAside("quarantine/gate.sealed.2026-12-05T03-00-00-000Z"));
    INFO(opened.dump());
    REQUIRE(opened["ok"] == true);
    CHECK(opened["locked"] == false);
    CHECK(opened["quarantined"]["code"] == "storage.quarantined");
    CHECK(opened["quarantined"]["zh"].get<std::string>().find("quarantine/gate.sealed.2026-12-05T03-00-00-000Z") != std::string::npos);
    CHECK(opened["quarantined"]["en"].get<std::string>().find("quarantine/gate.sealed.2026-12-05T03-00-00-000Z") != std::string::npos);
    CHECK(call(*g, {{"op", "lock.status"}})["quarantined"]["code"] == "storage.quarantined");
    CHECK(call(*g, {{"op", "person.list"}})["records"].size() == 0);
    REQUIRE(call(*g, {{"op", "person.save"}, {"person", toJson(samplePerson())}})["ok"] == true);
    CHECK(readAll(kept) == damagedBytes); // kept, byte for byte
    CHECK(!call(*g, {{"op", "lock.lock"}}).contains("quarantined"));
    g.reset();

    // The new database is sealed under the same ring: the PIN opens it, healthy, after a restart.
    g = openGate(f, &now);
    json again = call(*g, {{"op", "lock.unlock"}, {"pin", "246813"}});
    INFO(again.dump());
    REQUIRE(again["locked"] == false);
    CHECK(!again.contains("quarantined"));
    CHECK(call(*g, {{"op", "person.get"}, {"doc_number", samplePerson().docNumber}})["ok"] == true);
    CHECK(!fileHas(f.sealed, samplePerson().docNumber));
    std::filesystem::remove(kept, ec);
}

TEST_CASE("sealed gate: recovery with the enrollment code applies the code's settings, as at enrollment", "[atrest][sealedgate][enroll]")
{
    Files f;
    int64_t now = kNow.unixMs;
    auto community = crypto::newBoxKeyPair();
    const std::string enrollment = enrollmentJson(community, "https://office.bajiao.example.org/api/upload");
    {
        auto g = openGate(f, &now);
        REQUIRE(call(*g, {{"op", "lock.set_pin"}, {"pin", "246813"}})["ok"] == true);
        REQUIRE(call(*g, {{"op", "gate.enroll"}, {"enrollment", enrollment}})["ok"] == true);
        REQUIRE(call(*g, {{"op", "person.save"}, {"person", toJson(samplePerson())}})["ok"] == true);
        // Changed at the gate since: what the office's code says is what recovery restores.
        json changed = call(*g, {{"op", "settings.set"},
                                 {"settings", {{"gate_name", "南门"}, {"upload_url", "https://elsewhere.example.org/api/upload"},
                                               {"upload_token", ""}, {"retention_days", 60}, {"community_name", "别处"}}}});
        REQUIRE(changed["ok"] == true);
        REQUIRE(changed["settings"]["gate_name"] == "南门");
    }
    { // The PIN record removed: a lock-out.
        auto raw = Database::open(f.keys, nullptr);
        REQUIRE(raw->exec("UPDATE ring SET pin = NULL"));
    }
    auto g = openGate(f, &now);
    REQUIRE(call(*g, {{"op", "lock.status"}})["state"] == "lockout");
    auto other = crypto::newBoxKeyPair();
    CHECK(code(call(*g, {{"op", "lock.recover"}, {"pin", "135790"}, {"enrollment", enrollmentJson(other, "https://x.example.org/")}})) ==
          "lock.recover_other");
    json r = call(*g, {{"op", "lock.recover"}, {"pin", "135790"}, {"enrollment", enrollment}});
    INFO(r.dump());
    REQUIRE(r["ok"] == true);
    CHECK(r["locked"] == false);
    json s = call(*g, {{"op", "settings.get"}});
    CHECK(s["settings"]["community_code"] == "C001");
    CHECK(s["settings"]["community_name"] == "八角路社区");
    CHECK(s["settings"]["gate_name"] == "北门");
    CHECK(s["settings"]["site"] == "https://bajiao.example.org/");
    CHECK(s["settings"]["upload_url"] == "https://office.bajiao.example.org/api/upload");
    CHECK(s["upload_token_set"] == true);
    CHECK(s["gate_key_set"] == true);
    CHECK(s["settings"]["retention_days"] == 21);
    CHECK(call(*g, {{"op", "person.list"}})["records"].size() == 1); // the data kept
    // The new PIN holds after a restart.
    g.reset();
    g = openGate(f, &now);
    CHECK(call(*g, {{"op", "lock.unlock"}, {"pin", "135790"}})["locked"] == false);
}

#endif // GATEPASS_WITH_SODIUM
