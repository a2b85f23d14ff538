#include "Policy.h"

#include "CardPass.h"
#include "Words.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>

namespace gatepass {

namespace {

Message watchListReason(const std::string& reason)
{
    return Message{"watch_list", "社区办公室关注名单：" + reason + "。请勿放行，联系社区办公室",
                   "On the community office's watch list: " + reason + ". Do not let in; call the community office", ""};
}

} // namespace

std::optional<Decision> alertAtScan(const GateContext& gate)
{
    Decision d;
    if (gate.watchReason)
        d = Decision{Verdict::Deny, {watchListReason(*gate.watchReason)}};
    if (gate.card) {
        d.verdict = std::max(d.verdict, Verdict::Refer);
        d.reasons.push_back(cardVisitReason(*gate.card));
    }
    if (d.reasons.empty())
        return std::nullopt;
    return d;
}

Message revokedPass(std::string_view reason)
{
    std::string r(reason);
    return Message{"pass.revoked", "此人的通行码已被撤销（" + r + "），不得凭此码通行，未记录",
                   "This person's passes were revoked (" + r + "): they do not admit; nothing was recorded", ""};
}

std::vector<Reading> commonReadings(const Rules& rules)
{
    std::vector<Reading> out;
    for (int tenths = 362; tenths <= 367; ++tenths) {
        double c = tenths / 10.0;
        if (!isFever(c, rules))
            out.push_back({c, oneDecimal(c)});
    }
    return out;
}

Result<std::optional<double>> temperatureFromText(std::string_view text)
{
    while (!text.empty() && text.front() == ' ')
        text.remove_prefix(1);
    while (!text.empty() && text.back() == ' ')
        text.remove_suffix(1);
    if (text.empty())
        return std::optional<double>();
    // Digits with at most one point: what a thermometer shows (no signs, exponents or "inf").
    bool digits = text.find_first_not_of("0123456789.") == std::string_view::npos && std::count(text.begin(), text.end(), '.') <= 1 &&
                  text.find_first_of("0123456789") != std::string_view::npos && text.size() <= 8;
    if (!digits)
        return Message{"temperature.format", "体温应为数字，如36.5", "The temperature must be a number, e.g. 36.5", "temperature"};
    return std::optional<double>(std::strtod(std::string(text).c_str(), nullptr));
}

std::string steppedTemperature(std::string_view typed, int tenths)
{
    auto read = temperatureFromText(typed);
    if (!read || !*read)
        return oneDecimal(kStepStart);
    // In whole tenths, so 36.6 + 0.1 is 36.7 and not 36.699999.
    long t = std::lround(std::clamp(**read, kLowestTemperature, kHighestTemperature) * 10) + tenths;
    t = std::clamp(t, std::lround(kLowestTemperature * 10), std::lround(kHighestTemperature * 10));
    return oneDecimal(t / 10.0);
}

Result<Decision> decide(const Person& p, const GateContext& gate, const Clock& now, const Rules& rules)
{
    if (!gate.temperature && gate.direction == Direction::In)
        return Message{"temperature.missing", "请先测量体温", "Take the temperature first", "temperature"};
    if (gate.temperature && (*gate.temperature < kLowestTemperature || *gate.temperature > kHighestTemperature))
        return Message{"temperature.range", "体温读数异常（" + oneDecimal(*gate.temperature) + "℃），请重新测量",
                       "Implausible temperature (" + oneDecimal(*gate.temperature) + " °C); measure again", "temperature"};

    std::vector<std::pair<Verdict, Message>> found;
    auto add = [&](Verdict v, std::string code, std::string zh, std::string en) {
        found.push_back({v, Message{std::move(code), std::move(zh), std::move(en), ""}});
    };
    bool in = gate.direction == Direction::In;

    if (gate.watchReason)
        found.push_back({Verdict::Deny, watchListReason(*gate.watchReason)});

    if (gate.temperature && isFever(*gate.temperature, rules))
        add(Verdict::Refer, std::string(kFeverReason), "体温" + oneDecimal(*gate.temperature) + "℃，达到发热标准，按发热流程处理",
            "Temperature " + oneDecimal(*gate.temperature) + " °C is a fever: follow the fever protocol");

    if (p.homeObservation && rules.denyObservationGoingOut) {
        if (in)
            add(Verdict::Allow, "observation.return", "居家观察人员返回住所", "Under home observation, returning home");
        else
            add(Verdict::Deny, "observation.out", "居家观察期间不得外出", "Under home observation: may not go out");
    }

    if (in && rules.referReturned && !p.homeObservation && returnedWithinWindow(p, now.today(), rules))
        add(Verdict::Refer, "returned", "近" + std::to_string(rules.returnWindowDays) + "天从外地返回（" + p.cameFrom + "），未居家观察",
            "Returned from outside (" + p.cameFrom + ") within " + std::to_string(rules.returnWindowDays) +
                " days, not under home observation");

    if (rules.referContactOrSymptoms && p.epidemicContact)
        add(Verdict::Refer, "contact", "接触过疫区人员", "Contact with people from epidemic areas");
    if (rules.referContactOrSymptoms && p.symptoms)
        add(Verdict::Refer, "symptoms", "有发热、咳嗽等症状", "Has fever, cough or other symptoms");

    if (in && rules.denyDelivery && p.personType == PersonType::Delivery)
        add(Verdict::Deny, "delivery", "快递外卖不进入小区，请在门口交接", "Couriers do not enter: hand over at the gate");
    if (in && p.personType == PersonType::Visitor && gate.hostPass && rules.hostPassAdmitsVisitor)
        add(Verdict::Allow, "visitor.host_pass", "访客持被访住户生成的访客通行码", "Visitor with a pass the host made");
    else if (in && rules.referVisitors && p.personType == PersonType::Visitor)
        add(Verdict::Refer, "visitor", "访客：请联系被访住户确认", "Visitor: confirm with the host");
    if (in && p.personType == PersonType::Visitor && rules.maxVisitorsInside > 0 && gate.visitorsInside >= rules.maxVisitorsInside)
        add(Verdict::Refer, "visitors.full", "在场访客已达上限（" + std::to_string(rules.maxVisitorsInside) + " 人）：请等候或由工作人员处理",
            "Visitors inside have reached the cap (" + std::to_string(rules.maxVisitorsInside) + "): wait, or staff decide");
    if (gate.card)
        found.push_back({Verdict::Refer, cardVisitReason(*gate.card)});
    else if (rules.referUnverified && !gate.verified && !gate.hostPass)
        add(Verdict::Refer, "unverified", "首次登记：请核对身份证件", "First visit: check the ID card");

    Decision d;
    // Deny outranks refer outranks allow; within a verdict, the order above.
    std::stable_sort(found.begin(), found.end(), [](auto& a, auto& b) { return int(a.first) > int(b.first); });
    for (auto& [v, m] : found) {
        d.verdict = std::max(d.verdict, v);
        d.reasons.push_back(std::move(m));
    }
    if (d.reasons.empty())
        d.reasons.push_back(Message{"ok", "各项检查通过", "All checks passed", ""});
    return d;
}

} // namespace gatepass
