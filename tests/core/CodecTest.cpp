#include "Fixtures.h"

#include "Base45.h"
#include "Sha256.h"

#include <catch2/catch.hpp>

using namespace gatepass;
using namespace gatepass::test;

TEST_CASE("SHA-256 matches the FIPS 180-4 examples", "[sha256]")
{
    CHECK(sha256Hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    CHECK(sha256Hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    CHECK(sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
          "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    CHECK(sha256Hex(std::string(1'000'000, 'a')) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    // Lengths around the padding boundary (55, 56, 63, 64 bytes) must all differ.
    CHECK(sha256Hex(std::string(55, 'x')) != sha256Hex(std::string(56, 'x')));
    CHECK(sha256Hex(std::string(63, 'x')) != sha256Hex(std::string(64, 'x')));
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
