// A person in JSON, with the keys of the field table (Fields.h), and the
// person in words for a screen.
#pragma once

#include "Message.h"
#include "Person.h"
#include "Validation.h"
#include "Words.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <vector>

namespace gatepass {

/// Empty optional fields are left out; dates are "YYYY-MM-DD".
nlohmann::json toJson(const Person& person);

struct PersonInput {
    Person person;
    std::vector<Message> errors; // a key of the wrong type, a missing yes/no, an unknown choice or key
};

/// Reads what a form or a batch sent. Shape errors are reported per field;
/// the rules of the items are Validation's job.
PersonInput personFromJson(const nlohmann::json& json);

/// Reads and validates: shape errors, then the rules (a field with a shape
/// error is not reported twice), all in form order.
Validated checkPersonJson(const nlohmann::json& json, std::optional<Date> today);

/// {zh, en}
nlohmann::json toJson(const Words& words);

/// The person as a screen shows them: [{key, item, zh, en, value: {zh, en}}...]
/// in form order, only the fields asked of this person and not blank, with
/// the document number and phone masked.
nlohmann::json displayJson(const Person& person);

/// What differs from `before` to `after`: [{key, zh, en, from: {zh, en}, to: {zh, en}}...]
/// in form order, numbers masked; empty when nothing does.
nlohmann::json changesJson(const Person& before, const Person& after);

} // namespace gatepass
