// Revocations made at a gate (issue 9, GateRevocation.h): revocation.add's
// checks (a named error, nothing stored), the very next scan here refused, the
// staff action logged masked; the revocation travels in the next batch (a
// batch of its own, format 2 and sealed format 3), is marked carried, and
// another gate or an office Store merges it with the later one winning; an
// upload reply keeps it until the export carrying it was accepted, and then
// the office's list rules; a version-7 file gains the column.
#include "Fixtures.h"

#include "Base64.h"
#include "Digest.h"

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

constexpr const char* kDoc = "11010519491231002X"; // samplePerson()

void setUpGate(Api& api, const char* gate = "北门")
{
    REQUIRE(call(api, {{"op", "settings.set"}, {"staff", "所长"},
                       {"settings", {{"community_code", "C001"}, {"community_name", "幸福里"}, {"gate_name", gate}}}})["ok"] == true);
}

json revoke(Api& api, std::string kind, std::string subject, std::string reason, std::optional<int64_t> at = std::nullopt)
{
    return call(api, {{"op", "revocation.add"}, {"kind", kind}, {"subject", subject}, {"reason", reason}, {"staff", "小李"}}, at);
}

json uploadReply(Api& api, int64_t seq, json revocations)
{
    json body{{"ok", true}, {"already", false}, {"revocations", revocations}, {"watch_list", json::array()}, {"roster", json::array()}};
    json r = call(api, {{"op", "batch.upload_result"}, {"seq", seq}, {"status", 200}, {"body", body.dump()}});
    REQUIRE(r["ok"] == true);
    REQUIRE(r["uploaded"] == true);
    return r;
}

json revokeActions(Api& api)
{
    json out = json::array(), all = call(api, {{"op", "staff.actions"}, {"limit", 100}});
    for (const json& a : all["actions"])
        if (a["kind"] == "revoke")
            out.push_back(a);
    return out;
}

// A format-2 batch with one body line changed and its checksum made right again:
// what only a gate without a key could have written, to see the line's own check.
std::string withBodyLine(const std::string& text, const std::string& from, const std::string& to)
{
    size_t headerEnd = text.find('\n', text.find('\n') + 1);
    std::string header = text.substr(0, headerEnd), body = text.substr(headerEnd + 1);
    size_t at = body.find(from);
    REQUIRE(at != std::string::npos);
    std::string oldSum = *sha256Hex(body);
    body.replace(at, from.size(), to);
    size_t sum = header.find(oldSum);
    REQUIRE(sum != std::string::npos);
    header.replace(sum, oldSum.size(), *sha256Hex(body));
    return header + "\n" + body;
}

} // namespace

TEST_CASE("revocation.add: bad input is a named error and stores nothing", "[revocation][api]")
{
    TempDb file;
    Api api(file.open());
    setUpGate(api);
    const std::vector<std::tuple<const char*, json, std::string>> cases = {
        {"no kind", {{"subject", "OF-1"}, {"reason", "卡丢失"}}, "revocation.kind"},
        {"unknown kind", {{"kind", "gate"}, {"subject", "OF-1"}, {"reason", "卡丢失"}}, "revocation.kind"},
        {"card number with a space", {{"kind", "card"}, {"subject", "OF 1"}, {"reason", "卡丢失"}}, "card.number_invalid"},
        {"no card number", {{"kind", "card"}, {"reason", "卡丢失"}}, "card.number_invalid"},
        {"short document number", {{"kind", "person"}, {"subject", "12"}, {"reason", "已搬离"}}, "revocation.subject"},
        {"name for a document number", {{"kind", "person"}, {"subject", "张三"}, {"reason", "已搬离"}}, "revocation.subject"},
        {"no reason", {{"kind", "card"}, {"subject", "OF-1"}}, "revocation.no_reason"},
        {"blank reason", {{"kind", "card"}, {"subject", "OF-1"}, {"reason", "   "}}, "revocation.no_reason"},
        {"long reason", {{"kind", "card"}, {"subject", "OF-1"}, {"reason", std::string(201, 'a')}}, "revocation.reason"},
        {"control character", {{"kind", "card"}, {"subject", "OF-1"}, {"reason", "卡\n丢失"}}, "revocation.reason"},
        {"bad staff name", {{"kind", "card"}, {"subject", "OF-1"}, {"reason", "卡丢失"}, {"staff", "小\x01李"}}, "staff.invalid"},
    };
    for (const auto& [what, args, code] : cases) {
        INFO(what);
        json req = args;
        req["op"] = "revocation.add";
        json r = call(api, req);
        REQUIRE(r["ok"] == false);
        CHECK(r["error"]["code"] == code);
        CHECK(!r["error"]["zh"].get<std::string>().empty());
        CHECK(!r["error"]["en"].get<std::string>().empty());
    }
    CHECK(call(api, {{"op", "batch.pending"}})["revocations"] == 0);
    CHECK(revokeActions(api).empty());
    CHECK(!api.store().revocation("card", "OF-1"));
    CHECK(call(api, {{"op", "batch.export"}, {"upload", true}})["error"]["code"] == "batch.nothing_pending");
}

