// Visitor passes (VisitorPass.h, format 4 in the GP2 frame): the pure half
// (made, checked, bytes) everywhere; the phone and the gate with real sealed
// boxes natively only (GATEPASS_WITH_SODIUM), as LivePassTest does.
#include "Fixtures.h"

#include "Base45.h"
#include "VisitorPass.h"

#include <catch2/catch.hpp>

#ifdef GATEPASS_WITH_SODIUM
#include "Base64Url.h"
#include "KeyPair.h"
#include "SealedBox.h"
#endif

using namespace gatepass;
using namespace gatepass::test;
using nlohmann::json;

namespace {

const std::string kId = "0123456789abcdef";
constexpr int64_t kDayMs = 86'400'000;

VisitorRequest sampleVisitor(std::string from = kNow.today().toString(), std::string to = "", std::string uses = "single")
{
    return VisitorRequest{"李四", "139 1234 5678", std::move(from), std::move(to), std::move(uses)};
}

} // namespace

TEST_CASE("a visitor pass's plain bytes round-trip, and every cut or stray byte is refused", "[visitor]")
{
    Date today = kNow.today();
    for (std::string uses : {"single", "multiple"})
        for (std::string phone : {"13912345678", "+85291234567", "010-12345678"}) {
            VisitorRequest r = sampleVisitor(today.toString(), Date{today.days + 6}.toString(), uses);
            r.phone = phone;
            VisitorChecked v = makeVisitorPass(r, samplePerson(), kId, today, kNow.unixMs);
            REQUIRE(v.ok());
            CHECK(v.pass.hostName == "张*");
            CHECK(v.pass.hostAddress == "3-2-501");
            std::string plain = visitorPassPlain(v.pass);
            CHECK(uint8_t(plain[0]) == kVisitorPassFormat);
            auto read = readVisitorPassPlain(plain);
            REQUIRE(read);
            CHECK(*read == v.pass);
            for (size_t n = 0; n < plain.size(); ++n)
                CHECK_FALSE(readVisitorPassPlain(plain.substr(0, n)));
            CHECK(readVisitorPassPlain(plain + "x").error().code == "pass.damaged");
        }
    // The visitor as the gate records them: a valid visitor, numbered by the pass.
    VisitorChecked v = makeVisitorPass(sampleVisitor(), samplePerson(), kId, today, kNow.unixMs);
    Person p = visitorPerson(v.pass);
    CHECK(p.docNumber == "VP-0123456789ABCDEF");
    CHECK(p.personType == PersonType::Visitor);
    CHECK(p.phone == "13912345678");
    CHECK(validate(p, today).ok());
    CHECK(visitorLine(v.pass).zh == "访客 · 3-2-501（主人 张*）");
    CHECK(visitorLine(v.pass).en == "Visitor · 3-2-501 (host 张*)");
    CHECK(maskName("欧阳娜娜") == "欧*");
}

TEST_CASE("bad visitor input gets a worded error on each field it concerns", "[visitor]")
{
    Date today = kNow.today();
    struct Case {
        VisitorRequest r;
        std::vector<std::string> fields;
    };
    std::vector<Case> cases = {
        {{"", "13912345678", today.toString(), "", "single"}, {"name"}},
        {{"李四", "12345", today.toString(), "", "single"}, {"phone"}},
        {{"李四1", "", today.toString(), "", "single"}, {"name", "phone"}},
        {{"李四", "13912345678", Date{today.days - 1}.toString(), "", "single"}, {"from"}},
        {{"李四", "13912345678", Date{today.days + kVisitorPassMaxLeadDays + 1}.toString(), "", "single"}, {"from"}},
        {{"李四", "13912345678", "2026-13-01", "", "single"}, {"from"}},
        {{"李四", "13912345678", today.toString(), Date{today.days + kVisitorPassMaxDays}.toString(), "multiple"}, {"to"}},
        {{"李四", "13912345678", today.toString(), Date{today.days - 1}.toString(), "single"}, {"to"}},
        {{"李四", "13912345678", today.toString(), "", "twice"}, {"uses"}},
    };
    for (const Case& c : cases) {
        VisitorChecked v = makeVisitorPass(c.r, samplePerson(), kId, today, kNow.unixMs);
        std::vector<std::string> fields;
        for (const Message& m : v.errors) {
            fields.push_back(m.field);
            CHECK_FALSE(m.zh.empty());
            CHECK_FALSE(m.en.empty());
        }
        CHECK(fields == c.fields);
    }
    CHECK(makeVisitorPass(sampleVisitor(), samplePerson(), "not-hex", today, kNow.unixMs).errors.front().code == "visitor.id");
    // The last allowed range: kVisitorPassMaxDays days in all.
    CHECK(makeVisitorPass({"李四", "13912345678", today.toString(), Date{today.days + kVisitorPassMaxDays - 1}.toString(), "multiple"},
                          samplePerson(), kId, today, kNow.unixMs)
              .ok());
}

