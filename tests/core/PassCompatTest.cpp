// Passes made before the document types of 2026-11 (港澳/台湾通行证) still
// read, and the new types and phones travel in both formats.
#include "Fixtures.h"

#include <catch2/catch.hpp>

using namespace gatepass;
using namespace gatepass::test;

namespace {

std::string unhex(std::string_view h)
{
    std::string out;
    for (size_t i = 0; i + 1 < h.size(); i += 2)
        out += char(std::stoi(std::string(h.substr(i, 2)), nullptr, 16));
    return out;
}

} // namespace

// Made by commit 5a4a1d0 (the last before the new document types) for three
// people: the sample; a passport holder with an employer and travel
// answers; a residence permit holder under home observation.
TEST_CASE("plain passes made before the new document types still decode", "[pass][compat]")
{
    auto a = decodePass("GP:Y60000M07%FVO.4ED0382:C3F+6.YC:P0254L.G6L6KF6QW63C6P1I:4");
    REQUIRE(a);
    CHECK(a->person == samplePerson());
    CHECK(a->issuedAtMs == 1795917600000);

    auto b = decodePass("GP:6704I2M072GVSX8QF60R6J%6%37746346*96DL6WW66:6WO1A/DOCCV%90-VTVDXIE*964W54W5NF6MK61KJ1KJKWL "
                        "YIRFJPEPTRG6.GG31JF1N5F5/CES3361JUS+3");
    REQUIRE(b);
    CHECK(b->person.docType == DocType::Passport);
    CHECK(b->person.docNumber == "E12345678");
    CHECK(b->person.name == "Anna Müller");
    CHECK(b->person.phone == "010-12345678");
    CHECK(b->person.cameFrom == "上海浦东");
    CHECK(b->person.employer == "某某科技有限公司");

    auto c = decodePass("GP:A60X74M07*FVX04N*2HQUXEHB46:/6BW54:6UW6BL6Y96*96L52C185-J-*SU$7-8N0AELAEKDQ6L6KF6QW6ZC6+U14Q0H1");
    REQUIRE(c);
    CHECK(c->person.docType == DocType::ResidencePermit);
    CHECK(c->person.name == "阿依古丽·买买提");
    CHECK(c->person.phone == "0571-87654321-12");
    REQUIRE(c->person.observationStart);
    CHECK(c->person.observationStart->toString() == "2026-11-25");
}

TEST_CASE("sealed (GP2) plain bytes made before the new document types still read", "[pass][compat][live]")
{
    const int64_t made = 1795917660000;
    auto a = readLivePassPlain(unhex("023000003775f80cffa65c00271e0257113d1a03368d6510049120878607332d322d353031"), made, LiveWindow{});
    REQUIRE(a);
    CHECK(a->person == samplePerson());
    CHECK(a->madeAtMs == made);
    auto c = readLivePassPlain(unhex("021821003775f80cffa65c011fc516c4f1f18910303537312d38373635343332312d313210c83f819d85e4803dfeb780"
                                     "70807095d007332d322d353031b50d"),
                               made, LiveWindow{});
    REQUIRE(c);
    CHECK(c->person.docType == DocType::ResidencePermit);
    CHECK(c->person.personType == PersonType::Visitor);
}

TEST_CASE("every document type, international phones and names of any script round-trip in both formats", "[pass][compat]")
{
    struct Doc {
        DocType type;
        std::string number, phone, name;
    };
    const Doc docs[] = {
        {DocType::HkMacaoPermit, "H12345678", "+85291234567", "CHAN, TAI MAN"},
        {DocType::HkMacaoPermit, "M1234567801", "+85366123456", "Leong Ka-Wai"},
        {DocType::TaiwanPermit, "12345678", "+886912345678", "林\U00020BB7"},
        {DocType::ForeignPermanent, "911840198001010013", "+12025550143", "Zoë O'Brien"},
        {DocType::Passport, "E12345678", "+442079460958", "Ольга Иванова"},
        {DocType::Other, "AB-1234", "13800138000", "김민준"},
    };
    for (const Doc& d : docs) {
        INFO(keyOf(d.type) << " " << d.number);
        Person p = samplePerson();
        p.docType = d.type;
        p.docNumber = d.number;
        p.phone = d.phone;
        p.name = d.name;
        REQUIRE(validate(p, kNow.today()).ok());
        auto text = encodePass(p, kNow.unixMs);
        REQUIRE(text);
        auto back = decodePass(*text);
        REQUIRE(back);
        CHECK(back->person == p);
        auto plain = livePassPlain(p, kNow.unixMs, kNow.unixMs);
        REQUIRE(plain);
        auto live = readLivePassPlain(*plain, kNow.unixMs, LiveWindow{});
        REQUIRE(live);
        CHECK(live->person == p);
    }
}
