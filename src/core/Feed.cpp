#include "Feed.h"

#include "Batch.h"
#include "JsonNumber.h"
#include "RecordJson.h"
#include "Store.h"

#include <utf8.h>

#include <algorithm>
#include <variant>

namespace gatepass {

using nlohmann::json;

namespace {

Message invalid(std::string_view field, const std::string& zh, const std::string& en)
{
    return Message{"feed.invalid", "办公室的回复无效（" + zh + "），关注名单、撤销名单和名册均未更新",
                   "The office's reply is not valid (" + en + "); the watch list, revocations and roster were not updated",
                   std::string(field)};
}

// One row's fault, in words that stand alone (the office CLI shows them as they are).
Message rowError(std::string_view field, std::string zh, std::string en)
{
    return Message{"feed.row_invalid", std::move(zh), std::move(en), std::string(field)};
}

bool upperAlnumDash(char c) { return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'; }

bool isDocNumberShape(std::string_view d)
{
    return d.size() >= 4 && d.size() <= 30 && std::all_of(d.begin(), d.end(), upperAlnumDash);
}

bool isCardNumberShape(std::string_view d)
{
    return !d.empty() && d.size() <= 64 &&
           std::all_of(d.begin(), d.end(), [](char c) { return upperAlnumDash(c) || (c >= 'a' && c <= 'z') || c == '_'; });
}

// Shown on the scan screen as it is: readable text, one line's worth.
bool isReasonText(std::string_view t)
{
    if (t.empty() || t.size() > kMaxFeedReasonBytes || !utf8::is_valid(t.begin(), t.end()))
        return false;
    for (auto it = t.begin(); it != t.end();) {
        char32_t c = utf8::next(it, t.end());
        if (c < 0x20 || c == 0x7F || (c >= 0x80 && c < 0xA0) || c == 0x2028 || c == 0x2029)
            return false;
    }
    return true;
}

Message badReason(std::string_view list)
{
    return rowError("reason", std::string(list) + "中的原因为空、过长（超过 " + std::to_string(kMaxFeedReasonBytes) + " 字节）或含控制字符",
                   "a reason in " + std::string(list) + " is empty, over " + std::to_string(kMaxFeedReasonBytes) +
                       " bytes or holds control characters");
}

// The array under `key` of the reply, at most kMaxFeedRows long.
std::variant<const json*, Message> listOf(const json& reply, const char* key)
{
    auto it = reply.find(key);
    if (it == reply.end() || !it->is_array())
        return invalid(key, std::string("缺少 ") + key + " 列表", std::string("no ") + key + " list");
    if (it->size() > kMaxFeedRows)
        return invalid(key, std::string(key) + " 超过 " + std::to_string(kMaxFeedRows) + " 行",
                       std::string(key) + " has more than " + std::to_string(kMaxFeedRows) + " rows");
    return &*it;
}

// A string member of a row object; nullopt when absent or not a string.
std::optional<std::string> text(const json& row, const char* key)
{
    auto it = row.find(key);
    if (it == row.end() || !it->is_string())
        return std::nullopt;
    return it->get<std::string>();
}

std::optional<int64_t> timeOf(const json& row, const char* key)
{
    auto it = row.find(key);
    return it == row.end() ? std::nullopt : integerIn(*it, 0, kLatestMs);
}

} // namespace

json feedJson(const GateFeed& feed)
{
    json revocations = json::array(), watch = json::array(), roster = json::array();
    for (const auto& r : feed.revocations)
        revocations.push_back(toJson(r));
    for (const auto& w : feed.watchList)
        watch.push_back({{"doc_number", w.docNumber}, {"reason", w.reason}, {"added_at", w.addedAt}});
    for (const auto& p : feed.roster)
        roster.push_back(toJson(p));
    return json{{"revocations", revocations}, {"watch_list", watch}, {"roster", roster}};
}

std::optional<Message> checkWatchEntry(const WatchEntry& w)
{
    if (!isDocNumberShape(w.docNumber))
        return rowError("doc_number", "关注名单中的证件号码应为4至30位大写字母、数字或“-”",
                       "a watch-list document number should have 4 to 30 capital letters, digits or '-'");
    if (!isReasonText(w.reason))
        return badReason("关注名单");
    if (w.addedAt < 0 || w.addedAt > kLatestMs)
        return rowError("added_at", "关注名单中的时间无效", "a watch-list time is not valid");
    return std::nullopt;
}

std::optional<Message> checkRevocation(const Revocation& r)
{
    if (r.kind != "person" && r.kind != "card")
        return rowError("kind", "撤销名单中的类型应为 person 或 card", "a revocation's kind should be person or card");
    if (r.kind == "person" ? !isDocNumberShape(r.subject) : !isCardNumberShape(r.subject))
        return rowError("subject", "撤销名单中的证件或卡号格式不对", "a revocation's document or card number is not well formed");
    if (!isReasonText(r.reason))
        return badReason("撤销名单");
    if (r.revokedAt < 0 || r.revokedAt > kLatestMs)
        return rowError("revoked_at", "撤销名单中的时间无效", "a revocation's time is not valid");
    return std::nullopt;
}

namespace {

std::optional<WatchEntry> readWatchEntry(const json& row)
{
    auto doc = text(row, "doc_number"), reason = text(row, "reason");
    auto at = timeOf(row, "added_at");
    if (!doc || !reason || !at)
        return std::nullopt;
    return WatchEntry{*doc, *reason, *at};
}

} // namespace

json toJson(const Revocation& r)
{
    return json{{"kind", r.kind}, {"subject", r.subject}, {"reason", r.reason}, {"revoked_at", r.revokedAt}};
}

std::optional<Revocation> revocationFromJson(const json& row)
{
    if (!row.is_object())
        return std::nullopt;
    auto kind = text(row, "kind"), subject = text(row, "subject"), reason = text(row, "reason");
    auto at = timeOf(row, "revoked_at");
    if (!kind || !subject || !reason || !at)
        return std::nullopt;
    return Revocation{*kind, *subject, *reason, *at};
}

namespace {

// The rows of the list under `key` (named `zh` / `en` in messages): each an
// object, read by `read` (nullopt: a field missing or of the wrong type) and
// checked by `check`. The first bad row makes the whole reply invalid.
template <typename Row>
std::variant<std::vector<Row>, Message> rowsOf(const json& reply, const char* key, const std::string& zh, const std::string& en,
                                               std::optional<Row> (*read)(const json&),
                                               std::optional<Message> (*check)(const Row&))
{
    auto list = listOf(reply, key);
    if (auto* m = std::get_if<Message>(&list))
        return *m;
    std::vector<Row> rows;
    for (const json& row : *std::get<const json*>(list)) {
        if (!row.is_object())
            return invalid(key, zh + "中有无法识别的行", "the " + en + " holds a row that is not an object");
        auto r = read(row);
        if (!r)
            return invalid(key, zh + "中的行缺少字段或类型不对", "a row of the " + en + " lacks a field or has a wrong type");
        if (auto m = check(*r))
            return invalid(m->field, m->zh, m->en);
        rows.push_back(std::move(*r));
    }
    return rows;
}

} // namespace

Result<GateFeed> feedFromReply(std::string_view body)
{
    json reply = json::parse(body, nullptr, false);
    if (!reply.is_object())
        return invalid("", "不是 JSON 对象", "not a JSON object");
    GateFeed f;

    auto watch = rowsOf<WatchEntry>(reply, "watch_list", "关注名单", "watch list", readWatchEntry, checkWatchEntry);
    if (auto* m = std::get_if<Message>(&watch))
        return *m;
    f.watchList = std::move(std::get<std::vector<WatchEntry>>(watch));

    auto revoked = rowsOf<Revocation>(reply, "revocations", "撤销名单", "revocations", revocationFromJson, checkRevocation);
    if (auto* m = std::get_if<Message>(&revoked))
        return *m;
    f.revocations = std::move(std::get<std::vector<Revocation>>(revoked));

    auto roster = listOf(reply, "roster");
    if (auto* m = std::get_if<Message>(&roster))
        return *m;
    for (const json& row : *std::get<const json*>(roster)) {
        auto r = personRecordFromJson(row);
        if (!r)
            return invalid("roster", "名册中有不符合要求的人员记录", "the roster holds an invalid person record");
        f.roster.push_back(std::move(*r));
    }
    return f;
}

Result<FeedReport> applyFeed(Store& store, const GateFeed& feed)
{
    FeedReport report;
    Transaction t = store.transaction();
    if (!t.begun())
        return t.beginError();
    if (auto r = store.replaceWatchList(feed.watchList); !r)
        return r.error();
    auto held = store.replaceRevocations(feed.revocations);
    if (!held)
        return held.error();
    report.revocations = *held;
    for (const PersonRecord& incoming : feed.roster) {
        PersonMergeResult m = mergePerson(store.findPerson(incoming.person.docNumber), incoming);
        if (!m.write)
            continue;
        (m.added ? report.rosterAdded : report.rosterUpdated)++;
        if (auto w = store.mergePerson(m.merged, m.incomingWins); !w)
            return w.error();
    }
    if (auto c = t.commit(); !c)
        return c.error();
    report.watchList = int(feed.watchList.size());
    return report;
}

} // namespace gatepass
