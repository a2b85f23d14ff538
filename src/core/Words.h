// Values in words for people, in Chinese and English. The faces show these
// and the CSV writes them: one wording of each value.
#pragma once

#include "Choice.h"

#include <string>

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

} // namespace gatepass
