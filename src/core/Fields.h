// The twelve items of the registration form, defined once.
//
// The resident form, the gate console, the CSV headers, the JSON keys and the
// pass codec all walk this table; nothing else names the items. Items 2 and 12
// are two fields each (document type + number; observation flag + start date),
// so the table has fifteen fields in twelve items.
#pragma once

#include <span>
#include <string_view>

namespace gatepass {

enum class FieldKind { Name, Text, Choice, DocNumber, Phone, YesNo, Date };

struct Choice {
    std::string_view value; // JSON value
    std::string_view zh;
    std::string_view en;
};

struct FieldSpec {
    std::string_view key; // JSON key of a person
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

/// The choices of document type and person type, in the order of the enums in Person.h.
std::span<const Choice> docTypeChoices();
std::span<const Choice> personTypeChoices();

} // namespace gatepass
