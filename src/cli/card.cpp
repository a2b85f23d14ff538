// gatepass card …: printed pass cards (CardPass.h) for people without a
// phone, issued by the office under the issuer "OF", and revoked when lost.
#include "office.h"

#include "CardPass.h"
#include "Community.h"
#include "Feed.h"
#include "OfficeDb.h"
#include "SealedBox.h"
#include "Base64Url.h"

#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>

namespace gatepass::cli {

using namespace gatepass::office;

namespace {

// The office's card counter: the last sequence it issued, one decimal line in
// the community folder, so numbers stay unique however many times the CLI runs.
constexpr const char* kCounterFile = "cards.last";

Message counterUnreadable(const std::string& path)
{
    return {"card.counter", "无法读写通行卡计数文件 " + path, "Cannot read or write the card counter " + path, ""};
}

Result<int64_t> lastSequence(const std::string& path)
{
    std::ifstream in(path);
    if (!in)
        return int64_t(0); // no card issued yet
    int64_t last = -1;
    in >> last;
    if (!in || last < 0)
        return counterUnreadable(path);
    return last;
}

std::optional<Message> saveSequence(const std::string& path, int64_t sequence)
{
    // Written beside and renamed over: a crash leaves the old count or the new one, never half a line.
    std::string tmp = path + ".tmp";
    {
        std::ofstream out(tmp, std::ios::trunc);
        out << sequence << "\n";
        if (!out.flush())
            return counterUnreadable(path);
    }
    std::error_code ec;
    std::filesystem::rename(tmp, path, ec);
    if (ec)
        return counterUnreadable(path);
    return std::nullopt;
}

// The number to print: the one asked for (a full number, or an office sequence
// as bare digits), else the counter's next; the counter keeps the highest used.
Result<std::string> takeNumber(const std::string& dir, const std::string& asked)
{
    std::string path = (std::filesystem::path(dir) / kCounterFile).string();
    auto last = lastSequence(path);
    if (!last)
        return last.error();
    int64_t sequence = *last + 1;
    std::string number;
    if (!asked.empty() && asked.find_first_not_of("0123456789") == std::string::npos && asked.size() <= 9) {
        sequence = std::stoll(asked);
        auto n = cardNumber(kOfficeCardIssuer, sequence);
        if (!n)
            return n.error();
        number = *n;
    } else if (!asked.empty()) {
        auto n = normalizeCardNumber(asked);
        if (!n)
            return n.error();
        number = *n;
        sequence = 0; // another issuer's number: the office counter is not touched
    } else {
        auto n = cardNumber(kOfficeCardIssuer, sequence);
        if (!n)
            return n.error();
        number = *n;
    }
    if (sequence > *last)
        if (auto m = saveSequence(path, sequence))
            return *m;
    return number;
}

} // namespace

Run addCardCommands(CLI::App& app)
{
    struct State {
        std::string communityDir, number, qr, db, community, reason;
        std::optional<int64_t> issuedAt;
        CLI::App* issueCmd = nullptr;
        CLI::App* revokeCmd = nullptr;
    };
    auto s = std::make_shared<State>();
    auto* cmd = app.add_subcommand("card", "Printed pass cards for people without a phone: issue one, revoke a lost one");
    cmd->require_subcommand(1);
    s->issueCmd = cmd->add_subcommand("issue", "Person JSON on stdin → a sealed pass card (its number, then its text) on stdout");
    s->issueCmd->add_option("--community", s->communityDir, "the folder community init wrote (its public key; keeps the card counter)")
        ->required()
        ->check(CLI::ExistingDirectory);
    s->issueCmd->add_option("--number", s->number, "card number (OF-12), or the office sequence (12); default: the next one");
    s->issueCmd->add_option("--issued-at", s->issuedAt, "the record's version, unix ms (default: now)");
    s->issueCmd->add_option("--qr", s->qr, "also write the card as a QR symbol (SVG)");
    s->revokeCmd = cmd->add_subcommand("revoke", "Revoke a card by its number (gates refuse it once an upload reply brings it)");
    s->revokeCmd->add_option("--db", s->db, "office database: a SQLite file or postgresql://…")->required();
    s->revokeCmd->add_option("--community", s->community, "community code")->required();
    s->revokeCmd->add_option("--number", s->number, "card number, e.g. OF-12")->required();
    s->revokeCmd->add_option("--reason", s->reason, "reason shown at the gate, e.g. 挂失")->required();

    return [s]() -> std::optional<int> {
        if (*s->issueCmd) {
            auto c = readCommunity(s->communityDir);
            if (!c)
                return failWith(c.error());
            auto person = readPersonFromStdin();
            if (!person)
                return 1;
            // Checked before a number is taken: a refused person uses none.
            if (auto plain = cardPassPlain(*person, 0, "OF-1"); !plain)
                return failWith(plain.error());
            auto number = takeNumber(s->communityDir, s->number);
            if (!number)
                return failWith(number.error());
            auto plain = cardPassPlain(*person, s->issuedAt.value_or(Clock::system().unixMs), *number);
            if (!plain)
                return failWith(plain.error());
            auto publicKey = crypto::fromBase64Url(c->publicKey);
            std::array<uint8_t, 32> key{};
            std::copy(publicKey->begin(), publicKey->end(), key.begin()); // readCommunity checked: 32 bytes
            std::string text = frameSealedPass(crypto::passKeyId(key), crypto::seal(*plain, key));
            if (!s->qr.empty())
                if (auto m = writeQrSvg(text, s->qr))
                    return failWith(*m);
            std::cout << *number << "\n" << text << "\n";
            return 0;
        }
        if (*s->revokeCmd) {
            auto number = normalizeCardNumber(s->number);
            if (!number)
                return failWith(number.error());
            Revocation r{"card", *number, s->reason, Clock::system().unixMs};
            if (auto m = checkRevocation(r)) // as the gate checks it (Feed.h): one bad row would refuse every reply's lists
                return failWith(*m);
            auto opened = OfficeDb::open(s->db);
            if (!opened)
                return failWith(opened.error());
            OfficeDb& db = **opened;
            if (!db.community(s->community))
                return failWith(noCommunity(s->community));
            if (auto a = db.addRevocation(s->community, r); !a)
                return failWith(a.error());
            std::cout << "已撤销通行卡 Card revoked: " << r.subject << "\n";
            return 0;
        }
        return std::nullopt;
    };
}

} // namespace gatepass::cli
