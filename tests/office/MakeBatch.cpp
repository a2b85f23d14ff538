// Test and benchmark helper: writes one gate batch file, made the way a gate
// makes it (a Store, then exportPending), with chosen people and entry times.
// Usage: make_batch --out FILE --community C001 --name 社区 --gate 北门
//                   --persons P --entries E [--person-offset O] [--days-ago D]
//                   [--updated-at MS] [--phone 13800138000] [--seed S]
//                   [--person-type visitor] [--temperature 38.2] [--observation]   every person of this
//                                   type, every entry at this temperature, everyone under home observation
//                   [--returned-days-ago N]   everyone left the city and came back N days before today
//                   [--deletes K]   the batch also carries the deletion of person K (person.delete at the gate)
//                   [--enrollment CODE --passphrase P]   the gate enrolled with the office's code (`office
//                                   enroll-gate --json`): the batch carries its MAC, community and gate
//                                   from the enrollment, as an enrolled gate's do
//                   [--gate-key KEY]  MAC with this base64url key instead (a key the office does not hold)
//                   [--as-gate NAME]  after the enrollment, the header names NAME: another gate's name
//                                   under this gate's MAC
//                   [--plain]       format 2: the gate drops the community keys its enrollment gave it,
//                                   so the body is not sealed (as a gate enrolled before format 3)
//                   [--seal-to DIR] seal to the key pair in DIR (community init's) instead of the
//                                   enrollment's: a key the office may not hold
//                   [--revoke-card N --reason R [--revoked-ago MS]]  the batch also carries the gate's
//                                   revocation of card N (revocation.add at the gate), made MS ago
//                   [--visitor-use ID [--visitor-used-ago MS]]  a single-use visitor pass (id: 16 hex digits)
//                                   came in MS ago: its visitor, the entry and the use row (VisitorUse.h)
// An enrolled gate's batch is sealed (Batch.h format 3); FILE.body gets the
// records it carries, one JSON line each as format 2 writes them, so a test
// can read what is inside.
// Person k (offset + i) has a fixed valid ID number, so two batches with
// overlapping offsets describe the same people.
#include "Base64Url.h"
#include "EnrollmentCode.h"
#include "RecordJson.h"
#include "SealedBox.h"
#include "VisitorUse.h"
#include "gatepass.h"

#include <CLI/CLI.hpp>

#include <chrono>
#include <fstream>
#include <iostream>

using namespace gatepass;

namespace {

std::string idNumber(int k)
{
    using namespace std::chrono;
    year_month_day d{sys_days(year(1950) / January / 1) + days(k / 900)};
    char first17[18];
    std::snprintf(first17, sizeof first17, "110105%04d%02u%02u%03d", int(d.year()), unsigned(d.month()), unsigned(d.day()), 100 + k % 900);
    return std::string(first17) + idCheckCharacter(first17);
}

std::string firstLine(const std::string& file)
{
    std::ifstream in(file);
    std::string line;
    std::getline(in, line);
    return line;
}

} // namespace

