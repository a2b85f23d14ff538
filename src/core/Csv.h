// CSV that Excel and LibreOffice open with Chinese intact and no formulas run,
// and CSV as spreadsheets save it, read back.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gatepass {

/// UTF-8 byte order mark: without it Excel reads the file as the local ANSI code page.
inline constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

/// One cell, quoted. A cell starting with = + - @ or a tab/CR would be run as
/// a formula by a spreadsheet; it gets a leading apostrophe.
std::string csvCell(std::string_view value);

/// A long number kept as text: a trailing tab stops spreadsheets turning an
/// 18-digit ID into 1.10101E+17 while leaving the digits readable.
std::string csvTextNumber(std::string_view digits);

/// Cells joined with commas, ended with CRLF (RFC 4180).
std::string csvRow(const std::vector<std::string>& cells);

/// One record of a CSV file and the line (1-based) it starts on: a quoted
/// cell may hold line breaks, so records and lines are not the same count.
struct CsvRecord {
    int line = 0;
    std::vector<std::string> cells;
};

/// RFC 4180 records of `text` (UTF-8, no BOM): comma-separated, "" for a
/// quote inside a quoted cell, CRLF or LF line ends; blank lines are skipped.
/// nullopt when a quoted cell is never closed (a truncated file).
std::optional<std::vector<CsvRecord>> csvRecords(std::string_view text);

} // namespace gatepass
