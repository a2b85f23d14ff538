#include "Fixtures.h"

#include <catch2/catch.hpp>

using namespace gatepass;
using namespace gatepass::test;

TEST_CASE("GB 11643 check character", "[id]")
{
    // The worked example of GB 11643-1999 and a number ending in X.
    CHECK(idCheckCharacter("11010519491231002") == 'X');
    CHECK(idCheckCharacter("44052418800101001") == '4');
    CHECK(idCheckCharacter("42010619800101001") == '5');
}

TEST_CASE("a valid number gives birth date and sex", "[id]")
{
    auto r = checkIdNumber("420106198001010015", kNow.today());
    REQUIRE(r);
    CHECK(r->birthDate.toString() == "1980-01-01");
    CHECK(r->male);
    auto f = checkIdNumber("11010519491231002x", kNow.today());
    REQUIRE(f);
    CHECK(f->number == "11010519491231002X"); // lower-case x normalised
    CHECK_FALSE(f->male);
}

TEST_CASE("each broken rule has its own reason", "[id]")
{
    Date today = kNow.today();
    CHECK(checkIdNumber("11010519491231002", today).error().code == "id.length");
    CHECK(checkIdNumber("1101051949123100XX", today).error().code == "id.characters");
    CHECK(checkIdNumber("11010519491231002Y", today).error().code == "id.characters");
    CHECK(checkIdNumber("110105194912310021", today).error().code == "id.checksum");
    CHECK(checkIdNumber(makeIdNumber("990105", *Date::fromYmd(1990, 1, 1), 1), today).error().code == "id.region");
    // 30 February: digits and checksum fine, date impossible.
    std::string feb30 = "11010519900230001";
    CHECK(checkIdNumber(feb30 + idCheckCharacter(feb30), today).error().code == "id.birth_date");
    CHECK(checkIdNumber(makeIdNumber("110105", Date{today.days + 1}, 1), today).error().code == "id.birth_future");
    CHECK(checkIdNumber(makeIdNumber("110105", today, 1), today)); // born today is fine
    CHECK(checkIdNumber("110105194912310021", today).error().field == "doc_number");
    // Before 1900: no living holder; GB 11643's own 1880 example is refused.
    CHECK(checkIdNumber("440524188001010014", today).error().code == "id.birth_date");
}

TEST_CASE("residence permits use the same layout with regions 81-83", "[id]")
{
    Date today = kNow.today();
    std::string hk = makeIdNumber("810000", *Date::fromYmd(1985, 6, 15), 12);
    CHECK(checkIdNumber(hk, today, true));
    CHECK(checkIdNumber(hk, today, false).error().code == "id.region");
    CHECK(checkIdNumber("11010519491231002X", today, true).error().code == "id.region");
}
