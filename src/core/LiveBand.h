// The live element beside a resident's pass: a band whose colour is the day's,
// so a guard a metre away sees at once whether a pass was made today. The
// colour is the core's (the resident page draws it, the gate console names
// today's), one of seven that differ at a glance, never the same two days running.
#pragma once

#include "Date.h"
#include "Words.h"

#include <string>

namespace gatepass {

struct DayBand {
    std::string colour; // "#RRGGBB"
    Words words;        // the colour's name, for the guard
};

/// The band of a local day.
DayBand dayBand(Date day);

} // namespace gatepass
