#include "Person.h"

namespace gatepass {

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

std::string maskPhone(std::string_view p)
{
    if (p.starts_with('+') && p.size() >= 9)
        return maskMiddle(p, 4, 4);
    return p.size() >= 11 ? maskMiddle(p, 3, 4) : maskMiddle(p, 2, 2);
}

} // namespace gatepass
