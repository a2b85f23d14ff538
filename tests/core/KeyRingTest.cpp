// The sealed gate's key ring (KeyRing.h) with libsodium natively: the data
// key wrapped by the PIN and sealed to the community key, and the lock's
// count kept where it can be read before the database is opened; its second
// copy (gate.keys2) restoring a first one lost, damaged or altered.
#ifdef GATEPASS_WITH_SODIUM

#include "Fixtures.h"

#include "AtRestCrypto.h"
#include "KeyPair.h"
#include "KeyRing.h"
#include "SealedBox.h"
#include "Base64Url.h"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <iterator>

using namespace gatepass;
using namespace gatepass::test;

namespace {

// libsodium's minimum Argon2id limits: the tests test the ring, not the KDF's cost.
constexpr uint64_t kOps = 1;
constexpr uint64_t kMem = 8192;

KeyRing ringAt(const std::string& path)
{
    auto r = KeyRing::open(path);
    if (!r)
        FAIL(r.error().en);
    return std::move(*r);
}

std::string b64(const std::array<uint8_t, 32>& k) { return crypto::toBase64Url(k); }

} // namespace

TEST_CASE("keyring: the data key opens with the right PIN only, and a new PIN replaces the old", "[atrest][keyring]")
{
    TempDb file;
    auto c = crypto::keyRingCrypto();
    DataKey key;
    {
        KeyRing ring = ringAt(file.path());
        CHECK(ring.empty());
        REQUIRE(ring.lockRow());
        CHECK(!ring.lockRow()->pin);
        auto made = ring.create("246813", c, kOps, kMem);
        REQUIRE(made);
        key = *made;
        CHECK(!ring.create("246813", c, kOps, kMem)); // never a second key
    }
    KeyRing ring = ringAt(file.path());
    REQUIRE(ring.lockRow());
    CHECK(ring.lockRow()->pin);
    auto opened = ring.unwrap("246813", c);
    REQUIRE(opened);
    CHECK(*opened == key);
    auto wrong = ring.unwrap("246814", c);
    REQUIRE(!wrong);
    CHECK(wrong.error().code == "lock.wrong_pin");
    CHECK(ring.unwrap("24681", c).error().code == "lock.wrong_pin");
    REQUIRE(ring.setPinFailures(3, 1000));
    CHECK(ring.lockRow()->failures == 3);
    REQUIRE(ring.rewrap(key, "13579135", c, kOps, kMem));
    CHECK(ring.lockRow()->failures == 0);
    CHECK(ring.unwrap("246813", c).error().code == "lock.wrong_pin");
    CHECK(*ring.unwrap("13579135", c) == key);
    // The key is in the file only wrapped.
    std::ifstream in(file.path(), std::ios::binary);
    std::string raw(std::istreambuf_iterator<char>(in), {});
    CHECK(raw.find(std::string(reinterpret_cast<const char*>(key.data()), key.size())) == std::string::npos);
}

TEST_CASE("keyring: PIN record removed → lock-out; the community key pair recovers the data key", "[atrest][keyring]")
{
    TempDb file;
    auto c = crypto::keyRingCrypto();
    auto community = crypto::newBoxKeyPair();
    auto other = crypto::newBoxKeyPair();
    KeyRing ring = ringAt(file.path());
    DataKey key = *ring.create("246813", c, kOps, kMem);
    REQUIRE(ring.addRecipient(key, b64(community.publicKey), c));
    CHECK(!ring.addRecipient(key, "not-a-key", c));
    // Someone deletes the PIN record to be asked for a new PIN.
    {
        auto raw = Database::open(file.path(), nullptr);
        REQUIRE(raw->exec("UPDATE ring SET pin = NULL"));
    }
    CHECK(!ring.empty());
    CHECK(!ring.lockRow()); // a lock-out, never a first start
    CHECK(ring.unwrap("246813", c).error().code == "lock.lockout");
    CHECK(ring.create("111111", c, kOps, kMem).error().code == "lock.lockout");
    CHECK(ring.recover(b64(other.publicKey), b64(other.secretKey), c).error().code == "lock.recover_other");
    auto back = ring.recover(b64(community.publicKey), b64(community.secretKey), c);
    REQUIRE(back);
    CHECK(*back == key);
    REQUIRE(ring.rewrap(*back, "135790", c, kOps, kMem));
    CHECK(*ring.unwrap("135790", c) == key);
    {
        auto raw = Database::open(file.path(), nullptr);
        REQUIRE(raw->exec("DELETE FROM ring"));
    }
    CHECK(!ring.empty()); // the recovery copy still says a key exists
    CHECK(!ring.lockRow());
}

