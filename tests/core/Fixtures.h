// Shared helpers for the core tests: sample people, generated people, temp databases.
#pragma once

#include "gatepass.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <optional>
#include <random>
#include <string>

namespace gatepass::test {

// 2026-11-29 10:00 in China (UTC+8).
inline const Clock kNow{1'795'917'600'000, 480};

/// How many QR alphanumeric characters fit a symbol of each version (index)
/// at error correction M (ISO/IEC 18004 table 7): the pass size goals.
inline constexpr size_t kQrAlphanumericM[] = {0, 20, 38, 61, 90, 122, 154, 178, 221};

inline Person samplePerson()
{
    Person p;
    p.name = "张喆";
    p.docType = DocType::ResidentId;
    p.docNumber = "11010519491231002X";
    p.phone = "13800138000";
    p.personType = PersonType::Resident;
    p.address = "3-2-501";
    return p;
}

/// A valid resident ID number with the given birth date and sequence.
inline std::string makeIdNumber(std::string_view region6, Date birth, int sequence)
{
    char body[18];
    std::snprintf(body, sizeof body, "%.6s%04d%02d%02d%03d", region6.data(), birth.year(), birth.month(), birth.day(), sequence % 1000);
    std::string n(body, 17);
    return n + idCheckCharacter(n);
}

/// Deterministic random valid people, covering every field and branch.
class PersonGenerator {
public:
    explicit PersonGenerator(unsigned seed) : rng_(seed) {}

    Person next()
    {
        static const char* kSurnames[] = {"王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "欧阳", "司马"};
        static const char* kGiven[] = {"伟", "芳", "娜", "敏", "静", "喆", "堃", "玥", "珺", "赟", "昇", "祎", "子涵", "浩然"};
        static const char* kPlaces[] = {"武汉", "上海浦东", "广州→长沙", "北京市朝阳区", "Paris"};
        static const char* kEmployers[] = {"", "", "市第一医院", "某某科技有限公司", "街道办事处"};
        static const char* kRegions[] = {"110105", "310104", "420106", "440305", "650102"};
        Person p;
        int style = pick(10);
        if (style == 0)
            p.name = "阿依古丽·买买提";
        else if (style == 1)
            p.name = "Anna Müller";
        else
            p.name = std::string(kSurnames[pick(12)]) + kGiven[pick(14)];
        p.docType = DocType(pick(kDocTypeCount));
        Date birth{int32_t(-20'000 + pick(27'000))};
        switch (p.docType) {
        case DocType::ResidentId: p.docNumber = makeIdNumber(kRegions[pick(5)], birth, pick(1000)); break;
        case DocType::ResidencePermit: p.docNumber = makeIdNumber(pick(2) ? "810000" : "830000", birth, pick(1000)); break;
        case DocType::ForeignPermanent: p.docNumber = "USA" + std::to_string(100000000000ULL + pick(899999999) * 1000ULL); break;
        case DocType::Passport: p.docNumber = "E" + std::to_string(10000000 + pick(89999999)); break;
        case DocType::Other: p.docNumber = "HK-" + std::to_string(1000 + pick(9000)); break;
        case DocType::HkMacaoPermit: p.docNumber = (pick(2) ? "H" : "M") + std::to_string(10000000 + pick(89999999)); break;
        case DocType::TaiwanPermit: p.docNumber = std::to_string(10000000 + pick(89999999)); break;
        }
        p.phone = pick(5) ? "1" + std::to_string(3 + pick(7)) + std::to_string(100000000 + pick(899999999)) : "010-" + std::to_string(10000000 + pick(89999999));
        p.personType = PersonType(pick(kPersonTypeCount));
        p.address = std::to_string(1 + pick(30)) + "-" + std::to_string(1 + pick(6)) + "-" + std::to_string(101 + pick(2000));
        p.employer = kEmployers[pick(5)];
        p.leftCity = pick(3) == 0;
        if (p.leftCity) {
            p.cameFrom = kPlaces[pick(5)];
            p.returnDate = Date{kNow.today().days - pick(30)};
        }
        p.epidemicContact = pick(8) == 0;
        p.symptoms = pick(8) == 0;
        p.homeObservation = pick(6) == 0;
        if (p.homeObservation)
            p.observationStart = Date{kNow.today().days - pick(14)};
        return p;
    }

    int pick(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng_); }

private:
    std::mt19937 rng_;
};

/// A fresh database file path, removed (with its journal) when the object goes.
class TempDb {
public:
    TempDb()
    {
        static int counter = 0;
        path_ = (std::filesystem::temp_directory_path() /
                 ("gatepass-test-" + std::to_string(std::random_device{}()) + "-" + std::to_string(++counter) + ".sqlite"))
                    .string();
        std::filesystem::remove(path_);
    }
    ~TempDb()
    {
        std::error_code ec;
        std::filesystem::remove(path_, ec);
        std::filesystem::remove(path_ + "-journal", ec);
    }
    const std::string& path() const { return path_; }
    Store open() const
    {
        auto s = Store::open(path_);
        if (!s)
            throw std::runtime_error(s.error().en);
        return std::move(*s);
    }

private:
    std::string path_;
};

/// One request to the API as a face sends it: at `now` (or the request's own,
/// or the fixture's), in the fixture's zone unless the request names one. The
/// reply always has "ok".
inline nlohmann::json call(Api& api, nlohmann::json req, std::optional<int64_t> now = std::nullopt)
{
    if (now)
        req["now"] = *now;
    else if (!req.contains("now"))
        req["now"] = kNow.unixMs;
    if (!req.contains("tz"))
        req["tz"] = kNow.utcOffsetMinutes;
    nlohmann::json reply = nlohmann::json::parse(api.call(req.dump()));
    REQUIRE(reply.contains("ok"));
    return reply;
}

} // namespace gatepass::test