TEST_CASE("a visitor pass opens only on its days", "[visitor]")
{
    Date today = kNow.today();
    VisitorPass p = makeVisitorPass(sampleVisitor(Date{today.days + 1}.toString(), Date{today.days + 2}.toString()), samplePerson(),
                                    kId, today, kNow.unixMs)
                        .pass;
    auto early = visitorDayCheck(p, today);
    REQUIRE(early);
    CHECK(early->code == "visitor.not_today");
    CHECK(early->zh.find("尚未生效") != std::string::npos);
    CHECK_FALSE(visitorDayCheck(p, Date{today.days + 1}));
    CHECK_FALSE(visitorDayCheck(p, Date{today.days + 2}));
    auto late = visitorDayCheck(p, Date{today.days + 3});
    REQUIRE(late);
    CHECK(late->en.find("expired") != std::string::npos);
}

TEST_CASE("policy: a host-made pass satisfies the visitor rule only where the setting says so", "[visitor][policy]")
{
    Person v = visitorPerson(makeVisitorPass(sampleVisitor(), samplePerson(), kId, kNow.today(), kNow.unixMs).pass);
    GateContext g;
    g.temperature = 36.5;
    g.hostPass = true;
    Rules rules;
    auto d = decide(v, g, kNow, rules);
    REQUIRE(d);
    CHECK(d->verdict == Verdict::Refer);
    CHECK(d->reasons.size() == 1); // the visitor rule only: a pass has no ID card to check
    CHECK(d->reasons[0].code == "visitor");
    rules.hostPassAdmitsVisitor = true;
    d = decide(v, g, kNow, rules);
    CHECK(d->verdict == Verdict::Allow);
    CHECK(d->reasons[0].code == "visitor.host_pass");
    // A fever is a fever, pass or not.
    g.temperature = 38.0;
    CHECK(decide(v, g, kNow, rules)->verdict == Verdict::Refer);
    // Without a pass the setting changes nothing.
    g.temperature = 36.5;
    g.hostPass = false;
    CHECK(decide(v, g, kNow, rules)->verdict == Verdict::Refer);
}

#ifdef GATEPASS_WITH_SODIUM

namespace {

// A resident's phone that makes visitor passes and a gate that reads them.
struct Visit {
    crypto::BoxKeyPair pair = crypto::newBoxKeyPair();
    TempDb phoneFile, gateFile;
    Api phone{phoneFile.open(), crypto::passCrypto()};
    Api gate{gateFile.open(), crypto::passCrypto()};

    Visit()
    {
        REQUIRE(call(phone, {{"op", "settings.set"}, {"settings", {{"community_public_key", crypto::toBase64Url(pair.publicKey)}}}})["ok"] == true);
        REQUIRE(call(phone, {{"op", "person.save"}, {"person", toJson(samplePerson())}})["ok"] == true);
        json keys = json::array({{{"id", crypto::keyId(pair.publicKey)},
                                  {"secret_key", crypto::toBase64Url(pair.secretKey)},
                                  {"public_key", crypto::toBase64Url(pair.publicKey)}}});
        REQUIRE(call(gate, {{"op", "settings.set"}, {"settings", {{"keys", keys}, {"gate_name", "北门"}}}})["ok"] == true);
    }
    json make(const std::string& from, const std::string& to, const std::string& uses)
    {
        return call(phone, {{"op", "visitor.pass"},
                            {"doc_number", samplePerson().docNumber},
                            {"visitor", {{"name", "李四"}, {"phone", "13912345678"}}},
                            {"from", from},
                            {"to", to},
                            {"uses", uses}});
    }
    std::string pass(const std::string& uses = "single")
    {
        json r = make(kNow.today().toString(), "", uses);
        REQUIRE(r["ok"] == true);
        return r["text"];
    }
    // An hour after the pass was made, a second between the gate's requests (lastMovement orders by time).
    int64_t at = kNow.unixMs + 3'600'000;
    json gateCall(json req) { return call(gate, std::move(req), at += 1000); }
    json enter(const std::string& text, const std::string& direction = "in")
    {
        return gateCall({{"op", "entry.record"}, {"visitor_pass", text}, {"temperature", "36.5"}, {"direction", direction}, {"staff", "王"}});
    }
    size_t entries() { return gateCall({{"op", "entries.today"}})["entries"].size(); }
};

} // namespace

