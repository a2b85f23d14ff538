// A person in JSON, with the keys of the field table (Fields.h).
#pragma once

#include "Message.h"
#include "Person.h"

#include <nlohmann/json.hpp>

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

} // namespace gatepass
