// Numbers read from JSON, range-checked before any conversion.
//
// A JSON number can be any double (1e308, -5, 0.5) or a 64-bit integer of
// either sign; converting one that does not fit the target type is undefined
// behaviour in C++. Every number the core reads from a request, a batch file
// or a stored record goes through these, so a bad one is a named error
// instead of a wrapped time or a trap.
#pragma once

#include "Date.h" // the ranges of times and zones: kLatestMs, k*UtcOffsetMinutes

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>

namespace gatepass {

/// The value if `j` is a whole number (integer, or a float with no fraction)
/// within [lo, hi]; nullopt for anything else. `hi - lo` must be below 2^53
/// or both bounds exactly representable as doubles.
std::optional<int64_t> integerIn(const nlohmann::json& j, int64_t lo, int64_t hi);

/// The value if `j` is a finite number within [lo, hi]; nullopt otherwise.
std::optional<double> numberIn(const nlohmann::json& j, double lo, double hi);

} // namespace gatepass
