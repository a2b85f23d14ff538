// Checks and normalises a person's record, field by field.
#pragma once

#include "IdNumber.h"
#include "Message.h"
#include "Person.h"
#include "Records.h"
#include "Suggestion.h"

#include <optional>
#include <vector>

namespace gatepass {

struct Validated {
    Person person;                   // normalised: trimmed, canonical number formats, conditional fields cleared
    std::vector<Message> errors;     // one per failing field, in form order; empty when valid
    std::optional<IdNumberInfo> id;  // birth date and sex, for numbers that carry them
    std::vector<Suggestion> suggestions; // values offered beside errors (Suggestion.h), in form order

    bool ok() const { return errors.empty(); }
};

/// Every rule of the twelve items, including the cross-field ones. With no
/// `today` the rules that compare with the current date are skipped (used for
/// records that were valid when they were made: passes, imported batches).
Validated validate(Person person, std::optional<Date> today);

/// What a gate can have written into an entry, checked again where entries
/// come from elsewhere (an imported batch) and before a gate stores one: the
/// name follows the name rules of item 1; the document number is 4–30
/// upper-case letters, digits or '-' (every document shape of item 2); the id
/// 1–64 letters, digits, '-' or '_'; gate and staff at most 200 bytes of
/// UTF-8 without control characters (the settings' limit); at most 16 reasons
/// of at most 500 bytes a text. Times and temperatures are bounded where the
/// JSON is read (RecordJson). The first failure, worded; nothing when fine.
std::optional<Message> checkEntry(const Entry& entry);
/// At most `maxBytes` of valid UTF-8 without control characters: the rule for
/// the short free texts a record carries (gate, staff, reasons).
bool isPlainText(std::string_view text, size_t maxBytes);

/// parsePhone (Phone.h) without a home region: the number's one spelling, or
/// nullopt.
std::optional<std::string> normalisePhone(std::string_view text);

} // namespace gatepass