int main(int argc, char** argv)
{
    CLI::App app{"make_batch: one gate batch for the office tests"};
    std::string out, community = "C001", name = "八角路社区", gate = "北门", phone = "13800138000";
    std::string enrollmentCode, passphrase, gateKey, asGate, sealTo, revokeCard, reason = "卡丢失";
    int64_t revokedAgo = 0, visitorUsedAgo = 0;
    std::string visitorUse;
    bool plain = false;
    int persons = 10, entries = 10, offset = 0, deletes = -1;
    std::string personType = "resident";
    double temperature = 36.5;
    bool observation = false;
    int returnedDaysAgo = -1;
    double daysAgo = 0;
    int64_t updatedAt = 0;
    app.add_option("--out", out)->required();
    app.add_option("--community", community);
    app.add_option("--name", name);
    app.add_option("--gate", gate);
    app.add_option("--persons", persons);
    app.add_option("--entries", entries);
    app.add_option("--person-offset", offset);
    app.add_option("--days-ago", daysAgo, "entry times start this many days ago");
    app.add_option("--updated-at", updatedAt, "the persons' record time (default: entry start)");
    app.add_option("--phone", phone);
    app.add_option("--person-type", personType, "every person's type key (default resident)");
    app.add_option("--temperature", temperature, "every entry's temperature (default 36.5)");
    app.add_flag("--observation", observation, "everyone under home observation since 10 days before the entries");
    app.add_option("--returned-days-ago", returnedDaysAgo, "everyone left the city and came back this many days before today");
    app.add_option("--deletes", deletes, "person K deleted at the gate after an earlier export");
    app.add_option("--enrollment", enrollmentCode, "the gate's enrollment code");
    app.add_option("--passphrase", passphrase, "its passphrase");
    app.add_option("--gate-key", gateKey, "MAC with this gate key (base64url)");
    app.add_option("--as-gate", asGate, "the gate the header names, whatever the enrollment says");
    app.add_flag("--plain", plain, "format 2: no community keys, the body not sealed");
    app.add_option("--seal-to", sealTo, "seal to the key pair in this folder (community init's)");
    app.add_option("--revoke-card", revokeCard, "the gate revoked this card number");
    app.add_option("--reason", reason, "its reason");
    app.add_option("--revoked-ago", revokedAgo, "that many ms ago (default: now)");
    app.add_option("--visitor-use", visitorUse, "a single-use visitor pass with this id came in");
    app.add_option("--visitor-used-ago", visitorUsedAgo, "that many ms ago (default: now)");
    CLI11_PARSE(app, argc, argv);

    auto store = Store::open(":memory:");
    if (!store) {
        std::cerr << store.error().en << "\n";
        return 1;
    }
    Settings s = store->settings();
    s.communityCode = community;
    s.communityName = name;
    s.gateName = gate;
    if (!enrollmentCode.empty()) {
        auto json = crypto::openEnrollment(enrollmentCode, passphrase);
        auto e = json ? parseEnrollment(*json) : Result<GateEnrollment>(json.error());
        if (!e) {
            std::cerr << e.error().en << "\n";
            return 1;
        }
        s = withEnrollment(s, *e);
    }
    if (!gateKey.empty())
        s.gateKey = gateKey;
    if (!asGate.empty())
        s.gateName = asGate;
    if (plain)
        s.communityKeys.clear();
    if (!sealTo.empty()) {
        const std::string pub = firstLine(sealTo + "/community.pub"), sec = firstLine(sealTo + "/community.key");
        auto bytes = crypto::fromBase64Url(pub);
        if (!bytes) {
            std::cerr << "no key pair in " << sealTo << "\n";
            return 1;
        }
        s.communityKeys = nlohmann::json::array({{{"id", crypto::keyId(*bytes)}, {"secret_key", sec}, {"public_key", pub}}}).dump();
    }
    if (!store->saveSettings(s))
        return 1;
    gate = s.gateName;
    const PassCrypto sodium = crypto::passCrypto();
    const int64_t now = Clock::system().unixMs;
    const int64_t start = now - int64_t(daysAgo * 86'400'000);
    static const char* kStems[] = {"甲", "乙", "丙", "丁", "戊", "己", "庚", "辛", "壬", "癸"};
    if (deletes >= 0) {
        // As a gate does it: the person was exported once (an earlier batch), then deleted.
        nlohmann::json j{{"name", "测试删除"}, {"doc_type", "resident_id"}, {"doc_number", idNumber(deletes)}, {"phone", phone},
                         {"person_type", "resident"}, {"address", "1-1-101"}, {"left_city", false}, {"epidemic_contact", false},
                         {"symptoms", false}, {"home_observation", false}};
        PersonInput in = personFromJson(j);
        if (!in.errors.empty() || !store->savePerson(PersonRecord{in.person, start, start, "测试员"}) ||
            !exportPending(*store, Clock{now}, sodium) || !store->deletePerson(in.person.docNumber, now)) {
            std::cerr << "cannot make the deletion\n";
            return 1;
        }
    }
    if (!revokeCard.empty())
        if (auto r = revokeHere(*store, "card", revokeCard, reason, "测试员", Clock{now - revokedAgo}); !r) {
            std::cerr << r.error().en << "\n";
            return 1;
        }
    if (!visitorUse.empty()) {
        // As entry.record does it for a visitor pass: the visitor, the entry and the use, in one transaction.
        VisitorPass v;
        v.id = visitorUse;
        v.name = "测试访客";
        v.phone = phone;
        v.firstDay = v.lastDay = Clock{now - visitorUsedAgo}.today();
        v.hostAddress = "1-1-101";
        v.hostName = "测*";
        const Person p = visitorPerson(v);
        Entry en{newEntryId(), p.docNumber, p.name, p.personType, now - visitorUsedAgo, Direction::In, temperature,
                 Verdict::Refer, {}, gate, "测试员"};
        Transaction t = store->transaction();
        if (!store->savePerson(PersonRecord{p, en.atMs, std::nullopt, ""}) || !store->addEntry(en) || !recordVisitorUse(*store, v, en) ||
            !t.commit()) {
            std::cerr << "cannot record the visitor\n";
            return 1;
        }
    }
    std::vector<PersonRecord> people;
    for (int i = 0; i < persons; ++i) {
        int k = offset + i;
        nlohmann::json j{{"name", std::string("测试") + kStems[k / 10 % 10] + kStems[k % 10]},
                         {"doc_type", "resident_id"}, {"doc_number", idNumber(k)}, {"phone", phone},
                         {"person_type", personType}, {"address", "1-1-" + std::to_string(101 + k % 500)},
                         {"left_city", returnedDaysAgo >= 0}, {"epidemic_contact", false}, {"symptoms", false}, {"home_observation", observation}};
        if (returnedDaysAgo >= 0) {
            j["came_from"] = "上海";
            j["return_date"] = Date{Clock{now}.today().days - returnedDaysAgo}.toString();
        }
        if (observation)
            j["observation_start"] = Date{Clock{start}.today().days - 10}.toString();
        PersonInput in = personFromJson(j);
        if (!in.errors.empty()) {
            std::cerr << "person " << k << ": " << in.errors.front().en << "\n";
            return 1;
        }
        PersonRecord r{in.person, updatedAt ? updatedAt : start, start, "测试员"};
        if (!store->savePerson(r)) {
            std::cerr << "cannot save person\n";
            return 1;
        }
        people.push_back(r);
    }
    for (int e = 0; e < entries && !people.empty(); ++e) {
        const Person& p = people[size_t(e) % people.size()].person;
        Entry en;
        en.id = newEntryId();
        en.docNumber = p.docNumber;
        en.name = p.name;
        en.personType = p.personType;
        en.atMs = start + e * 1000;
        en.direction = e % 2 ? Direction::Out : Direction::In;
        en.temperature = temperature;
        // Judged as a gate judges (default rules): a fever carries the policy's reason, which the office counts.
        GateContext g;
        g.direction = en.direction;
        g.temperature = temperature;
        g.verified = true;
        auto d = decide(p, g, Clock{en.atMs}, Rules{});
        if (!d) {
            std::cerr << d.error().en << "\n";
            return 1;
        }
        en.verdict = d->verdict;
        en.reasons = d->reasons;
        en.gate = gate;
        en.staff = "测试员";
        if (auto r = store->addEntry(en); !r) {
            std::cerr << r.error().en << "\n";
            return 1;
        }
    }
    auto b = exportPending(*store, Clock{now}, sodium);
    if (!b) {
        std::cerr << b.error().en << "\n";
        return 1;
    }
    std::ofstream f(out, std::ios::binary);
    f << b->text;
    auto parsed = parseBatch(b->text, heldBatchKeys(*store, sodium));
    if (!parsed) {
        std::cerr << parsed.error().en << "\n";
        return 1;
    }
    std::ofstream body(out + ".body", std::ios::binary);
    for (const PersonRecord& r : parsed->persons)
        body << nlohmann::json{{"person", toJson(r)}}.dump() << "\n";
    for (const Entry& e : parsed->entries)
        body << nlohmann::json{{"entry", toJson(e)}}.dump() << "\n";
    for (const Deletion& d : parsed->deletions)
        body << nlohmann::json{{"deletion", {{"doc_number", d.docNumber}, {"at", d.atMs}}}}.dump() << "\n";
    return f.flush() && body.flush() ? 0 : 1;
}
