#include "Csv.h"

namespace gatepass {

std::string csvCell(std::string_view value)
{
    std::string out = "\"";
    if (!value.empty() && std::string_view("=+-@\t\r").find(value.front()) != std::string_view::npos)
        out += '\'';
    for (char c : value) {
        if (c == '"')
            out += '"';
        out += c;
    }
    return out + "\"";
}

std::string csvTextNumber(std::string_view digits) { return csvCell(std::string(digits) + "\t"); }

std::string csvRow(const std::vector<std::string>& cells)
{
    std::string row;
    for (size_t i = 0; i < cells.size(); ++i)
        row += (i ? "," : "") + cells[i];
    return row + "\r\n";
}

} // namespace gatepass
