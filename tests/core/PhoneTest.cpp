// Item 3: phones of the mainland, Hong Kong, Macao, Taiwan and elsewhere.
#include "Fixtures.h"

#include <catch2/catch.hpp>

using namespace gatepass;
using namespace gatepass::test;

namespace {

std::string parsed(std::string_view text, HomeRegion home = HomeRegion::None)
{
    auto r = parsePhone(text, home);
    return r ? *r : "error:" + r.error().code;
}

} // namespace

TEST_CASE("phones of each region have one spelling, which reads back as itself", "[validation][phone]")
{
    struct Case {
        std::string_view typed;
        HomeRegion home;
        std::string_view stored; // or "error:<code>"
    };
    const Case cases[] = {
        // mainland, as before
        {"13912345678", HomeRegion::None, "13912345678"},
        {"+86 139 1234 5678", HomeRegion::None, "13912345678"},
        {"0086 139 1234 5678", HomeRegion::None, "13912345678"},
        {"+86 10 1234 5678", HomeRegion::None, "010-12345678"},
        {"+86 571-8765432-12", HomeRegion::None, "0571-8765432-12"},
        {"+86 12345", HomeRegion::None, "error:phone.mainland"},
        // Hong Kong
        {"+852 9123 4567", HomeRegion::None, "+85291234567"},
        {"00852-2123-4567", HomeRegion::None, "+85221234567"},
        {"+852 123 4567", HomeRegion::None, "error:phone.hong_kong"},
        {"+852 1234 5678", HomeRegion::None, "error:phone.hong_kong"},
        {"9123 4567", HomeRegion::HongKong, "+85291234567"},
        {"9123 4567", HomeRegion::None, "error:phone.needs_country_code"},
        // Macao
        {"+853 6612 3456", HomeRegion::None, "+85366123456"},
        {"+853 2871 2345", HomeRegion::None, "+85328712345"},
        {"+853 9612 3456", HomeRegion::None, "error:phone.macao"},
        {"66123456", HomeRegion::Macao, "+85366123456"},
        {"66123456", HomeRegion::Taiwan, "error:phone.needs_country_code"},
        // Taiwan
        {"+886 912 345 678", HomeRegion::None, "+886912345678"},
        {"+886 0912-345-678", HomeRegion::None, "+886912345678"}, // the trunk 0 typed out of habit
        {"+886 2 2345 6789", HomeRegion::None, "+886223456789"},
        {"+886 91234567", HomeRegion::None, "error:phone.taiwan"},
        {"0912-345-678", HomeRegion::Taiwan, "+886912345678"},
        {"0912345678", HomeRegion::None, "error:phone.needs_country_code"},
        // elsewhere, E.164
        {"+44 20 7946 0958", HomeRegion::None, "+442079460958"},
        {"+1 (202) 555-0143", HomeRegion::None, "+12025550143"},
        {"+49 30 1234", HomeRegion::None, "+49301234"},
        {"+1 234 567", HomeRegion::None, "error:phone.international"},
        {"+44 1234 5678 9012 34", HomeRegion::None, "error:phone.international"}, // 16 digits
        {"+0 123 4567 89", HomeRegion::None, "error:phone.format"},
        {"+", HomeRegion::None, "error:phone.format"},
        {"+852 9123 4567 +1", HomeRegion::None, "error:phone.format"},
        {"139l2345678", HomeRegion::None, "error:phone.format"},
    };
    for (const Case& c : cases) {
        INFO(c.typed << " home " << int(c.home));
        std::string got = parsed(c.typed, c.home);
        CHECK(got == c.stored);
        if (!got.starts_with("error:")) {
            CHECK(parsed(got) == got); // a stored number is read back unchanged, without the document's help
        } else {
            auto e = parsePhone(c.typed, c.home).error();
            CHECK(e.field == "phone");
            CHECK_FALSE(e.zh.empty());
            CHECK_FALSE(e.en.empty());
        }
    }
}