TEST_CASE("revocation.add: the very next scan here refuses the person, and the action is logged masked", "[revocation][api]")
{
    TempDb file;
    Api api(file.open());
    setUpGate(api);
    const std::string pass = call(api, {{"op", "pass.encode"}, {"person", toJson(samplePerson())}})["text"];
    json before = call(api, {{"op", "scan"}, {"text", pass}});
    REQUIRE(before["ok"] == true);
    // What staff may revoke of what was read: the person (a plain pass is no card).
    REQUIRE(before["revoke"].size() == 1);
    CHECK(before["revoke"][0]["kind"] == "person");
    CHECK(before["revoke"][0]["subject"] == kDoc);
    CHECK(!before["revoke"][0]["words"]["zh"].get<std::string>().empty());

    json r = revoke(api, "person", "11010519491231002x", " 已搬离 ");
    REQUIRE(r["ok"] == true);
    CHECK(r["revocation"] == json{{"kind", "person"}, {"subject", kDoc}, {"reason", "已搬离"}, {"revoked_at", kNow.unixMs}});
    CHECK(r["pending"]["revocations"] == 1);
    CHECK(r["message"]["code"] == "revocation.added");
    CHECK(r["message"]["zh"].get<std::string>().find(kDoc) == std::string::npos);

    json after = call(api, {{"op", "scan"}, {"text", pass}});
    REQUIRE(after["ok"] == false);
    CHECK(after["error"]["code"] == "pass.revoked");
    CHECK(after["error"]["zh"].get<std::string>().find("已搬离") != std::string::npos);
    CHECK(call(api, {{"op", "entry.record"}, {"person", toJson(samplePerson())}, {"direction", "in"}})["error"]["code"] ==
          "pass.revoked");

    json logged = revokeActions(api);
    REQUIRE(logged.size() == 1);
    CHECK(logged[0]["staff"] == "小李");
    CHECK(logged[0]["detail"]["zh"].get<std::string>().find(maskDocNumber(kDoc)) != std::string::npos);
    CHECK(call(api, {{"op", "staff.actions"}})["actions"].dump().find(kDoc) == std::string::npos); // never the full number

    // A card by its number as typed: stored normalised.
    REQUIRE(revoke(api, "card", " of-7 ", "卡丢失")["ok"] == true);
    CHECK(api.store().revocation("card", "OF-7")->reason == "卡丢失");
    CHECK(revokeActions(api)[0]["detail"]["en"] == "pass card OF-7");
    CHECK(call(api, {{"op", "revocation.reasons"}})["reasons"][0] == json{{"zh", "卡丢失"}, {"en", "Lost card"}});
}

