// Writes the seed corpora of the fuzz targets from the core's own outputs:
// passes of generated people, their JSON, batch files exported from a store,
// and API sessions. Run at build time (build-scripts/fuzz), never committed.
//
//   make_seeds DIR   → DIR/pass, DIR/validate, DIR/batch, DIR/api
#include "../core/Fixtures.h"
#include "FuzzKeys.h"
#include "SealedBox.h"

#include <filesystem>
#include <fstream>
#include <iostream>

using namespace gatepass;
using namespace gatepass::test;
namespace fs = std::filesystem;

namespace {

void write(const fs::path& dir, int n, const std::string& bytes)
{
    std::ofstream(dir / ("seed-" + std::to_string(n)), std::ios::binary) << bytes;
}

} // namespace

int main(int argc, char** argv)
{
    if (argc != 2) {
        std::cerr << "usage: make_seeds DIR\n";
        return 2;
    }
    fs::path root = argv[1];
    for (const char* t : {"pass", "validate", "batch", "api"})
        fs::create_directories(root / t);

    PersonGenerator gen(20261129);
    std::vector<Person> people{samplePerson()};
    for (int i = 0; i < 60; ++i)
        people.push_back(gen.next());

    int n = 0;
    for (const Person& p : people) {
        ++n;
        if (auto pass = encodePass(p, kNow.unixMs - n * 60'000))
            write(root / "pass", n, *pass);
        write(root / "validate", n, toJson(p).dump());
    }

    // Batches: a gate with people and entries, exported in three parts.
    TempDb gate;
    {
        Store store = gate.open();
        Settings s;
        s.communityCode = "C001";
        s.communityName = "八角路社区";
        s.gateName = "北门";
        (void)store.saveSettings(s);
        int batchNo = 0;
        for (size_t i = 0; i < people.size(); ++i) {
            const Person& p = people[i];
            if (auto r = store.savePerson(PersonRecord{p, kNow.unixMs - 3'600'000, std::nullopt, ""}); !r) {
                std::cerr << "make_seeds: " << r.error().en << "\n";
                return 1;
            }
            Entry e{newEntryId(), p.docNumber, p.name, p.personType, kNow.unixMs + int64_t(i) * 1000,
                    i % 3 ? Direction::In : Direction::Out, 36.4 + double(i % 10) / 10, Verdict::Allow, {}, "北门", "王"};
            (void)store.addEntry(e);
            if (i % 20 == 19) {
                auto b = exportPending(store, Clock{kNow.unixMs + int64_t(i) * 1000 + 1, 480});
                if (!b) {
                    std::cerr << "make_seeds: export failed: " << b.error().en << "\n";
                    return 1;
                }
                write(root / "batch", ++batchNo, b->text);
            }
        }
    }

    // Sealed (format 3) and MACed batches, as an enrolled gate writes them, under
    // the keys fuzz_batch holds (FuzzKeys.h): their opening and MAC are fuzzed too.
    TempDb enrolled;
    {
        Store store = enrolled.open();
        Settings s;
        s.communityCode = "C001";
        s.communityName = "八角路社区";
        s.gateName = fuzz::kGate;
        s.gateKey = fuzz::gateKey();
        const CommunityKey& k = fuzz::communityKey();
        s.communityKeys = nlohmann::json::array({{{"id", k.id}, {"secret_key", k.secretKey}, {"public_key", k.publicKey}}}).dump();
        (void)store.saveSettings(s);
        const PassCrypto sodium = crypto::passCrypto();
        int batchNo = 100;
        for (size_t i = 0; i < people.size(); ++i) {
            const Person& p = people[i];
            (void)store.savePerson(PersonRecord{p, kNow.unixMs - 3'600'000, kNow.unixMs - 1'800'000, "王"});
            Entry e{newEntryId(), p.docNumber, p.name, p.personType, kNow.unixMs + int64_t(i) * 1000,
                    i % 2 ? Direction::In : Direction::Out, 36.5, Verdict::Allow, {}, fuzz::kGate, "王"};
            (void)store.addEntry(e);
            if (i % 30 == 29 || i + 1 == people.size()) {
                auto b = exportPending(store, Clock{kNow.unixMs + int64_t(i) * 1000 + 1, 480}, sodium);
                if (!b || !b->text.starts_with(kBatchMagicSealed)) {
                    std::cerr << "make_seeds: sealed export failed: " << (b ? "not format 3" : b.error().en) << "\n";
                    return 1;
                }
                write(root / "batch", ++batchNo, b->text);
            }
        }
    }

    // API sessions: one request a line.
    const Person& p = people[0];
    std::string person = toJson(p).dump();
    std::string pass = *encodePass(p, kNow.unixMs);
    std::string now = ",\"now\":" + std::to_string(kNow.unixMs) + ",\"tz\":480";
    std::vector<std::string> sessions{
        "{\"op\":\"fields\"}\n{\"op\":\"info\"}\n{\"op\":\"integrity\"}",
        "{\"op\":\"person.validate\",\"person\":" + person + now + "}\n{\"op\":\"person.save\",\"person\":" + person + now +
            "}\n{\"op\":\"person.list\"}\n{\"op\":\"search\",\"query\":\"" + p.name + "\"}",
        "{\"op\":\"scan\",\"text\":\"" + pass + "\"" + now + "}\n{\"op\":\"person.verify\",\"person\":" + person +
            ",\"staff\":\"王\",\"issued_at\":" + std::to_string(kNow.unixMs) + now +
            "}\n{\"op\":\"decide\",\"doc_number\":\"" + p.docNumber + "\",\"temperature\":36.5,\"direction\":\"in\"" + now +
            "}\n{\"op\":\"entry.record\",\"doc_number\":\"" + p.docNumber +
            "\",\"temperature\":36.5,\"direction\":\"in\",\"staff\":\"王\"" + now + "}\n{\"op\":\"entries.today\"" + now +
            "}\n{\"op\":\"stats\"" + now + "}",
        "{\"op\":\"settings.set\",\"settings\":{\"community_code\":\"C001\",\"gate_name\":\"北门\"}}\n{\"op\":\"person.save\",\"person\":" +
            person + now + "}\n{\"op\":\"batch.pending\"}\n{\"op\":\"batch.export\"" + now +
            "}\n{\"op\":\"batch.list\"}\n{\"op\":\"batch.get\",\"seq\":1" + now + "}\n{\"op\":\"batch.uploaded\",\"seq\":1}",
        "{\"op\":\"pass.encode\",\"person\":" + person + now + "}\n{\"op\":\"pass.decode\",\"text\":\"" + pass +
            "\"}\n{\"op\":\"person.delete\",\"doc_number\":\"" + p.docNumber + "\"}",
    };
    for (const std::string& s : sessions)
        write(root / "api", ++n, s);
    std::cout << "seeds written to " << root.string() << "\n";
    return 0;
}
