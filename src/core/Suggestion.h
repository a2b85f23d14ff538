// A value the core offers for a field beside a validation message, for the
// person to confirm: the 18-digit number a 15-digit ID converts to, the
// document type a number belongs to. The faces show `words` on a button that
// puts `value` into `field`; nothing is changed until the person presses it.
#pragma once

#include "Words.h"

#include <string>

namespace gatepass {

struct Suggestion {
    std::string field; // the record key the value is for
    std::string about; // the record key of the message it answers (where a face shows it)
    std::string value; // as the form sends it (a choice's key, a number)
    Words words;       // the button: "使用18位号码 …" | "Use the 18-digit number …"

    friend bool operator==(const Suggestion&, const Suggestion&) = default;
};

} // namespace gatepass
