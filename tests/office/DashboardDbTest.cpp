// The dashboard's storage (issue 11) on a real database: accounts, the
// wrong-password count and lock-out, sessions, the audit log, and the
// overview's counts checked against the gate's own stats for the same
// entries (the core's rules, computed by the Store). The database is the one
// named by GATEPASS_OFFICE_DB (a fresh SQLite file path or postgresql://…);
// the service suite (tests/office/service.test.mjs) runs this on both backends.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>

#include "OfficeDb.h"
#include "Password.h"
#include "SealedBox.h"
#include "gatepass.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <tuple>

using namespace gatepass;
using namespace gatepass::office;
using nlohmann::json;

namespace {

constexpr int64_t kDay = 86'400'000;

OfficeDb& db()
{
    static std::unique_ptr<OfficeDb> opened = [] {
        const char* target = std::getenv("GATEPASS_OFFICE_DB");
        REQUIRE(target != nullptr);
        auto o = OfficeDb::open(target);
        REQUIRE(bool(o));
        return std::move(*o);
    }();
    return *opened;
}

// A gate's core on a temporary file (gone with the object), called as its
// console calls it: at `at`, each reply required to be ok.
class TestGate {
public:
    explicit TestGate(const std::string& tag)
        : path_(std::filesystem::temp_directory_path() / ("gatepass-" + tag + "-" + std::to_string(::getpid()) + ".sqlite"))
    {
        std::filesystem::remove(path_);
        auto store = Store::open(path_.string());
        REQUIRE(bool(store));
        api_.emplace(std::move(*store), crypto::passCrypto());
    }
    ~TestGate()
    {
        api_.reset();
        std::error_code ec;
        std::filesystem::remove(path_, ec);
    }
    json operator()(json req, int64_t at)
    {
        req["now"] = at;
        json r = json::parse(api_->call(req.dump()));
        INFO(r.dump());
        REQUIRE(r["ok"] == true);
        return r;
    }

private:
    std::filesystem::path path_;
    std::optional<Api> api_;
};

} // namespace

TEST_CASE("an account is stored with its Argon2id hash; a second one of that name changes nothing")
{
    auto hash = crypto::hashPassword("correct horse battery");
    REQUIRE(hash);
    CHECK(hash->starts_with("$argon2id$"));
    REQUIRE(bool(db().addAccount(Account{"王芳", Role::Staff, *hash, 1000})));
    auto again = db().addAccount(Account{"王芳", Role::Admin, *crypto::hashPassword("another password"), 2000});
    REQUIRE_FALSE(again);
    CHECK(again.error().code == "account.exists");
    auto a = db().account("王芳");
    REQUIRE(a);
    CHECK(a->role == Role::Staff);
    CHECK(a->createdAt == 1000);
    CHECK(crypto::verifyPassword(a->passwordHash, "correct horse battery"));
    CHECK_FALSE(crypto::verifyPassword(a->passwordHash, "correct horse batterY"));
    CHECK_FALSE(db().account("王"));
}

TEST_CASE("wrong passwords lock an account at the limit; while locked nothing is counted; a success clears the count")
{
    REQUIRE(bool(db().addAccount(Account{"lock", Role::Viewer, *crypto::hashPassword("0123456789"), 0})));
    const int64_t t = 1'000'000, lock = 15 * 60'000;
    for (int i = 1; i <= 4; ++i) {
        auto a = db().noteFailedSignIn("lock", t + i, 5, lock);
        REQUIRE(a);
        CHECK(a->failedSignIns == i);
        CHECK_FALSE(a->lockedUntil);
    }
    auto fifth = db().noteFailedSignIn("lock", t + 5, 5, lock);
    REQUIRE(fifth);
    CHECK(fifth->failedSignIns == 0);
    REQUIRE(fifth->lockedUntil);
    CHECK(*fifth->lockedUntil == t + 5 + lock);
    auto whileLocked = db().noteFailedSignIn("lock", t + 6, 5, lock);
    REQUIRE(whileLocked);
    CHECK(*whileLocked->lockedUntil == t + 5 + lock); // not extended, not counted
    CHECK(whileLocked->failedSignIns == 0);
    auto after = db().noteFailedSignIn("lock", t + 5 + lock, 5, lock);
    REQUIRE(after);
    CHECK(after->failedSignIns == 1);
    REQUIRE(bool(db().noteSignIn("lock", t + 7 + lock)));
    CHECK(db().account("lock")->failedSignIns == 0);
    CHECK(db().account("lock")->lastSignInAt == t + 7 + lock);
    auto none = db().noteFailedSignIn("nobody", t, 5, lock);
    REQUIRE_FALSE(none);
    CHECK(none.error().code == "account.not_found");
}

