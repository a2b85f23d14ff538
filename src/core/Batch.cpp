#include "Batch.h"

#include "Csv.h"
#include "Fields.h"
#include "PersonJson.h"
#include "RecordJson.h"
#include "Sha256.h"

#include <cstdio>
#include <map>

namespace gatepass {

using nlohmann::json;

namespace {

Message refused(std::string code, std::string zh, std::string en) { return Message{std::move(code), std::move(zh), std::move(en), ""}; }

json headerJson(const BatchHeader& h)
{
    return json{{"format", kBatchFormat},
                {"community", {{"code", h.communityCode}, {"name", h.communityName}}},
                {"gate", h.gate},
                {"seq", h.seq},
                {"created_at", h.createdAt},
                {"time_range", {{"from", h.fromMs}, {"to", h.toMs}}},
                {"counts", {{"persons", h.persons}, {"entries", h.entries}}},
                {"body_sha256", h.bodySha256}};
}

// Keeps letters, digits, CJK and '-', so the name is safe on every file system.
std::string fileStem(const BatchHeader& h)
{
    auto clean = [](std::string_view s) {
        std::string out;
        for (unsigned char c : s)
            out += (c >= 0x80 || std::isalnum(c) || c == '-') ? char(c) : '_';
        return out.empty() ? std::string("x") : out;
    };
    char seq[16];
    std::snprintf(seq, sizeof seq, "%06lld", static_cast<long long>(h.seq));
    return "gatepass-" + clean(h.communityCode) + "-" + clean(h.gate) + "-" + seq;
}

ExportedBatch withCsv(const Store& store, ParsedBatch parsed, std::string text, int utcOffsetMinutes)
{
    ExportedBatch b;
    b.header = parsed.header;
    b.fileName = fileStem(parsed.header) + ".batch";
    b.text = std::move(text);
    b.csvName = fileStem(parsed.header) + ".csv";
    b.csv = entriesCsv(store, parsed, utcOffsetMinutes);
    return b;
}

std::string masked(const std::string& docNumber) { return maskDocNumber(docNumber); }

} // namespace

PendingCounts pendingCounts(const Store& store)
{
    PendingCounts c;
    auto s = store.db().prepare("SELECT (SELECT count(*) FROM persons WHERE pending = 1), "
                                "(SELECT count(*) FROM entries WHERE batch_seq IS NULL)");
    if (s.step()) {
        c.persons = int(s.integer(0));
        c.entries = int(s.integer(1));
    }
    return c;
}

Result<ExportedBatch> exportPending(Store& store, const Clock& now)
{
    const Database& db = store.db();
    Transaction t(db);
    if (!t.begun())
        return storageError(db, "begin");

    Settings settings = store.settings();
    BatchHeader h;
    h.communityCode = settings.communityCode;
    h.communityName = settings.communityName;
    h.gate = settings.gateName;
    h.createdAt = now.unixMs;

    std::string body;
    ParsedBatch parsed;
    for (PersonRecord& r : store.pendingPersons()) {
        body += json{{"person", toJson(r)}}.dump() + "\n";
        parsed.persons.push_back(std::move(r));
    }
    for (Entry& e : store.pendingEntries()) {
        body += json{{"entry", toJson(e)}}.dump() + "\n";
        if (h.fromMs == 0 || e.atMs < h.fromMs)
            h.fromMs = e.atMs;
        h.toMs = std::max(h.toMs, e.atMs);
        parsed.entries.push_back(std::move(e));
    }
    if (parsed.persons.empty() && parsed.entries.empty())
        return refused("batch.nothing_pending", "没有需要导出的新记录", "Nothing new to export");

    auto last = db.prepare("SELECT coalesce(max(seq), 0) FROM exports");
    h.seq = last.step() ? last.integer(0) + 1 : 1;
    h.persons = int(parsed.persons.size());
    h.entries = int(parsed.entries.size());
    h.bodySha256 = sha256Hex(body);
    std::string text = std::string(kBatchMagic) + "\n" + headerJson(h).dump() + "\n" + body;

    auto save = db.prepare("INSERT INTO exports(seq, created_at, persons, entries, body_sha256, file) VALUES(?,?,?,?,?,?)");
    save.bind(1, h.seq).bind(2, h.createdAt).bind(3, h.persons).bind(4, h.entries).bind(5, h.bodySha256).bind(6, text).step();
    if (save.rc() != SQLITE_DONE)
        return storageError(db, "recording the export");
    auto markPersons = db.prepare("UPDATE persons SET pending = 0 WHERE pending = 1");
    markPersons.step();
    auto markEntries = db.prepare("UPDATE entries SET batch_seq = ? WHERE batch_seq IS NULL");
    markEntries.bind(1, h.seq).step();
    if (markPersons.rc() != SQLITE_DONE || markEntries.rc() != SQLITE_DONE)
        return storageError(db, "marking records exported");
    if (auto c = t.commit(); !c)
        return c.error();

    parsed.header = h;
    return withCsv(store, std::move(parsed), std::move(text), now.utcOffsetMinutes);
}

Result<ExportedBatch> exportedBatch(const Store& store, int64_t seq)
{
    auto s = store.db().prepare("SELECT file FROM exports WHERE seq = ?");
    s.bind(1, seq);
    if (!s.step())
        return refused("batch.not_found", "没有第" + std::to_string(seq) + "批", "No batch number " + std::to_string(seq));
    std::string text = s.text(0);
    auto parsed = parseBatch(text);
    if (!parsed)
        return parsed.error();
    return withCsv(store, std::move(*parsed), std::move(text), 8 * 60);
}

std::vector<BatchHeader> listExports(const Store& store)
{
    std::vector<BatchHeader> out;
    auto s = store.db().prepare("SELECT file FROM exports ORDER BY seq");
    while (s.step())
        if (auto p = parseBatch(s.text(0)))
            out.push_back(p->header);
    return out;
}

Result<ParsedBatch> parseBatch(std::string_view text)
{
    auto foreign = [] {
        return refused("batch.foreign", "这不是 gatepass 批次文件", "This is not a gatepass batch file");
    };
    auto damaged = [](std::string why) {
        return refused("batch.damaged", "批次文件不完整或已被修改（" + why + "），未导入任何数据",
                       "The batch file is incomplete or was altered (" + why + "); nothing was imported");
    };
    size_t firstEnd = text.find('\n');
    if (firstEnd == std::string_view::npos) {
        if (text.starts_with("GATEPASS-BATCH"))
            return damaged("header");
        return foreign();
    }
    std::string_view magic = text.substr(0, firstEnd);
    if (magic != kBatchMagic) {
        if (magic.starts_with("GATEPASS-BATCH "))
            return refused("batch.newer_version", "批次文件由更新版本生成，请先更新 gatepass",
                           "The batch was made by a newer gatepass; update first");
        return foreign();
    }
    size_t headerEnd = text.find('\n', firstEnd + 1);
    if (headerEnd == std::string_view::npos)
        return damaged("header");
    json hj = json::parse(text.substr(firstEnd + 1, headerEnd - firstEnd - 1), nullptr, false);
    ParsedBatch b;
    BatchHeader& h = b.header;
    try {
        if (hj.at("format").get<int>() != kBatchFormat)
            return refused("batch.newer_version", "批次文件由更新版本生成，请先更新 gatepass",
                           "The batch was made by a newer gatepass; update first");
        h.communityCode = hj.at("community").at("code").get<std::string>();
        h.communityName = hj.at("community").at("name").get<std::string>();
        h.gate = hj.at("gate").get<std::string>();
        h.seq = hj.at("seq").get<int64_t>();
        h.createdAt = hj.at("created_at").get<int64_t>();
        h.fromMs = hj.at("time_range").at("from").get<int64_t>();
        h.toMs = hj.at("time_range").at("to").get<int64_t>();
        h.persons = hj.at("counts").at("persons").get<int>();
        h.entries = hj.at("counts").at("entries").get<int>();
        h.bodySha256 = hj.at("body_sha256").get<std::string>();
    } catch (const json::exception&) {
        return damaged("header");
    }
    std::string_view body = text.substr(headerEnd + 1);
    if (sha256Hex(body) != h.bodySha256)
        return damaged("checksum");

    size_t pos = 0;
    while (pos < body.size()) {
        size_t end = body.find('\n', pos);
        if (end == std::string_view::npos)
            return damaged("last line");
        json line = json::parse(body.substr(pos, end - pos), nullptr, false);
        pos = end + 1;
        if (line.is_object() && line.size() == 1 && line.contains("person")) {
            auto r = personRecordFromJson(line["person"]);
            if (!r)
                return refused("batch.invalid_record", "批次中有不符合要求的人员记录", "The batch holds an invalid person record");
            b.persons.push_back(std::move(*r));
        } else if (line.is_object() && line.size() == 1 && line.contains("entry")) {
            auto e = entryFromJson(line["entry"]);
            if (!e)
                return refused("batch.invalid_record", "批次中有不符合要求的出入记录", "The batch holds an invalid entry record");
            b.entries.push_back(std::move(*e));
        } else {
            return refused("batch.invalid_record", "批次中有无法识别的记录", "The batch holds an unrecognised line");
        }
    }
    if (int(b.persons.size()) != h.persons || int(b.entries.size()) != h.entries)
        return damaged("counts");
    return b;
}

Result<ImportReport> importBatch(Store& store, std::string_view text, const Clock& now)
{
    auto parsed = parseBatch(text);
    if (!parsed)
        return parsed.error();
    const BatchHeader& h = parsed->header;
    const Database& db = store.db();

    Settings settings = store.settings();
    if (!settings.communityCode.empty() && settings.communityCode != h.communityCode)
        return refused("batch.other_community", "这是其他社区（" + h.communityName + "）的批次，未导入",
                       "This batch belongs to another community (" + h.communityName + "); nothing was imported");

    ImportReport report;
    report.header = h;
    Transaction t(db);
    if (!t.begun())
        return storageError(db, "begin");

    auto seen = db.prepare("SELECT 1 FROM imports WHERE body_sha256 = ?");
    seen.bind(1, h.bodySha256);
    if (seen.step()) {
        report.alreadyImported = true;
        return report;
    }
    if (settings.communityCode.empty() && !h.communityCode.empty()) {
        settings.communityCode = h.communityCode;
        settings.communityName = h.communityName;
        if (auto r = store.setSetting("settings", toJson(settings).dump()); !r)
            return r.error();
    }

    for (const PersonRecord& incoming : parsed->persons) {
        std::optional<PersonRecord> existing = store.findPerson(incoming.person.docNumber);
        PersonRecord merged = incoming;
        bool replacesLocal = true;
        if (existing) {
            bool incomingNewer = incoming.updatedAt > existing->updatedAt;
            if (!incomingNewer) {
                merged = *existing;
                replacesLocal = false;
            }
            // A verification is a fact about the person, whichever record wins.
            if (!merged.verifiedAt) {
                merged.verifiedAt = incomingNewer ? existing->verifiedAt : incoming.verifiedAt;
                merged.verifiedBy = incomingNewer ? existing->verifiedBy : incoming.verifiedBy;
            }
            if (existing->person != incoming.person) {
                std::string who = masked(incoming.person.docNumber);
                report.conflicts.push_back(
                    incomingNewer ? Message{"merge.newer_incoming", who + "：批次中的记录较新，已采用", who + ": the batch's record is newer and was taken", ""}
                                  : Message{"merge.newer_kept", who + "：已有记录较新，保留原记录", who + ": the stored record is newer and was kept", ""});
            }
            if (merged == *existing)
                continue;
            ++report.personsUpdated;
        } else {
            ++report.personsAdded;
        }
        if (auto w = store.mergePerson(merged, replacesLocal); !w)
            return w.error();
    }

    for (const Entry& e : parsed->entries) {
        auto added = store.mergeEntry(e);
        if (!added)
            return added.error();
        report.entriesAdded += *added;
    }

    auto log = db.prepare("INSERT INTO imports(body_sha256, community, gate, seq, imported_at, persons_added, persons_updated, "
                          "entries_added) VALUES(?,?,?,?,?,?,?,?)");
    log.bind(1, h.bodySha256)
        .bind(2, h.communityCode)
        .bind(3, h.gate)
        .bind(4, h.seq)
        .bind(5, now.unixMs)
        .bind(6, report.personsAdded)
        .bind(7, report.personsUpdated)
        .bind(8, report.entriesAdded)
        .step();
    if (log.rc() != SQLITE_DONE)
        return storageError(db, "recording the import");
    if (auto c = t.commit(); !c)
        return c.error();
    return report;
}

std::string entriesCsv(const Store& store, const ParsedBatch& batch, int utcOffsetMinutes)
{
    std::vector<std::string> header{csvCell("时间"), csvCell("方向"), csvCell("体温(℃)"), csvCell("结果"),
                                    csvCell("原因"), csvCell("门岗"), csvCell("值班人员")};
    for (const FieldSpec& f : fields())
        header.push_back(csvCell(f.zh));
    std::string out(kUtf8Bom);
    out += csvRow(header);

    auto yesNo = [](bool b) { return std::string(b ? "是" : "否"); };
    std::map<std::string, const Person*, std::less<>> carried;
    for (const auto& r : batch.persons)
        carried[r.person.docNumber] = &r.person;
    for (const Entry& e : batch.entries) {
        std::string reasons;
        for (const auto& m : e.reasons)
            reasons += (reasons.empty() ? "" : "；") + m.zh;
        char temp[16] = "";
        if (e.temperature)
            std::snprintf(temp, sizeof temp, "%.1f", *e.temperature);
        std::vector<std::string> row{csvCell(formatLocalTime(e.atMs, utcOffsetMinutes)),
                                     csvCell(e.direction == Direction::In ? "进" : "出"),
                                     csvCell(temp),
                                     csvCell(e.verdict == Verdict::Allow ? "通行" : e.verdict == Verdict::Refer ? "人工核查" : "禁止"),
                                     csvCell(reasons),
                                     csvCell(e.gate),
                                     csvCell(e.staff)};
        // The person as the batch carried them, else as this database knows them.
        json pj;
        if (auto it = carried.find(e.docNumber); it != carried.end())
            pj = toJson(*it->second);
        else if (auto r = store.findPerson(e.docNumber))
            pj = toJson(r->person);
        else
            pj = json{{"name", e.name}, {"doc_number", e.docNumber}};
        for (const FieldSpec& f : fields()) {
            std::string cell;
            if (auto v = pj.find(f.key); v != pj.end())
                cell = v->is_boolean() ? yesNo(v->get<bool>()) : v->get<std::string>();
            if (f.kind == FieldKind::Choice)
                for (const Choice& c : f.choices)
                    if (c.value == cell)
                        cell = std::string(c.zh);
            row.push_back(f.kind == FieldKind::DocNumber || f.kind == FieldKind::Phone ? csvTextNumber(cell) : csvCell(cell));
        }
        out += csvRow(row);
    }
    return out;
}

} // namespace gatepass
