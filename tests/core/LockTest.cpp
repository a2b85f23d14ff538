// The staff lock through the Api, as the gate's worker drives it. The KDF is
// the face's (libsodium's Argon2id; the browser tests use the real one): here
// a SHA-256 of salt and PIN stands in, so the rules — form, waits, lock-out,
// refusal of everything while locked — are tested in both builds.
#include "Fixtures.h"

#include "Base64.h"
#include "Digest.h"

#include <catch2/catch.hpp>

using namespace gatepass;
using namespace gatepass::test;
using nlohmann::json;

namespace {

struct FakeTime {
    int64_t ms = kNow.unixMs;
};

LockOptions testLock(FakeTime& t, int* kdfCalls = nullptr)
{
    LockOptions o;
    static int salt = 0;
    o.kdf.randomHex = [](size_t n) {
        std::string s = *sha256Hex(std::to_string(++salt));
        return s.substr(0, 2 * n);
    };
    o.kdf.argon2id = [kdfCalls](std::string_view pin, std::string_view salt, uint64_t ops, uint64_t mem) {
        if (kdfCalls)
            ++*kdfCalls;
        return *sha256Hex(std::string(salt) + "|" + std::string(pin) + "|" + std::to_string(ops) + "|" + std::to_string(mem));
    };
    o.clock = [&t] { return t.ms; };
    return o;
}

std::string code(const json& reply) { return reply.value("error", json::object()).value("code", ""); }

} // namespace

TEST_CASE("lock: a new database asks for a PIN; until then and while locked nothing else is answered", "[lock]")
{
    TempDb file;
    FakeTime t;
    Api api(file.open(), {}, testLock(t));
    json s = call(api, {{"op", "lock.status"}});
    CHECK(s["locked"] == true);
    CHECK(s["state"] == "new");
    CHECK(s["min_digits"] == 6);
    for (std::string op : {"person.list", "settings.get", "settings.set", "search", "batch.export", "stats", "fields", "info"}) {
        json r = call(api, {{"op", op}, {"settings", {{"upload_url", "https://evil.example"}}}});
        CHECK(r["ok"] == false);
        CHECK(code(r) == "lock.locked");
        CHECK(r["error"]["zh"] != "");
        CHECK(r["error"]["en"] != "");
    }
    // Too short, letters, too long: refused with the core's words, nothing stored.
    for (std::string bad : {"2468", "12345", "12345a", "1234567890123", ""}) {
        CHECK(code(call(api, {{"op", "lock.pin_check"}, {"pin", bad}})) == "lock.pin_format");
        CHECK(code(call(api, {{"op", "lock.set_pin"}, {"pin", bad}})) == "lock.pin_format");
    }
    CHECK(call(api, {{"op", "lock.status"}})["state"] == "new");
    CHECK(call(api, {{"op", "lock.pin_check"}, {"pin", "246813"}})["ok"] == true);
    s = call(api, {{"op", "lock.set_pin"}, {"pin", "246813"}});
    CHECK(s["ok"] == true);
    CHECK(s["locked"] == false);
    CHECK(s["state"] == "set");
    CHECK(call(api, {{"op", "person.list"}})["ok"] == true);

    call(api, {{"op", "lock.lock"}});
    CHECK(code(call(api, {{"op", "person.list"}})) == "lock.locked");
    // A set PIN cannot be replaced while locked.
    CHECK(code(call(api, {{"op", "lock.set_pin"}, {"pin", "999999"}})) == "lock.locked");
    CHECK(call(api, {{"op", "lock.unlock"}, {"pin", "246813"}})["locked"] == false);
    CHECK(call(api, {{"op", "person.list"}})["ok"] == true);
}

