// The gate's database sealed at rest behind the lock (SealedGate.h), with
// libsodium natively as the browser worker does with libsodium.js: first
// start, lock and unlock, wrong PINs counted in the ring, a plain database
// from before moved in, a missing ring a lock-out.
#ifdef GATEPASS_WITH_SODIUM

#include "Fixtures.h"

#include "AtRestCrypto.h"
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

std::string code(const json& reply) { return reply.value("error", json::object()).value("code", ""); }

bool fileHas(const std::string& path, const std::string& needle)
{
    std::ifstream in(path, std::ios::binary);
    std::string raw(std::istreambuf_iterator<char>(in), {});
    return raw.find(needle) != std::string::npos;
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
    {
        auto g = openGate(f, &now);
        REQUIRE(call(*g, {{"op", "lock.set_pin"}, {"pin", "246813"}})["ok"] == true);
        REQUIRE(call(*g, {{"op", "person.save"}, {"person", toJson(samplePerson())}})["ok"] == true);
    }
    std::filesystem::remove(f.keys);
    std::filesystem::remove(KeyRing::copyPath(f.keys));
    auto g = openGate(f, &now);
    json s = call(*g, {{"op", "lock.status"}});
    CHECK(s["state"] == "lockout");
    CHECK(code(call(*g, {{"op", "lock.set_pin"}, {"pin", "246813"}})) == "lock.lockout");
    CHECK(code(call(*g, {{"op", "lock.unlock"}, {"pin", "246813"}})) == "lock.lockout");
}

#endif // GATEPASS_WITH_SODIUM
