// A reason the core gives a person: a stable code for programs and the same
// words in Chinese and English for people. Every failure and every policy
// reason is one of these, so each face shows the user's language without
// knowing the rules behind it.
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace gatepass {

struct Message {
    std::string code; // stable, dotted: "id.checksum", "pass.truncated"
    std::string zh;
    std::string en;
    std::string field; // the record key this is about; empty when none

    friend bool operator==(const Message&, const Message&) = default;
};

/// A value or the reason there is none. The core never throws across its
/// boundary; callers branch on ok().
template <typename T>
class Result {
public:
    Result(T value) : v_(std::move(value)) {}
    Result(Message error) : v_(std::move(error)) {}

    bool ok() const { return v_.index() == 0; }
    explicit operator bool() const { return ok(); }
    const T& value() const& { return std::get<0>(v_); }
    T& value() & { return std::get<0>(v_); }
    T&& value() && { return std::get<0>(std::move(v_)); }
    const T& operator*() const& { return value(); }
    T& operator*() & { return value(); }
    const T* operator->() const { return &value(); }
    T* operator->() { return &value(); }
    const Message& error() const { return std::get<1>(v_); }

private:
    std::variant<T, Message> v_;
};

struct Done {}; // the value of a Result that has nothing to return

} // namespace gatepass
