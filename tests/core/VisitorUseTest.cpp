// Single use across the community's gates (VisitorUse.h): the gate that lets a
// single-use visitor pass in stores a use row with the entry; it travels in the
// batch; another gate that has it — by importing the file, or from an upload
// reply — refuses the pass coming in (visitor.used, stores nothing) but lets its
// visitor out; a multiple-use pass makes no row; a withdrawal of a visitor's
// number stays pass.revoked; the office stops sending uses past a pass's days.
#include "Fixtures.h"

#include "VisitorUse.h"

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

VisitorPass sampleVisitorPass(bool multipleUse = false)
{
    VisitorPass v;
    v.id = "0123456789abcdef";
    v.name = "李四";
    v.phone = "13912345678";
    v.firstDay = v.lastDay = kNow.today();
    v.multipleUse = multipleUse;
    v.hostAddress = "3-2-501";
    v.hostName = "张*";
    v.madeAtMs = kNow.unixMs;
    return v;
}

} // namespace

TEST_CASE("a use row is a person revocation of the visitor's number that every gate's rules accept, told apart by its reason",
          "[visitor][revocation]")
{
    const VisitorPass pass = sampleVisitorPass();
    Revocation row = visitorUseRow(pass, kNow.unixMs);
    CHECK(row.kind == "person");
    CHECK(row.subject == "VP-0123456789ABCDEF");
    CHECK(isVisitorUse(row));
    CHECK_FALSE(checkRevocation(row)); // an office and a gate of today take it as it is
    Revocation withdrawn = row;
    withdrawn.reason = "主人取消";
    CHECK_FALSE(isVisitorUse(withdrawn));
    Revocation resident{"person", "11010519491231002X", std::string(kVisitorUsedReason), kNow.unixMs};
    CHECK_FALSE(isVisitorUse(resident));

    // The office sends uses only while their pass could still open; withdrawals always.
    Revocation old = row, oldWithdrawn = withdrawn;
    old.revokedAt = oldWithdrawn.revokedAt = kNow.unixMs - kVisitorUseKeptMs - 1;
    Revocation recent = row;
    recent.revokedAt = kNow.unixMs - kVisitorUseKeptMs + 1;
    CHECK(withoutSpentUses({old, oldWithdrawn, recent}, kNow.unixMs) == std::vector<Revocation>{oldWithdrawn, recent});
}

#ifdef GATEPASS_WITH_SODIUM

namespace {

// One community: a resident's phone and three enrolled gates.
struct Community {
    crypto::BoxKeyPair pair = crypto::newBoxKeyPair();
    TempDb phoneFile, northFile, southFile, westFile;
    Api phone{phoneFile.open(), crypto::passCrypto()};
    Api north{northFile.open(), crypto::passCrypto()};
    Api south{southFile.open(), crypto::passCrypto()};
    Api west{westFile.open(), crypto::passCrypto()};
    // An hour after the passes are made, a second between requests (lastMovement orders by time).
    int64_t at = kNow.unixMs + 3'600'000;

    Community()
    {
        REQUIRE(call(phone, {{"op", "settings.set"}, {"settings", {{"community_public_key", crypto::toBase64Url(pair.publicKey)}}}})["ok"] == true);
        REQUIRE(call(phone, {{"op", "person.save"}, {"person", toJson(samplePerson())}})["ok"] == true);
        json keys = json::array({{{"id", crypto::keyId(pair.publicKey)},
                                  {"secret_key", crypto::toBase64Url(pair.secretKey)},
                                  {"public_key", crypto::toBase64Url(pair.publicKey)}}});
        for (auto [api, name] : {std::pair{&north, "北门"}, std::pair{&south, "南门"}, std::pair{&west, "西门"}})
            REQUIRE(call(*api, {{"op", "settings.set"},
                                {"settings", {{"keys", keys}, {"gate_name", name}, {"community_code", "C001"}, {"community_name", "幸福里"}}}})["ok"] == true);
    }
    std::string pass(const std::string& uses)
    {
        json r = call(phone, {{"op", "visitor.pass"},
                              {"doc_number", samplePerson().docNumber},
                              {"visitor", {{"name", "李四"}, {"phone", "13912345678"}}},
                              {"from", kNow.today().toString()},
                              {"to", ""},
                              {"uses", uses}});
        REQUIRE(r["ok"] == true);
        return r["text"];
    }
    json at_(Api& gate, json req) { return call(gate, std::move(req), at += 1000); }
    json enter(Api& gate, const std::string& text, const std::string& direction = "in")
    {
        return at_(gate, {{"op", "entry.record"}, {"visitor_pass", text}, {"temperature", "36.5"}, {"direction", direction}, {"staff", "王"}});
    }
    size_t entries(Api& gate) { return at_(gate, {{"op", "entries.today"}})["entries"].size(); }
    // The office's list as an upload reply brings it: the gate uploads something of its own, and the reply holds `rows`.
    void officeReply(Api& gate, const std::vector<Revocation>& rows)
    {
        REQUIRE(at_(gate, {{"op", "person.save"}, {"person", toJson(samplePerson())}})["ok"] == true);
        const int64_t seq = at_(gate, {{"op", "batch.export"}, {"upload", true}})["seq"];
        json list = json::array();
        for (const Revocation& r : rows)
            list.push_back(toJson(r));
        json body{{"ok", true}, {"already", false}, {"revocations", list}, {"watch_list", json::array()}, {"roster", json::array()}};
        REQUIRE(at_(gate, {{"op", "batch.upload_result"}, {"seq", seq}, {"status", 200}, {"body", body.dump()}})["uploaded"] == true);
    }
};

// At a gate that did not let the visitor in but holds the use: the pass reads
// (its visitor may be going out here), coming in is refused and stores
// nothing, going out is recorded, and after that the pass is refused at the scan.
void refusesInLetsOut(Community& c, Api& gate, const std::string& text)
{
    json r = c.at_(gate, {{"op", "scan"}, {"text", text}});
    REQUIRE(r["ok"] == true);
    CHECK(r["direction"] == "out");
    CHECK(r["visitor"]["uses"]["en"] == "Used once · out only");
    json in = c.enter(gate, text);
    CHECK(in["error"]["code"] == "visitor.used");
    CHECK(c.at_(gate, {{"op", "decide"}, {"visitor_pass", text}, {"temperature", "36.5"}, {"direction", "in"}})["error"]["code"] ==
          "visitor.used");
    CHECK(c.entries(gate) == 0);
    CHECK(c.at_(gate, {{"op", "batch.pending"}})["persons"] == 0);
    REQUIRE(c.enter(gate, text, "out")["ok"] == true);
    CHECK(c.at_(gate, {{"op", "scan"}, {"text", text}})["error"]["code"] == "visitor.used");
    CHECK(c.entries(gate) == 1);
}

} // namespace

