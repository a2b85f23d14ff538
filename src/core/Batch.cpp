#include "Batch.h"
#include "Validation.h"

#include "Base64.h"
#include "Csv.h"
#include "ExportCsv.h"
#include "Feed.h"
#include "Fields.h"
#include "JsonNumber.h"
#include "PersonJson.h"
#include "RecordJson.h"
#include "VisitorUse.h"
#include "Digest.h"

#include <algorithm>

#include <cstdio>
#include <map>

namespace gatepass {

using nlohmann::json;

namespace {

Message refused(std::string code, std::string zh, std::string en) { return Message{std::move(code), std::move(zh), std::move(en), ""}; }

} // namespace

namespace {

// Deletions, actions and revocations are counted only when there are some, so a batch
// without them reads as the formats before them did.
json countsJson(const BatchHeader& h)
{
    json counts{{"persons", h.persons}, {"entries", h.entries}};
    if (h.deletions)
        counts["deletions"] = h.deletions;
    if (h.actions)
        counts["actions"] = h.actions;
    if (h.revocations)
        counts["revocations"] = h.revocations;
    return counts;
}

} // namespace

json headerJson(const BatchHeader& h)
{
    return json{{"format", kBatchFormat},
                {"community", {{"code", h.communityCode}, {"name", h.communityName}}},
                {"gate", h.gate},
                {"seq", h.seq},
                {"created_at", h.createdAt},
                {"time_range", {{"from", h.fromMs}, {"to", h.toMs}}},
                {"counts", countsJson(h)},
                {"body_sha256", h.bodySha256}};
}

namespace {

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

constexpr std::string_view kMacMember = ",\"mac\":\"";

std::string_view magicOf(int format)
{
    return format == kBatchFormatSealed ? kBatchMagicSealed : format == kBatchFormat ? kBatchMagic : kBatchMagicV1;
}

// The community key a gate seals its batches to: the current one (no end of grace).
const CommunityKey* currentKey(const std::vector<CommunityKey>& keys)
{
    auto k = std::find_if(keys.begin(), keys.end(), [](const CommunityKey& c) { return c.untilMs == 0; });
    return k == keys.end() ? nullptr : &*k;
}

} // namespace

int exportFormat(const Settings& settings)
{
    return currentKey(communityKeys(settings.communityKeys)) ? kBatchFormatSealed : kBatchFormat;
}

namespace {

// The bytes the MAC covers: the magic line, the header without the MAC, the body.
std::string macMessage(std::string_view magic, std::string_view signedHeader, std::string_view body)
{
    std::string m;
    m.reserve(magic.size() + signedHeader.size() + body.size() + 2);
    m.append(magic).append("\n").append(signedHeader).append("\n").append(body);
    return m;
}

// The file for these records: the header's counts, time range and checksum
// are set from them (seq, community, gate, created_at are the caller's).
// MACed under the gate's key when it has one, sealed to the community's
// current key when the gate holds it (format 3, Batch.h).
Result<std::string> batchText(BatchHeader& h, const ParsedBatch& records, const Store& store, const PassCrypto& crypto)
{
    const Settings settings = store.settings();
    std::string body;
    h.fromMs = h.toMs = 0;
    for (const PersonRecord& r : records.persons)
        body += json{{"person", toJson(r)}}.dump() + "\n";
    for (const Entry& e : records.entries) {
        body += json{{"entry", toJson(e)}}.dump() + "\n";
        if (h.fromMs == 0 || e.atMs < h.fromMs)
            h.fromMs = e.atMs;
        h.toMs = std::max(h.toMs, e.atMs);
    }
    for (const Deletion& d : records.deletions)
        body += json{{"deletion", {{"doc_number", d.docNumber}, {"at", d.atMs}}}}.dump() + "\n";
    for (const StaffAction& a : records.actions)
        body += json{{"action", toJson(a)}}.dump() + "\n";
    for (const Revocation& r : records.revocations)
        body += json{{"revocation", toJson(r)}}.dump() + "\n";
    h.revocations = int(records.revocations.size());
    h.visitorUses = countVisitorUses(records.revocations);
    h.persons = int(records.persons.size());
    h.actions = int(records.actions.size());
    h.entries = int(records.entries.size());
    h.deletions = int(records.deletions.size());
    auto bodySha256 = sha256Hex(body);
    if (!bodySha256)
        return digestUnavailable();
    h.bodySha256 = std::move(*bodySha256);
    json headerObject = headerJson(h);
    std::string_view magic = kBatchMagic;
    const std::vector<CommunityKey> keys = communityKeys(settings.communityKeys);
    if (const CommunityKey* key = currentKey(keys)) {
        if (!crypto.seal)
            return cryptoUnavailable();
        auto sealed = crypto.seal(body, key->publicKey);
        if (!sealed)
            return refused("batch.community_key", "本门岗保存的社区密钥无效，无法导出：请重新登记本门岗",
                           "The community key this gate holds is not valid, so it cannot export: enrol the gate again");
        body = encodeBase64Url(std::vector<uint8_t>(sealed->begin(), sealed->end())) + "\n";
        magic = kBatchMagicSealed;
        headerObject["format"] = kBatchFormatSealed;
        headerObject["key_id"] = key->id;
    }
    std::string header = headerObject.dump();
    const std::string& gateKey = settings.gateKey;
    if (!gateKey.empty()) {
        if (!crypto.canMac())
            return cryptoUnavailable();
        auto tag = crypto.mac(macMessage(magic, header, body), gateKey);
        if (!tag)
            return refused("batch.gate_key", "本门岗的门岗密钥无效，无法导出：请重新登记本门岗",
                           "This gate's key is not valid, so it cannot export: enrol the gate again");
        header.pop_back(); // the closing brace: the MAC is the last member
        header += std::string(kMacMember) + encodeBase64Url(std::vector<uint8_t>(tag->begin(), tag->end())) + "\"}";
    }
    return std::string(magic) + "\n" + header + "\n" + body;
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

} // namespace

BatchKeys heldBatchKeys(const Store& store, const PassCrypto& crypto)
{
    return BatchKeys{communityKeys(store.settings().communityKeys), crypto};
}

Result<ExportedBatch> exportPending(Store& store, const Clock& now, const PassCrypto& crypto, const std::optional<std::string>& loggedBy)
{
    Transaction t = store.transaction();
    if (!t.begun())
        return t.beginError();

    Settings settings = store.settings();
    BatchHeader h;
    h.communityCode = settings.communityCode;
    h.communityName = settings.communityName;
    h.gate = settings.gateName;
    h.createdAt = now.unixMs;

    ParsedBatch parsed;
    parsed.persons = store.pendingPersons();
    parsed.entries = store.pendingEntries();
    parsed.deletions = store.pendingDeletions();
    parsed.revocations = store.pendingRevocations();
    if (parsed.persons.empty() && parsed.entries.empty() && parsed.deletions.empty() && parsed.revocations.empty())
        return refused("batch.nothing_pending", "没有需要导出的新记录", "Nothing new to export");

    h.seq = store.lastExportSeq() + 1;
    // Logged first, so the export's own trace travels in the batch it made.
    if (loggedBy) {
        std::string n = std::to_string(h.seq), p = std::to_string(parsed.persons.size()), e = std::to_string(parsed.entries.size());
        Words detail{"第" + n + "批：" + p + " 人，" + e + " 条出入记录", "batch " + n + ": " + p + " persons, " + e + " entries"};
        if (auto r = store.logStaffAction(newStaffAction(StaffActionKind::Export, *loggedBy, now.unixMs, h.gate, detail)); !r)
            return r.error();
    }
    parsed.actions = store.pendingStaffActions();
    auto made = batchText(h, parsed, store, crypto);
    if (!made)
        return made.error();
    std::string text = std::move(*made);
    if (auto r = store.saveExport(h, text); !r)
        return r.error();
    if (auto c = t.commit(); !c)
        return c.error();

    parsed.header = h;
    return withCsv(store, std::move(parsed), std::move(text), now.utcOffsetMinutes);
}

Result<ExportedBatch> exportedBatch(const Store& store, int64_t seq, int utcOffsetMinutes, const PassCrypto& crypto)
{
    auto text = store.exportFile(seq);
    if (!text)
        return refused("batch.not_found", "没有第" + std::to_string(seq) + "批", "No batch number " + std::to_string(seq));
    if (text->empty())
        return refused("batch.purged", "第" + std::to_string(seq) + "批已过保存期限，已删除",
                       "Batch " + std::to_string(seq) + " was past the retention period and was deleted");
    auto parsed = parseBatch(*text, heldBatchKeys(store, crypto));
    if (!parsed)
        return parsed.error();
    return withCsv(store, std::move(*parsed), std::move(*text), utcOffsetMinutes);
}

Result<Done> macStoredExport(Store& store, int64_t seq, const PassCrypto& crypto)
{
    const std::string gateKey = store.settings().gateKey;
    if (gateKey.empty())
        return Done{};
    auto text = store.exportFile(seq);
    if (!text || text->empty())
        return Done{}; // exportedBatch says why
    const BatchKeys keys = heldBatchKeys(store, crypto);
    auto parsed = parseBatch(*text, keys);
    if (!parsed)
        return Done{};
    const bool sealedAsItCanBe = parsed->format == kBatchFormatSealed || !currentKey(keys.keys);
    if (sealedAsItCanBe && !parsed->mac.empty() && !authenticateBatch(*text, *parsed, gateKey, crypto))
        return Done{};
    Transaction t = store.transaction();
    if (!t.begun())
        return t.beginError();
    auto rewritten = batchText(parsed->header, *parsed, store, crypto);
    if (!rewritten)
        return rewritten.error();
    if (auto r = store.replaceExportFile(parsed->header, *rewritten); !r)
        return r.error();
    return t.commit();
}

namespace {

Message damagedBatch(std::string why)
{
    return refused("batch.damaged", "批次文件不完整或已被修改（" + why + "），未导入任何数据",
                   "The batch file is incomplete or was altered (" + why + "); nothing was imported");
}

} // namespace

Result<ParsedBatch> parseBatchHeader(std::string_view text)
{
    auto foreign = [] {
        return refused("batch.foreign", "这不是 gatepass 批次文件", "This is not a gatepass batch file");
    };
    auto damaged = damagedBatch;
    size_t firstEnd = text.find('\n');
    if (firstEnd == std::string_view::npos) {
        if (text.starts_with("GATEPASS-BATCH"))
            return damaged("header");
        return foreign();
    }
    std::string_view magic = text.substr(0, firstEnd);
    const int format = magic == kBatchMagicSealed ? kBatchFormatSealed : magic == kBatchMagic ? kBatchFormat : magic == kBatchMagicV1 ? 1 : 0;
    if (format == 0) {
        if (magic.starts_with("GATEPASS-BATCH "))
            return refused("batch.newer_version", "批次文件由更新版本生成，请先更新 gatepass",
                           "The batch was made by a newer gatepass; update first");
        return foreign();
    }
    size_t headerEnd = text.find('\n', firstEnd + 1);
    if (headerEnd == std::string_view::npos)
        return damaged("header");
    ParsedBatch b;
    b.format = format;
    // The MAC, when there is one, is the line's last member; the rest is what it covers.
    std::string_view headerLine = text.substr(firstEnd + 1, headerEnd - firstEnd - 1);
    b.signedHeader = headerLine;
    if (size_t at = headerLine.rfind(kMacMember); format >= kBatchFormat && at != std::string_view::npos) {
        std::string_view rest = headerLine.substr(at + kMacMember.size());
        if (!rest.ends_with("\"}") || rest.find('"') != rest.size() - 2)
            return damaged("header");
        b.mac = rest.substr(0, rest.size() - 2);
        b.signedHeader = std::string(headerLine.substr(0, at)) + "}";
    }
    // Fields are read from the signed part only: what the MAC covers is what is believed.
    json hj = json::parse(b.signedHeader, nullptr, false);
    if (hj.is_object() && hj.contains("mac"))
        return damaged("header");
    BatchHeader& h = b.header;
    // Numbers are range-checked before conversion (JsonNumber.h): out of range is damage.
    auto whole = [](const json& j, int64_t lo, int64_t hi) {
        auto v = integerIn(j, lo, hi);
        if (!v)
            throw json::type_error::create(302, "number out of range", &j);
        return *v;
    };
    constexpr int64_t kMaxRecords = 100'000'000;
    try {
        if (whole(hj.at("format"), 0, 1'000'000) != format)
            return refused("batch.newer_version", "批次文件由更新版本生成，请先更新 gatepass",
                           "The batch was made by a newer gatepass; update first");
        h.communityCode = hj.at("community").at("code").get<std::string>();
        h.communityName = hj.at("community").at("name").get<std::string>();
        h.gate = hj.at("gate").get<std::string>();
        h.seq = whole(hj.at("seq"), 1, kLatestMs);
        h.createdAt = whole(hj.at("created_at"), 0, kLatestMs);
        h.fromMs = whole(hj.at("time_range").at("from"), 0, kLatestMs);
        h.toMs = whole(hj.at("time_range").at("to"), 0, kLatestMs);
        h.persons = int(whole(hj.at("counts").at("persons"), 0, kMaxRecords));
        h.entries = int(whole(hj.at("counts").at("entries"), 0, kMaxRecords));
        if (hj.at("counts").contains("deletions"))
            h.deletions = int(whole(hj.at("counts").at("deletions"), 0, kMaxRecords));
        if (hj.at("counts").contains("actions"))
            h.actions = int(whole(hj.at("counts").at("actions"), 0, kMaxRecords));
        if (hj.at("counts").contains("revocations"))
            h.revocations = int(whole(hj.at("counts").at("revocations"), 0, kMaxRecords));
        h.bodySha256 = hj.at("body_sha256").get<std::string>();
        if (format == kBatchFormatSealed)
            b.keyId = hj.at("key_id").get<std::string>();
    } catch (const json::exception&) {
        return damaged("header");
    }
    return b;
}

Result<ParsedBatch> parseBatch(std::string_view text, const BatchKeys& keys, const ImportProgressFn& progress)
{
    auto parsedHeader = parseBatchHeader(text);
    if (!parsedHeader)
        return parsedHeader.error();
    ParsedBatch b = std::move(*parsedHeader);
    const BatchHeader& h = b.header;
    auto damaged = damagedBatch;
    std::string_view body = text.substr(text.find('\n', text.find('\n') + 1) + 1);
    std::string opened; // format 3: the body, out of its sealed box
    if (b.format == kBatchFormatSealed) {
        if (keys.keys.empty())
            return refused("batch.sealed_no_key", "这个批次文件已用社区密钥加密，本机没有社区密钥，无法读取，未导入任何数据。请在已登记的门岗或社区办公室导入",
                           "This batch file is sealed to the community key, which this device does not hold, so it cannot be read; "
                           "nothing was imported. Import it at an enrolled gate or at the community office");
        auto key = std::find_if(keys.keys.begin(), keys.keys.end(), [&](const CommunityKey& k) { return k.id == b.keyId; });
        if (key == keys.keys.end())
            return refused("batch.sealed_other_key", "这个批次文件加密所用的社区密钥不是本机持有的（其他社区，或已更换的密钥），未导入任何数据",
                           "This batch file is sealed to a community key this device does not hold (another community's, or a "
                           "replaced key); nothing was imported");
        if (!keys.crypto.open)
            return cryptoUnavailable();
        auto sealed = body.ends_with('\n') ? decodeBase64Url(body.substr(0, body.size() - 1)) : std::nullopt;
        if (!sealed)
            return damaged("sealed body");
        std::string_view sealedBytes(reinterpret_cast<const char*>(sealed->data()), sealed->size());
        auto plain = keys.crypto.open(sealedBytes, key->publicKey, key->secretKey);
        if (!plain)
            return damaged("sealed body");
        opened = std::move(*plain);
        body = opened;
    }
    auto bodySha256 = sha256Hex(body);
    if (!bodySha256)
        return digestUnavailable();
    if (*bodySha256 != h.bodySha256)
        return damaged("checksum");

    // Progress by bytes read, a call every 256 KiB at most (the sink drops repeats).
    constexpr size_t kProgressBytes = 256 * 1024;
    size_t reportedAt = 0;
    size_t pos = 0;
    while (pos < body.size()) {
        if (progress && pos - reportedAt >= kProgressBytes) {
            reportedAt = pos;
            progress(importProgress(ImportStep::Checking, pos, body.size()));
        }
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
            if (auto m = checkEntry(*e))
                return refused("batch.invalid_record", "批次中有不符合要求的出入记录：" + m->zh,
                               "The batch holds an invalid entry record: " + m->en);
            b.entries.push_back(std::move(*e));
        } else if (line.is_object() && line.size() == 1 && line.contains("deletion")) {
            const json& d = line["deletion"];
            // value() only: a const json's operator[] on a missing key is undefined behaviour.
            auto at = d.is_object() ? integerIn(d.value("at", json()), 0, kLatestMs) : std::nullopt;
            json doc = d.is_object() ? d.value("doc_number", json()) : json();
            if (!at || !doc.is_string() || doc.get_ref<const std::string&>().empty())
                return refused("batch.invalid_record", "批次中有不符合要求的删除记录", "The batch holds an invalid deletion record");
            b.deletions.push_back(Deletion{doc.get<std::string>(), *at});
        } else if (line.is_object() && line.size() == 1 && line.contains("action")) {
            auto a = staffActionFromJson(line["action"]);
            if (!a)
                return refused("batch.invalid_record", "批次中有不符合要求的操作记录", "The batch holds an invalid staff action record");
            b.actions.push_back(std::move(*a));
        } else if (line.is_object() && line.size() == 1 && line.contains("revocation")) {
            auto r = revocationFromJson(line["revocation"]);
            if (!r || checkRevocation(*r))
                return refused("batch.invalid_record", "批次中有不符合要求的撤销记录", "The batch holds an invalid revocation record");
            b.revocations.push_back(std::move(*r));
        } else {
            return refused("batch.invalid_record", "批次中有无法识别的记录", "The batch holds an unrecognised line");
        }
    }
    if (int(b.persons.size()) != h.persons || int(b.entries.size()) != h.entries || int(b.deletions.size()) != h.deletions ||
        int(b.actions.size()) != h.actions || int(b.revocations.size()) != h.revocations)
        return damaged("counts");
    b.header.visitorUses = countVisitorUses(b.revocations);
    return b;
}

std::optional<Message> checkBatchTimes(const ParsedBatch& batch, const Clock& now)
{
    const BatchHeader& h = batch.header;
    const int64_t latest = now.unixMs + kBatchClockSkewMs;
    bool future = h.createdAt > latest || h.toMs > latest;
    for (const PersonRecord& r : batch.persons)
        future = future || r.updatedAt > latest || r.verifiedAt.value_or(0) > latest;
    for (const Entry& e : batch.entries)
        future = future || e.atMs > latest;
    for (const StaffAction& a : batch.actions)
        future = future || a.atMs > latest;
    for (const Revocation& r : batch.revocations)
        future = future || r.revokedAt > latest;
    if (!future)
        return std::nullopt;
    return refused("batch.future", "批次中有晚于现在一小时以上的时间，未导入。请核对门岗电脑的日期和时间",
                   "The batch holds times more than an hour in the future; nothing was imported. Check the gate computer's date and time");
}

PersonMergeResult mergePerson(const std::optional<PersonRecord>& existing, const PersonRecord& incoming)
{
    PersonMergeResult r;
    r.merged = incoming;
    if (!existing) {
        r.write = r.added = true;
        return r;
    }
    r.incomingWins = incoming.updatedAt > existing->updatedAt;
    if (!r.incomingWins)
        r.merged = *existing;
    // A verification is a fact about the person, whichever record wins.
    if (!r.merged.verifiedAt) {
        r.merged.verifiedAt = r.incomingWins ? existing->verifiedAt : incoming.verifiedAt;
        r.merged.verifiedBy = r.incomingWins ? existing->verifiedBy : incoming.verifiedBy;
    }
    if (existing->person != incoming.person) {
        std::string who = maskDocNumber(incoming.person.docNumber);
        r.conflict = r.incomingWins
                         ? Message{"merge.newer_incoming", who + "：批次中的记录较新，已采用", who + ": the batch's record is newer and was taken", ""}
                         : Message{"merge.newer_kept", who + "：已有记录较新，保留原记录", who + ": the stored record is newer and was kept", ""};
    }
    r.write = !(r.merged == *existing);
    return r;
}

std::optional<Message> authenticateBatch(std::string_view text, const ParsedBatch& batch,
                                         const std::optional<std::string>& gateKey, const PassCrypto& crypto)
{
    const std::string& gate = batch.header.gate;
    if (batch.mac.empty())
        return unauthenticatedBatch(Unauthenticated::NoMac, gate);
    if (!gateKey)
        return unauthenticatedBatch(Unauthenticated::UnknownGate, gate);
    if (!crypto.canMac())
        return cryptoUnavailable();
    auto tag = decodeBase64Url(batch.mac);
    // The body starts after the second line; parseBatch found both.
    size_t headerEnd = text.find('\n', text.find('\n') + 1);
    if (!tag || headerEnd == std::string_view::npos)
        return unauthenticatedBatch(Unauthenticated::WrongMac, gate);
    std::string_view body = text.substr(headerEnd + 1);
    std::string_view tagBytes(reinterpret_cast<const char*>(tag->data()), tag->size());
    if (!crypto.verify(tagBytes, macMessage(magicOf(batch.format), batch.signedHeader, body), *gateKey))
        return unauthenticatedBatch(Unauthenticated::WrongMac, gate);
    return std::nullopt;
}

void dropVerifications(ParsedBatch& batch)
{
    for (PersonRecord& r : batch.persons) {
        r.verifiedAt.reset();
        r.verifiedBy.clear();
    }
}

Result<ImportReport> importBatch(Store& store, std::string_view text, const Clock& now, const BatchTrust& trust,
                                 const ImportProgressFn& progress)
{
    if (progress)
        progress(importProgress(ImportStep::Checking, 0, 1));
    auto parsed = parseBatch(text, BatchKeys{trust.communityKeys, trust.crypto}, progress);
    if (!parsed)
        return parsed.error();
    std::optional<std::string> key;
    if (!parsed->mac.empty() && trust.gateKey)
        key = trust.gateKey(parsed->header.gate);
    if (auto m = authenticateBatch(text, *parsed, key, trust.crypto)) {
        // Only a batch that cannot be checked may pass, and only unverified; a wrong MAC never.
        bool checkable = !parsed->mac.empty() && key && trust.crypto.canMac();
        if (!trust.acceptUnauthenticated || checkable)
            return *m;
        dropVerifications(*parsed);
    }
    return mergeBatch(store, *parsed, now, progress);
}

Result<ImportReport> mergeBatch(Store& store, const ParsedBatch& batch, const Clock& now, const ImportProgressFn& progress)
{
    const ParsedBatch* parsed = &batch;
    const BatchHeader& h = parsed->header;
    Settings settings = store.settings();
    if (settings.communityCode.empty() && !h.communityCode.empty())
        return refused("batch.no_community", "本数据库还没有指定所属社区，未导入。请先指定社区代码（门岗：设置；办公室：--community）",
                       "This database belongs to no community yet; nothing was imported. Set the community code first "
                       "(gate: Settings; office: --community)");
    if (settings.communityCode != h.communityCode)
        return refused("batch.other_community", "这是其他社区（" + h.communityName + "）的批次，未导入",
                       "This batch belongs to another community (" + h.communityName + "); nothing was imported");

    if (auto m = checkBatchTimes(*parsed, now))
        return *m;

    ImportReport report;
    report.header = h;
    Transaction t = store.transaction();
    if (!t.begun())
        return t.beginError();

    if (store.wasImported(h.bodySha256)) {
        report.alreadyImported = true;
        return report;
    }
    if (settings.communityName.empty() && !h.communityName.empty()) {
        settings.communityName = h.communityName;
        if (auto r = store.saveSettings(settings); !r)
            return r.error();
    }

    // Progress by records written, a call every 1,000 at most.
    const uint64_t records = parsed->persons.size() + parsed->entries.size() + parsed->deletions.size();
    uint64_t written = 0;
    auto advance = [&] {
        if (progress && ++written % 1000 == 0)
            progress(importProgress(ImportStep::Merging, written, records));
    };
    if (progress)
        progress(importProgress(ImportStep::Merging, 0, records));

    for (const PersonRecord& incoming : parsed->persons) {
        advance();
        PersonMergeResult m = mergePerson(store.findPerson(incoming.person.docNumber), incoming);
        if (m.conflict)
            report.conflicts.push_back(*m.conflict);
        if (!m.write)
            continue;
        (m.added ? report.personsAdded : report.personsUpdated)++;
        if (auto w = store.mergePerson(m.merged, m.incomingWins); !w)
            return w.error();
    }

    for (const Entry& e : parsed->entries) {
        advance();
        auto added = store.mergeEntry(e);
        if (!added)
            return added.error();
        report.entriesAdded += *added;
    }

    // Deleted at the gate: gone here too, unless registered again since.
    for (const Deletion& d : parsed->deletions) {
        advance();
        auto existing = store.findPerson(d.docNumber);
        if (!existing || existing->updatedAt > d.atMs)
            continue;
        auto gone = store.deletePerson(d.docNumber, d.atMs, false);
        if (!gone)
            return gone.error();
        ++report.personsDeleted;
    }

    // Staff actions by id, as entries: a replay or an overlapping batch adds none twice.
    for (const StaffAction& a : parsed->actions) {
        auto added = store.mergeStaffAction(a);
        if (!added)
            return added.error();
        report.actionsAdded += *added;
    }

    // Revocations made at a gate: the later one of a kind and subject stands.
    for (const Revocation& r : parsed->revocations) {
        auto added = store.mergeRevocation(r);
        if (!added)
            return added.error();
        report.revocationsAdded += *added;
    }

    if (progress)
        progress(importProgress(ImportStep::Merging, records, records));
    if (auto r = store.saveImport(h, now.unixMs, report.personsAdded, report.personsUpdated, report.entriesAdded); !r)
        return r.error();
    if (auto c = t.commit(); !c)
        return c.error();
    return report;
}

Result<int> deletePersonEverywhere(Store& store, std::string_view docNumber, const Clock& now, const PassCrypto& crypto)
{
    Transaction t = store.transaction();
    if (!t.begun())
        return t.beginError();
    auto deleted = store.deletePerson(docNumber, now.unixMs);
    if (!deleted)
        return deleted.error();
    for (int64_t seq : store.storedExports()) {
        auto text = store.exportFile(seq);
        auto parsed = text ? parseBatch(*text, heldBatchKeys(store, crypto)) : Result<ParsedBatch>(refused("batch.not_found", "", ""));
        if (!parsed)
            continue; // unreadable: nothing to rewrite it from
        auto& p = *parsed;
        size_t before = p.persons.size() + p.entries.size();
        std::erase_if(p.persons, [&](const PersonRecord& r) { return r.person.docNumber == docNumber; });
        std::erase_if(p.entries, [&](const Entry& e) { return e.docNumber == docNumber; });
        if (p.persons.size() + p.entries.size() == before)
            continue;
        auto rewritten = batchText(p.header, p, store, crypto);
        if (!rewritten)
            return rewritten.error();
        if (auto r = store.replaceExportFile(p.header, *rewritten); !r)
            return r.error();
    }
    if (auto c = t.commit(); !c)
        return c.error();
    return *deleted;
}

std::string entriesCsv(const Store& store, const ParsedBatch& batch, int utcOffsetMinutes)
{
    // The person as the batch carried them, else as this database knows
    // them, else only what the entry itself says.
    std::map<std::string, const Person*, std::less<>> carried;
    for (const auto& r : batch.persons)
        carried[r.person.docNumber] = &r.person;
    return entriesCsv(batch.entries,
                      [&](std::string_view doc) -> std::optional<Person> {
                          if (auto it = carried.find(doc); it != carried.end())
                              return *it->second;
                          if (auto stored = store.findPerson(doc))
                              return stored->person;
                          return std::nullopt;
                      },
                      utcOffsetMinutes);
}

} // namespace gatepass
