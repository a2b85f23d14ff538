// Two uploads of the same batch at once, through the Upload handler on real
// threads and a real database: the batch is merged exactly once and both are
// answered 200, one of them "already". The database is the one named by
// GATEPASS_OFFICE_DB (a SQLite file path or postgresql://…); the service
// suite (tests/office/service.test.mjs) runs this on both backends, on a
// fresh database each.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>

#include "Enrollment.h"
#include "OfficeDb.h"
#include "SealedBox.h"
#include "Token.h"
#include "Upload.h"
#include "gatepass.h"

#include <barrier>
#include <cstdlib>
#include <filesystem>
#include <thread>

using namespace gatepass;
using namespace gatepass::office;
using nlohmann::json;

namespace {

// A gate's batch: `persons` registered and one entry each, exported (and MACed
// with `gateKey`, issue 12) as the console does.
std::string makeBatch(int round, int persons, const std::string& gateKey)
{
    auto path = std::filesystem::temp_directory_path() / ("gatepass-race-" + std::to_string(::getpid()) + "-" + std::to_string(round) + ".sqlite");
    std::filesystem::remove(path);
    std::string text;
    {
        auto store = Store::open(path.string());
        REQUIRE(bool(store));
        Settings settings = store->settings();
        settings.gateKey = gateKey;
        REQUIRE(bool(store->saveSettings(settings)));
        Api api(std::move(*store), crypto::passCrypto());
        auto call = [&](json req) {
            req["now"] = Clock::system().unixMs;
            json r = json::parse(api.call(req.dump()));
            REQUIRE(r["ok"] == true);
            return r;
        };
        call({{"op", "settings.set"}, {"settings", {{"community_code", "C001"}, {"community_name", "八角路社区"}, {"gate_name", "北门"}}}});
        for (int i = 0; i < persons; ++i) {
            json p{{"name", "张三"}, {"doc_type", "passport"}, {"doc_number", "E" + std::to_string(10'000'000 + round * 1000 + i)},
                   {"phone", "13800138000"}, {"person_type", "resident"}, {"address", "3-2-501"}, {"left_city", false},
                   {"epidemic_contact", false}, {"symptoms", false}, {"home_observation", false}};
            call({{"op", "entry.record"}, {"person", p}, {"temperature", 36.5}, {"direction", "in"}, {"staff", "王"}});
        }
        text = call({{"op", "batch.export"}})["file"]["text"];
    }
    std::filesystem::remove(path);
    std::filesystem::remove(path.string() + "-journal");
    return text;
}

} // namespace

TEST_CASE("two uploads of the same batch racing on threads: merged once, both 200, one already")
{
    const char* target = std::getenv("GATEPASS_OFFICE_DB");
    REQUIRE(target != nullptr); // run by tests/office/service.test.mjs with a fresh database
    auto opened = OfficeDb::open(target);
    REQUIRE(bool(opened));
    OfficeDb& db = **opened;
    REQUIRE(bool(db.addCommunity(Community{"C001", "八角路社区", "https://bajiao.example.org/", "a1b2c3d4", "key", "/nonexistent"})));
    const std::string token = crypto::newToken();
    const std::string gateKey = newGateKey();
    REQUIRE(bool(db.enrollGate(Gate{"C001", "北门", gateKey, Clock::system().unixMs}, crypto::tokenHash(token))));

    UploadOptions options;
    options.rate.burst = options.rate.perMinute = 1e6; // the rate limit is another test's
    Uploads uploads(db, options);
    const std::string auth = "Bearer " + token;
    constexpr int kRounds = 12, kRacers = 2, kPersons = 40;
    int64_t entries = db.counts("C001")->entries;

    for (int round = 0; round < kRounds; ++round) {
        INFO("round " << round);
        const std::string body = makeBatch(round, kPersons, gateKey);
        std::vector<UploadReply> replies(kRacers);
        std::barrier start(kRacers);
        std::vector<std::thread> racers;
        for (int i = 0; i < kRacers; ++i)
            racers.emplace_back([&, i] {
                start.arrive_and_wait(); // both requests leave together
                replies[i] = uploads.handle(UploadRequest{auth, body}, Clock::system());
            });
        for (auto& t : racers)
            t.join();
        int fresh = 0;
        for (const UploadReply& r : replies) {
            INFO(r.body.dump());
            REQUIRE(r.status == 200);
            fresh += r.body["already"] == false;
        }
        CHECK(fresh == 1);
        for (const UploadReply& r : replies)
            CHECK(r.body["added"]["entries"] == (r.body["already"] == true ? 0 : kPersons));
        entries += kPersons;
        CHECK(db.counts("C001")->entries == entries);
    }
}
