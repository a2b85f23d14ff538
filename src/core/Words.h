// Values in words for people, in Chinese and English. The faces show these
// and the CSV writes them: one wording of each value.
#pragma once

#include "Choice.h"
#include "Message.h"

#include <string>
#include <string_view>

namespace gatepass {

struct Words {
    std::string zh;
    std::string en;

    friend bool operator==(const Words&, const Words&) = default;
};

inline Words wordsOf(const Choice& c) { return Words{std::string(c.zh), std::string(c.en)}; }

template <Keyed E>
Words wordsOf(E e) { return wordsOf(choiceOf(e)); }

/// The same text in both languages (numbers, dates, names).
inline Words sameWords(std::string text) { return Words{text, std::move(text)}; }

/// "36.8"
std::string oneDecimal(double value);
/// "36.8 °C"
std::string temperatureWords(double celsius);

/// Why a batch is not believed (Batch.h authenticateBatch).
enum class Unauthenticated {
    NoMac,      // no MAC: made by a gate not enrolled, or by a gatepass before format 2
    UnknownGate,// the office knows no active gate of that name in that community
    WrongMac,   // the MAC does not verify: altered, made up, or another gate's key
};
/// batch.unauthenticated, in words for the reason.
Message unauthenticatedBatch(Unauthenticated why, std::string_view gate);

} // namespace gatepass
