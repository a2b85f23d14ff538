#include "ExportCsv.h"

#include "Csv.h"
#include "Fields.h"

namespace gatepass {

namespace {

// A person's 12 items, or only the entry's name and number when unknown.
void appendPerson(std::vector<std::string>& row, const Person* person, std::string_view name, std::string_view docNumber)
{
    for (const FieldSpec& f : fields()) {
        std::string cell = person                ? valueWords(f, *person, false).zh
                           : f.key == "name"       ? std::string(name)
                           : f.key == "doc_number" ? std::string(docNumber)
                                                   : "";
        row.push_back(f.kind == FieldKind::DocNumber || f.kind == FieldKind::Phone ? csvTextNumber(cell) : csvCell(cell));
    }
}

} // namespace

std::string entriesCsv(std::span<const Entry> entries, const PersonLookup& personOf, int utcOffsetMinutes)
{
    std::vector<std::string> header{csvCell("时间"), csvCell("方向"), csvCell("体温(℃)"), csvCell("结果"),
                                    csvCell("原因"), csvCell("门岗"), csvCell("值班人员")};
    for (const FieldSpec& f : fields())
        header.push_back(csvCell(f.zh));
    std::string out(kUtf8Bom);
    out += csvRow(header);
    for (const Entry& e : entries) {
        std::string reasons;
        for (const auto& m : e.reasons)
            reasons += (reasons.empty() ? "" : "；") + m.zh;
        EntryWords w = entryWords(e, utcOffsetMinutes);
        std::vector<std::string> row{csvCell(w.dateTime),
                                     csvCell(w.direction.zh),
                                     csvCell(e.temperature ? oneDecimal(*e.temperature) : ""),
                                     csvCell(w.verdict.zh),
                                     csvCell(reasons),
                                     csvCell(e.gate),
                                     csvCell(e.staff)};
        std::optional<Person> person = personOf ? personOf(e.docNumber) : std::nullopt;
        appendPerson(row, person ? &*person : nullptr, e.name, e.docNumber);
        out += csvRow(row);
    }
    return out;
}

std::string personsCsv(std::span<const PersonRecord> persons, int utcOffsetMinutes)
{
    std::vector<std::string> header;
    for (const FieldSpec& f : fields())
        header.push_back(csvCell(f.zh));
    for (const char* h : {"更新时间", "核验时间", "核验人"})
        header.push_back(csvCell(h));
    std::string out(kUtf8Bom);
    out += csvRow(header);
    for (const PersonRecord& r : persons) {
        std::vector<std::string> row;
        appendPerson(row, &r.person, r.person.name, r.person.docNumber);
        row.push_back(csvCell(formatLocalTime(r.updatedAt, utcOffsetMinutes)));
        row.push_back(csvCell(r.verifiedAt ? formatLocalTime(*r.verifiedAt, utcOffsetMinutes) : ""));
        row.push_back(csvCell(r.verifiedAt ? r.verifiedBy : ""));
        out += csvRow(row);
    }
    return out;
}

} // namespace gatepass
