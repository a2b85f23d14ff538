#include "GateRevocation.h"

#include "CardPass.h"
#include "DocNumber.h"
#include "Feed.h"
#include "StaffAction.h"
#include "Store.h"

namespace gatepass {

using nlohmann::json;

namespace {

Message refused(std::string code, std::string zh, std::string en, std::string field)
{
    return Message{std::move(code), std::move(zh), std::move(en), std::move(field)};
}

// The words of what is revoked: the card's number, or the person's document number masked.
Words subjectWords(const Revocation& r)
{
    if (r.kind == "card")
        return Words{"通行卡 " + r.subject, "pass card " + r.subject};
    std::string masked = maskDocNumber(r.subject);
    return Words{"证件号码 " + masked + " 的所有通行码", "every pass of document " + masked};
}

} // namespace

json revokeReasonsJson()
{
    json out = json::array();
    for (const auto& [zh, en] : kRevokeReasons)
        out.push_back({{"zh", zh}, {"en", en}});
    return out;
}

Result<Revocation> revokeHere(Store& store, std::string_view kind, std::string_view subject, std::string_view reason,
                              const std::string& staff, const Clock& now)
{
    Revocation r;
    r.kind = std::string(kind);
    r.revokedAt = now.unixMs;
    if (kind == "card") {
        auto n = normalizeCardNumber(subject);
        if (!n)
            return n.error();
        r.subject = *n;
    } else if (kind == "person") {
        r.subject = normalizeDocNumber(subject);
    } else {
        return refused("revocation.kind", "请选择注销一张卡，还是此人的所有通行码", "Choose a card, or every pass of a person, to revoke",
                       "kind");
    }
    // The reason as typed, without the spaces around it.
    size_t from = reason.find_first_not_of(' '), to = reason.find_last_not_of(' ');
    r.reason = from == std::string_view::npos ? std::string() : std::string(reason.substr(from, to - from + 1));
    if (r.reason.empty())
        return refused("revocation.no_reason", "请写明注销原因（如卡丢失、已搬离）", "Give the reason for revoking (e.g. lost card, moved out)",
                       "reason");
    if (auto m = checkRevocation(r)) {
        if (m->field == "subject")
            return refused("revocation.subject", "证件号码格式不对，无法注销", "The document number is not well formed; nothing was revoked",
                           "subject");
        if (m->field == "reason")
            return refused("revocation.reason",
                           "注销原因过长（最多 " + std::to_string(kMaxFeedReasonBytes) + " 字节）或含控制字符",
                           "The reason is too long (at most " + std::to_string(kMaxFeedReasonBytes) + " bytes) or holds control characters",
                           "reason");
        return *m;
    }
    Transaction t = store.transaction();
    if (!t.begun())
        return t.beginError();
    if (auto s = store.addRevocation(r); !s)
        return s.error();
    StaffAction logged = newStaffAction(StaffActionKind::Revoke, staff, now.unixMs, store.settings().gateName, subjectWords(r));
    if (auto s = store.logStaffAction(logged); !s)
        return s.error();
    if (auto c = t.commit(); !c)
        return c.error();
    return r;
}

Message revokedHereMessage(const Revocation& r)
{
    Words w = subjectWords(r);
    return Message{"revocation.added", "已注销" + w.zh + "（" + r.reason + "），本门岗即刻拒绝，下次上传后送达社区办公室",
                   "Revoked " + w.en + " (" + r.reason + "): refused here from now on, and sent to the office with the next upload", ""};
}

json revokeOffers(const Person& person, const std::optional<std::string>& card, bool visitorPass)
{
    json out = json::array();
    if (visitorPass)
        return out;
    if (card)
        out.push_back({{"kind", "card"}, {"subject", *card}, {"words", {{"zh", "注销此卡 " + *card}, {"en", "Revoke card " + *card}}}});
    out.push_back({{"kind", "person"},
                   {"subject", person.docNumber},
                   {"words", {{"zh", "注销此人的所有通行码"}, {"en", "Revoke every pass of this person"}}}});
    return out;
}

} // namespace gatepass