TEST_CASE("a session is found by its token hash with the account's role until it expires or ends")
{
    REQUIRE(bool(db().addAccount(Account{"admin", Role::Admin, *crypto::hashPassword("0123456789"), 0})));
    REQUIRE(bool(db().addSession("hash-a", "admin", 100, 200)));
    REQUIRE(bool(db().addSession("hash-b", "admin", 100, 300)));
    auto s = db().session("hash-a", 150);
    REQUIRE(s);
    CHECK(s->account == "admin");
    CHECK(s->role == Role::Admin);
    CHECK(s->expiresAt == 200);
    CHECK_FALSE(db().session("hash-a", 200)); // expired
    CHECK_FALSE(db().session("hash-x", 150));
    REQUIRE(bool(db().endSession("hash-b", 150)));
    CHECK_FALSE(db().session("hash-b", 160));
}

TEST_CASE("an admin's changes apply at once; the last enabled admin can be neither demoted nor disabled")
{
    const auto hash = *crypto::hashPassword("0123456789");
    Account staff{"c1-staff", Role::Staff, hash, 10};
    staff.communities = {"C001"};
    REQUIRE(bool(db().addAccount(staff)));
    REQUIRE(bool(db().addAccount(Account{"solo", Role::Admin, hash, 10})));
    REQUIRE(bool(db().addAccount(Account{"spare", Role::Admin, hash, 10})));
    auto all = db().accounts();
    REQUIRE(all);
    CHECK(std::is_sorted(all->begin(), all->end(), [](const Account& a, const Account& b) { return a.name < b.name; }));
    CHECK(std::find_if(all->begin(), all->end(), [](const Account& a) { return a.name == "c1-staff"; })->communities ==
          std::vector<std::string>{"C001"});

    // The account's communities and role reach its session at once.
    REQUIRE(bool(db().addSession("hash-c1", "c1-staff", 100, 1'000'000)));
    auto s = db().session("hash-c1", 200);
    REQUIRE(s);
    CHECK(s->communities == std::vector<std::string>{"C001"});
    CHECK(s->mayRead("C001"));
    CHECK_FALSE(s->mayRead("C002"));
    REQUIRE(bool(db().changeAccount("c1-staff", AccountChange{.communities = std::vector<std::string>{"C001", "C002"}})));
    CHECK(db().session("hash-c1", 200)->mayRead("C002"));
    REQUIRE(bool(db().changeAccount("c1-staff", AccountChange{.role = Role::Viewer})));
    CHECK(db().session("hash-c1", 200)->role == Role::Viewer);
    // Disabling ends its sessions; enabling does not bring them back.
    REQUIRE(bool(db().changeAccount("c1-staff", AccountChange{.disabled = true})));
    CHECK_FALSE(db().session("hash-c1", 200));
    REQUIRE(bool(db().changeAccount("c1-staff", AccountChange{.disabled = false})));
    CHECK_FALSE(db().session("hash-c1", 200));
    // A new password ends its sessions too.
    REQUIRE(bool(db().addSession("hash-c1b", "c1-staff", 100, 1'000'000)));
    REQUIRE(bool(db().changeAccount("c1-staff", AccountChange{.passwordHash = *crypto::hashPassword("another one!")})));
    CHECK_FALSE(db().session("hash-c1b", 200));
    CHECK(crypto::verifyPassword(db().account("c1-staff")->passwordHash, "another one!"));
    // Unlock clears the lock-out and the count.
    REQUIRE(bool(db().noteFailedSignIn("c1-staff", 300, 1, 60'000)));
    CHECK(db().account("c1-staff")->lockedUntil);
    REQUIRE(bool(db().changeAccount("c1-staff", AccountChange{.unlock = true})));
    CHECK_FALSE(db().account("c1-staff")->lockedUntil);
    auto none = db().changeAccount("nobody", AccountChange{.unlock = true});
    REQUIRE_FALSE(none);
    CHECK(none.error().code == "account.not_found");

    // Only "solo" left as an enabled admin: it cannot be demoted or disabled, and nothing changes.
    std::vector<std::string> others;
    auto listed = db().accounts();
    REQUIRE(listed);
    for (const Account& a : *listed)
        if (a.role == Role::Admin && !a.disabled && a.name != "solo")
            others.push_back(a.name);
    for (const std::string& o : others)
        REQUIRE(bool(db().changeAccount(o, AccountChange{.disabled = true})));
    auto demote = db().changeAccount("solo", AccountChange{.role = Role::Staff});
    REQUIRE_FALSE(demote);
    CHECK(demote.error().code == "account.last_admin");
    auto disable = db().changeAccount("solo", AccountChange{.role = Role::Viewer, .disabled = true});
    REQUIRE_FALSE(disable);
    CHECK(disable.error().code == "account.last_admin");
    CHECK(db().account("solo")->role == Role::Admin);
    CHECK_FALSE(db().account("solo")->disabled);
    // Another admin enabled again: now it may.
    REQUIRE(bool(db().changeAccount(others[0], AccountChange{.disabled = false})));
    REQUIRE(bool(db().changeAccount("solo", AccountChange{.role = Role::Staff})));
    for (const std::string& o : others)
        REQUIRE(bool(db().changeAccount(o, AccountChange{.disabled = false})));
}

TEST_CASE("the audit log lists events newest first, as many as asked")
{
    for (int i = 0; i < 3; ++i)
        REQUIRE(bool(db().addAudit(AuditEvent{5000 + i, "admin", i == 1 ? "sign_in_failed" : "sign_in", "127.0.0.1"})));
    auto events = db().audit(2);
    REQUIRE(events);
    REQUIRE(events->size() == 2);
    CHECK((*events)[0].at == 5002);
    CHECK((*events)[1].at == 5001);
    CHECK((*events)[1].action == "sign_in_failed");
    CHECK((*events)[1].address == "127.0.0.1");
}

TEST_CASE("the overview counts what the gate counts for the same entries, and entries by local day")
{
    // Noon of today (local): every time below is then on the day it means, whenever the test runs.
    const Clock now = Clock{Clock{Clock::system().unixMs}.dayStartMs() + 12 * 3'600'000, kDefaultUtcOffsetMinutes};
    REQUIRE(bool(db().addCommunity(Community{"C001", "八角路社区", "https://gate.example.org/", "00000000", "x", "/nowhere"})));

    // The gate: persons of several types, one under home observation, one with
    // a fever today, some gone out again, entries 20 and 3 days ago and today.
    TestGate call("dash");
    // The gate's own fever rule (37.8, above the default 37.3): the office counts what the gate judged.
    call({{"op", "settings.set"}, {"settings", {{"community_code", "C001"}, {"community_name", "八角路社区"}, {"gate_name", "北门"},
                                               {"rules", {{"fever_at_or_above", 37.8}}}}}},
         now.unixMs);
    auto person = [](int i, const char* type, bool observation) {
        json p{{"name", "张三"}, {"doc_type", "passport"}, {"doc_number", "E" + std::to_string(20'000'000 + i)}, {"phone", "13800138000"},
               {"person_type", type}, {"address", "3-2-501"}, {"left_city", false}, {"epidemic_contact", false}, {"symptoms", false},
               {"home_observation", observation}};
        if (observation)
            p["observation_start"] = Date{Clock{Clock::system().unixMs}.today().days - 25}.toString();
        return p;
    };
    auto enter = [&](int i, const char* type, const char* direction, double temperature, int64_t at, bool observation = false) {
        call({{"op", "entry.record"}, {"person", person(i, type, observation)}, {"temperature", temperature}, {"direction", direction}, {"staff", "王"}}, at);
    };
    const int64_t today = now.dayStartMs();
    enter(1, "resident", "in", 36.5, today - 20 * kDay + 3'600'000);
    enter(2, "tenant", "in", 36.6, today - 3 * kDay + 3'600'000, true);
    enter(2, "tenant", "out", 36.6, today - 3 * kDay + 7'200'000, true);
    enter(3, "visitor", "in", 36.4, today - 3 * kDay + 7'200'000);
    enter(4, "delivery", "in", 36.5, today + 60'000);
    enter(4, "delivery", "out", 36.5, today + 120'000);
    enter(5, "resident", "in", 38.2, today + 180'000); // fever
    enter(6, "resident", "in", 37.5, today + 240'000); // a fever by the default rule, not by this gate's
    json stats = call({{"op", "stats"}}, now.unixMs);
    std::string text = call({{"op", "batch.export"}}, now.unixMs)["file"]["text"];

    auto parsed = parseBatch(text);
    REQUIRE(bool(parsed));
    REQUIRE(bool(db().enrollGate(Gate{"C001", "南门", "key", now.unixMs}, "token-hash-south")));
    REQUIRE(bool(db().merge(*parsed, text, now)));

    auto o = db().overview("C001", now);
    REQUIRE(o);
    CHECK(o->persons == stats["persons"].get<int64_t>());
    CHECK(o->persons == 6);
    CHECK(o->underObservation == stats["home_observation"].get<int64_t>());
    CHECK(o->underObservation == 1);
    CHECK(o->feverToday == stats["fever_today"].get<int64_t>());
    CHECK(o->feverToday == 1);
    CHECK(o->insideNow == stats["inside_now"].get<int64_t>());
    CHECK(o->personsByType["resident"] == 3);
    CHECK(o->personsByType["tenant"] == 1);
    CHECK(o->insideByType["delivery"] == 0);
    CHECK(o->insideByType["visitor"] == 1);
    CHECK(o->entriesByDay.back() == stats["entries_today"].get<int64_t>());
    std::vector<int64_t> days(kOverviewDays);
    days[kOverviewDays - 1] = 4; // today
    days[kOverviewDays - 4] = 3; // 3 days ago; 20 days ago is outside
    CHECK(o->entriesByDay == days);
    REQUIRE(o->gates.size() == 2); // 北门 from the entries, 南门 enrolled without any
    CHECK(o->gates[0].name == "北门");
    CHECK(o->gates[0].entriesByDay == days);
    CHECK(o->gates[0].enrolled == false);
    CHECK(o->gates[1].name == "南门");
    CHECK(o->gates[1].enrolled == true);
    CHECK(o->gates[1].entriesByDay == std::vector<int64_t>(kOverviewDays));
    CHECK_FALSE(o->gates[1].lastUploadAt);

    auto other = db().overview("C999", now);
    REQUIRE(other);
    CHECK(other->persons == 0);
    CHECK(other->gates.empty());
}

// After the overview's case: C001 holds its six persons (张三, passports
// E20000001…6, phone 13800138000) and eight entries.
TEST_CASE("persons are found by a part of the name or the last 4+ digits, as the gate finds them; never by a middle fragment")
{
    auto count = [](std::string_view community, std::string_view q) {
        auto r = db().searchPersons(community, q, 50);
        REQUIRE(r);
        return r->size();
    };
    CHECK(count("C001", "张") == 6);
    CHECK(count("C001", " 三 ") == 6);
    CHECK(count("C001", "李") == 0);
    CHECK(count("C001", "0000005") == 1);  // the end of one passport number
    CHECK(count("C001", "8000") == 6);     // the end of the phone
    CHECK(count("C001", "005") == 0);      // fewer than 4 digits: nothing
    CHECK(count("C001", "2000000") == 0);  // a middle fragment: nothing
    CHECK(count("C001", "") == 0);
    CHECK(count("C999", "张") == 0);
    auto limited = db().searchPersons("C001", "张", 4);
    REQUIRE(limited);
    CHECK(limited->size() == 4);
    auto one = db().searchPersons("C001", "20000005", 50);
    REQUIRE(one);
    REQUIRE(one->size() == 1);
    CHECK(one->front().person.docNumber == "E20000005");
    CHECK(one->front().person.name == "张三");
}

TEST_CASE("every person and every entry of a community, oldest entry first, as merged")
{
    auto persons = db().persons("C001");
    REQUIRE(persons);
    CHECK(persons->size() == 6);
    auto entries = db().entries("C001");
    REQUIRE(entries);
    REQUIRE(entries->size() == 8);
    for (size_t i = 1; i < entries->size(); ++i)
        CHECK((*entries)[i - 1].atMs <= (*entries)[i].atMs);
    int fevers = 0;
    for (const Entry& e : *entries)
        if (e.temperature && *e.temperature >= 38.2) {
            ++fevers;
            CHECK(e.docNumber == "E20000005");
            CHECK(e.gate == "北门");
            CHECK(e.staff == "王");
        }
    CHECK(fevers == 1);
    CHECK(db().persons("C999")->empty());
    CHECK(db().entries("C999")->empty());
}

TEST_CASE("a watch-list row is removed once: the feed no longer carries it; removing it again changes nothing")
{
    REQUIRE(bool(db().addWatch("C001", WatchEntry{"E20000002", "居家观察", 7000})));
    REQUIRE(bool(db().addWatch("C001", WatchEntry{"E20000003", "健康码异常", 7001})));
    auto removed = db().removeWatch("C001", "E20000002");
    REQUIRE(removed);
    CHECK(*removed);
    auto f = db().feed("C001");
    REQUIRE(f);
    REQUIRE(f->watchList.size() == 1);
    CHECK(f->watchList[0].docNumber == "E20000003");
    auto again = db().removeWatch("C001", "E20000002");
    REQUIRE(again);
    CHECK_FALSE(*again);
    auto elsewhere = db().removeWatch("C999", "E20000003");
    REQUIRE(elsewhere);
    CHECK_FALSE(*elsewhere);
    CHECK(db().feed("C001")->watchList.size() == 1);
}

TEST_CASE("an audit event keeps whom it was about")
{
    REQUIRE(bool(db().addAudit(AuditEvent{9000, "值班", "unmasked", "127.0.0.1", "C001 张三 E2******5"})));
    auto events = db().audit(1);
    REQUIRE(events);
    REQUIRE(events->size() == 1);
    CHECK(events->front().action == "unmasked");
    CHECK(events->front().detail == "C001 张三 E2******5");
}

namespace {

/// What the entries themselves say, by the core's rules: inside now (each
/// person's last movement, refused entries none, ties to the later id),
/// entries a local day, fevers today (the gate's judgement, kFeverReason).
struct Counted {
    int64_t insideNow = 0, feverToday = 0;
    std::vector<int64_t> entriesByDay = std::vector<int64_t>(kOverviewDays);
};

Counted countedFrom(const std::vector<Entry>& entries, const Clock& now)
{
    Counted c;
    const int64_t today = now.dayStartMs(), from = today - int64_t(kOverviewDays - 1) * kDay;
    std::map<std::string, const Entry*> last;
    for (const Entry& e : entries) {
        if (e.atMs >= from && e.atMs < today + kDay)
            ++c.entriesByDay[size_t((e.atMs - from) / kDay)];
        if (e.atMs >= today && e.atMs < today + kDay &&
            std::ranges::any_of(e.reasons, [](const Message& m) { return m.code == kFeverReason; }))
            ++c.feverToday;
        if (e.verdict == Verdict::Deny)
            continue;
        const Entry*& l = last[e.docNumber];
        if (!l || std::tie(e.atMs, e.id) > std::tie(l->atMs, l->id))
            l = &e;
    }
    for (const auto& [doc, e] : last)
        c.insideNow += e->direction == Direction::In;
    return c;
}

} // namespace

// Both backends keep the overview's counts as entries are merged and deleted
// (office_entry_counts; the last movements: the Store's last_moves on SQLite,
// office_last_moves on PostgreSQL).
// Either way they must be what the entries say, also after a purge took some.
TEST_CASE("the overview's counts are the entries' own, before and after a purge")
{
    const Clock now = Clock{Clock{Clock::system().unixMs}.dayStartMs() + 12 * 3'600'000, kDefaultUtcOffsetMinutes};
    auto check = [&](const char* when) {
        INFO(when);
        auto o = db().overview("C001", now);
        auto entries = db().entries("C001");
        REQUIRE(o);
        REQUIRE(entries);
        Counted c = countedFrom(*entries, now);
        CHECK(o->insideNow == c.insideNow);
        CHECK(o->feverToday == c.feverToday);
        CHECK(o->entriesByDay == c.entriesByDay);
        return o->insideNow;
    };
    const int64_t insideBefore = check("before the purge");
    // The overview's case left a resident gone in 20 days ago and not seen since: past a 14-day period.
    REQUIRE(bool(db().setRetentionDays("C001", 14)));
    auto purged = db().purge(now);
    REQUIRE(purged);
    int64_t deleted = 0;
    for (const PurgeCounts& p : *purged)
        deleted += p.entriesDeleted;
    CHECK(deleted >= 1);
    CHECK(check("after the purge") == insideBefore - 1);
}

// After the cases above: C001's persons from the overview's case left the city
// by none of their records; E20000002 is under home observation since 25 days
// ago, came in 3 days ago at 北门 and was refused going out (denyObservationGoingOut:
// a refused movement is none). This case adds a known set beside them.
TEST_CASE("returned within 14 days counts as the gate counts, and fewer as the day moves past the window; the observation list")
{
    const Clock now = Clock{Clock{Clock::system().unixMs}.dayStartMs() + 12 * 3'600'000, kDefaultUtcOffsetMinutes};
    const Date today = now.today();
    TestGate call("dash-returned");
    call({{"op", "settings.set"}, {"settings", {{"community_code", "C001"}, {"community_name", "八角路社区"}, {"gate_name", "北门"}}}}, now.unixMs);
    // returnedDaysAgo < 0: did not leave the city; observedDaysAgo < 0: not under observation.
    auto person = [&](int i, int returnedDaysAgo, int observedDaysAgo) {
        json p{{"name", "李四"}, {"doc_type", "passport"}, {"doc_number", "E" + std::to_string(30'000'000 + i)}, {"phone", "13900139000"},
               {"person_type", "resident"}, {"address", std::to_string(i) + "号楼2单元501"}, {"left_city", returnedDaysAgo >= 0},
               {"epidemic_contact", false}, {"symptoms", false}, {"home_observation", observedDaysAgo >= 0}};
        if (returnedDaysAgo >= 0) {
            p["came_from"] = "武汉";
            p["return_date"] = Date{today.days - returnedDaysAgo}.toString();
        }
        if (observedDaysAgo >= 0)
            p["observation_start"] = Date{today.days - observedDaysAgo}.toString();
        return p;
    };
    // Back today, 13, 14 and 30 days ago; never left; back 5 days ago and observed
    // since 2 days ago (its entry today); observed since 10 days ago, never moved.
    for (auto [i, back, observed] : std::initializer_list<std::tuple<int, int, int>>{{1, 0, -1}, {2, 13, -1}, {3, 14, -1}, {4, 30, -1}, {5, -1, -1}, {7, -1, 10}})
        call({{"op", "person.save"}, {"person", person(i, back, observed)}}, now.unixMs);
    const int64_t enteredAt = now.unixMs - 3'600'000;
    call({{"op", "entry.record"}, {"person", person(6, 5, 2)}, {"temperature", 36.5}, {"direction", "in"}, {"staff", "王"}}, enteredAt);
    std::string text = call({{"op", "batch.export"}}, now.unixMs)["file"]["text"];
    auto parsed = parseBatch(text);
    REQUIRE(bool(parsed));
    REQUIRE(bool(db().merge(*parsed, text, now)));

    // The office's count is the gate's own (Store::stats) for the same records,
    // today, a day later and 14 days later; C001's other persons never left.
    for (auto [later, want] : std::initializer_list<std::pair<int, int>>{{0, 3}, {1, 2}, {14, 0}}) {
        INFO("days later: " << later);
        const Clock then{now.unixMs + later * kDay, now.utcOffsetMinutes};
        auto o = db().overview("C001", then);
        REQUIRE(o);
        CHECK(o->returnedRecently == want);
        CHECK(o->returnedRecently == call({{"op", "stats"}}, then.unixMs)["returned_14d"].get<int64_t>());
    }
    CHECK(db().overview("C999", now)->returnedRecently == 0);

    // The observation list: the earliest start first, each with its last movement (or none).
    auto list = db().underObservation("C001", 50);
    REQUIRE(list);
    std::vector<std::string> numbers;
    for (const ObservedPerson& o : *list)
        numbers.push_back(o.record.person.docNumber);
    CHECK(numbers == std::vector<std::string>{"E20000002", "E30000007", "E30000006"});
    REQUIRE(list->size() == 3);
    CHECK((*list)[0].lastMoveAt);
    CHECK((*list)[0].lastDirection == Direction::In); // its refused "out" is no movement
    CHECK((*list)[0].lastGate == "北门");
    CHECK_FALSE((*list)[1].lastMoveAt);
    CHECK((*list)[1].record.person.observationStart == Date{today.days - 10});
    CHECK((*list)[1].record.person.address == "7号楼2单元501");
    CHECK((*list)[2].lastMoveAt == enteredAt);
    CHECK((*list)[2].lastDirection == Direction::In);
    CHECK((*list)[2].lastGate == "北门");
    CHECK(db().underObservation("C001", 2)->size() == 2);
    CHECK(db().underObservation("C999", 50)->empty());
}

TEST_CASE("a gate's staff actions are stored once per id on this backend, listed newest first, purged with the period")
{
    const Clock now = Clock::system();
    REQUIRE(bool(db().addCommunity(Community{"C001", "八角路社区", "https://gate.example.org/", "00000000", "x", "/nowhere"})));
    TestGate call("actions");
    json p{{"name", "赵六"}, {"doc_type", "passport"}, {"doc_number", "E40000001"}, {"phone", "13700137000"}, {"person_type", "resident"},
           {"address", "1-1-101"}, {"left_city", false}, {"epidemic_contact", false}, {"symptoms", false}, {"home_observation", false}};
    const int64_t old = now.unixMs - 40 * 86'400'000LL;
    call({{"op", "settings.set"}, {"staff", "所长"}, {"settings", {{"community_code", "C001"}, {"community_name", "八角路社区"}, {"gate_name", "西门"}}}}, old);
    call({{"op", "entry.record"}, {"person", p}, {"temperature", 36.5}, {"direction", "in"}, {"staff", "王"}}, now.unixMs);
    call({{"op", "person.reveal"}, {"person", p}, {"staff", "王"}}, now.unixMs);
    std::string text = call({{"op", "batch.export"}, {"staff", "王"}}, now.unixMs)["file"]["text"];

    auto parsed = parseBatch(text);
    REQUIRE(bool(parsed));
    REQUIRE(parsed->actions.size() == 3);
    auto first = db().merge(*parsed, text, now);
    REQUIRE(bool(first));
    CHECK(first->actionsAdded == 3);
    // A replay (the gate retrying) adds nothing.
    auto replay = db().merge(*parsed, text, now);
    REQUIRE(bool(replay));
    CHECK(replay->alreadyImported);
    auto listed = db().staffActions("C001", 500);
    REQUIRE(listed);
    std::vector<StaffAction> west;
    for (const StaffAction& a : *listed)
        if (a.gate == "西门")
            west.push_back(a);
    REQUIRE(west.size() == 3);
    CHECK(west[0].kind == StaffActionKind::Export); // newest first: the export, logged after the reveal
    CHECK(west[1].kind == StaffActionKind::Reveal);
    CHECK(west[1].staff == "王");
    CHECK(west[1].detail.en == maskDocNumber("E40000001"));
    CHECK(west[2].kind == StaffActionKind::Settings);
    CHECK(west[2].atMs == old);
    CHECK(db().staffActions("C999", 500)->empty());

    // Purged with the community's period (28 days): the 40-day-old one goes.
    auto purged = db().purge(now);
    REQUIRE(purged);
    int64_t deleted = 0;
    for (const PurgeCounts& c : *purged)
        deleted += c.actionsDeleted;
    CHECK(deleted >= 1);
    int westLeft = 0;
    for (const StaffAction& a : *db().staffActions("C001", 500))
        westLeft += a.gate == "西门";
    CHECK(westLeft == 2);
}