TEST_CASE("the document says where a local number is from", "[validation][phone]")
{
    CHECK(homeRegionOf(DocType::HkMacaoPermit, "h12345678") == HomeRegion::HongKong);
    CHECK(homeRegionOf(DocType::HkMacaoPermit, "M12345678") == HomeRegion::Macao);
    CHECK(homeRegionOf(DocType::TaiwanPermit, "12345678") == HomeRegion::Taiwan);
    CHECK(homeRegionOf(DocType::ResidencePermit, "830000198512310029") == HomeRegion::Taiwan);
    CHECK(homeRegionOf(DocType::ResidencePermit, "820000199001010010") == HomeRegion::Macao);
    CHECK(homeRegionOf(DocType::ResidentId, "11010519491231002X") == HomeRegion::None);
    CHECK(homeRegionOf(DocType::Passport, "H12345678") == HomeRegion::None);

    Person p = samplePerson();
    p.docType = DocType::TaiwanPermit;
    p.docNumber = "12345678";
    p.phone = "0912 345 678";
    Validated v = validate(p, kNow.today());
    REQUIRE(v.ok());
    CHECK(v.person.phone == "+886912345678");
    p.docType = DocType::ResidentId;
    p.docNumber = "11010519491231002X";
    v = validate(p, kNow.today());
    REQUIRE(v.errors.size() == 1);
    CHECK(v.errors[0].code == "phone.needs_country_code");
    CHECK(v.errors[0].zh.find("+886") != std::string::npos);
    CHECK(v.errors[0].en.find("+886") != std::string::npos);
}

TEST_CASE("phones are masked by the core, country code kept", "[phone]")
{
    CHECK(maskPhone("13800138000") == "138****8000");
    CHECK(maskPhone("+85291234567") == "+852****4567");
    CHECK(maskPhone("+886912345678") == "+886*****5678");
    CHECK(maskPhone("+442079460958") == "+442*****0958");
    Person p = samplePerson();
    p.phone = "+85291234567";
    CHECK(valueWords(*findField("phone"), p, true).zh == "+852****4567");
}

TEST_CASE("a child's phone may be left blank; the core says up to which age", "[validation][phone]")
{
    const FieldSpec& phone = *findField("phone");
    REQUIRE(phone.optionalUnderAge == 16);
    Date today = kNow.today(); // 2026-11-29
    Person p = samplePerson();
    p.phone = "";
    p.docNumber = makeIdNumber("110105", *Date::fromYmd(2010, 11, 30), 1); // 15 until tomorrow
    CHECK(validate(p, today).ok());
    p.docNumber = makeIdNumber("110105", *Date::fromYmd(2010, 11, 29), 1); // 16 today
    CHECK(validate(p, today).errors.at(0).code == "required");
    p.docType = DocType::Passport; // no birth date to judge by
    p.docNumber = "E12345678";
    CHECK(validate(p, today).errors.at(0).code == "required");

    // The child's record makes a pass and reads back whole.
    p.docType = DocType::ResidentId;
    p.docNumber = makeIdNumber("110105", *Date::fromYmd(2015, 6, 1), 2);
    auto text = encodePass(p, kNow.unixMs);
    REQUIRE(text);
    auto back = decodePass(*text);
    REQUIRE(back);
    CHECK(back->person.phone.empty());
    CHECK(back->person == validate(p, today).person);
}

TEST_CASE("api: the fields reply says which answers a household's new member starts with, and the child age", "[api][household]")
{
    TempDb file;
    Api api(file.open());
    auto reply = call(api, {{"op", "fields"}});
    std::vector<std::string> copied;
    for (const auto& f : reply["fields"]) {
        if (f.value("copied_in_household", false))
            copied.push_back(f["key"]);
        if (f["key"] == "phone")
            CHECK(f["optional_under_age"] == 16);
        else
            CHECK_FALSE(f.contains("optional_under_age"));
    }
    // The home, the phone and the travel answers; never the health answers (items 10-12).
    CHECK(copied == std::vector<std::string>{"phone", "address", "left_city", "came_from", "return_date"});
}