TEST_CASE("lock: the PIN and the count of wrong ones survive a reload; the wait grows", "[lock]")
{
    TempDb file;
    FakeTime t;
    {
        Api api(file.open(), {}, testLock(t));
        REQUIRE(call(api, {{"op", "lock.set_pin"}, {"pin", "13572468"}})["ok"] == true);
    }
    int kdfCalls = 0;
    int64_t lastWait = 0;
    {
        Api api(file.open(), {}, testLock(t, &kdfCalls));
        CHECK(call(api, {{"op", "lock.status"}})["locked"] == true); // a new page starts locked
        // Two typos are free.
        for (int i = 0; i < 2; ++i) {
            json r = call(api, {{"op", "lock.unlock"}, {"pin", "111111"}});
            CHECK(code(r) == "lock.wrong_pin");
            CHECK(call(api, {{"op", "lock.status"}})["wait_ms"] == 0);
        }
        // Then every wrong one makes the next wait longer; within the wait nothing is tried.
        for (int i = 0; i < 6; ++i) {
            json r = call(api, {{"op", "lock.unlock"}, {"pin", "111111"}});
            CHECK(code(r) == "lock.wrong_pin");
            json s = call(api, {{"op", "lock.status"}});
            int64_t wait = s["wait_ms"];
            CHECK(wait > lastWait);
            CHECK(s["failures"] == 3 + i);
            lastWait = wait;
            int before = kdfCalls;
            json early = call(api, {{"op", "lock.unlock"}, {"pin", "13572468"}}); // even the right PIN
            CHECK(code(early) == "lock.wait");
            CHECK(early["error"]["en"].get<std::string>().find("wait") != std::string::npos);
            CHECK(kdfCalls == before);
            t.ms += wait;
        }
        t.ms -= lastWait; // still within the last wait when the page reloads
    }
    {
        // A reload does not reset the count or the wait.
        Api api(file.open(), {}, testLock(t));
        json s = call(api, {{"op", "lock.status"}});
        CHECK(s["failures"] == 8);
        CHECK(s["wait_ms"] == lastWait);
        CHECK(code(call(api, {{"op", "lock.unlock"}, {"pin", "13572468"}})) == "lock.wait");
        // A clock set back does not shorten it.
        t.ms -= 3'600'000;
        CHECK(call(api, {{"op", "lock.status"}})["wait_ms"] == lastWait);
        t.ms += 3'600'000 + lastWait;
        json ok = call(api, {{"op", "lock.unlock"}, {"pin", "13572468"}});
        CHECK(ok["ok"] == true);
        CHECK(ok["failures"] == 0);
    }
    CHECK(pinDelayMs(2) == 0);
    CHECK(pinDelayMs(3) == 5000);
    CHECK(pinDelayMs(4) == 10000);
    CHECK(pinDelayMs(100) == 15 * 60'000);
}

TEST_CASE("lock: an existing database without a PIN record is a lock-out, never a first start", "[lock]")
{
    TempDb file;
    FakeTime t;
    {
        Store s = file.open();
        REQUIRE(s.savePerson(PersonRecord{samplePerson(), kNow.unixMs, std::nullopt, ""}));
        // The PIN record removed (or a database from before the lock lived here).
        REQUIRE(s.connection().exec("DELETE FROM gate_lock"));
    }
    Api api(file.open(), {}, testLock(t));
    json s = call(api, {{"op", "lock.status"}});
    CHECK(s["state"] == "lockout");
    CHECK(s["lockout"]["code"] == "lock.lockout");
    CHECK(s["lockout"]["en"].get<std::string>().find("enrollment code") != std::string::npos);
    CHECK(code(call(api, {{"op", "lock.set_pin"}, {"pin", "246813"}})) == "lock.lockout");
    CHECK(code(call(api, {{"op", "lock.unlock"}, {"pin", "246813"}})) == "lock.lockout");
    CHECK(code(call(api, {{"op", "person.list"}})) == "lock.locked");
}

TEST_CASE("lock: the office's enrollment code recovers a lock-out or a forgotten PIN, keeping the data", "[lock][enroll]")
{
    auto key = [](uint8_t fill) { return encodeBase64Url(std::vector<uint8_t>(32, fill)); };
    auto enrollment = [&](std::string community, uint8_t publicFill) {
        return json{{"v", 1},
                    {"community", {{"code", community}, {"name", "八角路社区"}}},
                    {"site", "https://bajiao.example.org/"},
                    {"gate", "北门"},
                    {"keys", json::array({{{"id", "a1b2c3d4"}, {"secret_key", key(1)}, {"public_key", key(publicFill)}}})},
                    {"gate_key", key(3)},
                    {"retention_days", 28}}
            .dump();
    };
    TempDb file;
    FakeTime t;
    {
        Store s = file.open();
        Settings c;
        c.communityCode = "C001";
        REQUIRE(s.saveSettings(c));
        REQUIRE(s.savePerson(PersonRecord{samplePerson(), kNow.unixMs, std::nullopt, ""}));
        REQUIRE(s.connection().exec("DELETE FROM gate_lock"));
    }
    {
        Api api(file.open(), {}, testLock(t));
        REQUIRE(call(api, {{"op", "lock.status"}})["state"] == "lockout");
        // Refused, each changing nothing: no enrollment (wrong passphrase), a short PIN, another community's code.
        CHECK(code(call(api, {{"op", "lock.recover"}, {"pin", "246813"}})) == "enroll.wrong_passphrase");
        CHECK(code(call(api, {{"op", "lock.recover"}, {"pin", "1234"}, {"enrollment", enrollment("C001", 2)}})) == "lock.pin_format");
        CHECK(code(call(api, {{"op", "lock.recover"}, {"pin", "246813"}, {"enrollment", enrollment("X999", 2)}})) == "lock.recover_other");
        CHECK(call(api, {{"op", "lock.status"}})["state"] == "lockout");
        // enroll.prepare answers while locked (the worker needs it to open the code); nothing else does.
        CHECK(code(call(api, {{"op", "enroll.prepare"}, {"code", "nonsense"}, {"passphrase", "x"}})) == "enroll.foreign");
        CHECK(code(call(api, {{"op", "settings.get"}})) == "lock.locked");

        json r = call(api, {{"op", "lock.recover"}, {"pin", "246813"}, {"enrollment", enrollment("C001", 2)}});
        INFO(r.dump());
        REQUIRE(r["ok"] == true);
        CHECK(r["state"] == "set");
        CHECK(r["locked"] == false);
        CHECK(call(api, {{"op", "person.list"}})["records"].size() == 1); // the data kept
        CHECK(call(api, {{"op", "settings.get"}})["keys_set"] == true);
    }
    // Enrolled now: a PIN forgotten later is recovered only with a code carrying the gate's key.
    Api api(file.open(), {}, testLock(t));
    CHECK(code(call(api, {{"op", "lock.unlock"}, {"pin", "999999"}})) == "lock.wrong_pin");
    CHECK(code(call(api, {{"op", "lock.recover"}, {"pin", "135790"}, {"enrollment", enrollment("C001", 9)}})) == "lock.recover_other");
    json r = call(api, {{"op", "lock.recover"}, {"pin", "135790"}, {"enrollment", enrollment("C001", 2)}});
    INFO(r.dump());
    REQUIRE(r["ok"] == true);
    CHECK(r["failures"] == 0);
    CHECK(call(api, {{"op", "lock.lock"}})["locked"] == true);
    CHECK(code(call(api, {{"op", "lock.unlock"}, {"pin", "246813"}})) == "lock.wrong_pin");
    t.ms += 3'600'000;
    CHECK(call(api, {{"op", "lock.unlock"}, {"pin", "135790"}})["ok"] == true);
}

TEST_CASE("lock: a database of schema 2 (PIN in the page) with data migrates to a lock-out; an empty one to a first start", "[lock][migration]")
{
    for (bool withData : {true, false}) {
        TempDb file;
        FakeTime t;
        {
            Store s = file.open();
            if (withData)
                REQUIRE(s.savePerson(PersonRecord{samplePerson(), kNow.unixMs, std::nullopt, ""}));
            REQUIRE(s.connection().exec("ALTER TABLE exports DROP COLUMN deletions; ALTER TABLE exports DROP COLUMN revocations; ALTER TABLE exports DROP COLUMN visitor_uses; DROP TABLE staff_actions; DROP TRIGGER last_moves_added; DROP TRIGGER last_moves_removed; DROP TABLE last_moves; DROP INDEX persons_pending; DROP TABLE watch_list; DROP TABLE revocations; DROP TABLE gate_lock; DROP TABLE deletions; ALTER TABLE exports DROP COLUMN purged_at; PRAGMA user_version=2"));
        }
        Api api(file.open(), {}, testLock(t));
        CHECK(call(api, {{"op", "lock.status"}})["state"] == (withData ? "lockout" : "new"));
    }
}

TEST_CASE("lock: without a lock (resident, office) every op answers and lock.* is unavailable", "[lock]")
{
    TempDb file;
    Api api(file.open());
    CHECK(call(api, {{"op", "person.list"}})["ok"] == true);
    CHECK(code(call(api, {{"op", "lock.unlock"}, {"pin", "246813"}})) == "lock.unavailable");
}
