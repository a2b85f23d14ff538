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

std::optional<std::vector<CsvRecord>> csvRecords(std::string_view text)
{
    std::vector<CsvRecord> out;
    CsvRecord record{1, {}};
    std::string cell;
    bool quoted = false, any = false; // any: the record has a cell or a separator so far
    int line = 1;
    auto endRecord = [&] {
        if (any || !cell.empty()) {
            record.cells.push_back(std::move(cell));
            out.push_back(std::move(record));
        }
        cell.clear();
        record = CsvRecord{line, {}};
        any = false;
    };
    for (size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (quoted) {
            if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
                cell += '"';
                ++i;
            } else if (c == '"')
                quoted = false;
            else {
                if (c == '\n')
                    ++line;
                cell += c;
            }
        } else if (c == '"') {
            quoted = true;
            any = true;
        } else if (c == ',') {
            record.cells.push_back(std::move(cell));
            cell.clear();
            any = true;
        } else if (c == '\n' || (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n')) {
            if (c == '\r')
                ++i;
            ++line;
            endRecord();
        } else
            cell += c;
    }
    if (quoted)
        return std::nullopt;
    endRecord();
    return out;
}

} // namespace gatepass