TEST_CASE("a revocation made here makes a batch of its own, is marked carried, and another gate and an office merge it, the later winning",
          "[revocation][batch]")
{
    TempDb northFile, southFile, officeFile;
    Api north(northFile.open()), south(southFile.open());
    setUpGate(north);
    setUpGate(south, "南门");
    // A batch without revocations reads as before: no count for them.
    REQUIRE(call(north, {{"op", "person.save"}, {"person", toJson(samplePerson())}})["ok"] == true);
    json plain = call(north, {{"op", "batch.export"}, {"upload", true}});
    REQUIRE(plain["ok"] == true);
    CHECK(!plain["header"]["counts"].contains("revocations"));

    CHECK(call(north, {{"op", "batch.pending"}})["exportable"] == false);
    REQUIRE(revoke(north, "card", "OF-7", "卡丢失")["ok"] == true);
    // Pending alone, it is what the console sends on coming online, and shows in words.
    json pending = call(north, {{"op", "batch.pending"}});
    CHECK(pending["exportable"] == true);
    CHECK(pending["words"] == json{{"zh", "0 条进出 · 0 人 · 1 项撤销"}, {"en", "0 entries · 0 people · 1 revocation"}});
    json exported = call(north, {{"op", "batch.export"}, {"upload", true}});
    REQUIRE(exported["ok"] == true);
    CHECK(exported["header"]["counts"]["revocations"] == 1);
    CHECK(exported["header"]["counts"]["persons"] == 0);
    // The Data tab lists the batch in the same words (the console counted entries and persons only).
    json listed = call(north, {{"op", "batch.list"}})["batches"];
    CHECK(listed[0]["words"] == json{{"zh", "0 条进出 · 1 人"}, {"en", "0 entries · 1 person"}});
    CHECK(listed[1]["revocations"] == 1);
    CHECK(listed[1]["words"] == pending["words"]);
    const std::string text = exported["file"]["text"];
    auto parsed = parseBatch(text);
    REQUIRE(parsed);
    REQUIRE(parsed->revocations.size() == 1);
    CHECK(parsed->revocations[0] == Revocation{"card", "OF-7", "卡丢失", kNow.unixMs});
    CHECK(parsed->actions.back().kind == StaffActionKind::Revoke);
    // Carried: not pending any more, and nothing else makes another batch.
    CHECK(call(north, {{"op", "batch.pending"}})["revocations"] == 0);
    CHECK(call(north, {{"op", "batch.export"}, {"upload", true}})["error"]["code"] == "batch.nothing_pending");
    CHECK(north.store().revocation("card", "OF-7")); // still refused here

    // Another gate imports the file: the card is refused there with the north gate's reason.
    json imported = call(south, {{"op", "batch.import"}, {"text", text}, {"staff", "老王"}});
    REQUIRE(imported["ok"] == true);
    CHECK(imported["added_revocations"] == 1);
    CHECK(south.store().revocation("card", "OF-7")->reason == "卡丢失");
    // Carried onward from there: the north gate may hand files over and never upload.
    CHECK(call(south, {{"op", "batch.pending"}})["revocations"] == 1);
    json onward = call(south, {{"op", "batch.export"}, {"upload", true}});
    REQUIRE(onward["ok"] == true);
    CHECK(parseBatch(onward["file"]["text"].get<std::string>())->revocations == parsed->revocations);
    // Handed back to the north gate, it is not news there: nothing goes back and forth.
    CHECK(call(north, {{"op", "batch.import"}, {"text", onward["file"]["text"]}, {"staff", "老王"}})["added_revocations"] == 0);
    CHECK(call(north, {{"op", "batch.pending"}})["revocations"] == 0);

    // An office's Store: the same; an older revocation of that card changes nothing, a newer one replaces it.
    Store office = officeFile.open();
    Settings s;
    s.communityCode = "C001";
    REQUIRE(office.saveSettings(s));
    REQUIRE(mergeBatch(office, *parsed, kNow)->revocationsAdded == 1);
    ParsedBatch older = *parsed;
    older.header.bodySha256 = "older";
    older.revocations[0] = Revocation{"card", "OF-7", "旧原因", kNow.unixMs - 1000};
    CHECK(mergeBatch(office, older, kNow)->revocationsAdded == 0);
    CHECK(office.revocation("card", "OF-7")->reason == "卡丢失");
    ParsedBatch newer = *parsed;
    newer.header.bodySha256 = "newer";
    newer.revocations[0] = Revocation{"card", "OF-7", "找回后又丢失", kNow.unixMs + 1000};
    CHECK(mergeBatch(office, newer, kNow)->revocationsAdded == 1);
    CHECK(office.revocation("card", "OF-7")->reason == "找回后又丢失");
    // A revocation from the future is a made-up file or a clock far ahead: refused whole.
    ParsedBatch future = *parsed;
    future.header.bodySha256 = "future";
    future.revocations[0].revokedAt = kNow.unixMs + 2 * kBatchClockSkewMs;
    CHECK(mergeBatch(office, future, kNow).error().code == "batch.future");

    // A revocation line that breaks the rules (checkRevocation) is refused whole, even with a right checksum.
    CHECK(parseBatch(withBodyLine(text, "\"kind\":\"card\"", "\"kind\":\"gate\"")).error().code == "batch.invalid_record");
    CHECK(parseBatch(withBodyLine(text, "\"reason\":\"卡丢失\"", "\"reason\":\"\"")).error().code == "batch.invalid_record");
    CHECK(parseBatch(withBodyLine(text, "\"subject\":\"OF-7\"", "\"subject\":7")).error().code == "batch.invalid_record");
}