TEST_CASE("api (libsodium): a visitor pass made on the phone reads at the gate as the host's visitor", "[api][visitor]")
{
    Visit v;
    json made = v.make(kNow.today().toString(), "", "single");
    REQUIRE(made["ok"] == true);
    std::string text = made["text"];
    CHECK(text.starts_with("GP2:"));
    CHECK(made["visitor"]["line"]["zh"] == "访客 · 3-2-501（主人 张*）");
    CHECK(made["visitor"]["phone"] == "139****5678");
    CHECK(text.size() <= kQrAlphanumericM[6]); // QR version 6 at M, like a live pass

    // Hours later (static: no live window), at the gate.
    json r = v.gateCall({{"op", "scan"}, {"text", text}});
    REQUIRE(r["ok"] == true);
    CHECK(r["visitor"]["line"]["en"] == "Visitor · 3-2-501 (host 张*)");
    CHECK(r["visitor"]["uses"]["zh"] == "单次有效");
    CHECK(r["person"]["person_type"] == "visitor");
    CHECK(r["verified"] == true);
    CHECK(r["subject"] == json{{"visitor_pass", text}});
    CHECK(r["masked"]["phone"] == "139****5678");
    CHECK(r.dump().find(samplePerson().docNumber) == std::string::npos); // nothing of the host but address and masked name
    CHECK(r.dump().find("张喆") == std::string::npos);

    // The temperature is taken as for anyone.
    CHECK(v.gateCall({{"op", "decide"}, {"visitor_pass", text}, {"direction", "in"}})["error"]["code"] == "temperature.missing");
    r = v.enter(text);
    REQUIRE(r["ok"] == true);
    CHECK(r["entry"]["person_type"] == "visitor");
    CHECK(r["entry"]["name"] == "李四");
    CHECK(r["entry"]["verdict"] == "refer"); // the visitor rule, by default
    CHECK(v.gateCall({{"op", "inside.now"}})["inside_now"] == 1);
}

TEST_CASE("api (libsodium): a QR reader without the key learns nothing personal from a visitor pass", "[api][visitor]")
{
    Visit v;
    std::string text = v.pass();
    auto bytes = base45Decode(text.substr(4));
    REQUIRE(bytes);
    std::string all = text + *bytes;
    for (std::string secret : {std::string("李四"), packPassText("李四"), std::string("13912345678"),
                               std::string("3-2-501"), packPassText("张*"), std::string("张")})
        CHECK(all.find(secret) == std::string::npos);
    // The mobile as the 5-byte integer the plain bytes carry.
    std::string mobile;
    for (int i = 4; i >= 0; --i)
        mobile += char(uint8_t(13912345678ULL >> (8 * i)));
    CHECK(bytes->find(mobile) == std::string::npos);
    // A gate of another community cannot open it either.
    Visit other;
    CHECK(other.gateCall({{"op", "scan"}, {"text", text}})["error"]["code"] == "pass.other_community");
}

TEST_CASE("api (libsodium): a visitor pass is refused off its days, and nothing is stored", "[api][visitor]")
{
    Visit v;
    json made = v.make(Date{kNow.today().days + 1}.toString(), Date{kNow.today().days + 2}.toString(), "multiple");
    REQUIRE(made["ok"] == true);
    std::string text = made["text"];
    json r = v.gateCall({{"op", "scan"}, {"text", text}});
    CHECK(r["error"]["code"] == "visitor.not_today");
    CHECK_FALSE(r["error"]["zh"].get<std::string>().empty());
    CHECK(v.enter(text)["error"]["code"] == "visitor.not_today");
    CHECK(call(v.gate, {{"op", "scan"}, {"text", text}}, kNow.unixMs + kDayMs)["ok"] == true);
    CHECK(call(v.gate, {{"op", "scan"}, {"text", text}}, kNow.unixMs + 3 * kDayMs)["error"]["code"] == "visitor.not_today");
    CHECK(v.entries() == 0);
    CHECK(v.gateCall({{"op", "batch.pending"}})["persons"] == 0);
}

