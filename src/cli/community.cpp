// gatepass community …: the community's key pair and gate enrollment codes
// made without an office service (sealed-pass issue).
#include "office.h"

#include "Community.h"
#include "Words.h"
#include "Enrollment.h"
#include "OfficeDb.h"
#include "Base64Url.h"
#include "SealedBox.h"

#include "ApiShared.h"
#include "CardPass.h"
#include "PassCrypto.h"
#include "PersonJson.h"
#include "VisitorUse.h"

#include <nlohmann/json.hpp>

#include <fstream>
#include <iostream>
#include <memory>

namespace gatepass::cli {

using namespace gatepass::office;


int passEncodeSealed(const std::string& communityDir, int64_t issuedAtMs, int64_t madeAtMs)
{
    auto c = readCommunity(communityDir);
    if (!c)
        return failWith(c.error());
    auto person = readPersonFromStdin();
    if (!person)
        return 1;
    auto plain = livePassPlain(*person, issuedAtMs, madeAtMs);
    if (!plain)
        return failWith(plain.error());
    auto publicKey = crypto::fromBase64Url(c->publicKey);
    std::array<uint8_t, 32> key{};
    std::copy(publicKey->begin(), publicKey->end(), key.begin()); // readCommunity checked: 32 bytes
    std::cout << frameSealedPass(crypto::passKeyId(key), crypto::seal(*plain, key)) << "\n";
    return 0;
}

int passDecodeSealed(const std::string& keyDir, const std::string& text, int64_t nowMs)
{
    if (!std::string_view(text).starts_with(kSealedPassPrefix)) {
        auto d = decodePass(text);
        if (!d)
            return failWith(d.error());
        std::cout << nlohmann::json{{"person", toJson(d->person)}, {"issued_at", d->issuedAtMs}}.dump(2) << "\n";
        return 0;
    }
    // Every retired key community.json still lists (0: none is past its grace
    // yet), so a pass sealed to one past its grace is named pass.retired_key as a gate names it.
    auto held = readCommunityKeys(keyDir, 0);
    if (!held)
        return failWith(held.error());
    // The gate's way of opening a live pass (PassCrypto.h), with this folder's keys.
    std::vector<CommunityKey> keys = coreKeys(*held);
    auto plain = openSealedPlain(text, keys, crypto::passCrypto(), nowMs);
    if (!plain)
        return failWith(plain.error());
    if (!plain->empty() && uint8_t((*plain)[0]) == kCardPassFormat) { // a printed card: no made time, never stale
        auto card = readCardPassPlain(*plain);
        if (!card)
            return failWith(card.error());
        std::cout << nlohmann::json{{"person", toJson(card->person)}, {"issued_at", card->issuedAtMs}, {"card", card->number}}.dump(2) << "\n";
        return 0;
    }
    if (!plain->empty() && uint8_t((*plain)[0]) == kVisitorPassFormat) { // a visitor pass: its days, not an age, are checked at a gate
        auto v = readVisitorPassPlain(*plain);
        if (!v)
            return failWith(v.error());
        std::cout << nlohmann::json{{"person", toJson(visitorPerson(*v))}, {"issued_at", v->madeAtMs}, {"visitor", visitorJson(*v)}}.dump(2)
                  << "\n";
        return 0;
    }
    auto live = readLivePassPlain(*plain, nowMs, LiveWindow{});
    if (!live)
        return failWith(live.error());
    std::cout << nlohmann::json{{"person", toJson(live->person)}, {"issued_at", live->issuedAtMs}, {"made_at", live->madeAtMs}}.dump(2)
              << "\n";
    return 0;
}

std::optional<Message> writeQrSvg(const std::string& text, const std::string& file)
{
    auto svg = qrSvg(text);
    if (!svg)
        return svg.error();
    std::ofstream out(file, std::ios::binary);
    out << *svg;
    if (!out.flush())
        return Message{"file.write", "无法写入 " + file, "Cannot write " + file, ""};
    return std::nullopt;
}

/// Prints an enrollment (text, or JSON with "revocations": {carried, held}
/// added), naming the QR file the caller wrote first (writeQrSvg: before
/// anything is stored, so a code that cannot be written changes nothing).
/// `later`: where a gate gets the revocations the code could not carry. Shared with office.cpp.
int printEnrollment(const Enrollment& e, const std::string& qrFile, const nlohmann::json* json, const Words& later)
{
    if (json) {
        nlohmann::json out = *json;
        out["revocations"] = {{"carried", e.revocationsCarried}, {"held", e.revocationsHeld}};
        std::cout << out.dump() << "\n";
        return 0;
    }
    std::cout << "登记码 Enrollment code" << (qrFile.empty() ? "" : " (QR: " + qrFile + ")") << ":\n"
              << e.code << "\n"
              << "口令（单独告知，只显示这一次）Passphrase (give it separately; shown once):\n"
              << e.passphrase << "\n";
    if (e.revocationsCarried < e.revocationsHeld)
        std::cout << "登记码只带有办公室 " << e.revocationsHeld << " 条撤销中最新的 " << e.revocationsCarried << " 条（登记码长度有限）；"
                  << later.zh << "\n"
                  << "The code carries only the newest " << e.revocationsCarried << " of the office's " << e.revocationsHeld
                  << " revocations (a code's length is limited); " << later.en << "\n";
    return 0;
}

Run addCommunityCommands(CLI::App& app)
{
    struct State {
        CommunityInit init;
        std::string keyDir, gate, qr, db;
        CLI::App* initCmd = nullptr;
        CLI::App* enrollCmd = nullptr;
        CLI::App* rotateCmd = nullptr;
        int graceDays = kDefaultKeyGraceDays;
    };
    auto s = std::make_shared<State>();
    auto* cmd = app.add_subcommand("community", "The community's key pair and gate enrollment codes");
    cmd->require_subcommand(1);
    s->initCmd = cmd->add_subcommand("init", "Make the community key pair: DIR/community.key (0600), .pub, .json; print the poster URL");
    s->initCmd->add_option("--code", s->init.code, "community code (letters, digits, -)")->required();
    s->initCmd->add_option("--name", s->init.name, "community name, as residents know it")->required();
    s->initCmd->add_option("--site", s->init.site, "where the faces are served, https://HOST/PREFIX/")->required();
    s->initCmd->add_option("--out", s->init.outDir, "folder for the key files")->required();
    s->enrollCmd = cmd->add_subcommand("enroll-gate", "Print a gate's enrollment code (no upload address) and its one-time passphrase");
    s->enrollCmd->add_option("--key", s->keyDir, "the folder community init wrote")->required()->check(CLI::ExistingDirectory);
    s->enrollCmd->add_option("--gate", s->gate, "gate name, e.g. 北门")->required();
    s->enrollCmd->add_option("--qr", s->qr, "also write the code as a QR symbol (SVG)");
    s->enrollCmd->add_option("--db", s->db, "the office database (SQLite file or postgresql://…): the code carries its revocations");
    s->rotateCmd = cmd->add_subcommand("rotate-key", "Make a new community key pair; gates enrolled again keep the old one for the grace period");
    s->rotateCmd->add_option("--key", s->keyDir, "the folder community init wrote")->required()->check(CLI::ExistingDirectory);
    s->rotateCmd->add_option("--grace-days", s->graceDays, "days gates still open passes sealed to the old key (default 14)");

    return [s]() -> std::optional<int> {
        if (*s->initCmd) {
            auto c = initCommunity(s->init);
            if (!c)
                return failWith(c.error());
            std::cout << "社区密钥已写入 Community key written: " << c->keyDir << "/community.{key,pub,json} (key id " << c->keyId << ")\n"
                      << "海报地址 Poster URL:\n"
                      << posterUrl(*c) << "\n";
            return 0;
        }
        if (*s->rotateCmd) {
            auto c = rotateCommunityKey({s->keyDir, s->graceDays, Clock::system().unixMs});
            if (!c)
                return failWith(c.error());
            std::cout << "新社区密钥已生成 New community key: key id " << c->keyId << "; 旧密钥 old key " << c->retired.front().keyId
                      << " 宽限 " << s->graceDays << " 天 kept for " << s->graceDays << " days\n"
                      << "请重新打印海报，并为每个门岗重新生成登记码 Print the poster again and enrol every gate again:\n"
                      << posterUrl(*c) << "\n";
            return 0;
        }
        if (*s->enrollCmd) {
            auto c = readCommunity(s->keyDir);
            if (!c)
                return failWith(c.error());
            if (auto m = checkName(s->gate, "gate"))
                return failWith(*m);
            auto keys = readCommunityKeys(s->keyDir, Clock::system().unixMs);
            if (!keys)
                return failWith(keys.error());
            EnrollmentInput in{*c, *keys, s->gate, newGateKey(), "", ""};
            if (!s->db.empty()) {
                auto db = OfficeDb::open(s->db);
                if (!db)
                    return failWith(db.error());
                auto feed = (*db)->feed(c->code);
                if (!feed)
                    return failWith(feed.error());
                in.revocations = withoutSpentUses(std::move(feed->revocations), Clock::system().unixMs);
            }
            auto e = makeEnrollment(in);
            if (!e)
                return failWith(e.error());
            if (!s->qr.empty())
                if (auto m = writeQrSvg(e->code, s->qr))
                    return failWith(*m);
            return printEnrollment(*e, s->qr, nullptr,
                                   Words{"其余的请在本门岗注销，或为门岗登记办公室服务后随上传回复收到",
                                         "revoke the rest at the gate, or enrol it at the office service, whose upload replies carry them all"});
        }
        return std::nullopt;
    };
}

} // namespace gatepass::cli