TEST_CASE("an upload reply keeps a revocation made here until the export carrying it was accepted; then the office's list rules",
          "[revocation][feed][api]")
{
    TempDb file;
    Api api(file.open());
    setUpGate(api);
    REQUIRE(call(api, {{"op", "person.save"}, {"person", toJson(samplePerson())}})["ok"] == true);
    const int64_t first = call(api, {{"op", "batch.export"}, {"upload", true}})["seq"];
    const Revocation office{"person", "110105194912310038", "办公室的", kNow.unixMs - 5000};
    const json officeRow = json{{"kind", office.kind}, {"subject", office.subject}, {"reason", office.reason}, {"revoked_at", office.revokedAt}};

    REQUIRE(revoke(api, "card", "OF-7", "卡丢失")["ok"] == true);
    // Pending: a reply for an earlier batch, which the office answered without it, keeps it.
    json r = uploadReply(api, first, json::array({officeRow}));
    CHECK(r["feed"]["revocations"] == 2);
    CHECK(api.store().revocation("card", "OF-7"));
    CHECK(api.store().revocation("person", office.subject));

    // Carried by an export not yet accepted: kept still.
    const int64_t second = call(api, {{"op", "batch.export"}, {"upload", true}})["seq"];
    REQUIRE(second == first + 1);
    uploadReply(api, first, json::array());
    CHECK(api.store().revocation("card", "OF-7"));
    CHECK(!api.store().revocation("person", office.subject)); // the office withdrew its own: gone

    // The export that carries it is accepted, and the office's reply (made after merging it) holds it: the office's row now.
    json row = {{"kind", "card"}, {"subject", "OF-7"}, {"reason", "卡丢失"}, {"revoked_at", kNow.unixMs}};
    CHECK(uploadReply(api, second, json::array({row}))["feed"]["revocations"] == 1);
    CHECK(api.store().revocation("card", "OF-7"));
    // The office withdraws it (found again): the next reply takes it off this gate too.
    REQUIRE(call(api, {{"op", "person.save"}, {"person", toJson(samplePerson())}, {"now", kNow.unixMs + 60'000}})["ok"] == true);
    const int64_t third = call(api, {{"op", "batch.export"}, {"upload", true}})["seq"];
    CHECK(uploadReply(api, third, json::array())["feed"]["revocations"] == 0);
    CHECK(!api.store().revocation("card", "OF-7"));
}

TEST_CASE("the reply to the very upload that carries a revocation is the truth about it (the batch is marked first)", "[revocation][feed][api]")
{
    TempDb file;
    Api api(file.open());
    setUpGate(api);
    REQUIRE(revoke(api, "card", "OF-7", "卡丢失")["ok"] == true);
    const int64_t seq = call(api, {{"op", "batch.export"}, {"upload", true}})["seq"];
    // The office merged it and withdrew it before answering (or holds a newer word): its list says what stands.
    CHECK(uploadReply(api, seq, json::array())["feed"]["revocations"] == 0);
    CHECK(!api.store().revocation("card", "OF-7"));

    // A pending row and an office row of the same card: the later revoked_at stays, pending while it is ours.
    REQUIRE(revoke(api, "card", "OF-8", "本门岗的", kNow.unixMs + 2000)["ok"] == true);
    json older = {{"kind", "card"}, {"subject", "OF-8"}, {"reason", "办公室的"}, {"revoked_at", kNow.unixMs}};
    uploadReply(api, seq, json::array({older}));
    CHECK(api.store().revocation("card", "OF-8")->reason == "本门岗的");
    CHECK(call(api, {{"op", "batch.pending"}})["revocations"] == 1);
    json newer = older;
    newer["revoked_at"] = kNow.unixMs + 3000;
    uploadReply(api, seq, json::array({newer}));
    CHECK(api.store().revocation("card", "OF-8")->reason == "办公室的");
    CHECK(call(api, {{"op", "batch.pending"}})["revocations"] == 0); // the office has a later word: nothing of ours to send
}

TEST_CASE("a schema 7 database gains the revocations' export column; the office's rows it held stay the office's", "[revocation][migration]")
{
    TempDb file;
    {
        Store s = file.open();
        REQUIRE(s.replaceRevocations({Revocation{"card", "OF-1", "挂失", kNow.unixMs}}));
    }
    {
        auto raw = Database::open(file.path(), nullptr);
        REQUIRE(raw);
        REQUIRE(raw->exec("ALTER TABLE exports DROP COLUMN deletions; ALTER TABLE exports DROP COLUMN revocations; ALTER TABLE exports DROP COLUMN visitor_uses; ALTER TABLE revocations DROP COLUMN batch_seq; PRAGMA user_version=7"));
    }
    Store s = file.open();
    CHECK(s.schemaVersion() == kSchemaVersion);
    CHECK(s.integrityCheck() == "ok");
    CHECK(s.revocation("card", "OF-1")->reason == "挂失");
    CHECK(s.pendingRevocations().empty());
    CHECK(s.pendingCounts().revocations == 0);
    // The office's: the next reply's list replaces it.
    CHECK(*s.replaceRevocations({}) == 0);
    Revocation here{"card", "OF-2", "卡丢失", kNow.unixMs};
    REQUIRE(s.addRevocation(here));
    CHECK(s.pendingRevocations() == std::vector<Revocation>{here});
}

TEST_CASE("a schema 8 database gains each export's deletion and revocation counts, read from its file", "[revocation][migration]")
{
    TempDb file;
    {
        Api api(file.open());
        setUpGate(api);
        REQUIRE(revoke(api, "card", "OF-7", "卡丢失")["ok"] == true);
        REQUIRE(call(api, {{"op", "batch.export"}, {"upload", true}})["ok"] == true);
    }
    {
        auto raw = Database::open(file.path(), nullptr);
        REQUIRE(raw);
        REQUIRE(raw->exec("ALTER TABLE exports DROP COLUMN deletions; ALTER TABLE exports DROP COLUMN revocations; ALTER TABLE exports DROP COLUMN visitor_uses; PRAGMA user_version=8"));
    }
    Api api(file.open());
    CHECK(api.store().schemaVersion() == kSchemaVersion);
    json listed = call(api, {{"op", "batch.list"}})["batches"];
    REQUIRE(listed.size() == 1);
    CHECK(listed[0]["revocations"] == 1);
    CHECK(listed[0]["deletions"] == 0);
    CHECK(listed[0]["words"]["en"] == "0 entries · 0 people · 1 revocation");
}

TEST_CASE("an enrollment carries the office's revocations: gate.enroll applies them as a reply's, a bad row refuses it whole", "[revocation][enroll][api]")
{
    auto key32 = [](uint8_t fill) { return encodeBase64Url(std::vector<uint8_t>(32, fill)); };
    json enrollment{{"v", 1},
                    {"community", {{"code", "C001"}, {"name", "八角路社区"}}},
                    {"site", "https://bajiao.example.org/"},
                    {"gate", "北门"},
                    {"keys", json::array({{{"id", "a1b2c3d4"}, {"secret_key", key32(1)}, {"public_key", key32(2)}}})},
                    {"gate_key", key32(3)},
                    {"retention_days", 21},
                    {"revocations", json::array({{{"kind", "card"}, {"subject", "OF-1"}, {"reason", "挂失"}, {"revoked_at", kNow.unixMs - 1000}}})}};
    TempDb file;
    Api api(file.open());
    setUpGate(api);
    REQUIRE(revoke(api, "card", "G1A2B-3", "卡丢失")["ok"] == true); // made here, not yet sent: kept
    json bad = enrollment;
    bad["revocations"][0]["kind"] = "gate";
    json refused = call(api, {{"op", "gate.enroll"}, {"enrollment", bad.dump()}});
    CHECK(refused["error"]["code"] == "enroll.invalid");
    CHECK(refused["error"]["field"] == "revocations");
    CHECK(!api.store().revocation("card", "OF-1"));
    CHECK(call(api, {{"op", "settings.get"}})["settings"]["site"] == "");

    REQUIRE(call(api, {{"op", "gate.enroll"}, {"enrollment", enrollment.dump()}, {"staff", "所长"}})["ok"] == true);
    CHECK(api.store().revocation("card", "OF-1")->reason == "挂失");
    CHECK(api.store().revocation("card", "G1A2B-3"));
    CHECK(call(api, {{"op", "batch.pending"}})["revocations"] == 1); // only ours travels
    // A code made without the office's database carries none: what the gate holds stays.
    enrollment.erase("revocations");
    REQUIRE(call(api, {{"op", "gate.enroll"}, {"enrollment", enrollment.dump()}})["ok"] == true);
    CHECK(api.store().revocation("card", "OF-1"));
}

#ifdef GATEPASS_WITH_SODIUM

TEST_CASE("api (libsodium): a revocation travels in a sealed batch (format 3) to another enrolled gate, which refuses the card",
          "[revocation][batch][live]")
{
    crypto::BoxKeyPair pair = crypto::newBoxKeyPair();
    json keys = json::array({{{"id", crypto::keyId(pair.publicKey)},
                              {"secret_key", crypto::toBase64Url(pair.secretKey)},
                              {"public_key", crypto::toBase64Url(pair.publicKey)}}});
    TempDb northFile, southFile;
    Api north{northFile.open(), crypto::passCrypto()}, south{southFile.open(), crypto::passCrypto()};
    for (Api* g : {&north, &south}) {
        setUpGate(*g, g == &north ? "北门" : "南门");
        REQUIRE(call(*g, {{"op", "settings.set"}, {"settings", {{"keys", keys}}}})["ok"] == true);
    }
    const std::string card = frameSealedPass(crypto::passKeyId(pair.publicKey),
                                             crypto::seal(*cardPassPlain(samplePerson(), kNow.unixMs, "OF-7"), pair.publicKey));
    REQUIRE(call(south, {{"op", "scan"}, {"text", card}})["card"] == "OF-7");
    json offered = call(north, {{"op", "scan"}, {"text", card}})["revoke"];
    REQUIRE(offered.size() == 2);
    CHECK(offered[0]["kind"] == "card");
    CHECK(offered[0]["subject"] == "OF-7");
    CHECK(offered[1]["kind"] == "person");

    REQUIRE(revoke(north, offered[0]["kind"].get<std::string>(), offered[0]["subject"].get<std::string>(), "卡丢失")["ok"] == true);
    CHECK(call(north, {{"op", "scan"}, {"text", card}})["error"]["code"] == "pass.revoked");
    json exported = call(north, {{"op", "batch.export"}, {"upload", true}});
    REQUIRE(exported["ok"] == true);
    const std::string text = exported["file"]["text"];
    CHECK(text.starts_with("GATEPASS-BATCH 3\n"));
    CHECK(text.find("OF-7") == std::string::npos); // sealed: nothing readable on a lost stick
    CHECK(!parseBatch(text));

    REQUIRE(call(south, {{"op", "batch.import"}, {"text", text}, {"staff", "老王"}})["added_revocations"] == 1);
    json refused = call(south, {{"op", "scan"}, {"text", card}});
    CHECK(refused["error"]["code"] == "pass.revoked");
    CHECK(refused["error"]["zh"].get<std::string>().find("卡丢失") != std::string::npos);
}

#endif
