#include "Fixtures.h"

#include <catch2/catch.hpp>

using namespace gatepass;
using namespace gatepass::test;

namespace {

std::vector<std::string> errorCodes(const Validated& v)
{
    std::vector<std::string> out;
    for (const auto& e : v.errors)
        out.push_back(e.field + ":" + e.code);
    return out;
}

} // namespace

TEST_CASE("a complete record passes and is normalised", "[validation]")
{
    Person p = samplePerson();
    p.name = "  张　喆 ";
    p.docNumber = "11010519491231002x";
    p.phone = "+86 138-0013-8000";
    Validated v = validate(p, kNow.today());
    REQUIRE(v.ok());
    CHECK(v.person.name == "张 喆");
    CHECK(v.person.docNumber == "11010519491231002X");
    CHECK(v.person.phone == "13800138000");
    REQUIRE(v.id);
    CHECK(v.id->birthDate.toString() == "1949-12-31");
}

TEST_CASE("names: Chinese, Latin, minority middle dot; nothing else", "[validation]")
{
    Person p = samplePerson();
    p.name = "阿依古丽•买买提"; // bullet typed for the middle dot
    auto v = validate(p, kNow.today());
    REQUIRE(v.ok());
    CHECK(v.person.name == "阿依古丽·买买提");

    for (std::string bad : {std::string("张三1"), std::string("张\x01三"), std::string("·张三"), std::string("\xE5\xBC"),
                            std::string(41, 'a'), std::string("")}) {
        p.name = bad;
        INFO(p.name);
        auto r = validate(p, kNow.today());
        REQUIRE_FALSE(r.ok());
        CHECK(r.errors.front().field == "name");
    }
    p.name = std::string(40, 'a');
    CHECK(validate(p, kNow.today()).ok());
    // A passport's machine-readable name field holds 39 characters: such a name registers as written.
    p.name = "SMITH ALEXANDER, JOHN WILLIAM MAXIMILIAN";
    REQUIRE(p.name.size() == 40);
    auto passport = validate(p, kNow.today());
    CHECK(passport.ok());
    CHECK(passport.person.name == p.name);
    p.name = "𠀀𠀁"; // CJK extension B
    CHECK(validate(p, kNow.today()).ok());
}

TEST_CASE("phones: mobiles and landlines with area code", "[validation]")
{
    CHECK(normalisePhone("13912345678") == "13912345678");
    CHECK(normalisePhone("+86 139 1234 5678") == "13912345678");
    CHECK(normalisePhone("010-12345678") == "010-12345678");
    CHECK(normalisePhone("(0571) 8765 4321") == "0571-87654321");
    CHECK(normalisePhone("02112345678") == "021-12345678");
    CHECK(normalisePhone("0571-87654321-123") == "0571-87654321-123");
    CHECK(normalisePhone("057187654321123") == "0571-87654321-123"); // no separator: 8 digits, then the extension
    // A typed separator after a 7- or 8-digit local number marks the extension:
    // it must not move (it once did: 0571-87654321-2, 010-12345678).
    CHECK(normalisePhone("0571-8765432-12") == "0571-8765432-12");
    CHECK(normalisePhone("010-1234567-8") == "010-1234567-8");
    CHECK(normalisePhone("(0571)8765432 12") == "0571-8765432-12");
    CHECK(normalisePhone("05718765432-12") == "0571-8765432-12");
    CHECK(normalisePhone("0571-8765-4321-12") == "0571-87654321-12"); // groups inside the number are cosmetic
    CHECK_FALSE(normalisePhone("12345678901"));  // 12x is not a mobile prefix
    CHECK_FALSE(normalisePhone("1391234567"));   // 10 digits
    CHECK_FALSE(normalisePhone("12345678"));     // no area code
    CHECK_FALSE(normalisePhone("139l2345678"));  // a letter l for 1
    Person p = samplePerson();
    p.phone = "1391234567";
    auto v = validate(p, kNow.today());
    REQUIRE(v.errors.size() == 1);
    CHECK(v.errors[0].code == "phone.format");
    CHECK_FALSE(v.errors[0].zh.empty());
    CHECK_FALSE(v.errors[0].en.empty());
}

