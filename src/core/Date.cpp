#include "Date.h"

#include <algorithm>
#include <chrono>
#include <cstdio>

namespace gatepass {

namespace {

// Howard Hinnant's civil-date algorithms, as standardised in C++20 <chrono>.
std::chrono::year_month_day ymdOf(int32_t days)
{
    return std::chrono::year_month_day{std::chrono::sys_days{std::chrono::days{days}}};
}

int64_t floorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

} // namespace

std::optional<Date> Date::fromYmd(int year, int month, int day)
{
    using namespace std::chrono;
    year_month_day ymd{std::chrono::year{year}, std::chrono::month{unsigned(month)}, std::chrono::day{unsigned(day)}};
    if (!ymd.ok() || year < 1800 || year > 9999)
        return std::nullopt;
    return Date{int32_t(sys_days{ymd}.time_since_epoch().count())};
}

std::optional<Date> Date::parse(std::string_view t)
{
    if (t.size() != 10 || t[4] != '-' || t[7] != '-')
        return std::nullopt;
    auto num = [&](size_t from, size_t len) {
        int v = 0;
        for (size_t i = from; i < from + len; ++i) {
            if (t[i] < '0' || t[i] > '9')
                return -1;
            v = v * 10 + (t[i] - '0');
        }
        return v;
    };
    int y = num(0, 4), m = num(5, 2), d = num(8, 2);
    if (y < 0 || m < 0 || d < 0)
        return std::nullopt;
    return fromYmd(y, m, d);
}

int Date::year() const { return int(ymdOf(days).year()); }
int Date::month() const { return int(unsigned(ymdOf(days).month())); }
int Date::day() const { return int(unsigned(ymdOf(days).day())); }

std::string Date::toString() const
{
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", year(), month(), day());
    return buf;
}

// Times outside the range the core accepts (a record stored by an older
// version, a caller's mistake) are read as its nearest end: no overflow.
static int64_t localMsOf(int64_t unixMs, int utcOffsetMinutes)
{
    int offset = std::clamp(utcOffsetMinutes, kMinUtcOffsetMinutes, kMaxUtcOffsetMinutes);
    return std::clamp<int64_t>(unixMs, 0, kLatestMs) + int64_t(offset) * 60'000;
}

Date Clock::today() const
{
    int64_t localMs = localMsOf(unixMs, utcOffsetMinutes);
    return Date{int32_t(floorDiv(localMs, 86'400'000))};
}

int64_t Clock::dayStartMs() const { return int64_t(today().days) * 86'400'000 - int64_t(utcOffsetMinutes) * 60'000; }

Clock Clock::system()
{
    using namespace std::chrono;
    return Clock{duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count()};
}

std::string formatLocalTime(int64_t unixMs, int utcOffsetMinutes)
{
    int64_t localMin = floorDiv(localMsOf(unixMs, utcOffsetMinutes), 60'000);
    Date d{int32_t(floorDiv(localMin, 1440))};
    int64_t minuteOfDay = localMin - int64_t(d.days) * 1440;
    char buf[32];
    std::snprintf(buf, sizeof buf, "%s %02d:%02d", d.toString().c_str(), int(minuteOfDay / 60), int(minuteOfDay % 60));
    return buf;
}

} // namespace gatepass
