// Live sealed passes (Pass.h format 2): the core's half — plain bytes, frame,
// clock window, and the gate's refusals. The sealing itself is libsodium's
// (src/crypto/SealedBox.h); the Api tests with real sealed boxes run natively
// only (GATEPASS_WITH_SODIUM), the wasm build has no libsodium.
#include "Fixtures.h"

#include "Base45.h"
#include "LiveBand.h"

#include <catch2/catch.hpp>

#ifdef GATEPASS_WITH_SODIUM
#include "Base64Url.h"
#include "KeyPair.h"
#include "SealedBox.h"
#endif

using namespace gatepass;
using namespace gatepass::test;
using nlohmann::json;

TEST_CASE("live pass plain bytes round-trip with the made second, for many people", "[pass][live]")
{
    PersonGenerator gen(9);
    for (int i = 0; i < 1000; ++i) {
        Person p = validate(gen.next(), kNow.today()).person;
        int64_t issued = kNow.unixMs - gen.pick(1'000'000) * 60'000LL;
        int64_t made = kNow.unixMs - gen.pick(100'000);
        auto plain = livePassPlain(p, issued, made);
        REQUIRE(plain);
        CHECK(uint8_t((*plain)[0]) == kSealedPassFormat);
        auto read = readLivePassPlain(*plain, made, LiveWindow{});
        REQUIRE(read);
        CHECK(read->person == p);
        CHECK(read->issuedAtMs == issued / 60'000 * 60'000);
        CHECK(read->madeAtMs == made / 1000 * 1000);
    }
}

TEST_CASE("a live pass is taken within its window and refused outside it", "[pass][live]")
{
    auto plain = *livePassPlain(samplePerson(), kNow.unixMs, kNow.unixMs);
    LiveWindow w; // 120 s old, 300 s ahead
    CHECK(readLivePassPlain(plain, kNow.unixMs, w));
    CHECK(readLivePassPlain(plain, kNow.unixMs + 120'000, w));
    CHECK(readLivePassPlain(plain, kNow.unixMs + 121'000, w).error().code == "pass.stale");
    CHECK(readLivePassPlain(plain, kNow.unixMs - 300'000, w));
    CHECK(readLivePassPlain(plain, kNow.unixMs - 301'000, w).error().code == "pass.clock");
    CHECK(readLivePassPlain(plain, kNow.unixMs + 31'000, LiveWindow{30, 0}).error().code == "pass.stale");
}

TEST_CASE("damaged plain bytes give a reason, never a record", "[pass][live]")
{
    std::string plain = *livePassPlain(samplePerson(), kNow.unixMs, kNow.unixMs);
    CHECK(readLivePassPlain("", kNow.unixMs, {}).error().code == "pass.damaged");
    for (size_t n = 0; n < plain.size(); ++n)
        CHECK_FALSE(readLivePassPlain(plain.substr(0, n), kNow.unixMs, {}));
    std::string format1 = plain;
    format1[0] = 1;
    CHECK(readLivePassPlain(format1, kNow.unixMs, {}).error().code == "pass.damaged");
    std::string newer = plain;
    newer[0] = 3;
    CHECK(readLivePassPlain(newer, kNow.unixMs, {}).error().code == "pass.newer_version");
    CHECK(readLivePassPlain(plain + "x", kNow.unixMs, {}).error().code == "pass.damaged");
}

TEST_CASE("the GP2 frame carries the key id and the sealed bytes, and nothing else", "[pass][live]")
{
    KeyId id{0x12, 0x34, 0xab, 0xcd};
    std::string sealed(48 + 40, '\x7f');
    std::string text = frameSealedPass(id, sealed);
    CHECK(text.starts_with("GP2:"));
    auto f = unframeSealedPass(text + "\r\n");
    REQUIRE(f);
    CHECK(f->keyId == id);
    CHECK(f->sealed == sealed);
    CHECK(unframeSealedPass("GP:ABC").error().code == "pass.foreign");
    CHECK(unframeSealedPass("https://example.com").error().code == "pass.foreign");
    CHECK(unframeSealedPass("GP2:hello").error().code == "pass.damaged");
    CHECK(unframeSealedPass(frameSealedPass(id, std::string(20, 'x'))).error().code == "pass.damaged");
}

TEST_CASE("the day's band differs from one day to the next", "[live]")
{
    for (int d = 20000; d < 20030; ++d) {
        DayBand a = dayBand(Date{d}), b = dayBand(Date{d + 1});
        CHECK(a.colour != b.colour);
        CHECK(a.colour.size() == 7);
        CHECK(!a.words.zh.empty());
        CHECK(dayBand(Date{d + 7}).colour == a.colour);
    }
}

TEST_CASE("api: a gate with keys refuses plain passes; one without keeps reading them", "[api][live]")
{
    TempDb file;
    Api api(file.open()); // no PassCrypto: the refusals come before any opening
    std::string plain = *encodePass(samplePerson(), kNow.unixMs);
    json r = call(api, {{"op", "scan"}, {"text", plain}});
    REQUIRE(r["ok"] == true);
    CHECK(r["enrolled"] == false);
    CHECK(r["live"] == false);

    // A GP2 pass at a gate without keys: it cannot be read.
    std::string live = frameSealedPass(KeyId{1, 2, 3, 4}, std::string(48 + 40, 'x'));
    CHECK(call(api, {{"op", "scan"}, {"text", live}})["error"]["code"] == "pass.not_enrolled");

    json keys = json::array({{{"id", "a1b2c3d4"}, {"secret_key", std::string(43, 'A')}, {"public_key", std::string(43, 'B')}}});
    r = call(api, {{"op", "settings.set"}, {"settings", {{"keys", keys}}}});
    REQUIRE(r["ok"] == true);
    CHECK(r["key_ids"] == json::array({"a1b2c3d4"}));
    CHECK(r.dump().find(std::string(43, 'A')) == std::string::npos); // never the secret

    r = call(api, {{"op", "scan"}, {"text", plain}});
    CHECK(r["error"]["code"] == "pass.plain");
    CHECK_FALSE(r["error"]["zh"].get<std::string>().empty());
    CHECK_FALSE(r["error"]["en"].get<std::string>().empty());
    CHECK(call(api, {{"op", "scan"}, {"text", live}})["error"]["code"] == "pass.other_community");
    // The right key id, but no crypto to open it with: said so, not a crash.
    std::string ours = frameSealedPass(KeyId{0xa1, 0xb2, 0xc3, 0xd4}, std::string(48 + 40, 'x'));
    CHECK(call(api, {{"op", "scan"}, {"text", ours}})["error"]["code"] == "crypto.unavailable");
    // Refusals store nothing.
    CHECK(call(api, {{"op", "person.list"}})["records"].empty());
    CHECK(call(api, {{"op", "batch.pending"}})["persons"] == 0);
}

TEST_CASE("api: the live-pass limits are settings, within bounds", "[api][live]")
{
    TempDb file;
    Api api(file.open());
    json r = call(api, {{"op", "settings.get"}});
    CHECK(r["settings"]["rules"]["pass_max_age_seconds"] == 120);
    CHECK(r["settings"]["rules"]["pass_max_ahead_seconds"] == 300);
    r = call(api, {{"op", "settings.set"}, {"settings", {{"rules", {{"pass_max_age_seconds", 60}}}}}});
    CHECK(r["settings"]["rules"]["pass_max_age_seconds"] == 60);
    CHECK(call(api, {{"op", "settings.set"}, {"settings", {{"rules", {{"pass_max_age_seconds", 5}}}}}})["ok"] == false);
    CHECK(call(api, {{"op", "settings.set"}, {"settings", {{"rules", {{"pass_max_ahead_seconds", -1}}}}}})["ok"] == false);
    CHECK(call(api, {{"op", "settings.get"}})["settings"]["rules"]["pass_max_age_seconds"] == 60);
}

TEST_CASE("api: the resident's community key is checked, and without crypto no live pass is made", "[api][live]")
{
    TempDb file;
    Api api(file.open());
    for (std::string bad : {std::string("short"), std::string(44, 'A'), std::string(42, 'A') + "B", std::string(42, 'A') + "+"})
        CHECK(call(api, {{"op", "settings.set"}, {"settings", {{"community_public_key", bad}}}})["error"]["code"] == "settings.invalid");
    std::string key = std::string(42, 'A') + "E";
    REQUIRE(call(api, {{"op", "settings.set"}, {"settings", {{"community_public_key", key}}}})["ok"] == true);
    CHECK(call(api, {{"op", "settings.get"}})["settings"]["community_public_key"] == key);
    REQUIRE(call(api, {{"op", "person.save"}, {"person", toJson(samplePerson())}})["ok"] == true);
    CHECK(call(api, {{"op", "pass.live"}, {"doc_number", samplePerson().docNumber}})["error"]["code"] == "crypto.unavailable");
    json clock = call(api, {{"op", "live.clock"}});
    CHECK(clock["band"]["colour"] == dayBand(kNow.today()).colour);
    CHECK(clock["date"] == kNow.today().toString());
    CHECK(clock["time"].get<std::string>().size() == 8);
}

#ifdef GATEPASS_WITH_SODIUM

namespace {

json keysJson(const crypto::BoxKeyPair& pair)
{
    return json::array({{{"id", crypto::keyId(pair.publicKey)},
                         {"secret_key", crypto::toBase64Url(pair.secretKey)},
                         {"public_key", crypto::toBase64Url(pair.publicKey)}}});
}

// The resident's phone and a gate, each its own database, as in the field.
struct Community {
    crypto::BoxKeyPair pair = crypto::newBoxKeyPair();
    TempDb phoneFile, gateFile;
    Api phone{phoneFile.open(), crypto::passCrypto()};
    Api gate{gateFile.open(), crypto::passCrypto()};

    Community()
    {
        REQUIRE(call(phone, {{"op", "settings.set"}, {"settings", {{"community_public_key", crypto::toBase64Url(pair.publicKey)}}}})["ok"] == true);
        REQUIRE(call(phone, {{"op", "person.save"}, {"person", toJson(samplePerson())}})["ok"] == true);
        REQUIRE(call(gate, {{"op", "settings.set"}, {"settings", {{"keys", keysJson(pair)}}}})["ok"] == true);
    }
    std::string livePass(int64_t at)
    {
        json r = call(phone, {{"op", "pass.live"}, {"doc_number", samplePerson().docNumber}}, at);
        REQUIRE(r["ok"] == true);
        return r["text"];
    }
};

} // namespace

TEST_CASE("api (libsodium): a live pass made on the phone opens at an enrolled gate, within its window", "[api][live]")
{
    Community c;
    std::string text = c.livePass(kNow.unixMs);
    CHECK(text.starts_with("GP2:"));
    // Made again a second later: a different pass (a fresh ephemeral key), the same person.
    CHECK(c.livePass(kNow.unixMs + 1000) != text);
    // The phone is told when to make it again: well inside a gate's window.
    json made = call(c.phone, {{"op", "pass.live"}, {"doc_number", samplePerson().docNumber}}, kNow.unixMs + 2500);
    CHECK(made["made_at"] == kNow.unixMs + 2000);
    CHECK(made["renew_at"] == kNow.unixMs + 2000 + kLiveRenewSeconds * 1000);
    CHECK(kLiveRenewSeconds * 2 <= LiveWindow{}.maxAgeSeconds);

    json r = call(c.gate, {{"op", "scan"}, {"text", text}}, kNow.unixMs + 90'000);
    REQUIRE(r["ok"] == true);
    CHECK(r["live"] == true);
    CHECK(r["enrolled"] == true);
    CHECK(r["person"]["doc_number"] == samplePerson().docNumber);
    CHECK(r["made_at"] == kNow.unixMs);
    CHECK(r["age"]["seconds"] == 90);
    CHECK(r["band"]["colour"] == dayBand(kNow.today()).colour);

    // The same screenshot replayed after the window.
    r = call(c.gate, {{"op", "scan"}, {"text", text}}, kNow.unixMs + 121'000);
    CHECK(r["error"]["code"] == "pass.stale");
    CHECK(call(c.gate, {{"op", "scan"}, {"text", text}}, kNow.unixMs - 301'000)["error"]["code"] == "pass.clock");
    CHECK(call(c.gate, {{"op", "pass.decode"}, {"text", text}}, kNow.unixMs + 10'000)["made_at"] == kNow.unixMs);
}

TEST_CASE("api (libsodium): an altered live pass, or another community's, is refused", "[api][live]")
{
    Community c;
    std::string text = c.livePass(kNow.unixMs);
    auto framed = *unframeSealedPass(text);
    for (size_t i = 0; i < framed.sealed.size(); i += 7) {
        std::string altered = framed.sealed;
        altered[i] ^= 0x01;
        CHECK(call(c.gate, {{"op", "scan"}, {"text", frameSealedPass(framed.keyId, altered)}})["error"]["code"] == "pass.damaged");
    }
    Community other;
    CHECK(call(c.gate, {{"op", "scan"}, {"text", other.livePass(kNow.unixMs)}})["error"]["code"] == "pass.other_community");
    // Another community's pass under this community's key id: it does not open.
    auto foreign = *unframeSealedPass(other.livePass(kNow.unixMs));
    CHECK(call(c.gate, {{"op", "scan"}, {"text", frameSealedPass(framed.keyId, foreign.sealed)}})["error"]["code"] == "pass.damaged");
}

TEST_CASE("api (libsodium): after a key rotation, passes sealed to the retired key open until its grace ends", "[api][live]")
{
    Community c; // the phone holds the old poster's key
    std::string oldPass = c.livePass(kNow.unixMs);
    std::string laterOldPass = c.livePass(kNow.unixMs + 3 * 86'400'000LL);

    // The gate is enrolled again: the new key first, the old one until kNow + 2 days.
    crypto::BoxKeyPair next = crypto::newBoxKeyPair();
    json keys = keysJson(next);
    json retired = keysJson(c.pair)[0];
    retired["until"] = kNow.unixMs + 2 * 86'400'000LL;
    keys.push_back(retired);
    REQUIRE(call(c.gate, {{"op", "settings.set"}, {"settings", {{"keys", keys}, {"site", "https://gate.example.org/"}}}})["ok"] == true);

    json r = call(c.gate, {{"op", "scan"}, {"text", oldPass}}, kNow.unixMs + 30'000);
    REQUIRE(r["ok"] == true);
    CHECK(r["person"]["doc_number"] == samplePerson().docNumber);
    r = call(c.gate, {{"op", "scan"}, {"text", laterOldPass}}, kNow.unixMs + 3 * 86'400'000LL + 30'000);
    CHECK(r["error"]["code"] == "pass.retired_key");
    CHECK(r["error"]["zh"].get<std::string>().find("海报") != std::string::npos);

    // The resident scans the new poster: the pass opens again, then and later.
    REQUIRE(call(c.phone, {{"op", "settings.set"}, {"settings", {{"community_public_key", crypto::toBase64Url(next.publicKey)}}}})["ok"] == true);
    std::string newPass = c.livePass(kNow.unixMs + 3 * 86'400'000LL);
    CHECK(call(c.gate, {{"op", "scan"}, {"text", newPass}}, kNow.unixMs + 3 * 86'400'000LL + 30'000)["ok"] == true);
    // The poster the console prints carries the new key.
    std::string poster = call(c.gate, {{"op", "settings.get"}})["poster_url"];
    CHECK(poster.ends_with("k=" + crypto::toBase64Url(next.publicKey)));
}

TEST_CASE("api (libsodium): a live pass holds nothing personal in the clear", "[api][live]")
{
    Community c;
    std::string text = c.livePass(kNow.unixMs);
    auto bytes = *base45Decode(text.substr(4));
    Person p = samplePerson();
    for (std::string_view secret : {std::string_view(p.docNumber), std::string_view(p.phone), std::string_view(p.name)})
        CHECK(bytes.find(secret) == std::string::npos);
    // Nor any 5 bytes running of the record as the pass packs it (compact ID
    // number, phone, packed name and address: everything after the 11-byte header).
    std::string fields = livePassPlain(p, kNow.unixMs, kNow.unixMs)->substr(11);
    REQUIRE(fields.size() > 20);
    for (size_t i = 0; i + 5 <= fields.size(); ++i)
        CHECK(bytes.find(fields.substr(i, 5)) == std::string::npos);
}

// The goal was version 7 for every item filled; a long Chinese
// employer on top of the travel and observation answers needs version 8
// (48 bytes of seal + 4 of key id + 4 of made time over format 1).
TEST_CASE("api (libsodium): sealed passes fit QR version 6 (typical), 7 (travel answers), 8 (every item) at ECC M", "[pass][live]")
{
    auto pair = crypto::newBoxKeyPair();
    auto sizeOf = [&](const Person& p) {
        auto plain = *livePassPlain(p, kNow.unixMs, kNow.unixMs);
        return frameSealedPass(crypto::passKeyId(pair.publicKey), crypto::seal(plain, pair.publicKey)).size();
    };
    CHECK(sizeOf(samplePerson()) <= kQrAlphanumericM[6]);
    Person p = samplePerson();
    p.name = "欧阳子涵";
    p.address = "12号楼3单元1502";
    p.leftCity = true;
    p.cameFrom = "湖北武汉";
    p.returnDate = Date{kNow.today().days - 3};
    CHECK(sizeOf(p) <= kQrAlphanumericM[7]);
    p.homeObservation = true;
    p.observationStart = Date{kNow.today().days - 2};
    p.employer = "北京市朝阳区街道办事处";
    CHECK(sizeOf(p) <= kQrAlphanumericM[8]);
}

#endif
