// gatepass — the community office's command line: check IDs, read and make
// passes, merge gate batches into the office database, report the counts.
#include "gatepass.h"
#include "office.h" // community and office subcommands

#include "OfficeDb.h"
#include "SealedBox.h"

#include <CLI/CLI.hpp>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

using namespace gatepass;
using nlohmann::json;

namespace gatepass::cli {

int failWith(const Message& m)
{
    std::cerr << "错误：" << m.zh << "\nerror: " << m.en << (m.code.empty() ? "" : " [" + m.code + "]") << "\n";
    return 1;
}

std::optional<Person> readPersonFromStdin()
{
    std::string input(std::istreambuf_iterator<char>(std::cin), {});
    json j = json::parse(input, nullptr, false);
    if (j.is_discarded()) {
        failWith({"json.invalid", "输入不是有效的 JSON", "The input is not valid JSON", ""});
        return std::nullopt;
    }
    Validated v = checkPersonJson(j, Clock::system().today());
    if (!v.ok()) {
        for (const auto& e : v.errors)
            std::cerr << e.field << ": " << e.zh << " / " << e.en << "\n";
        return std::nullopt;
    }
    return v.person;
}

} // namespace gatepass::cli

namespace {

using gatepass::cli::failWith;

std::optional<std::string> readFile(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return std::nullopt;
    return std::string(std::istreambuf_iterator<char>(in), {});
}

// The office's zone (--tz); the core's native default unless given.
Clock officeClock(int utcOffsetMinutes)
{
    Clock c = Clock::system();
    c.utcOffsetMinutes = utcOffsetMinutes;
    return c;
}

int idCheck(const std::string& number)
{
    auto r = checkIdNumber(number, Clock::system().today());
    if (!r)
        return failWith(r.error());
    std::cout << "number: " << r->number << "\nbirth_date: " << r->birthDate.toString() << "\nsex: " << (r->male ? "male" : "female")
              << "\n";
    return 0;
}

int passEncode(std::optional<int64_t> issuedAt)
{
    auto person = gatepass::cli::readPersonFromStdin();
    if (!person)
        return 1;
    auto text = encodePass(*person, issuedAt.value_or(Clock::system().unixMs));
    if (!text)
        return failWith(text.error());
    std::cout << *text << "\n";
    return 0;
}

int passDecode(const std::string& text)
{
    if (std::string_view(text).starts_with(kSealedPassPrefix))
        return failWith({"pass.needs_key", "这是加密的实时通行码：请用 --key 指定社区密钥所在的目录",
                         "This is a sealed live pass: give the community key's folder with --key", ""});
    auto d = decodePass(text);
    if (!d)
        return failWith(d.error());
    std::cout << json{{"person", toJson(d->person)}, {"issued_at", d->issuedAtMs}}.dump(2) << "\n";
    return 0;
}

Message otherCommunity(const std::string& name)
{
    return {"batch.other_community", "这是其他社区（" + name + "）的批次，未导入",
            "This batch belongs to another community (" + name + "); nothing was imported", ""};
}

// One file, as the upload service takes one (Upload.cpp), but the gate is the
// one the header names rather than the one a token names.
Result<ImportReport> importOne(office::OfficeDb& db, std::string_view text, const std::string& community,
                               bool acceptUnauthenticated, const std::string& file)
{
    auto head = parseBatchHeader(text);
    if (!head)
        return head.error();
    if ((!community.empty() && head->header.communityCode != community) || !db.community(head->header.communityCode))
        return otherCommunity(head->header.communityName);
    auto keys = office::officeBatchKeys(db, *head); // a sealed body opens with the community's key folder
    if (!keys)
        return keys.error();
    auto parsed = parseBatch(text, *keys);
    if (!parsed)
        return parsed.error();
    const BatchHeader& h = parsed->header;
    std::optional<std::string> key;
    if (auto gate = db.gate(h.communityCode, h.gate))
        key = gate->gateKey;
    if (auto m = authenticateBatch(text, *parsed, key, crypto::passCrypto())) {
        // The override takes a batch that carries no MAC (a gate never enrolled), never a wrong one.
        if (!acceptUnauthenticated || !parsed->mac.empty())
            return *m;
        dropVerifications(*parsed);
        std::cerr << "警告：" << file << " 未经门岗认证，按 --accept-unauthenticated 导入，其中的核验记录未采用\n"
                  << "warning: " << file << " is not authenticated by its gate; imported as --accept-unauthenticated asks, "
                  << "without its \"verified\" stamps [batch.unauthenticated]\n";
    }
    const Clock now = Clock::system();
    if (auto m = checkBatchTimes(*parsed, now))
        return *m;
    return db.merge(*parsed, text, now);
}

// The office believes a batch only from a gate it enrolled (Batch.h): the
// file on a USB stick is checked as an upload is, with the key of the gate
// its header names, in a community the office database holds.
int batchImport(const std::string& dbTarget, const std::string& community, bool acceptUnauthenticated,
                const std::vector<std::string>& files)
{
    auto db = office::OfficeDb::open(dbTarget);
    if (!db)
        return failWith(db.error());
    int failures = 0;
    for (const auto& file : files) {
        auto text = readFile(file);
        if (!text) {
            failures += failWith({"file.unreadable", "无法读取文件 " + file, "Cannot read " + file, ""});
            continue;
        }
        auto r = importOne(**db, *text, community, acceptUnauthenticated, file);
        if (!r) {
            std::cerr << file << ":\n";
            failures += failWith(r.error());
            continue;
        }
        const auto& h = r->header;
        std::cout << file << ": " << h.communityName << " / " << h.gate << " #" << h.seq << ": ";
        if (r->alreadyImported)
            std::cout << "已导入过，未做更改 (already imported; nothing changed)\n";
        else
            std::cout << "新增人员 " << r->personsAdded << "，更新人员 " << r->personsUpdated << "，新增出入记录 " << r->entriesAdded
                      << " (persons added " << r->personsAdded << ", updated " << r->personsUpdated << ", entries added "
                      << r->entriesAdded << ")\n";
        for (const auto& c : r->conflicts)
            std::cout << "  冲突 conflict: " << c.zh << " / " << c.en << "\n";
    }
    return failures ? 1 : 0;
}

int batchExport(const std::string& dbPath, const std::string& outDir, std::optional<int64_t> seq, const Clock& now)
{
    auto store = Store::open(dbPath);
    if (!store)
        return failWith(store.error());
    const PassCrypto sodium = crypto::passCrypto();
    if (seq)
        if (auto m = macStoredExport(*store, *seq, sodium); !m)
            return failWith(m.error());
    auto b = seq ? exportedBatch(*store, *seq, now.utcOffsetMinutes, sodium) : exportPending(*store, now, sodium);
    if (!b)
        return failWith(b.error());
    std::filesystem::create_directories(outDir);
    for (auto [name, text] : {std::pair{b->fileName, &b->text}, std::pair{b->csvName, &b->csv}}) {
        std::ofstream out(std::filesystem::path(outDir) / name, std::ios::binary);
        out << *text;
        if (!out.flush())
            return failWith({"file.write", "无法写入 " + name, "Cannot write " + name, ""});
        std::cout << (std::filesystem::path(outDir) / name).string() << "\n";
    }
    return 0;
}

// A sealed batch (format 3) opens with the community's keys: from a key
// folder (--key), or from the folder the office database recorded (--db).
Result<ParsedBatch> verifyOne(const std::string& file, const std::string& keyDir, office::OfficeDb* db)
{
    auto text = readFile(file);
    if (!text)
        return Message{"file.unreadable", "无法读取文件", "Cannot read the file", ""};
    BatchKeys keys{{}, crypto::passCrypto()};
    if (!keyDir.empty()) {
        auto held = office::batchOpeningKeys(keyDir);
        if (!held)
            return held.error();
        keys.keys = std::move(*held);
    } else if (db) {
        auto head = parseBatchHeader(*text);
        if (!head)
            return head.error();
        auto found = office::officeBatchKeys(*db, *head);
        if (!found)
            return found.error();
        keys = std::move(*found);
    }
    return parseBatch(*text, keys);
}

int batchVerify(const std::vector<std::string>& files, const std::string& keyDir, const std::string& dbTarget)
{
    std::unique_ptr<office::OfficeDb> db;
    if (!dbTarget.empty()) {
        auto opened = office::OfficeDb::open(dbTarget);
        if (!opened)
            return failWith(opened.error());
        db = std::move(*opened);
    }
    int failures = 0;
    for (const auto& file : files) {
        auto p = verifyOne(file, keyDir, db.get());
        std::cout << file << ": ";
        if (!p) {
            std::cout << "拒绝 refused\n";
            failures += failWith(p.error());
            continue;
        }
        std::cout << "ok — " << p->header.communityName << " / " << p->header.gate << " #" << p->header.seq << ", "
                  << p->header.persons << " persons, " << p->header.entries << " entries\n";
    }
    return failures ? 1 : 0;
}

int report(const std::string& dbPath, bool asJson, const Clock& now)
{
    auto store = Store::open(dbPath);
    if (!store)
        return failWith(store.error());
    Stats s = store->stats(now);
    if (asJson) {
        json j = toJson(s);
        j["date"] = now.today().toString();
        std::cout << j.dump(2) << "\n";
        return 0;
    }
    Settings settings = store->settings();
    std::cout << "社区 Community: " << settings.communityName << " (" << settings.communityCode << ")\n"
              << "日期 Date: " << now.today().toString() << "\n"
              << "登记人数 Persons registered: " << s.persons << "\n";
    for (int t = 0; t < kPersonTypeCount; ++t) {
        auto it = s.byPersonType.find(std::string(keyOf(PersonType(t))));
        Words w = wordsOf(PersonType(t));
        std::cout << "  " << w.zh << " " << w.en << ": " << (it == s.byPersonType.end() ? 0 : it->second) << "\n";
    }
    std::cout << "近14天外地返回 Returned from outside (window): " << s.returnedWithinWindow << "\n"
              << "居家观察 Under home observation: " << s.underObservation << "\n"
              << "今日发热 Fever events today: " << s.feverToday << "\n"
              << "今日出入 Entries today: " << s.entriesToday << " (进 in " << s.inToday << ", 出 out " << s.outToday << ")\n";
    return 0;
}

} // namespace

