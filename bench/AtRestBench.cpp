// Encryption at rest natively (AtRestVfs.h over the default VFS, libsodium):
// the plain and the sealed database side by side in one run, on the work the
// issue sets goals for: a durable entry write as the file grows (1, 10, 50
// MB), a lookup at 100k persons, and opening. Prints one JSON object.
// The browser's figures (OPFS, libsodium.js) are build-scripts/bench-storage's.
// Usage: atrest_bench DIR
#include "gatepass.h"

#include "AtRestCrypto.h"
#include "AtRestVfs.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <iostream>
#include <memory>
#include <random>

using namespace gatepass;

namespace {

double ms(const std::function<void()>& work)
{
    auto t0 = std::chrono::steady_clock::now();
    work();
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

std::string number(int i)
{
    char body[18];
    std::snprintf(body, sizeof body, "110105%04d%02d%02d%03d", 1950 + i / 36000 % 50, 1 + i / 1000 % 12, 1 + i / 12000 % 3 * 9, i % 1000);
    std::string first17(body, 17);
    return first17 + idCheckCharacter(first17);
}

Person personNumber(int i)
{
    Person p;
    p.name = "王伟";
    p.docNumber = number(i);
    p.phone = "138" + std::to_string(10'000'000 + i);
    p.address = std::to_string(1 + i % 30) + "-" + std::to_string(1 + i % 4) + "-" + std::to_string(101 + i % 1500);
    return p;
}

struct Side {
    std::string path;
    std::unique_ptr<AtRestVfs> vfs; // none: plain
    std::optional<Store> store;

    void open()
    {
        store.reset();
        auto s = vfs ? Store::openSealed(path, *vfs) : Store::open(path);
        if (!s)
            throw std::runtime_error(s.error().en);
        store.emplace(std::move(*s));
    }
    void fresh()
    {
        store.reset();
        std::filesystem::remove(path);
        std::filesystem::remove(path + "-journal");
        open();
    }
};

void writeEntry(Store& s, int i)
{
    Entry e;
    e.id = newEntryId();
    e.docNumber = number(i);
    e.name = "王伟";
    e.atMs = 1'795'917'600'000 + i;
    if (!s.addEntry(e))
        throw std::runtime_error("write failed");
    (void)s.pendingCounts(); // what an entry.record reply carries
}

} // namespace

int main(int argc, char** argv)
{
    if (argc < 2) {
        std::cerr << "usage: atrest_bench DIR\n";
        return 2;
    }
    std::string dir = argv[1];
    DataKey key{};
    std::mt19937 rng(1);
    for (auto& b : key)
        b = uint8_t(rng());
    auto vfs = AtRestVfs::create(nullptr, crypto::pageAead(), key);
    if (!vfs)
        return 1;
    Side plain{dir + "/plain.sqlite", nullptr, {}};
    Side sealed{dir + "/sealed.sqlite", std::move(*vfs), {}};
    Side* sides[] = {&plain, &sealed};
    std::cout << "{";

    // Durable writes as the file grows: blocks of 10 alternating between the two.
    std::cout << "\"write_ms\":{";
    for (int mb : {1, 10, 50}) {
        std::vector<double> times[2];
        for (int k = 0; k < 2; ++k) {
            Side& s = *sides[k];
            s.fresh();
            writeEntry(*s.store, 0);
            s.store.reset();
            auto padded = Store::padFile(s.path, s.vfs ? s.vfs->name() : nullptr, mb * 1048576.0);
            if (!padded)
                throw std::runtime_error(padded.error().en);
            s.open();
            for (int w = 0; w < 3; ++w)
                writeEntry(*s.store, w); // warm-up
        }
        for (int block = 0; block < 6; ++block)
            for (int k = 0; k < 2; ++k)
                for (int w = 0; w < 10; ++w)
                    times[k].push_back(ms([&] { writeEntry(*sides[k]->store, block * 10 + w); }));
        std::cout << (mb == 1 ? "" : ",") << "\"" << mb << "MB\":{\"plain\":" << median(times[0]) << ",\"sealed\":" << median(times[1])
                  << "}";
    }
    std::cout << "}";

    // 100k persons: lookup (a warm connection) and open (a new one, first lookup included).
    constexpr int kPersons = 100'000;
    double lookup[2], open[2];
    uint64_t openedBefore = 0;
    for (int k = 0; k < 2; ++k) {
        Side& s = *sides[k];
        s.fresh();
        {
            auto t = s.store->transaction();
            for (int i = 0; i < kPersons; ++i)
                if (!s.store->savePerson(PersonRecord{personNumber(i), 1, std::nullopt, {}}))
                    throw std::runtime_error("insert failed");
            if (!t.commit())
                throw std::runtime_error("commit failed");
        }
        s.store.reset();
        open[k] = ms([&] {
            s.open();
            (void)s.store->findPerson(number(7));
        });
        std::vector<int> order(10'000);
        for (int& i : order)
            i = int(rng() % kPersons);
        for (int i : order) // warm the cache as a day's use would
            (void)s.store->findPerson(number(i));
        if (s.vfs)
            openedBefore = s.vfs->counters().opened;
        lookup[k] = ms([&] {
                        for (int i : order)
                            if (!s.store->findPerson(number(i)))
                                throw std::runtime_error("lookup missed");
                    }) /
                    double(order.size());
    }
    std::cout << ",\"persons\":" << kPersons << ",\"lookup_ms\":{\"plain\":" << lookup[0] << ",\"sealed\":" << lookup[1] << "}"
              << ",\"open_ms\":{\"plain\":" << open[0] << ",\"sealed\":" << open[1] << "}"
              << ",\"sealed_pages_opened_by_warm_lookups\":" << sealed.vfs->counters().opened - openedBefore
              << ",\"file_mb\":" << std::filesystem::file_size(sealed.path) / 1048576.0 << "}\n";
    for (Side* s : sides)
        s->store.reset();
    return 0;
}
