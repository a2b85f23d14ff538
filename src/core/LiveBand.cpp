#include "LiveBand.h"

#include <array>

namespace gatepass {

namespace {

struct Colour {
    const char* rgb;
    const char* zh;
    const char* en;
};

// Saturated, far apart in hue, readable in sunlight; seven, so a weekday
// keeps its colour and consecutive days always differ.
constexpr std::array<Colour, 7> kColours{{
    {"#D32F2F", "红", "red"},
    {"#EF6C00", "橙", "orange"},
    {"#F9A825", "黄", "yellow"},
    {"#2E7D32", "绿", "green"},
    {"#00838F", "青", "teal"},
    {"#1565C0", "蓝", "blue"},
    {"#6A1B9A", "紫", "purple"},
}};

} // namespace

DayBand dayBand(Date day)
{
    int i = ((day.days % 7) + 7) % 7;
    return DayBand{kColours[size_t(i)].rgb, Words{kColours[size_t(i)].zh, kColours[size_t(i)].en}};
}

} // namespace gatepass
