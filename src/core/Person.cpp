#include "Person.h"

#include <algorithm>

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

std::string addressBuilding(std::string_view address)
{
    // The first separator ends the building (it is not kept); the first
    // building word ends it too (kept). Whichever comes first wins. UTF-8
    // substrings never match inside another character.
    constexpr std::string_view kSeparators[] = {"-", "－", "—", "–", "/"};
    constexpr std::string_view kWords[] = {"号楼", "栋", "幢", "楼"};
    size_t end = std::string_view::npos;
    for (std::string_view sep : kSeparators)
        end = std::min(end, address.find(sep));
    for (std::string_view word : kWords)
        if (size_t at = address.find(word); at != std::string_view::npos)
            end = std::min(end, at + word.size());
    std::string_view building = end == std::string_view::npos ? address : address.substr(0, end);
    while (!building.empty() && building.back() == ' ')
        building.remove_suffix(1);
    return std::string(building.empty() ? address : building);
}

} // namespace gatepass
