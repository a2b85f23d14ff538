#include "Fixtures.h"

#include "Base45.h"
#include "Digest.h"

#include <catch2/catch.hpp>

using namespace gatepass;
using namespace gatepass::test;

// The SHA-256 is libsodium's (Digest.h): natively Debian's, in the wasm run the
// worker's libsodium-wrappers through web/shared/pass-crypto.js, as in the browser.
TEST_CASE("SHA-256 matches the FIPS 180-4 examples", "[sha256]")
{
    CHECK(sha256Hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    CHECK(sha256Hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    CHECK(sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
          "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    CHECK(sha256Hex(std::string(1'000'000, 'a')) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST_CASE("SHA-256 pads right at the block boundaries", "[sha256]")
{
    // 55 bytes is the longest message whose length fits in its last block;
    // 56 and 63 spill the length into a second block; 64, 119 and 120 do the
    // same one block later. Expected values: `head -c N /dev/zero | tr '\0' x | sha256sum`.
    CHECK(sha256Hex(std::string(55, 'x')) == "d5e285683cd4efc02d021a5c62014694958901005d6f71e89e0989fac77e4072");
    CHECK(sha256Hex(std::string(56, 'x')) == "04c26261370ee7541549d16dee320c723e3fd14671e66a099afe0a377c16888e");
    CHECK(sha256Hex(std::string(63, 'x')) == "75220b47218278e656f2013bb8f0c455a25eaf01e86c64924e9d48d89776d6f2");
    CHECK(sha256Hex(std::string(64, 'x')) == "7ce100971f64e7001e8fe5a51973ecdfe1ced42befe7ee8d5fd6219506b5393c");
    CHECK(sha256Hex(std::string(119, 'x')) == "000b48d4edf0fa7bee3c6236ecd2785baa5db4eeb8bb54341b029e0d9fa5fb0c");
    CHECK(sha256Hex(std::string(120, 'x')) == "13f05a0b594787f5ecd315edc96141bd3243203d1b7d4f0836f37308b276ba98");
}

TEST_CASE("SHA-256 of a body larger than the worker's 1 MiB pieces is the whole body's", "[sha256]")
{
    // 3 MiB + 5 bytes: three whole pieces and a short one in the wasm run (pass-crypto.js sha256Of).
    // Expected: `head -c 3145733 /dev/zero | tr '\0' a | sha256sum`.
    CHECK(sha256Hex(std::string(3 * 1048576 + 5, 'a')) == "aff2c7498aae939dfb2fb1dc6c0c83fa3708b069428e51338801af7f5dc2bf0f");
}

TEST_CASE("Base45 matches RFC 9285 and round-trips", "[base45]")
{
    CHECK(base45Encode("AB") == "BB8");
    CHECK(base45Encode("Hello!!") == "%69 VD92EX0");
    CHECK(base45Encode("base-45") == "UJCLQE7W581");
    CHECK(base45Decode("QED8WEX0") == std::optional<std::string>("ietf!"));
    CHECK_FALSE(base45Decode("GGW"));   // 65536 + ... exceeds two bytes
    CHECK_FALSE(base45Decode("ab"));    // lower case is not in the alphabet
    CHECK_FALSE(base45Decode("BB8A"));  // a dangling character
    std::mt19937 rng(1);
    for (int n = 0; n < 200; ++n) {
        std::string bytes(size_t(n), '\0');
        for (auto& b : bytes)
            b = char(rng());
        REQUIRE(base45Decode(base45Encode(bytes)) == bytes);
    }
}
