// The entry policy: what the gate does with a person, and why, in words.
#pragma once

#include "Date.h"
#include "Message.h"
#include "Person.h"

#include <array>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace gatepass {

// Worst last: a decision takes the largest verdict of its reasons.
enum class Verdict { Allow, Refer, Deny };
enum class Direction { In, Out };

// The words are the ones the gate console shows; the CSV uses the same.
inline constexpr std::array kVerdictChoices{
    Choice{"allow", "通行", "Allowed"},
    Choice{"refer", "请工作人员处理", "Refer to staff"},
    Choice{"deny", "不得进入", "Denied"},
};
inline constexpr std::array kDirectionChoices{
    Choice{"in", "进", "In"},
    Choice{"out", "出", "Out"},
};
constexpr std::span<const Choice> choicesOf(Verdict) { return kVerdictChoices; }
constexpr std::span<const Choice> choicesOf(Direction) { return kDirectionChoices; }

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
    bool hostPassAdmitsVisitor = false; // a valid visitor pass the host made (VisitorPass.h) confirms the host instead
    bool referUnverified = true;      // staff check the ID card once
    // A live pass (Pass.h format 2) is taken when made at most this long ago,
    // and at most this far ahead of the gate's clock (phones' clocks drift).
    int passMaxAgeSeconds = 120;
    int passMaxAheadSeconds = 300;
    // Visitors inside at once (by what the gate logged); reaching it refers the
    // next visitor coming in. 0: no cap.
    int maxVisitorsInside = 0;

    friend bool operator==(const Rules&, const Rules&) = default;
};

/// The fever rule, for the gate's decision and for the day's counts alike.
inline bool isFever(double celsius, const Rules& rules) { return celsius >= rules.feverAtOrAbove; }

/// The code of the reason decide gives for a fever: an entry carrying it is a
/// fever as the gate judged it, by the gate's own rules (the office counts these).
inline constexpr std::string_view kFeverReason = "fever";

/// Left the city and came back fewer than `returnWindowDays` days before today.
inline bool returnedWithinWindow(const Person& p, Date today, const Rules& rules)
{
    return p.leftCity && p.returnDate && today.days - p.returnDate->days < rules.returnWindowDays;
}

struct Decision {
    Verdict verdict = Verdict::Allow;
    std::vector<Message> reasons; // the worst first; "all checks passed" when allowed
};

struct GateContext {
    std::optional<double> temperature; // °C; may be absent when going out
    Direction direction = Direction::In;
    bool verified = false;             // the gate has checked this person's ID card before
    int visitorsInside = 0;            // visitors whose last movement here was "in"; counted only when
                                       // Rules::maxVisitorsInside is set (the count scans every entry)
    std::optional<std::string> watchReason; // on the office's watch list (Feed.h), with its reason
    std::optional<std::string> card;        // came with a printed pass card (CardPass.h): its number
    bool hostPass = false;             // came with a valid visitor pass a resident made (VisitorPass.h):
                                       // no ID card to check (unverified does not apply); with
                                       // Rules::hostPassAdmitsVisitor the visitor rule allows
};

/// The direction a gate offers first: the opposite of the person's last
/// movement, "in" when there is none.
inline Direction suggestedDirection(std::optional<Direction> last)
{
    return last == Direction::In ? Direction::Out : Direction::In;
}

/// Temperatures outside this range are misreadings, not fevers.
inline constexpr double kLowestTemperature = 34.0;
inline constexpr double kHighestTemperature = 43.0;

/// A reading a gate offers as one tap: its value and how it reads ("36.5").
struct Reading {
    double celsius;
    std::string text;
};

/// The readings the console offers as one tap each: 36.2 to 36.7 °C in
/// tenths, where a healthy forehead or wrist reads at a gate (six: one row of
/// buttons a gloved finger hits on a laptop screen), and only those below the
/// community's fever threshold: a fever is typed, never tapped.
std::vector<Reading> commonReadings(const Rules& rules);

/// A temperature as staff typed it ("36.5", " 36.5 "): empty is none (nullopt
/// inside the result); anything but a decimal number is temperature.format.
/// The range is decide's to judge.
Result<std::optional<double>> temperatureFromText(std::string_view text);

/// Where the ±0.1 °C buttons start when nothing is typed: the middle of a
/// healthy reading.
inline constexpr double kStepStart = 36.5;

/// The reading after a ±0.1 °C button: what staff typed (as
/// temperatureFromText reads it) moved by `tenths`, to one decimal and kept
/// within [kLowestTemperature, kHighestTemperature]. Nothing typed, or text
/// that is no number, gives kStepStart without a step: the first tap shows
/// where the buttons start.
std::string steppedTemperature(std::string_view typed, int tenths);

/// allow / refer / deny with the reasons. A temperature outside
/// [kLowestTemperature, kHighestTemperature], or none when coming in, is an
/// error: measure again.
/// A person on the office's watch list is denied, in either direction, with
/// the office's reason (reason "watch_list"). A printed card refers every
/// visit, known and verified or not (reason "card": check the ID card), in
/// place of "unverified".
Result<Decision> decide(const Person& person, const GateContext& gate, const Clock& now, const Rules& rules);

/// What the policy knows from who the person is, before any temperature: the
/// scan shows it at once (the watch list, a deny; a printed card, a refer to
/// check the ID card; worst first). nullopt: nothing.
std::optional<Decision> alertAtScan(const GateContext& gate);

/// The refusal of a pass whose person was revoked (pass.revoked: by the office or at a gate), with
/// the reason given: no entry is logged, the person is not stored.
Message revokedPass(std::string_view reason);

} // namespace gatepass
