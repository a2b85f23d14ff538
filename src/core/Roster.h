// A community's resident list as a spreadsheet saves it (issue 11's roster
// import): a CSV file, one person a row, the columns named by the form's own
// labels (Fields.h: 姓名, 证件类型, 证件号码, …, in Chinese or English, or the
// JSON keys) in any order — the header of the office's persons export reads
// back. Each row is checked with the person rules (Validation.h validate), as
// a registration is. Reading only: the office converts the file's encoding
// first (GBK from a Chinese Excel) and stores the roster in one transaction.
#pragma once

#include "Message.h"
#include "Person.h"

#include <cstdint>
#include <string_view>
#include <vector>

namespace gatepass {

/// At most this many rows: a community's roster is thousands.
inline constexpr size_t kMaxRosterRows = 20'000;

/// The version (PersonRecord::updatedAt) of every roster row the office sends
/// its gates: older than any record a gate makes (a registration or a
/// scanned pass carries its own time). By the merge rule (Batch.h
/// mergePerson: only a strictly newer version replaces) a resident's own
/// record at a gate is then never replaced by the office's list — whether it
/// was made before or after the import — and a pass with the resident's
/// answers replaces a roster row at its first scan (entry.record). The
/// import time would make the list win over registrations made before it.
/// The price: a corrected row does not replace an older roster row a gate
/// holds (a tie keeps it) until retention deletes that unseen person there.
inline constexpr int64_t kRosterVersion = 0;

/// A row that cannot be taken: the file's line it starts on (1 is the header)
/// and the first reason, naming the column (Message::field is its JSON key).
struct RosterProblem {
    int line = 0;
    Message message;
};

struct Roster {
    std::vector<Person> persons;          // validated, normalised, in file order
    std::vector<RosterProblem> problems;  // every bad row; nothing should be taken while any
};

/// Reads a roster from `text` (UTF-8; a BOM is skipped). The whole file is
/// refused (roster.damaged, roster.columns, roster.empty, roster.too_many)
/// when it is not CSV, a column is unknown or missing (姓名, 证件类型 and
/// 证件号码 are needed), there are no rows or too many. Otherwise every row:
/// yes/no cells 是/否 or Yes/No (a missing yes/no column: 否), a choice by its
/// label or key, a date YYYY-MM-DD or YYYY/M/D (as Excel writes it), the cell
/// of a number as the persons export writes it (a trailing tab, a leading
/// apostrophe) taken back; then validate(person, today). A number twice in the
/// file is a problem on its second line.
Result<Roster> readRoster(std::string_view text, Date today);

} // namespace gatepass
