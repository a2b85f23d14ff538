// Core benchmark: the same code, built natively and as wasm (run under node),
// timed on the same work. Prints one JSON object; build-scripts/bench-core
// runs both builds and prints them side by side.
// Usage: core_bench DIR [REPEATS]
#include "gatepass.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <iostream>

using namespace gatepass;

namespace {

constexpr int kPersons = 100'000;
constexpr int kEntries = 100'000;
constexpr int kPasses = 20'000;

double seconds(const std::function<void()>& work)
{
    auto t0 = std::chrono::steady_clock::now();
    work();
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

Person personNumber(int i)
{
    static const char* kNames[] = {"王伟", "李娜", "张喆", "刘玥", "陈堃", "阿依古丽·买买提"};
    // Birth date from i / 1000 and sequence from i % 1000: every i its own number.
    Date birth{int32_t(-7000 + i / 1000)};
    char body[18];
    std::snprintf(body, sizeof body, "110105%04d%02d%02d%03d", birth.year(), birth.month(), birth.day(), i % 1000);
    std::string first17(body, 17);
    Person p;
    p.name = kNames[i % 6];
    p.docNumber = first17 + idCheckCharacter(first17);
    p.phone = "138" + std::to_string(10'000'000 + i);
    p.address = std::to_string(1 + i % 30) + "-" + std::to_string(1 + i % 4) + "-" + std::to_string(101 + i % 1500);
    p.leftCity = i % 5 == 0;
    if (p.leftCity) {
        p.cameFrom = "武汉";
        p.returnDate = Date{20'400};
    }
    return p;
}

Store openFresh(const std::string& path)
{
    std::filesystem::remove(path);
    std::filesystem::remove(path + "-journal");
    auto s = Store::open(path);
    if (!s)
        throw std::runtime_error(s.error().en);
    return std::move(*s);
}

} // namespace

int main(int argc, char** argv)
{
    if (argc < 2) {
        std::cerr << "usage: core_bench DIR [REPEATS]\n";
        return 2;
    }
    std::string dir = argv[1];
    int repeats = argc > 2 ? std::stoi(argv[2]) : 3;
    std::vector<double> passRate, insert, lookup, exportTime, importTime;

    std::vector<Person> people;
    for (int i = 0; i < kPersons; ++i)
        people.push_back(personNumber(i));

    for (int r = 0; r < repeats; ++r) {
        // Pass encode + decode round trips per second.
        size_t ok = 0;
        double t = seconds([&] {
            for (int i = 0; i < kPasses; ++i) {
                auto text = encodePass(people[size_t(i) % people.size()], 1'795'917'600'000);
                ok += text && decodePass(*text);
            }
        });
        if (ok != size_t(kPasses))
            return 1;
        passRate.push_back(kPasses / t);

        // Insert the persons (one transaction: a registration drive imported at once), then look each up.
        Store store = openFresh(dir + "/bench-persons.sqlite");
        insert.push_back(seconds([&] {
            Transaction tx = store.transaction();
            for (const auto& p : people)
                if (!store.savePerson(PersonRecord{p, 1, 1, "bench"}))
                    throw std::runtime_error("insert failed");
            if (!tx.commit())
                throw std::runtime_error("commit failed");
        }));
        size_t found = 0;
        lookup.push_back(seconds([&] {
            for (const auto& p : people)
                found += store.findPerson(p.docNumber).has_value();
        }));
        if (found != people.size())
            return 1;

        // A day's worth of entries at a busy gate, many times over: export, then merge at the office.
        {
            Transaction tx = store.transaction();
            Settings s;
            s.communityCode = "C001";
            s.communityName = "基准社区";
            s.gateName = "北门";
            if (!store.saveSettings(s))
                return 1;
            for (int i = 0; i < kEntries; ++i) {
                const Person& p = people[size_t(i) % people.size()];
                Entry e{newEntryId(), p.docNumber, p.name, p.personType, 1'795'917'600'000 + i * 1000LL, Direction::In, 36.5,
                        Verdict::Allow, {Message{"ok", "各项检查通过", "All checks passed", ""}}, "北门", "bench"};
                if (!store.addEntry(e))
                    return 1;
            }
            if (!tx.commit())
                return 1;
        }
        Result<ExportedBatch> batch = Message{};
        exportTime.push_back(seconds([&] { batch = exportPending(store, Clock{1'795'917'600'000, 480}); }));
        if (!batch || batch->header.entries != kEntries)
            return 1;
        Store office = openFresh(dir + "/bench-office.sqlite");
        Result<ImportReport> report = Message{};
        importTime.push_back(seconds([&] { report = importBatch(office, batch->text, Clock{1'795'917'600'000, 480}, BatchTrust{{}, {}, true}); }));
        if (!report || report->entriesAdded != kEntries)
            return 1;
    }

    std::printf("{\"pass_roundtrips_per_s\": %.0f, \"insert_100k_persons_s\": %.3f, \"lookup_100k_persons_s\": %.3f, "
                "\"export_100k_entries_s\": %.3f, \"import_100k_entries_s\": %.3f, \"persons\": %zu, \"repeats\": %d}\n",
                median(passRate), median(insert), median(lookup), median(exportTime), median(importTime), people.size(), repeats);
    return 0;
}
