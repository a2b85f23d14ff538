// gatepass office …: run the office service and manage what it knows
// (communities, gates and their tokens, the watch list, retention).
#include "office.h"

#include "Community.h"
#include "DocNumber.h"
#include "Enrollment.h"
#include "Feed.h"
#include "OfficeDb.h"
#include "Password.h"
#include "Sodium.h"
#include "PersonJson.h"
#include "RecordJson.h"
#include "Server.h"
#include "Token.h"
#include "VisitorUse.h"
#include "Words.h"

#include <filesystem>
#include <iostream>
#include <memory>

#include <termios.h>
#include <unistd.h>

namespace gatepass::cli {

int printEnrollment(const office::Enrollment& e, const std::string& qrFile, const nlohmann::json* json, const Words& later); // community.cpp

using namespace gatepass::office;
using nlohmann::json;

Message noCommunity(const std::string& code)
{
    return {"office.community_not_found", "办公数据库中没有社区 " + code + "（先运行 office add-community）",
            "The office database has no community " + code + " (run office add-community first)", ""};
}

namespace {

json gateJson(const Gate& g)
{
    json j{{"name", g.name}, {"enrolled_at", g.enrolledAt}, {"revoked", g.revokedAt.has_value()}};
    if (g.revokedAt)
        j["revoked_at"] = *g.revokedAt;
    if (g.lastUploadAt)
        j["last_upload_at"] = *g.lastUploadAt;
    return j;
}

// The password: the first line of stdin (never argv, which other users can
// read in the process list). From a terminal, asked for without echo.
std::optional<std::string> readPassword()
{
    const bool tty = isatty(STDIN_FILENO);
    termios saved{};
    if (tty) {
        std::cerr << "密码 Password: " << std::flush;
        tcgetattr(STDIN_FILENO, &saved);
        termios quiet = saved;
        quiet.c_lflag &= ~tcflag_t(ECHO);
        tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
    }
    std::string line;
    const bool got = bool(std::getline(std::cin, line));
    if (tty) {
        tcsetattr(STDIN_FILENO, TCSANOW, &saved);
        std::cerr << "\n";
    }
    if (!got)
        return std::nullopt;
    if (!line.empty() && line.back() == '\r')
        line.pop_back();
    return line;
}

// site/office next to the directory holding this binary: build/site/office for
// build/native/gatepass. Empty (the dashboard page not served) when missing.
std::string defaultWebDir()
{
    std::error_code ec;
    auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
    if (ec)
        return "";
    auto dir = exe.parent_path().parent_path() / "site" / "office";
    if (!std::filesystem::exists(dir / "index.html", ec)) {
        std::cerr << "note: no dashboard page at " << dir.string() << " (build-scripts/build writes it; or --web DIR): /office/ is not served\n";
        return "";
    }
    return dir.string();
}

} // namespace

Run addOfficeCommands(CLI::App& app)
{
    struct State {
        std::string db, keyDir, community, gate, url, qr, doc, reason, user, role, communities;
        bool asJson = false;
        int retentionDays = 0;
        ServeOptions serve;
        double maxUploadMb = 32;
        CLI::App *serveCmd, *addCmd, *enrollCmd, *revokeCmd, *purgeCmd, *statusCmd, *watchCmd, *revokePersonCmd, *findCmd, *accountCmd;
    };
    auto s = std::make_shared<State>();
    auto* cmd = app.add_subcommand("office", "The office service and its database (SQLite file or postgresql://…)");
    cmd->require_subcommand(1);
    auto dbOption = [&](CLI::App* c) {
        c->add_option("--db", s->db, "office database: a SQLite file (created if missing) or postgresql://USER@HOST:PORT/DB")->required();
    };

    s->serveCmd = cmd->add_subcommand("serve", "Receive gate uploads over HTTP (POST /api/upload), merge them, purge on schedule");
    dbOption(s->serveCmd);
    s->serveCmd->add_option("--port", s->serve.port, "TCP port (0: any free one, printed); default 8080");
    s->serveCmd->add_option("--listen", s->serve.listen, "address to listen on; default 127.0.0.1 (put TLS in front: docs/deploy.md)");
    s->serveCmd->add_option("--max-upload-mb", s->maxUploadMb, "largest batch accepted, MiB (default 32)")->check(CLI::PositiveNumber);
    s->serveCmd->add_option("--rate-per-minute", s->serve.upload.rate.perMinute, "uploads a minute per gate (default 30)")->check(CLI::PositiveNumber);
    s->serveCmd->add_option("--burst", s->serve.upload.rate.burst, "uploads per gate at once (default 30)")->check(CLI::PositiveNumber);
    s->serveCmd->add_option("--threads", s->serve.threads, "request threads (default 8)")->check(CLI::Range(1, 256));
    s->serveCmd->add_option("--web", s->serve.dashboard.webDir,
                            "the dashboard's page files (default: site/office beside the build, i.e. build/site/office)");
    s->serveCmd->add_option("--behind-hours", s->serve.dashboard.behindHours, "a gate with no upload for longer is shown as behind (default 24)")
        ->check(CLI::Range(1, 24 * 365));
    s->serveCmd->add_option("--purge-every-minutes", s->serve.purgeEveryMinutes, "retention purge interval (default 60)")->check(CLI::Range(1, 10080));

    s->addCmd = cmd->add_subcommand("add-community", "Register a community made by `community init` (its public key and where its key folder is)");
    dbOption(s->addCmd);
    s->addCmd->add_option("--key", s->keyDir, "the folder community init wrote")->required()->check(CLI::ExistingDirectory);
    s->addCmd->add_option("--retention-days", s->retentionDays, "keep entries and persons this many days (default 28)")->check(CLI::Range(1, 3650));

    s->enrollCmd = cmd->add_subcommand("enroll-gate", "Enroll a gate: print its enrollment code (with upload address and token) and passphrase");
    dbOption(s->enrollCmd);
    s->enrollCmd->add_option("--community", s->community, "community code")->required();
    s->enrollCmd->add_option("--gate", s->gate, "gate name, e.g. 北门")->required();
    s->enrollCmd->add_option("--url", s->url, "the office service's public address, https://OFFICE/")->required();
    s->enrollCmd->add_option("--key", s->keyDir, "the community key folder (default: the one add-community recorded)");
    s->enrollCmd->add_option("--qr", s->qr, "also write the code as a QR symbol (SVG)");
    s->enrollCmd->add_flag("--json", s->asJson, R"(print {"code","passphrase","token","upload_url"})");

    s->revokeCmd = cmd->add_subcommand("revoke-gate", "Revoke a gate's token: its uploads are refused (401) until it is enrolled again");
    dbOption(s->revokeCmd);
    s->revokeCmd->add_option("--community", s->community, "community code")->required();
    s->revokeCmd->add_option("--gate", s->gate, "gate name")->required();

    s->purgeCmd = cmd->add_subcommand("purge", "Delete what is past each community's retention period now (prints counts)");
    dbOption(s->purgeCmd);

    s->statusCmd = cmd->add_subcommand("status", "Communities, their counts and gates (no personal data)");
    dbOption(s->statusCmd);
    s->statusCmd->add_flag("--json", s->asJson, "machine-readable output");

    s->watchCmd = cmd->add_subcommand("watch", "Put a document number on a community's watch list (sent to gates with each upload reply)");
    dbOption(s->watchCmd);
    s->watchCmd->add_option("--community", s->community, "community code")->required();
    s->watchCmd->add_option("--doc", s->doc, "document number")->required();
    s->watchCmd->add_option("--reason", s->reason, "reason shown at the gate, e.g. 居家观察")->required();

    s->revokePersonCmd = cmd->add_subcommand(
        "revoke-person", "Revoke every pass of a document number in a community (gates refuse them once an upload reply brings it)");
    dbOption(s->revokePersonCmd);
    s->revokePersonCmd->add_option("--community", s->community, "community code")->required();
    s->revokePersonCmd->add_option("--doc", s->doc, "document number")->required();
    s->revokePersonCmd->add_option("--reason", s->reason, "reason shown at the gate, e.g. 已搬离")->required();

    s->findCmd = cmd->add_subcommand("find", "Print one person's stored record (JSON) by document number");
    dbOption(s->findCmd);
    s->findCmd->add_option("--community", s->community, "community code")->required();
    s->findCmd->add_option("DOC", s->doc, "document number")->required();

    s->accountCmd = cmd->add_subcommand("add-account", "Add a dashboard account (the password is read from stdin, never from the command line)");
    dbOption(s->accountCmd);
    s->accountCmd->add_option("--user", s->user, "user name, 1–40 characters")->required();
    s->accountCmd->add_option("--role", s->role, "admin (everything, the audit log), staff, or viewer (counts only)")->required();
    s->accountCmd->add_option("--communities", s->communities, "staff or viewer: only these communities, e.g. C001,C002 (default: every one)");

    return [s]() -> std::optional<int> {
        std::vector<CLI::App*> mine{s->serveCmd, s->addCmd, s->enrollCmd, s->revokeCmd, s->purgeCmd, s->statusCmd, s->watchCmd, s->revokePersonCmd, s->findCmd,
                                    s->accountCmd};
        if (std::none_of(mine.begin(), mine.end(), [](CLI::App* c) { return bool(*c); }))
            return std::nullopt;
        if (*s->accountCmd) { // checked before the database is opened or created: bad input changes nothing
            if (auto m = checkAccountName(s->user))
                return failWith(*m);
            auto role = roleFromKey(s->role);
            if (!role)
                return failWith(badRole(s->role));
            const std::vector<std::string> limited = splitCommunities(s->communities);
            if (*role == Role::Admin && !limited.empty())
                return failWith(adminCommunities());
            auto password = readPassword();
            if (!password)
                return failWith({"account.no_password", "没有读到密码：请在标准输入中提供（一行）", "No password read: give it on stdin (one line)", ""});
            if (auto m = checkPassword(*password))
                return failWith(*m);
            auto hash = crypto::hashPassword(*password);
            crypto::wipe(*password);
            if (!hash)
                return failWith({"account.hash", "内存不足，无法计算密码散列", "Not enough memory to hash the password", ""});
            auto opened = OfficeDb::open(s->db);
            if (!opened)
                return failWith(opened.error());
            OfficeDb& db = **opened;
            const int64_t now = Clock::system().unixMs;
            for (const std::string& code : limited)
                if (!db.community(code))
                    return failWith({"office.no_community", "没有这个社区：" + code, "No such community: " + code, "community"});
            Account account{s->user, *role, *hash, now};
            account.communities = limited;
            if (auto r = db.addAccount(account); !r)
                return failWith(r.error());
            if (auto a = db.addAudit(AuditEvent{now, s->user, std::string(audit::kAccountAdded), "cli",
                                                s->user + " · " + std::string(roleKey(*role)) + " · " + (limited.empty() ? "*" : s->communities)});
                !a)
                std::cerr << "warning: the account was added, the audit log could not be written: " << a.error().en << "\n";
            std::cout << "已添加账号 Account added: " << s->user << " (" << roleKey(*role) << ")\n";
            return 0;
        }
        auto opened = OfficeDb::open(s->db);
        if (!opened)
            return failWith(opened.error());
        OfficeDb& db = **opened;
        const int64_t now = Clock::system().unixMs;

        if (*s->serveCmd) {
            s->serve.upload.maxBytes = size_t(s->maxUploadMb * double(1u << 20));
            if (s->serve.dashboard.webDir.empty()) // build/native/gatepass → build/site/office (assemble-site)
                s->serve.dashboard.webDir = defaultWebDir();
            return serve(db, s->serve);
        }
        if (*s->addCmd) {
            auto c = readCommunity(s->keyDir);
            if (!c)
                return failWith(c.error());
            if (auto key = readCommunityKeys(s->keyDir, now); !key) // the office must be able to enroll gates
                return failWith(key.error());
            if (auto r = db.addCommunity(*c); !r)
                return failWith(r.error());
            if (s->retentionDays)
                if (auto r = db.setRetentionDays(c->code, s->retentionDays); !r)
                    return failWith(r.error());
            std::cout << "已登记社区 Community registered: " << c->code << " " << c->name << " (key id " << c->keyId << ")\n";
            return 0;
        }
        if (*s->enrollCmd) {
            auto c = db.community(s->community);
            if (!c)
                return failWith(noCommunity(s->community));
            if (auto m = checkName(s->gate, "gate"))
                return failWith(*m);
            auto url = checkSiteUrl(s->url, "office");
            if (!url)
                return failWith(url.error());
            auto keys = readCommunityKeys(s->keyDir.empty() ? c->keyDir : s->keyDir, now);
            if (!keys)
                return failWith(keys.error());
            if (keys->front().keyId != c->keyId)
                return failWith({"community.key_changed",
                                 "该文件夹的社区密钥与办公数据库登记的不同（密钥更换后）：请先运行 gatepass office add-community --key 该文件夹",
                                 "The folder's community key is not the one this office registered (after a rotation?): run "
                                 "gatepass office add-community --key FOLDER first",
                                 ""});
            EnrollmentInput in{*c, *keys, s->gate, newGateKey(), *url + "api/upload", crypto::newToken()};
            // The gate refuses what the office revoked from its first scan, not only after its first upload.
            auto feed = db.feed(c->code);
            if (!feed)
                return failWith(feed.error());
            in.revocations = withoutSpentUses(std::move(feed->revocations), Clock::system().unixMs);
            auto e = makeEnrollment(in);
            if (!e)
                return failWith(e.error());
            // Stored only once the code exists and its QR is written: a failure leaves the gate's old token working.
            if (!s->qr.empty())
                if (auto m = writeQrSvg(e->code, s->qr))
                    return failWith(*m);
            if (auto r = db.enrollGate(Gate{c->code, s->gate, in.gateKey, now}, crypto::tokenHash(in.token)); !r)
                return failWith(r.error());
            json j{{"code", e->code}, {"passphrase", e->passphrase}, {"token", in.token}, {"upload_url", in.uploadUrl}};
            return printEnrollment(*e, s->qr, s->asJson ? &j : nullptr,
                                   Words{"其余的门岗在首次上传后随回复收到", "the gate gets them all with its first upload reply"});
        }
        if (*s->revokeCmd) {
            if (auto r = db.revokeGate(s->community, s->gate, now); !r)
                return failWith(r.error());
            std::cout << "已撤销 Revoked: " << s->community << " / " << s->gate << "\n";
            return 0;
        }
        if (*s->purgeCmd) {
            auto r = db.purge(Clock::system());
            if (!r)
                return failWith(r.error());
            for (const auto& p : *r)
                std::cout << "purge " << p.community << ": entries " << p.entriesDeleted << ", persons " << p.personsDeleted << "\n";
            return 0;
        }
        if (*s->statusCmd) {
            json out = json::array();
            for (const auto& c : db.communities()) {
                auto n = db.counts(c.code);
                if (!n)
                    return failWith(n.error());
                json gates = json::array();
                for (const auto& g : n->gates)
                    gates.push_back(gateJson(g));
                out.push_back({{"code", c.code}, {"name", c.name}, {"key_id", c.keyId}, {"retention_days", c.retentionDays},
                               {"persons", n->persons}, {"entries", n->entries}, {"gates", gates}});
            }
            if (s->asJson) {
                std::cout << json{{"database", db.kind()}, {"communities", out}}.dump(2) << "\n";
                return 0;
            }
            for (const auto& c : out) {
                std::cout << c["code"].get<std::string>() << " " << c["name"].get<std::string>() << ": persons " << c["persons"]
                          << ", entries " << c["entries"] << ", retention " << c["retention_days"] << " days\n";
                for (const auto& g : c["gates"])
                    std::cout << "  " << g["name"].get<std::string>() << (g["revoked"].get<bool>() ? " (revoked)" : "") << "\n";
            }
            return 0;
        }
        if (*s->watchCmd) {
            if (!db.community(s->community))
                return failWith(noCommunity(s->community));
            // Checked as the gate checks it (Feed.h): one bad row would make every reply's lists refused.
            WatchEntry w{normalizeDocNumber(s->doc), s->reason, now};
            if (auto m = checkWatchEntry(w))
                return failWith(*m);
            if (auto m = checkListedDocNumber(w.docNumber, Clock::system().today())) // as the dashboard checks it
                return failWith(*m);
            if (auto r = db.addWatch(s->community, w); !r)
                return failWith(r.error());
            std::cout << "已加入关注名单 Added to the watch list: " << maskDocNumber(w.docNumber) << "\n";
            return 0;
        }
        if (*s->revokePersonCmd) {
            if (!db.community(s->community))
                return failWith(noCommunity(s->community));
            Revocation r{"person", normalizeDocNumber(s->doc), s->reason, now};
            if (auto m = checkRevocation(r))
                return failWith(*m);
            if (auto m = checkListedDocNumber(r.subject, Clock::system().today()))
                return failWith(*m);
            if (auto a = db.addRevocation(s->community, r); !a)
                return failWith(a.error());
            std::cout << "已撤销此人的通行码 Passes revoked: " << maskDocNumber(r.subject) << "\n";
            return 0;
        }
        if (*s->findCmd) {
            auto p = db.findPerson(s->community, s->doc);
            if (!p)
                return failWith({"person.not_found", "没有找到此人", "No such person", ""});
            std::cout << toJson(*p).dump(2) << "\n";
            return 0;
        }
        return std::nullopt;
    };
}

} // namespace gatepass::cli