namespace {

std::string bytesOf(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

void removeRing(const std::string& path)
{
    std::error_code ec;
    for (const std::string& p : {path, KeyRing::copyPath(path)})
        for (const char* suffix : {"", "-journal"})
            std::filesystem::remove(p + suffix, ec);
}

} // namespace

TEST_CASE("keyring: the second copy restores a first one deleted, overwritten or with its PIN box altered", "[atrest][keyring]")
{
    TempDb file;
    const std::string path = file.path() + ".keys";
    auto c = crypto::keyRingCrypto();
    auto community = crypto::newBoxKeyPair();
    DataKey key;
    {
        KeyRing ring = ringAt(path);
        key = *ring.create("246813", c, kOps, kMem);
        REQUIRE(ring.addRecipient(key, b64(community.publicKey), c));
        REQUIRE(ring.setPinFailures(2, 1000));
    }
    REQUIRE(std::filesystem::exists(KeyRing::copyPath(path)));

    SECTION("the first copy deleted")
    {
        std::filesystem::remove(path);
    }
    SECTION("the first copy overwritten with junk")
    {
        std::ofstream(path, std::ios::binary | std::ios::trunc) << std::string(8192, '\x5a');
    }
    SECTION("the first copy emptied")
    {
        std::ofstream(path, std::ios::binary | std::ios::trunc);
    }
    KeyRing ring = ringAt(path);
    REQUIRE(ring.lockRow());
    CHECK(ring.lockRow()->failures == 2); // the count came back with it
    CHECK(*ring.unwrap("246813", c) == key);
    CHECK(*ring.recover(b64(community.publicKey), b64(community.secretKey), c) == key);
    removeRing(path);
}

TEST_CASE("keyring: a PIN box altered in one copy: the other one's opens, and the altered one is made whole", "[atrest][keyring]")
{
    TempDb file;
    const std::string path = file.path() + ".keys";
    auto c = crypto::keyRingCrypto();
    DataKey key;
    {
        KeyRing ring = ringAt(path);
        key = *ring.create("246813", c, kOps, kMem);
    }
    // One byte of the box changed inside the record (SQLite's integrity check cannot see it).
    {
        auto raw = Database::open(path, nullptr);
        REQUIRE(raw->exec("UPDATE ring SET pin = json_set(pin, '$.box', '00' || substr(json_extract(pin, '$.box'), 3))"));
    }
    {
        KeyRing ring = ringAt(path);
        CHECK(ring.unwrap("999999", c).error().code == "lock.wrong_pin"); // a wrong PIN opens neither
        REQUIRE(ring.setPinFailures(1, 1000));                              // counted in both, the damage not copied
        auto opened = ring.unwrap("246813", c);
        REQUIRE(opened);
        CHECK(*opened == key);
    }
    // Made whole: the first copy opens by itself, the second removed.
    std::filesystem::remove(KeyRing::copyPath(path));
    KeyRing ring = ringAt(path);
    CHECK(*ring.unwrap("246813", c) == key);
    // And the second copy, lost, is made again from the first.
    CHECK(bytesOf(KeyRing::copyPath(path)).size() > 0);
    removeRing(path);
}

TEST_CASE("keyring: a PIN change cut between its two writes holds: the old PIN never opens again", "[atrest][keyring]")
{
    TempDb file;
    const std::string path = file.path() + ".keys";
    auto c = crypto::keyRingCrypto();
    DataKey key;
    std::string secondBefore;
    {
        KeyRing ring = ringAt(path);
        key = *ring.create("246813", c, kOps, kMem);
        secondBefore = bytesOf(KeyRing::copyPath(path));
        REQUIRE(ring.rewrap(key, "13579135", c, kOps, kMem));
    }
    // The browser was killed after the first copy's write: the second still holds the old PIN.
    std::ofstream(KeyRing::copyPath(path), std::ios::binary | std::ios::trunc) << secondBefore;
    {
        KeyRing ring = ringAt(path);
        CHECK(ring.unwrap("246813", c).error().code == "lock.wrong_pin");
        CHECK(*ring.unwrap("13579135", c) == key);
    }
    // And the second copy caught up at open: alone, it opens with the new PIN only.
    std::filesystem::remove(path);
    KeyRing ring = ringAt(path);
    CHECK(ring.unwrap("246813", c).error().code == "lock.wrong_pin");
    CHECK(*ring.unwrap("13579135", c) == key);
    removeRing(path);
}

TEST_CASE("keyring: both copies lost is a new ring (a sealed database beside it is a lock-out: SealedGate)", "[atrest][keyring]")
{
    TempDb file;
    const std::string path = file.path() + ".keys";
    auto c = crypto::keyRingCrypto();
    {
        KeyRing ring = ringAt(path);
        REQUIRE(ring.create("246813", c, kOps, kMem));
    }
    removeRing(path);
    KeyRing ring = ringAt(path);
    CHECK(ring.empty());
    removeRing(path);
}

#endif
