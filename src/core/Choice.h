// A value from a closed set: its key (in JSON, SQL and batches) and its words.
//
// The one enum⇄key mechanism: each enum with keys declares, beside itself, a
// constexpr table of Choices in enum order and
//   constexpr std::span<const Choice> choicesOf(E);
// keyOf, fromKey and wordsOf below then work for it. The order of a table is
// the order of the enum: append, never reorder.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string_view>
#include <type_traits>

namespace gatepass {

struct Choice {
    std::string_view value; // the key
    std::string_view zh;
    std::string_view en;
};

template <typename E>
concept Keyed = std::is_enum_v<E> && requires(E e) { choicesOf(e); };

template <Keyed E>
constexpr size_t choiceCount() { return choicesOf(E{}).size(); }

/// The choice of a value inside the enum's range.
template <Keyed E>
constexpr const Choice& choiceOf(E e) { return choicesOf(e)[size_t(e)]; }

template <Keyed E>
constexpr std::string_view keyOf(E e) { return choiceOf(e).value; }

/// The value with this key, or nullopt.
template <Keyed E>
constexpr std::optional<E> fromKey(std::string_view key)
{
    auto all = choicesOf(E{});
    for (size_t i = 0; i < all.size(); ++i)
        if (all[i].value == key)
            return E(i);
    return std::nullopt;
}

} // namespace gatepass
