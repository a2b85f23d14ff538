#include "Fixtures.h"

#include "Base45.h"
#include "Digest.h"

#include <catch2/catch.hpp>

using namespace gatepass;
using namespace gatepass::test;

namespace {

bool isQrAlphanumeric(std::string_view s)
{
    return s.find_first_not_of("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:") == std::string_view::npos;
}

} // namespace

TEST_CASE("a pass round-trips exactly, for many generated people", "[pass]")
{
    PersonGenerator gen(2026);
    for (int i = 0; i < 2000; ++i) {
        Person p = validate(gen.next(), kNow.today()).person;
        int64_t issued = kNow.unixMs - gen.pick(1'000'000) * 60'000LL;
        auto text = encodePass(p, issued);
        REQUIRE(text);
        REQUIRE(isQrAlphanumeric(*text));
        auto d = decodePass(*text);
        REQUIRE(d);
        REQUIRE(d->person == p);
        REQUIRE(d->issuedAtMs == issued / 60'000 * 60'000);
    }
}

TEST_CASE("a typical record fits QR version 5 at error correction M", "[pass]")
{
    Person p = samplePerson();
    p.name = "欧阳子涵";
    p.address = "12号楼3单元1502";
    p.leftCity = true;
    p.cameFrom = "湖北武汉";
    p.returnDate = Date{kNow.today().days - 3};
    auto text = encodePass(p, kNow.unixMs);
    REQUIRE(text);
    CHECK(text->size() <= kQrAlphanumericM[5]);
    CHECK(text->starts_with("GP:"));
    // The commonest record of all: no travel, no employer.
    CHECK(encodePass(samplePerson(), kNow.unixMs)->size() <= kQrAlphanumericM[4]);
    // Everything filled, long Chinese employer: one version more.
    p.employer = "北京市朝阳区街道办事处";
    CHECK(encodePass(p, kNow.unixMs)->size() <= kQrAlphanumericM[6]);
}

TEST_CASE("encoding refuses an invalid person", "[pass]")
{
    Person p = samplePerson();
    p.docNumber = "110105194912310021";
    auto r = encodePass(p, kNow.unixMs);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == "id.checksum");
}

TEST_CASE("anything that is not a pass gives a reason, never a record", "[pass]")
{
    CHECK(decodePass("").error().code == "pass.foreign");
    CHECK(decodePass("https://example.com/?id=1").error().code == "pass.foreign");
    CHECK(decodePass("WIFI:S:home;T:WPA;P:secret;;").error().code == "pass.foreign");
    CHECK(decodePass("GP:").error().code == "pass.damaged");
    CHECK(decodePass("GP:hello").error().code == "pass.damaged");

    std::string good = *encodePass(samplePerson(), kNow.unixMs);
    CHECK(decodePass(good + "\n")); // a trailing newline from a scanner is harmless

    SECTION("every truncation is refused")
    {
        for (size_t n = 0; n < good.size(); ++n) {
            auto r = decodePass(good.substr(0, n));
            REQUIRE_FALSE(r);
        }
    }
    SECTION("every single-character alteration is refused")
    {
        const std::string alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";
        for (size_t i = 3; i < good.size(); ++i)
            for (char c : alphabet) {
                if (c == good[i])
                    continue;
                std::string bad = good;
                bad[i] = c;
                auto r = decodePass(bad);
                REQUIRE_FALSE(r);
                REQUIRE((r.error().code == "pass.damaged" || r.error().code == "pass.newer_version"));
            }
    }
}

TEST_CASE("a pass from a newer format says so", "[pass]")
{
    std::string good = *encodePass(samplePerson(), kNow.unixMs);
    std::string bytes = *base45Decode(good.substr(3));
    bytes[0] = char(kPassFormat + 1);
    CHECK(decodePass("GP:" + base45Encode(bytes)).error().code == "pass.newer_version");
}

TEST_CASE("a well-formed pass with an impossible record is refused", "[pass]")
{
    // Hand-made payload with a correct check but an empty name: the check
    // guards against damage, validation against forgery.
    std::string payload;
    payload += char(1);                 // format
    payload += char(32);                // flags: compact mobile only
    payload += char(3);                 // passport, resident
    payload += std::string(4, '\0');    // issued
    payload += char(9) + std::string("E12345678");
    for (uint64_t v = 13800138000ULL, i = 0; i < 5; ++i)
        payload += char(uint8_t(v >> (8 * (4 - i))));
    payload += char(0);                 // empty name
    payload += char(3) + std::string("1-1");
    auto check = *sha256(payload);
    payload.append(reinterpret_cast<const char*>(check.data()), 4);
    CHECK(decodePass("GP:" + base45Encode(payload)).error().code == "pass.invalid_record");
}
