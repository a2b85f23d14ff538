// Entries and persons as CSV for people (the gate's export, the office's
// dashboard): Excel and LibreOffice open it with Chinese intact (UTF-8 with
// BOM), long numbers stay text and no cell runs as a formula (Csv.h).
#pragma once

#include "Records.h"

#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace gatepass {

/// One person's details for an entry's row, by document number; nullopt: only
/// what the entry itself says (name, number) is written.
using PersonLookup = std::function<std::optional<Person>(std::string_view docNumber)>;

/// Header 时间, 方向, 体温(℃), 结果, 原因, 门岗, 值班人员, then the 12 items
/// (Fields.h, form order); one row per entry, in the order given, times in
/// the zone of `utcOffsetMinutes`.
std::string entriesCsv(std::span<const Entry> entries, const PersonLookup& personOf, int utcOffsetMinutes);

/// Header: the 12 items, then 更新时间, 核验时间, 核验人; one row per record,
/// in the order given.
std::string personsCsv(std::span<const PersonRecord> persons, int utcOffsetMinutes);

} // namespace gatepass
