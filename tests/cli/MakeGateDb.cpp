// Test helper: writes a gate database with N verified people and one entry
// each, as a gate console would, for the CLI tests to export and merge.
// Usage: make_gate_db FILE GATE N [SEED [CODE PASSPHRASE]]
//   CODE, PASSPHRASE: the gate is enrolled with the office's code first (its
//   community, name and gate key: its exports carry its MAC).
//   N: entries. The first (up to 900, one a person) are recorded through the
//   Api as a console records them, one durable transaction each; beyond those,
//   copies of a recorded 36.5 °C entry (new id and time, the people in turn)
//   are added in one transaction, so a 50 MB batch (~150,000 entries) takes
//   seconds rather than many minutes.
#include "EnrollmentCode.h"
#include "gatepass.h"

#include <algorithm>
#include <iostream>
#include <string>

using namespace gatepass;

int main(int argc, char** argv)
{
    if (argc < 4) {
        std::cerr << "usage: make_gate_db FILE GATE N [SEED [CODE PASSPHRASE]]\n";
        return 2;
    }
    auto store = Store::open(argv[1]);
    if (!store) {
        std::cerr << store.error().en << "\n";
        return 1;
    }
    Settings s = store->settings();
    s.communityCode = "C001";
    s.communityName = "幸福里社区";
    s.gateName = argv[2];
    if (argc > 6) {
        auto json = crypto::openEnrollment(argv[5], argv[6]);
        auto e = json ? parseEnrollment(*json) : Result<GateEnrollment>(json.error());
        if (!e) {
            std::cerr << e.error().en << "\n";
            return 1;
        }
        s = withEnrollment(s, *e);
    }
    if (!store->saveSettings(s))
        return 1;
    int n = std::stoi(argv[3]);
    int seed = argc > 4 ? std::stoi(argv[4]) : 1;
    constexpr int kPeople = 900; // distinct document numbers below
    std::vector<std::string> numbers, names;
    {
    Api api(std::move(*store));
    for (int i = 0; i < std::min(n, kPeople); ++i) {
        std::string seq = std::to_string(100 + (seed * 1000 + i) % 900);
        std::string first17 = "11010519800101" + seq;
        static const char* kStems[] = {"甲", "乙", "丙", "丁", "戊", "己", "庚", "辛", "壬", "癸"};
        std::string name = std::string("测试") + kStems[i / 10 % 10] + kStems[i % 10];
        nlohmann::json person{{"name", name}, {"doc_type", "resident_id"},
                              {"doc_number", first17 + idCheckCharacter(first17)}, {"phone", "13800138000"},
                              {"person_type", "resident"}, {"address", "1-1-" + std::to_string(101 + i)},
                              {"left_city", false}, {"epidemic_contact", false}, {"symptoms", false}, {"home_observation", false}};
        auto v = nlohmann::json::parse(api.call(nlohmann::json{{"op", "person.verify"}, {"person", person}, {"staff", "测试员"}}.dump()));
        auto e = nlohmann::json::parse(api.call(nlohmann::json{{"op", "entry.record"}, {"doc_number", person["doc_number"]},
                                                                {"temperature", i % 7 == 0 ? 37.8 : 36.5}, {"direction", "in"},
                                                                {"staff", "测试员"}}.dump()));
        if (!v["ok"].get<bool>() || !e["ok"].get<bool>()) {
            std::cerr << v.dump() << "\n" << e.dump() << "\n";
            return 1;
        }
        numbers.push_back(person["doc_number"]);
        names.push_back(name);
    }
    }
    if (n <= kPeople)
        return 0;
    auto bulk = Store::open(argv[1]);
    if (!bulk)
        return 1;
    const auto recorded = bulk->entriesOf(numbers.at(1), 1); // i = 1: 36.5 °C
    if (recorded.empty())
        return 1;
    const int64_t start = Clock::system().unixMs - int64_t(n) * 1000;
    Transaction t = bulk->transaction();
    for (int i = kPeople; i < n; ++i) {
        Entry e = recorded.front();
        e.docNumber = numbers[size_t(i % kPeople)];
        e.name = names[size_t(i % kPeople)];
        e.id = newEntryId();
        e.atMs = start + int64_t(i) * 1000;
        e.temperature = 36.5;
        if (!bulk->addEntry(e))
            return 1;
    }
    return t.commit() ? 0 : 1;
}