TEST_CASE("api (libsodium): a single-use visitor pass let in at the north gate is refused coming in at the south and west gates, "
          "which still let its visitor out",
          "[api][visitor][revocation][batch]")
{
    Community c;
    const std::string once = c.pass("single"), many = c.pass("multiple");
    REQUIRE(c.enter(c.north, once)["ok"] == true);
    REQUIRE(c.enter(c.north, many)["ok"] == true);
    // The use is pending with the entries, in its own words: not a revocation staff made.
    json pending = c.at_(c.north, {{"op", "batch.pending"}});
    CHECK(pending["revocations"] == 0);
    CHECK(pending["visitor_uses"] == 1);
    CHECK(pending["words"]["en"] == "2 entries · 2 people · 1 visitor pass use");
    CHECK(pending["words"]["zh"] == "2 条进出 · 2 人 · 1 次访客码使用");
    json exported = c.at_(c.north, {{"op", "batch.export"}, {"upload", true}});
    REQUIRE(exported["ok"] == true);
    const std::string file = exported["file"]["text"];
    CHECK(file.starts_with("GATEPASS-BATCH 3\n")); // sealed, as an enrolled gate's
    // The Data tab's row of the batch words it the same way.
    json listed = c.at_(c.north, {{"op", "batch.list"}})["batches"].back();
    CHECK(listed["visitor_uses"] == 1);
    CHECK(listed["revocations"] == 0);
    CHECK(listed["words"] == pending["words"]);

    // By the file: the south gate imports it, and carries the use on towards the office.
    json imported = c.at_(c.south, {{"op", "batch.import"}, {"text", file}, {"staff", "老王"}});
    REQUIRE(imported["ok"] == true);
    CHECK(imported["added_revocations"] == 1); // the single-use pass's only
    const auto carried = c.south.store().pendingRevocations();
    REQUIRE(carried.size() == 1);
    const Revocation held = carried[0];
    CHECK(isVisitorUse(held));
    // It holds the north gate's "in" too, so this much was true before the use rows.
    CHECK(c.at_(c.south, {{"op", "scan"}, {"text", once}})["direction"] == "out");
    CHECK(c.enter(c.south, once)["error"]["code"] == "visitor.used");

    // By an upload reply only (the office's list): the west gate holds no entry of the visitor.
    c.officeReply(c.west, {held});
    REQUIRE(c.west.store().revocation("person", held.subject));
    refusesInLetsOut(c, c.west, once);

    // The multiple-use pass made no row: it comes in at the west gate too.
    CHECK(c.enter(c.west, many)["ok"] == true);
    // A withdrawal of a visitor's number (not a use) is still pass.revoked, going out too.
    Revocation withdrawn = held;
    withdrawn.reason = "主人取消";
    withdrawn.revokedAt = c.at;
    c.officeReply(c.west, {withdrawn});
    CHECK(c.at_(c.west, {{"op", "scan"}, {"text", once}})["error"]["code"] == "pass.revoked");
    CHECK(c.enter(c.west, once, "out")["error"]["code"] == "pass.revoked");
}

TEST_CASE("api (libsodium): a gate that only has the use (no entry of the visitor) refuses coming in and lets the visitor out",
          "[api][visitor][revocation]")
{
    Community c;
    const std::string once = c.pass("single");
    REQUIRE(c.enter(c.north, once)["ok"] == true);
    auto rows = c.north.store().pendingRevocations();
    REQUIRE(rows.size() == 1);
    CHECK(isVisitorUse(rows[0]));
    // What the office's reply carries, and nothing else.
    c.officeReply(c.south, rows);
    refusesInLetsOut(c, c.south, once);
    // Its own "in" came first at the north gate: the visitor may leave there as before.
    CHECK(c.at_(c.north, {{"op", "scan"}, {"text", once}})["direction"] == "out");
    REQUIRE(c.enter(c.north, once, "out")["ok"] == true);
    CHECK(c.at_(c.north, {{"op", "scan"}, {"text", once}})["error"]["code"] == "visitor.used");
}

#endif