TEST_CASE("other documents: sane length and characters", "[validation]")
{
    Person p = samplePerson();
    p.docType = DocType::Passport;
    p.docNumber = "e 1234 5678";
    auto v = validate(p, kNow.today());
    REQUIRE(v.ok());
    CHECK(v.person.docNumber == "E12345678");
    p.docNumber = "E12";
    CHECK(errorCodes(validate(p, kNow.today())) == std::vector<std::string>{"doc_number:doc.format"});
    p.docType = DocType::ForeignPermanent;
    p.docNumber = "USA123456789012";
    CHECK(validate(p, kNow.today()).ok());
    p.docNumber = "US1234567890123";
    CHECK_FALSE(validate(p, kNow.today()).ok());
    p.docType = DocType::Other;
    p.docNumber = "AB-12<script>";
    CHECK_FALSE(validate(p, kNow.today()).ok());
}

TEST_CASE("cross-field rules", "[validation]")
{
    Date today = kNow.today();
    Person p = samplePerson();
    p.leftCity = true;
    CHECK(errorCodes(validate(p, today)) == std::vector<std::string>{"came_from:required", "return_date:required"});
    p.cameFrom = "武汉";
    p.returnDate = Date{today.days + 1};
    CHECK(errorCodes(validate(p, today)) == std::vector<std::string>{"return_date:date.future"});
    p.returnDate = today;
    CHECK(validate(p, today).ok());
    // Without a today (a pass being read) the date rule is skipped.
    p.returnDate = Date{today.days + 1};
    CHECK(validate(p, std::nullopt).ok());

    p = samplePerson();
    p.homeObservation = true;
    CHECK(errorCodes(validate(p, today)) == std::vector<std::string>{"observation_start:required"});
    p.observationStart = Date{today.days + 3};
    CHECK(errorCodes(validate(p, today)) == std::vector<std::string>{"observation_start:date.future"});

    // Answers to questions not asked are dropped, not stored.
    p = samplePerson();
    p.cameFrom = "上海";
    p.returnDate = today;
    p.observationStart = today;
    auto v = validate(p, today);
    REQUIRE(v.ok());
    CHECK(v.person.cameFrom.empty());
    CHECK_FALSE(v.person.returnDate);
    CHECK_FALSE(v.person.observationStart);
}

TEST_CASE("errors come in form order, one per field", "[validation]")
{
    Person p;
    p.leftCity = true;
    auto v = validate(p, kNow.today());
    CHECK(errorCodes(v) == std::vector<std::string>{"name:required", "doc_number:required", "phone:required",
                                                      "address:required", "came_from:required", "return_date:required"});
}

TEST_CASE("free text: control characters and length", "[validation]")
{
    Person p = samplePerson();
    p.address = "3-2-501\n";
    CHECK(errorCodes(validate(p, kNow.today())) == std::vector<std::string>{"address:text.control"});
    p.address = std::string(61, 'x');
    CHECK(errorCodes(validate(p, kNow.today())) == std::vector<std::string>{"address:text.too_long"});
    p.address = "三号楼二单元五零一室";
    p.employer = "\xFF";
    CHECK(errorCodes(validate(p, kNow.today())) == std::vector<std::string>{"employer:text.encoding"});
}

TEST_CASE("JSON shape errors are reported per field", "[validation][json]")
{
    auto j = toJson(samplePerson());
    CHECK(personFromJson(j).errors.empty());
    CHECK(personFromJson(j).person == samplePerson());
    j["left_city"] = "yes";
    j["doc_type"] = "id_card";
    j.erase("symptoms");
    j["favourite_colour"] = "blue";
    auto in = personFromJson(j);
    std::vector<std::string> got;
    for (const auto& e : in.errors)
        got.push_back(e.field + ":" + e.code);
    std::sort(got.begin(), got.end());
    CHECK(got == std::vector<std::string>{"doc_type:choice.unknown", "favourite_colour:person.unknown_key", "left_city:type",
                                          "symptoms:required"});
}

TEST_CASE("every field of the table round-trips through JSON", "[fields][json]")
{
    PersonGenerator gen(7);
    for (int i = 0; i < 300; ++i) {
        Person p = validate(gen.next(), kNow.today()).person;
        auto in = personFromJson(toJson(p));
        REQUIRE(in.errors.empty());
        REQUIRE(in.person == p);
    }
    // Twelve items, each with at least one field, in order.
    int last = 0;
    for (const auto& f : fields()) {
        CHECK(f.item >= last);
        last = f.item;
        CHECK_FALSE(f.zh.empty());
        CHECK_FALSE(f.en.empty());
    }
    CHECK(last == 12);
    CHECK(items().size() == 12);
}
