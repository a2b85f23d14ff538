#include "Person.h"

#include "Fields.h"

namespace gatepass {

std::string_view keyOf(DocType t) { return docTypeChoices()[size_t(t)].value; }
std::string_view keyOf(PersonType t) { return personTypeChoices()[size_t(t)].value; }

std::optional<DocType> docTypeFromKey(std::string_view key)
{
    auto c = docTypeChoices();
    for (size_t i = 0; i < c.size(); ++i)
        if (c[i].value == key)
            return DocType(i);
    return std::nullopt;
}

std::optional<PersonType> personTypeFromKey(std::string_view key)
{
    auto c = personTypeChoices();
    for (size_t i = 0; i < c.size(); ++i)
        if (c[i].value == key)
            return PersonType(i);
    return std::nullopt;
}

std::string_view labelOf(PersonType t, bool chinese)
{
    const auto& c = personTypeChoices()[size_t(t)];
    return chinese ? c.zh : c.en;
}

namespace {

// Masks all but the first `head` and last `tail` bytes. Numbers are ASCII
// after validation, so bytes are characters here.
std::string maskMiddle(std::string_view s, size_t head, size_t tail)
{
    if (s.size() <= head + tail)
        return std::string(s.size(), '*');
    std::string out(s);
    for (size_t i = head; i < s.size() - tail; ++i)
        out[i] = '*';
    return out;
}

} // namespace

std::string maskDocNumber(std::string_view n) { return n.size() >= 12 ? maskMiddle(n, 4, 4) : maskMiddle(n, 2, 2); }

std::string maskPhone(std::string_view p) { return p.size() >= 11 ? maskMiddle(p, 3, 4) : maskMiddle(p, 2, 2); }

} // namespace gatepass
