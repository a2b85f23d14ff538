#include "VisitorPass.h"

#include "Hex.h"
#include "Pass.h"
#include "PassReader.h"
#include "Validation.h"

#include <utf8.h>

#include <algorithm>

namespace gatepass {

namespace {

constexpr int64_t kEpochMinute2020 = 26'297'280; // 2020-01-01T00:00Z in minutes since 1970
constexpr int32_t kDay2020 = 18'262;             // 2020-01-01 in days since 1970

enum Flag : uint8_t { MultipleUse = 1, CompactMobile = 2 };

bool isMobile(std::string_view phone) { return phone.size() == 11 && phone[0] == '1'; }

bool isHexId(std::string_view id)
{
    return id.size() == 2 * kVisitorPassIdBytes &&
           std::all_of(id.begin(), id.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

Message fieldError(std::string field, std::string code, std::string zh, std::string en)
{
    return Message{std::move(code), std::move(zh), std::move(en), std::move(field)};
}

Message damaged() { return damagedPass(); }

// Bytes in, bytes out, big-endian; a string is u8 length + packed text.
void putUint(std::string& out, uint64_t v, int bytes)
{
    for (int i = bytes - 1; i >= 0; --i)
        out += char(uint8_t(v >> (8 * i)));
}

void putText(std::string& out, std::string_view text)
{
    std::string packed = packPassText(text);
    out += char(uint8_t(packed.size()));
    out += packed;
}

// The visitor's name and phone checked by the person rules (items 1 and 3):
// the visitor as the gate will record them, validated whole; only the two
// fields the resident typed can fail (the rest is the valid host's or fixed).
Validated checkVisitor(const VisitorPass& pass) { return validate(visitorPerson(pass), std::nullopt); }

} // namespace

std::string maskName(std::string_view name)
{
    if (name.empty() || !utf8::is_valid(name.begin(), name.end()))
        return "*";
    auto it = name.begin();
    utf8::next(it, name.end());
    return std::string(name.begin(), it) + "*";
}

VisitorChecked makeVisitorPass(const VisitorRequest& r, const Person& host, std::string_view idHex, Date today, int64_t nowMs)
{
    VisitorChecked out;
    VisitorPass& p = out.pass;
    p.id = std::string(idHex);
    p.name = r.name;
    p.phone = r.phone;
    p.hostAddress = host.address;
    p.hostName = maskName(host.name);
    p.madeAtMs = nowMs / 60'000 * 60'000;

    Validated v = checkVisitor(p);
    for (const Message& m : v.errors)
        if (m.field == "name" || m.field == "phone")
            out.errors.push_back(m);
    p.name = v.person.name;
    p.phone = v.person.phone;

    auto from = Date::parse(r.from);
    auto to = r.to.empty() ? from : Date::parse(r.to);
    if (!from)
        out.errors.push_back(fieldError("from", "visitor.from", "请选择来访日期", "Choose the day of the visit"));
    else if (*from < today || from->days > today.days + kVisitorPassMaxLeadDays)
        out.errors.push_back(fieldError("from", "visitor.from_range",
                                        "来访日期须在今天至" + std::to_string(kVisitorPassMaxLeadDays) + "天内",
                                        "The visit must start between today and " + std::to_string(kVisitorPassMaxLeadDays) +
                                            " days ahead"));
    if (!to && !r.to.empty())
        out.errors.push_back(fieldError("to", "visitor.to", "请选择最后一天（或留空，仅限当天）",
                                        "Choose the last day (or leave it empty for one day)"));
    else if (from && (*to < *from || to->days - from->days >= kVisitorPassMaxDays))
        out.errors.push_back(fieldError("to", "visitor.to_range",
                                        "最后一天须在来访日期之后，最多共" + std::to_string(kVisitorPassMaxDays) + "天",
                                        "The last day must follow the first, " + std::to_string(kVisitorPassMaxDays) +
                                            " days at most"));
    if (r.uses != "single" && r.uses != "multiple")
        out.errors.push_back(fieldError("uses", "visitor.uses", "请选择单次或多次有效", "Choose single or multiple use"));
    if (!isHexId(idHex))
        out.errors.push_back(Message{"visitor.id", "访客通行码编号无效", "The visitor pass id is not valid", ""});
    if (!out.errors.empty())
        return out;
    p.firstDay = *from;
    p.lastDay = *to;
    p.multipleUse = r.uses == "multiple";
    return out;
}

std::string visitorPassPlain(const VisitorPass& p)
{
    bool mobile = isMobile(p.phone);
    std::string out;
    putUint(out, kVisitorPassFormat, 1);
    putUint(out, (p.multipleUse ? MultipleUse : 0) | (mobile ? CompactMobile : 0), 1);
    out += bytesOfHex(p.id);
    putUint(out, uint64_t(std::clamp<int64_t>(p.madeAtMs / 60'000 - kEpochMinute2020, 0, UINT32_MAX)), 4);
    putUint(out, uint64_t(std::clamp<int32_t>(p.firstDay.days - kDay2020, 0, 0xFFFF)), 2);
    putUint(out, uint64_t(std::clamp<int32_t>(p.lastDay.days - p.firstDay.days, 0, kVisitorPassMaxDays - 1)), 1);
    if (mobile)
        putUint(out, std::stoull(p.phone), 5);
    else
        putText(out, p.phone);
    putText(out, p.name);
    putText(out, p.hostAddress);
    putText(out, p.hostName);
    return out;
}

Result<VisitorPass> readVisitorPassPlain(std::string_view plain)
{
    PassReader r(plain);
    if (r.uint(1) != uint64_t(kVisitorPassFormat))
        return damaged();
    unsigned flags = unsigned(r.uint(1));
    VisitorPass p;
    p.id = hexOf(r.bytes(kVisitorPassIdBytes));
    p.madeAtMs = (int64_t(r.uint(4)) + kEpochMinute2020) * 60'000;
    p.firstDay = Date{int32_t(r.uint(2)) + kDay2020};
    int extra = int(r.uint(1));
    p.lastDay = Date{p.firstDay.days + extra};
    p.multipleUse = flags & MultipleUse;
    p.phone = (flags & CompactMobile) ? std::to_string(r.uint(5)) : r.text();
    p.name = r.text();
    p.hostAddress = r.text();
    p.hostName = r.text();
    if (!r.ok() || (flags & ~unsigned(MultipleUse | CompactMobile)) || extra >= kVisitorPassMaxDays)
        return damaged();
    // The seal guards against damage, not a holder of the key: the visitor
    // must be one the resident page could have made.
    Validated v = checkVisitor(p);
    if (!v.ok() || v.person != visitorPerson(p) || p.hostName.empty())
        return Message{"pass.invalid_record", "通行码中的信息不符合登记要求，请重新登记",
                       "The record in the pass is not valid; please register again", ""};
    return p;
}

std::optional<Message> visitorDayCheck(const VisitorPass& p, Date today)
{
    if (today >= p.firstDay && today <= p.lastDay)
        return std::nullopt;
    Words days = visitorDays(p);
    bool early = today < p.firstDay;
    return Message{"visitor.not_today",
                   std::string(early ? "访客通行码尚未生效" : "访客通行码已过期") + "（有效日期 " + days.zh + "）：请联系被访住户",
                   std::string(early ? "This visitor pass is not valid yet" : "This visitor pass has expired") + " (valid " +
                       days.en + "): call the host",
                   ""};
}

Message visitorPassUsed()
{
    return Message{"visitor.used", "此访客通行码为单次有效，已经使用过：请联系被访住户，未记录",
                   "This single-use visitor pass was already used: call the host; nothing was recorded", ""};
}

Person visitorPerson(const VisitorPass& pass)
{
    Person v;
    v.name = pass.name;
    v.docType = DocType::Other;
    v.docNumber = std::string(kVisitorDocPrefix) + pass.id;
    std::transform(v.docNumber.begin(), v.docNumber.end(), v.docNumber.begin(), [](char c) { return c >= 'a' && c <= 'f' ? char(c - 32) : c; });
    v.phone = pass.phone;
    v.personType = PersonType::Visitor;
    v.address = pass.hostAddress;
    return v;
}

Words visitorLine(const VisitorPass& p)
{
    return Words{"访客 · " + p.hostAddress + "（主人 " + p.hostName + "）", "Visitor · " + p.hostAddress + " (host " + p.hostName + ")"};
}

Words visitorDays(const VisitorPass& p)
{
    if (p.firstDay == p.lastDay)
        return sameWords(p.firstDay.toString());
    return Words{p.firstDay.toString() + " 至 " + p.lastDay.toString(), p.firstDay.toString() + " to " + p.lastDay.toString()};
}

Words visitorUses(const VisitorPass& p) { return p.multipleUse ? Words{"多次有效", "Multiple use"} : Words{"单次有效", "Single use"}; }

} // namespace gatepass
