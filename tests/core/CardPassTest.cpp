// Printed pass cards (CardPass.h): the card's plain bytes and numbers (core,
// every build), and natively, sealed with libsodium, the gate's handling: read
// however old, marked "card", every visit referred for the ID card, a revoked
// card (or person) refused with nothing stored.
#include "Fixtures.h"

#include "Base45.h"

#include <catch2/catch.hpp>

#ifdef GATEPASS_WITH_SODIUM
#include "Base64Url.h"
#include "KeyPair.h"
#include "SealedBox.h"
#endif

using namespace gatepass;
using namespace gatepass::test;
using nlohmann::json;

TEST_CASE("card numbers: issuer letters, a dash, a sequence; typed in any case with spaces", "[card]")
{
    CHECK(*normalizeCardNumber("OF-12") == "OF-12");
    CHECK(*normalizeCardNumber(" of-12 ") == "OF-12");
    CHECK(*normalizeCardNumber("B2-999999999") == "B2-999999999");
    for (std::string_view bad : {"", "OF", "OF-", "-12", "OF-012", "OF-0", "OF 12", "1F-12", "ABCDEFG-1", "OF-1234567890", "OF-1-2", "北门-1", "OF_12"})
        CHECK(normalizeCardNumber(bad).error().code == "card.number_invalid");
    CHECK(*cardNumber(kOfficeCardIssuer, 7) == "OF-7");
    CHECK(!cardNumber("of", 7));
    CHECK(!cardNumber("OF", 0));
}

