// libFuzzer target: a person as a form or a batch sends it (JSON), shaped and
// validated.
//
// Property: never crashes; a person that validates is a fixed point (its
// normalised form validates again to itself), so normalising twice cannot
// change a stored record.
#include "gatepass.h"

#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    using namespace gatepass;
    auto json = nlohmann::json::parse(data, data + size, nullptr, false);
    if (json.is_discarded())
        return 0;
    PersonInput in = personFromJson(json);
    static const Date today = *Date::fromYmd(2026, 11, 29);
    Validated v = validate(in.person, today);
    if (!in.errors.empty() || !v.ok())
        return 0;
    Validated again = validate(v.person, today);
    if (!again.ok() || again.person != v.person)
        std::abort();
    // What a valid person serialises to reads back as the same person.
    PersonInput back = personFromJson(toJson(v.person));
    if (!back.errors.empty() || back.person != v.person)
        std::abort();
    return 0;
}