TEST_CASE("api (libsodium): a single-use visitor pass comes in once; the second time it is refused and nothing stored", "[api][visitor]")
{
    Visit v;
    std::string once = v.pass("single");
    REQUIRE(v.enter(once)["ok"] == true);
    CHECK(v.entries() == 1);
    // Still inside: the pass lets the visitor out, not in again.
    json r = v.gateCall({{"op", "scan"}, {"text", once}});
    REQUIRE(r["ok"] == true);
    CHECK(r["direction"] == "out");
    r = v.enter(once);
    CHECK(r["error"]["code"] == "visitor.used");
    CHECK_FALSE(r["error"]["en"].get<std::string>().empty());
    CHECK(v.gateCall({{"op", "decide"}, {"visitor_pass", once}, {"temperature", "36.5"}, {"direction", "in"}})["error"]["code"] == "visitor.used");
    CHECK(v.entries() == 1);
    REQUIRE(v.enter(once, "out")["ok"] == true);
    // Gone out: the pass is spent.
    CHECK(v.gateCall({{"op", "scan"}, {"text", once}})["error"]["code"] == "visitor.used");
    CHECK(v.enter(once)["error"]["code"] == "visitor.used");
    CHECK(v.entries() == 2);

    // A multiple-use pass comes in again.
    std::string many = v.pass("multiple");
    REQUIRE(v.enter(many)["ok"] == true);
    REQUIRE(v.enter(many, "out")["ok"] == true);
    CHECK(v.gateCall({{"op", "scan"}, {"text", many}})["ok"] == true);
    CHECK(v.enter(many)["ok"] == true);
}

TEST_CASE("api (libsodium): rules.host_pass_admits_visitor turns the visitor's referral into allow", "[api][visitor]")
{
    Visit v;
    std::string text = v.pass("multiple");
    json ask = {{"op", "decide"}, {"visitor_pass", text}, {"temperature", "36.5"}, {"direction", "in"}};
    CHECK(v.gateCall(ask)["verdict"] == "refer");
    CHECK(v.gateCall({{"op", "settings.get"}})["settings"]["rules"]["host_pass_admits_visitor"] == false);
    REQUIRE(v.gateCall({{"op", "settings.set"}, {"settings", {{"rules", {{"host_pass_admits_visitor", true}}}}}})["ok"] == true);
    json r = v.gateCall(ask);
    CHECK(r["verdict"] == "allow");
    CHECK(r["reasons"][0]["code"] == "visitor.host_pass");
    // The same visitor registered by hand (no pass) is still referred.
    Person typed = visitorPerson(*readVisitorPassPlain(visitorPassPlain(
        makeVisitorPass(sampleVisitor(), samplePerson(), kId, kNow.today(), kNow.unixMs).pass)));
    r = v.gateCall({{"op", "decide"}, {"person", toJson(typed)}, {"temperature", "36.5"}, {"direction", "in"}});
    CHECK(r["verdict"] == "refer");
}

TEST_CASE("api (libsodium): the phone's visitor form gets field errors in both languages, and no pass", "[api][visitor]")
{
    Visit v;
    json r = v.make(Date{kNow.today().days - 1}.toString(), "", "often");
    CHECK(r["ok"] == false);
    CHECK(r["error"]["code"] == "visitor.invalid");
    REQUIRE(r["errors"].size() == 2);
    CHECK(r["errors"][0]["field"] == "from");
    CHECK(r["errors"][1]["field"] == "uses");
    CHECK_FALSE(r["errors"][0]["zh"].get<std::string>().empty());
    CHECK_FALSE(r["errors"][0]["en"].get<std::string>().empty());
    CHECK_FALSE(r.contains("text"));
    r = call(v.phone, {{"op", "visitor.pass"}, {"doc_number", samplePerson().docNumber}, {"visitor", {{"name", "李4"}, {"phone", "12"}}},
                       {"from", kNow.today().toString()}, {"uses", "single"}});
    REQUIRE(r["errors"].size() == 2);
    CHECK(r["errors"][0]["field"] == "name");
    CHECK(r["errors"][1]["field"] == "phone");
    CHECK(call(v.phone, {{"op", "visitor.pass"}, {"doc_number", "nobody"}})["error"]["code"] == "person.not_found");
}

#endif
