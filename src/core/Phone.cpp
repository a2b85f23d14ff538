#include "Phone.h"

#include <algorithm>
#include <vector>

namespace gatepass {

namespace {

Message phoneError(std::string code, std::string zh, std::string en)
{
    return Message{std::move(code), std::move(zh), std::move(en), "phone"};
}

Message notAPhone()
{
    return phoneError("phone.format", "请填写11位手机号、带区号的固定电话（如010-12345678），或以+开头的境外号码（如+852 9123 4567）",
                      "Enter an 11-digit mobile number, a landline with area code (e.g. 010-12345678), or a number outside "
                      "the mainland starting with + and its country code (e.g. +852 9123 4567)");
}

bool isDigit(char c) { return c >= '0' && c <= '9'; }

bool isMainlandMobile(std::string_view d) { return d.size() == 11 && d[0] == '1' && d[1] >= '3' && d[1] <= '9'; }

// `d`: the digits of a mainland landline with its leading 0; `breaks`: the
// digit counts at which the caller typed a separator.
std::optional<std::string> mainlandLandline(std::string_view d, const std::vector<size_t>& breaks)
{
    // Area codes 010 and 02x have three digits, all others four; local
    // numbers have 7 or 8 digits; anything after that is an extension.
    if (d.size() < 10 || d[0] != '0' || d[1] == '0')
        return std::nullopt;
    size_t area = (d[1] == '1' || d[1] == '2') ? 3 : 4;
    // Where the caller put a separator right after a 7- or 8-digit local
    // number, that is where the extension starts ("0571-8765432-12"); without
    // one, the local number takes 8 digits. Other separators are cosmetic.
    size_t local = std::min<size_t>(d.size() - area, 8);
    for (size_t b : breaks)
        if (b < d.size() && (b == area + 7 || b == area + 8)) {
            local = b - area;
            break;
        }
    if (local < 7)
        return std::nullopt;
    std::string out(d.substr(0, area));
    out.append(1, '-').append(d.substr(area, local));
    if (d.size() > area + local) {
        if (d.size() - area - local > 6)
            return std::nullopt;
        out.append(1, '-').append(d.substr(area + local));
    }
    return out;
}

// Hong Kong numbers are 8 digits; mobiles start 4-9, fixed lines 2-3 (OFCA's numbering plan).
bool isHongKong(std::string_view n) { return n.size() == 8 && n[0] >= '2' && n[0] <= '9'; }
// Macao: 8 digits, mobiles 6…, fixed lines 28… (CTT numbering plan).
bool isMacao(std::string_view n) { return n.size() == 8 && (n[0] == '6' || n[0] == '2'); }
// Taiwan after +886 and without the trunk 0: mobiles 9 + 8 digits, fixed lines 8 or 9 digits starting 2-8.
bool isTaiwan(std::string_view n) { return (n.size() == 9 && n[0] == '9') || ((n.size() == 8 || n.size() == 9) && n[0] >= '2' && n[0] <= '8'); }

// `d`: the digits after the + (or 00); `breaks`: separators, counted in `d`.
Result<std::string> international(std::string_view d, std::vector<size_t> breaks)
{
    // E.164: the country code never starts with 0, and the whole number has at most 15 digits.
    if (d.empty() || d[0] == '0')
        return notAPhone();
    if (d.starts_with("86")) {
        std::string national(d.substr(2));
        if (isMainlandMobile(national))
            return national;
        size_t shift = 2; // the separators' counts, moved to the national number
        if (!national.starts_with("0"))
            national.insert(0, 1, '0'), shift = 1; // +86 10 …: a landline's 0 is left out after +86
        for (size_t& b : breaks)
            b = b >= shift ? b - shift : 0;
        if (auto l = mainlandLandline(national, breaks))
            return *l;
        return phoneError("phone.mainland", "+86后应为11位手机号，或区号（不含0）加固定电话号码",
                          "After +86: an 11-digit mobile number, or the area code (without its 0) and the landline number");
    }
    auto local = [&](size_t cc) {
        std::string n(d.substr(cc));
        if (n.starts_with("0"))
            n.erase(0, 1); // the trunk 0 people type out of habit: +886 0912 …
        return n;
    };
    if (d.starts_with("852")) {
        if (std::string n = local(3); isHongKong(n))
            return "+852" + n;
        return phoneError("phone.hong_kong", "香港号码为+852加8位数字，如+852 9123 4567",
                          "A Hong Kong number is +852 and 8 digits, e.g. +852 9123 4567");
    }
    if (d.starts_with("853")) {
        if (std::string n = local(3); isMacao(n))
            return "+853" + n;
        return phoneError("phone.macao", "澳门号码为+853加8位数字（手机以6开头），如+853 6612 3456",
                          "A Macao number is +853 and 8 digits (mobiles start with 6), e.g. +853 6612 3456");
    }
    if (d.starts_with("886")) {
        if (std::string n = local(3); isTaiwan(n))
            return "+886" + n;
        return phoneError("phone.taiwan", "台湾号码为+886加去掉开头0的号码，如手机+886 912 345 678",
                          "A Taiwan number is +886 and the number without its leading 0, e.g. mobile +886 912 345 678");
    }
    if (d.size() < 8 || d.size() > 15)
        return phoneError("phone.international", "境外号码应为+、国家或地区代码和号码，共8至15位数字，如+44 20 7946 0958",
                          "A number outside the mainland is +, the country code and the number, 8 to 15 digits in all, "
                          "e.g. +44 20 7946 0958");
    return "+" + std::string(d);
}

} // namespace

HomeRegion homeRegionOf(DocType type, std::string_view n)
{
    auto upper = [](char c) { return (c >= 'a' && c <= 'z') ? char(c - 'a' + 'A') : c; };
    if (type == DocType::TaiwanPermit)
        return HomeRegion::Taiwan;
    if (type == DocType::HkMacaoPermit && !n.empty())
        return upper(n[0]) == 'H' ? HomeRegion::HongKong : upper(n[0]) == 'M' ? HomeRegion::Macao : HomeRegion::None;
    if (type == DocType::ResidencePermit && n.size() >= 2 && n[0] == '8')
        return n[1] == '1' ? HomeRegion::HongKong : n[1] == '2' ? HomeRegion::Macao : n[1] == '3' ? HomeRegion::Taiwan : HomeRegion::None;
    return HomeRegion::None;
}

Result<std::string> parsePhone(std::string_view text, HomeRegion home)
{
    std::string d;
    std::vector<size_t> breaks; // digit counts at which the caller typed a separator
    bool plus = false;
    for (char c : text) {
        if (isDigit(c))
            d.push_back(c);
        else if (c == '+' && d.empty() && !plus)
            plus = true;
        else if (c == ' ' || c == '-' || c == '(' || c == ')' || c == '.') {
            if (!d.empty() && (breaks.empty() || breaks.back() != d.size()))
                breaks.push_back(d.size());
        } else
            return notAPhone();
    }
    if (plus)
        return international(d, breaks);
    if (d.starts_with("00")) {
        for (size_t& b : breaks)
            b = b >= 2 ? b - 2 : 0;
        return international(d.substr(2), breaks);
    }
    if (d.size() == 13 && d.starts_with("86") && isMainlandMobile(d.substr(2)))
        return d.substr(2);
    if (isMainlandMobile(d))
        return d;
    if (auto l = mainlandLandline(d, breaks))
        return *l;

    // Numbers of Hong Kong, Macao and Taiwan typed the local way: taken as
    // such only when the document says where the person lives.
    if (d.size() == 8) {
        if (home == HomeRegion::HongKong && isHongKong(d))
            return "+852" + d;
        if (home == HomeRegion::Macao && isMacao(d))
            return "+853" + d;
        return phoneError("phone.needs_country_code", "8位号码如为香港或澳门号码，请在前面加+852或+853",
                          "For an 8-digit Hong Kong or Macao number, add +852 or +853 in front");
    }
    if (d.size() == 10 && d.starts_with("09")) {
        if (home == HomeRegion::Taiwan)
            return "+886" + d.substr(1);
        return phoneError("phone.needs_country_code", "09开头的10位号码如为台湾手机号，请在前面加+886（如+886 912 345 678）",
                          "For a Taiwan mobile starting 09, add +886 in front (e.g. +886 912 345 678)");
    }
    return notAPhone();
}

} // namespace gatepass
