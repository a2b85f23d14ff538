// The twelve items of the registration form, defined once.
//
// The resident form, the gate console, the CSV headers, the JSON keys and the
// pass codec all walk this table; nothing else names the items. Items 2 and 12
// are two fields each (document type + number; observation flag + start date),
// so the table has fifteen fields in twelve items.
#pragma once

#include "Choice.h"
#include "Person.h"
#include "Words.h"

#include <span>
#include <string_view>
#include <variant>

namespace gatepass {

enum class FieldKind { Name, Text, Choice, DocNumber, Phone, YesNo, Date };

/// Where a field lives in a Person.
using PersonMember = std::variant<std::string Person::*, bool Person::*, std::optional<Date> Person::*, DocType Person::*,
                                  PersonType Person::*>;

struct FieldSpec {
    std::string_view key; // JSON key of a person
    PersonMember member;
    int item;             // 1..12, the item on the paper form
    std::string_view zh;
    std::string_view en;
    FieldKind kind;
    bool required;
    std::string_view requiredWhen;  // key of a YES/NO field; this field is asked and required only when that is yes
    std::span<const Choice> choices; // for FieldKind::Choice
    int maxChars;                    // in characters (code points)
    std::string_view hintZh;
    std::string_view hintEn;
    // A household's new member starts with this answer of the person who added
    // them (shown as copied, editable): the home, the phone, the travel
    // answers. Health answers never are: each person answers for themselves.
    bool copiedInHousehold = false;
    // A required field that a person younger than this (by the birth date in
    // their document number) may leave blank; 0: no such exception.
    int optionalUnderAge = 0;
    std::span<const uint8_t> choiceOrder; // the form's order of `choices` (indexes); empty: table order
};

struct ItemSpec {
    int number;
    std::string_view zh;
    std::string_view en;
};

/// All fields in form order.
std::span<const FieldSpec> fields();
/// The twelve items in order.
std::span<const ItemSpec> items();
/// The field with this JSON key, or nullptr.
const FieldSpec* findField(std::string_view key);

/// Whether the form asks this field of this person: always, or, for a field
/// with `requiredWhen`, only when that yes/no field is yes.
bool isAsked(const FieldSpec& field, const Person& person);
/// Whether this person may leave a required field blank: younger than the
/// field's optionalUnderAge on `today` by the birth date of their document.
/// Without `today` (a record that was valid when made) any known birth date
/// will do.
bool mayLeaveBlank(const FieldSpec& field, std::optional<Date> birthDate, std::optional<Date> today);
/// No value: empty text, no date. A yes/no or a choice always has one.
bool isBlank(const FieldSpec& field, const Person& person);
/// Drops the value (an answer to a question that was not asked).
void clearField(const FieldSpec& field, Person& person);
/// The field's value in words: yes/no → 是/否 | Yes/No, a choice → its
/// label, a date → "YYYY-MM-DD", text as stored; the document number and the
/// phone masked when `masked`. Empty words when blank.
Words valueWords(const FieldSpec& field, const Person& person, bool masked);
/// The position of the field with this key in form order; fields().size() for none.
size_t formIndex(std::string_view key);

} // namespace gatepass