int main(int argc, char** argv)
{
    CLI::App app{"gatepass — 扫码进门 office tool: ID check, passes, batches, reports"};
    app.require_subcommand(1);

    std::string id;
    auto* idCmd = app.add_subcommand("id-check", "Check a resident ID number (GB 11643): normalised number, birth date, sex");
    idCmd->add_option("ID", id, "the 18-character number")->required();

    auto* passCmd = app.add_subcommand("pass", "Make or read pass QR text");
    passCmd->require_subcommand(1);
    std::optional<int64_t> issuedAt, madeAt, decodeAt;
    std::string communityDir, keyDir;
    auto* encCmd = passCmd->add_subcommand("encode", "Person JSON on stdin → pass text on stdout (sealed with --community)");
    encCmd->add_option("--issued-at", issuedAt, "issue time in unix ms (default: now)");
    encCmd->add_option("--community", communityDir, "seal a live pass (GP2) to the community in this folder (community init's)")
        ->check(CLI::ExistingDirectory);
    encCmd->add_option("--made-at", madeAt, "with --community: when the live pass was made, unix ms (default: now)");
    std::string passText;
    auto* decCmd = passCmd->add_subcommand("decode", "Pass text → person JSON, or the reason it is not a pass");
    decCmd->add_option("TEXT", passText, "the text read from the QR code")->required();
    decCmd->add_option("--key", keyDir, "open a live pass (GP2) with the community key in this folder")->check(CLI::ExistingDirectory);
    decCmd->add_option("--at", decodeAt, "with --key: judge the pass's age as of this unix ms (default: now)");

    auto* batchCmd = app.add_subcommand("batch", "Export, verify and import batch files");
    batchCmd->require_subcommand(1);
    std::string dbPath, outDir = ".";
    std::vector<std::string> files;
    std::optional<int64_t> seq;
    auto* impCmd = batchCmd->add_subcommand("import", "Merge gate batch files into the office database, each checked as an "
                                                      "upload is: only from a gate enrolled there (same batch twice adds nothing)");
    impCmd->add_option("--db", dbPath, "office database: a SQLite file or postgresql://… (office add-community, enroll-gate)")->required();
    impCmd->add_option("BATCH", files, "batch files")->required();
    std::string community;
    bool acceptUnauthenticated = false;
    impCmd->add_option("--community", community, "take only batches of this community");
    impCmd->add_flag("--accept-unauthenticated", acceptUnauthenticated,
                     "also take batches that carry no gate MAC (a gate never enrolled), without their \"verified\" "
                     "stamps; each is named on stderr. A MAC that does not verify is refused all the same");
    auto* expCmd = batchCmd->add_subcommand("export", "Write everything not yet exported as the next batch (+ CSV)");
    expCmd->add_option("--db", dbPath, "database file")->required()->check(CLI::ExistingFile);
    expCmd->add_option("--out", outDir, "output folder (default: current)");
    expCmd->add_option("--seq", seq, "write an earlier batch again, byte for byte");
    auto* verCmd = batchCmd->add_subcommand("verify", "Check batch files without importing");
    verCmd->add_option("BATCH", files, "batch files")->required();
    std::string verifyKeyDir;
    verCmd->add_option("--key", verifyKeyDir, "open sealed batches (format 3) with the community key in this folder (community init's)")
        ->check(CLI::ExistingDirectory);
    verCmd->add_option("--db", dbPath, "or with the key folder this office database recorded for the batch's community");

    bool asJson = false;
    auto* repCmd = app.add_subcommand("report", "The office counts: persons by type, returned, observation, fever");
    repCmd->add_option("--db", dbPath, "database file")->required()->check(CLI::ExistingFile);
    repCmd->add_flag("--json", asJson, "machine-readable output");

    int tz = kDefaultUtcOffsetMinutes;
    for (auto* cmd : {expCmd, repCmd})
        cmd->add_option("--tz", tz, "time zone in minutes east of UTC (default 480: China)")->check(CLI::Range(-14 * 60, 14 * 60));

    auto runCommunity = cli::addCommunityCommands(app);
    auto runOffice = cli::addOfficeCommands(app);
    auto runCard = cli::addCardCommands(app);

    CLI11_PARSE(app, argc, argv);

    if (auto rc = runCommunity())
        return *rc;
    if (auto rc = runOffice())
        return *rc;
    if (auto rc = runCard())
        return *rc;

    if (*idCmd)
        return idCheck(id);
    if (*encCmd && !communityDir.empty()) {
        int64_t now = Clock::system().unixMs;
        return cli::passEncodeSealed(communityDir, issuedAt.value_or(now), madeAt.value_or(now));
    }
    if (*encCmd)
        return passEncode(issuedAt);
    if (*decCmd && !keyDir.empty())
        return cli::passDecodeSealed(keyDir, passText, decodeAt.value_or(Clock::system().unixMs));
    if (*decCmd)
        return passDecode(passText);
    if (*impCmd)
        return batchImport(dbPath, community, acceptUnauthenticated, files);
    if (*expCmd)
        return batchExport(dbPath, outDir, seq, officeClock(tz));
    if (*verCmd)
        return batchVerify(files, verifyKeyDir, dbPath);
    if (*repCmd)
        return report(dbPath, asJson, officeClock(tz));
    return 1;
}