TEST_CASE("card plain bytes round-trip with the number, and any damage is refused", "[card]")
{
    PersonGenerator gen(3);
    for (int i = 0; i < 300; ++i) {
        Person p = validate(gen.next(), kNow.today()).person;
        std::string number = *cardNumber("OF", 1 + gen.pick(999'999));
        auto plain = cardPassPlain(p, kNow.unixMs, number);
        REQUIRE(plain);
        CHECK(uint8_t((*plain)[0]) == kCardPassFormat);
        auto card = readCardPassPlain(*plain);
        REQUIRE(card);
        CHECK(card->person == p);
        CHECK(card->number == number);
        CHECK(card->issuedAtMs == kNow.unixMs / 60'000 * 60'000);
    }
    std::string plain = *cardPassPlain(samplePerson(), kNow.unixMs, "OF-12");
    for (size_t n = 0; n < plain.size(); ++n)
        CHECK_FALSE(readCardPassPlain(plain.substr(0, n)));
    CHECK(readCardPassPlain(plain + "x").error().code == "pass.damaged");
    std::string lower = plain;
    lower[2] = 'o'; // "oF-12": not a number as the scheme prints it
    CHECK(readCardPassPlain(lower).error().code == "pass.damaged");
    CHECK(cardPassPlain(samplePerson(), kNow.unixMs, "of-12").error().code == "card.number_invalid");
    // A console from before cards reads one as a newer format, never as a live pass.
    CHECK(readLivePassPlain(plain, kNow.unixMs, {}).error().code == "pass.newer_version");
}

TEST_CASE("policy: a card refers every visit for the ID card, even for a verified person", "[card][policy]")
{
    GateContext g;
    g.temperature = 36.5;
    g.verified = true;
    CHECK(decide(samplePerson(), g, kNow, Rules{})->verdict == Verdict::Allow);
    g.card = "OF-12";
    auto d = decide(samplePerson(), g, kNow, Rules{});
    REQUIRE(d);
    CHECK(d->verdict == Verdict::Refer);
    REQUIRE(d->reasons.size() == 1);
    CHECK(d->reasons[0].code == "card");
    CHECK(d->reasons[0].zh.find("身份证") != std::string::npos);
    CHECK(d->reasons[0].en.find("ID card") != std::string::npos);
    g.verified = false; // one ID-check reason, not two
    CHECK(decide(samplePerson(), g, kNow, Rules{})->reasons.size() == 1);
}

#ifdef GATEPASS_WITH_SODIUM

namespace {

constexpr const char* kDoc = "11010519491231002X"; // samplePerson()

json keysJson(const crypto::BoxKeyPair& pair)
{
    return json::array({{{"id", crypto::keyId(pair.publicKey)},
                         {"secret_key", crypto::toBase64Url(pair.secretKey)},
                         {"public_key", crypto::toBase64Url(pair.publicKey)}}});
}

std::string sealCard(const crypto::BoxKeyPair& pair, const Person& p, std::string_view number)
{
    return frameSealedPass(crypto::passKeyId(pair.publicKey), crypto::seal(*cardPassPlain(p, kNow.unixMs, number), pair.publicKey));
}

// An enrolled gate with one batch exported before it was enrolled, so an
// upload reply (the office's revocations, Feed.h) can be applied to it.
struct CardGate {
    crypto::BoxKeyPair pair = crypto::newBoxKeyPair();
    TempDb file;
    Api api{file.open(), crypto::passCrypto()};
    int64_t seq = 0;

    CardGate()
    {
        Person other = samplePerson();
        other.docNumber = "110105194912310038";
        other.name = "李四";
        REQUIRE(call(api, {{"op", "person.save"}, {"person", toJson(other)}})["ok"] == true);
        seq = call(api, {{"op", "batch.export"}})["seq"];
        REQUIRE(call(api, {{"op", "settings.set"}, {"settings", {{"keys", keysJson(pair)}}}})["ok"] == true);
    }
    std::string card(std::string_view number) { return sealCard(pair, samplePerson(), number); }
    json scan(const std::string& text, int64_t at = kNow.unixMs) { return call(api, {{"op", "scan"}, {"text", text}}, at); }
    void revoke(json rows)
    {
        json body{{"ok", true}, {"already", false}, {"batch", {{"community", "C001"}, {"gate", "北门"}, {"seq", seq}}},
                  {"added", {{"persons", 0}, {"persons_updated", 0}, {"entries", 0}}}, {"conflicts", json::array()},
                  {"revocations", rows}, {"watch_list", json::array()}, {"roster", json::array()}};
        json r = call(api, {{"op", "batch.upload_result"}, {"seq", seq}, {"status", 200}, {"body", body.dump()}});
        REQUIRE(r["ok"] == true);
        REQUIRE(r["feed"]["revocations"] == rows.size());
    }
    json gateOp(const char* op, json args)
    {
        args["op"] = op;
        return call(api, args);
    }
};

} // namespace

TEST_CASE("api (libsodium): a card opens at the gate however old, marked as a card, never as live", "[card][api]")
{
    CardGate g;
    std::string text = g.card("OF-12");
    CHECK(text.starts_with("GP2:"));
    for (int64_t at : {kNow.unixMs, kNow.unixMs + int64_t(400) * 86'400'000}) {
        json r = g.scan(text, at);
        REQUIRE(r["ok"] == true);
        CHECK(r["card"] == "OF-12");
        CHECK(r["live"] == false);
        CHECK(!r.contains("age"));
        CHECK(r["person"]["doc_number"] == kDoc);
        // Said at once, before any temperature: every visit on a card is referred for the ID card.
        CHECK(r["alert"]["verdict"] == "refer");
        CHECK(r["alert"]["reasons"][0]["code"] == "card");
    }
    CHECK(call(g.api, {{"op", "pass.decode"}, {"text", text}})["card"] == "OF-12");
}

// The sealed pass's size goal (LivePassTest): a typical record on a card fits
// QR version 6 at ECC M too, even with a gate's longest likely number.
TEST_CASE("api (libsodium): a typical card fits QR version 6 at ECC M", "[card][pass]")
{
    auto pair = crypto::newBoxKeyPair();
    CHECK(sealCard(pair, samplePerson(), "OF-1").size() <= kQrAlphanumericM[6]);
    CHECK(sealCard(pair, samplePerson(), "G5TG7-999999").size() <= kQrAlphanumericM[6]);
}

TEST_CASE("api (libsodium): a card holds nothing personal in the clear; another community's or an altered one is refused", "[card][api]")
{
    CardGate g;
    std::string text = g.card("OF-12");
    auto bytes = *base45Decode(text.substr(4));
    Person p = samplePerson();
    for (std::string_view secret : {std::string_view(p.docNumber), std::string_view(p.phone), std::string_view(p.name),
                                    std::string_view("OF-12")})
        CHECK(bytes.find(secret) == std::string::npos);
    std::string fields = cardPassPlain(p, kNow.unixMs, "OF-12")->substr(1);
    for (size_t i = 0; i + 5 <= fields.size(); ++i)
        CHECK(bytes.find(fields.substr(i, 5)) == std::string::npos);

    CHECK(g.scan(sealCard(crypto::newBoxKeyPair(), samplePerson(), "OF-12"))["error"]["code"] == "pass.other_community");
    auto framed = *unframeSealedPass(text);
    for (size_t i = 0; i < framed.sealed.size(); i += 5) {
        std::string altered = framed.sealed;
        altered[i] ^= 0x01;
        CHECK(g.scan(frameSealedPass(framed.keyId, altered))["error"]["code"] == "pass.damaged");
    }
}

TEST_CASE("api (libsodium): every visit with a card is referred for the ID card, even a verified person's", "[card][api]")
{
    CardGate g;
    json s = g.scan(g.card("OF-12"));
    REQUIRE(s["ok"] == true);
    REQUIRE(g.gateOp("person.verify", {{"person", s["person"]}, {"staff", "王"}, {"issued_at", s["issued_at"]}})["ok"] == true);
    // As the console asks: scan's subject sent back as it is, the card's number in it.
    CHECK(s["subject"] == json{{"doc_number", kDoc}, {"card", "OF-12"}});
    json args = s["subject"];
    args.update({{"temperature", 36.5}, {"direction", "in"}, {"staff", "王"}});
    for (int visit = 0; visit < 2; ++visit) {
        CHECK(g.scan(g.card("OF-12"))["verified"] == true);
        json d = g.gateOp("decide", args);
        REQUIRE(d["ok"] == true);
        CHECK(d["verdict"] == "refer");
        CHECK(d["reasons"][0]["code"] == "card");
        CHECK(d["reasons"][0]["zh"].get<std::string>().find("OF-12") != std::string::npos);
        json e = g.gateOp("entry.record", args);
        REQUIRE(e["ok"] == true);
        CHECK(e["entry"]["verdict"] == "refer");
    }
    // The same verified person with their phone's pass: nothing to refer.
    json phone = args;
    phone.erase("card");
    CHECK(g.gateOp("decide", phone)["verdict"] == "allow");
    args["card"] = "OF 12";
    CHECK(g.gateOp("decide", args)["error"]["code"] == "card.number_invalid");
}

TEST_CASE("api (libsodium): a revoked card is refused with the reason and nothing is stored; other cards still open", "[card][api][feed]")
{
    CardGate g;
    g.revoke(json::array({{{"kind", "card"}, {"subject", "OF-12"}, {"reason", "挂失"}, {"revoked_at", 1}}}));
    json r = g.scan(g.card("OF-12"));
    CHECK(r["error"]["code"] == "pass.revoked");
    CHECK(r["error"]["zh"].get<std::string>().find("挂失") != std::string::npos);
    CHECK(r["error"]["zh"].get<std::string>().find("OF-12") != std::string::npos);
    json args{{"person", toJson(samplePerson())}, {"card", "of-12"}, {"temperature", 36.5}, {"direction", "in"}, {"staff", "王"}};
    CHECK(g.gateOp("decide", args)["error"]["code"] == "pass.revoked");
    CHECK(g.gateOp("entry.record", args)["error"]["code"] == "pass.revoked");
    CHECK(call(g.api, {{"op", "person.get"}, {"doc_number", kDoc}})["ok"] == false);
    CHECK(call(g.api, {{"op", "batch.pending"}})["entries"] == 0);
    // The replacement card opens.
    CHECK(g.scan(g.card("OF-13"))["ok"] == true);
}

// A gate key as settings keep it (base64url of 32 bytes), all bytes `b`.
static std::string gateKeyOf(int b)
{
    std::vector<uint8_t> bytes(32, uint8_t(b));
    return crypto::toBase64Url(bytes);
}

TEST_CASE("api (libsodium): a gate prints numbered sealed cards under its own issuer, logged", "[card][api]")
{
    CardGate g;
    REQUIRE(call(g.api, {{"op", "person.save"}, {"person", toJson(samplePerson())}})["ok"] == true);
    json issue{{"op", "card.issue"}, {"doc_number", kDoc}, {"staff", "王"}};
    CHECK(call(g.api, issue)["error"]["code"] == "card.no_gate");
    const std::string gateKey = gateKeyOf(7);
    REQUIRE(call(g.api, {{"op", "settings.set"}, {"settings", {{"gate_name", "北门"}, {"gate_key", gateKey}}}})["ok"] == true);
    std::string issuer = *gateCardIssuer(gateKey);
    CHECK(issuer.size() == 5);
    CHECK(issuer.starts_with("G"));
    json first = call(g.api, issue), second = call(g.api, issue);
    REQUIRE(first["ok"] == true);
    CHECK(first["number"] == issuer + "-1");
    CHECK(second["number"] == issuer + "-2");
    json s = g.scan(second["text"]);
    REQUIRE(s["ok"] == true);
    CHECK(s["card"] == issuer + "-2");
    json actions = call(g.api, {{"op", "staff.actions"}})["actions"];
    CHECK(actions.dump().find(issuer + "-2 · 1101**********002X") != std::string::npos);
    CHECK(actions.dump().find(kDoc) == std::string::npos);
    CHECK(call(g.api, {{"op", "card.issue"}, {"doc_number", "110105194912310038X"}})["error"]["code"] == "person.not_found");
}

// A laptop set up again under the same gate name starts its counter again at
// 1; its new enrollment's key gives it a new issuer, so its new cards never
// take the numbers of the old ones (a lost old card revoked must not refuse a new one).
TEST_CASE("api (libsodium): the same gate enrolled again on a new database prints cards under a new issuer", "[card][api]")
{
    auto firstCard = [](const std::string& gateKey) {
        CardGate g;
        REQUIRE(call(g.api, {{"op", "person.save"}, {"person", toJson(samplePerson())}})["ok"] == true);
        REQUIRE(call(g.api, {{"op", "settings.set"}, {"settings", {{"gate_name", "北门"}, {"gate_key", gateKey}}}})["ok"] == true);
        json r = call(g.api, {{"op", "card.issue"}, {"doc_number", kDoc}, {"staff", "王"}});
        REQUIRE(r["ok"] == true);
        return r["number"].get<std::string>();
    };
    const std::string before = firstCard(gateKeyOf(1));
    const std::string after = firstCard(gateKeyOf(2));
    CHECK(before.ends_with("-1"));
    CHECK(after.ends_with("-1"));
    CHECK(before != after);
    // Each issuer is the key's: labelled hash bits, 4 Crockford base-32 characters (no I, L, O, U).
    for (int k = 0; k < 64; ++k) {
        std::string issuer = *gateCardIssuer(gateKeyOf(k));
        REQUIRE(issuer.size() == 5);
        CHECK(issuer.find_first_of("ILOU", 1) == std::string::npos);
        CHECK(normalizeCardNumber(issuer + "-999999999"));
    }
}

TEST_CASE("api: a gate without a community key prints the plain pass, without a number", "[card][api]")
{
    TempDb file;
    Api api(file.open());
    REQUIRE(call(api, {{"op", "person.save"}, {"person", toJson(samplePerson())}})["ok"] == true);
    json r = call(api, {{"op", "card.issue"}, {"doc_number", "11010519491231002X"}});
    REQUIRE(r["ok"] == true);
    CHECK(r["text"].get<std::string>().starts_with("GP:"));
    CHECK(!r.contains("number"));
}

TEST_CASE("api (libsodium): a revoked person's cards are refused too", "[card][api][feed]")
{
    CardGate g;
    g.revoke(json::array({{{"kind", "person"}, {"subject", kDoc}, {"reason", "已搬离本社区"}, {"revoked_at", 1}}}));
    json r = g.scan(g.card("OF-12"));
    CHECK(r["error"]["code"] == "pass.revoked");
    CHECK(r["error"]["zh"].get<std::string>().find("已搬离本社区") != std::string::npos);
}

#endif
