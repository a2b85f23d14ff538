// Calendar dates and the clock the core is given.
//
// The core never reads the wall clock itself: every operation that depends on
// "today" receives a Clock, so tests and batch export are reproducible and the
// browser passes its own local time zone.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace gatepass {

/// The last moment a date here can name (9999-12-31 23:59:59.999 UTC). Every
/// time in unix ms the core accepts from outside lies in [0, kLatestMs]
/// (JsonNumber.h checks), so local-time arithmetic on it never overflows.
inline constexpr int64_t kLatestMs = 253'402'300'799'999;

/// Offsets of real time zones lie within UTC−12 … UTC+14.
inline constexpr int kMinUtcOffsetMinutes = -12 * 60;
inline constexpr int kMaxUtcOffsetMinutes = 14 * 60;

/// A proleptic Gregorian date, stored as days since 1970-01-01.
struct Date {
    int32_t days = 0;

    static std::optional<Date> fromYmd(int year, int month, int day);
    /// Exactly "YYYY-MM-DD" naming a real day; anything else is nullopt.
    static std::optional<Date> parse(std::string_view text);

    int year() const;
    int month() const;
    int day() const;
    std::string toString() const; // "YYYY-MM-DD"

    friend auto operator<=>(const Date&, const Date&) = default;
};

/// The zone when a caller names none: China Standard Time (UTC+8). The faces
/// send their own zone with every request; the office CLI takes --tz.
inline constexpr int kDefaultUtcOffsetMinutes = 8 * 60;

/// A moment plus the local offset that decides which day it falls on.
struct Clock {
    int64_t unixMs = 0;
    int utcOffsetMinutes = kDefaultUtcOffsetMinutes;

    Date today() const;
    /// Start and end (exclusive) of the local day containing this moment, in unix ms.
    int64_t dayStartMs() const;
    static Clock system();
};

/// "YYYY-MM-DD HH:MM" in the clock's local time, for CSV and reports.
std::string formatLocalTime(int64_t unixMs, int utcOffsetMinutes);

} // namespace gatepass
