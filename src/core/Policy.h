// The entry policy: what the gate does with a person, and why, in words.
#pragma once

#include "Date.h"
#include "Message.h"
#include "Person.h"

#include <optional>
#include <vector>

namespace gatepass {

enum class Verdict { Allow, Refer, Deny };
enum class Direction { In, Out };

std::string_view keyOf(Verdict);   // "allow" | "refer" | "deny"
std::string_view keyOf(Direction); // "in" | "out"

/// Each community sets these in the gate's settings; the defaults are the
/// district's current guidance.
struct Rules {
    double feverAtOrAbove = 37.3;     // °C, forehead/wrist thermometer
    int returnWindowDays = 14;        // "returned from outside within N days"
    bool referReturned = true;        // returned within the window and not under home observation
    bool referContactOrSymptoms = true;
    bool denyObservationGoingOut = true;
    bool denyDelivery = true;         // couriers hand over at the gate
    bool referVisitors = true;        // staff confirm the host
    bool referUnverified = true;      // staff check the ID card once

    friend bool operator==(const Rules&, const Rules&) = default;
};

struct Decision {
    Verdict verdict = Verdict::Allow;
    std::vector<Message> reasons; // the worst first; "all checks passed" when allowed
};

struct GateContext {
    std::optional<double> temperature; // °C; may be absent when going out
    Direction direction = Direction::In;
    bool verified = false;             // the gate has checked this person's ID card before
};

/// Temperatures outside this range are misreadings, not fevers.
inline constexpr double kLowestTemperature = 34.0;
inline constexpr double kHighestTemperature = 43.0;

/// allow / refer / deny with the reasons. A temperature outside
/// [kLowestTemperature, kHighestTemperature], or none when coming in, is an
/// error: measure again.
Result<Decision> decide(const Person& person, const GateContext& gate, const Clock& now, const Rules& rules);

} // namespace gatepass
