#include "Validation.h"

#include "Fields.h"

#include <utf8.h>

#include <algorithm>
#include <type_traits>
#include <vector>

namespace gatepass {

namespace {

Message fieldError(std::string_view field, std::string code, std::string zh, std::string en)
{
    return Message{std::move(code), std::move(zh), std::move(en), std::string(field)};
}

Message requiredError(std::string_view key)
{
    const FieldSpec* f = findField(key);
    return fieldError(key, "required", "请填写" + std::string(f->zh), std::string(f->en) + " is required");
}

bool isControl(char32_t c) { return c < 0x20 || c == 0x7F || (c >= 0x80 && c < 0xA0) || c == 0x2028 || c == 0x2029; }

bool isHan(char32_t c)
{
    return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x20000 && c <= 0x2EBEF) ||
           (c >= 0x30000 && c <= 0x323AF) || (c >= 0xF900 && c <= 0xFAFF) || c == 0x3007; // 〇
}

bool isLatinLetter(char32_t c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= 0xC0 && c <= 0x24F && c != 0xD7 && c != 0xF7);
}

// The separators people type in minority and foreign names; all are stored as
// U+00B7 so that one name has one spelling.
bool isNameDot(char32_t c) { return c == 0xB7 || c == 0x2022 || c == 0x2027 || c == 0x30FB || c == 0xFF0E || c == 0x2E31; }

std::u32string decode(std::string_view s) { return utf8::utf8to32(s); }
std::string encode(std::u32string_view s) { return utf8::utf32to8(s); }

// Trims white space (ASCII and ideographic) at both ends and collapses runs inside.
std::u32string tidySpaces(std::u32string_view in)
{
    std::u32string out;
    bool pendingSpace = false;
    for (char32_t c : in) {
        bool space = c == ' ' || c == '\t' || c == 0x3000 || c == 0xA0;
        if (space) {
            pendingSpace = !out.empty();
            continue;
        }
        if (pendingSpace)
            out.push_back(' ');
        pendingSpace = false;
        out.push_back(c);
    }
    return out;
}

// Free text: valid UTF-8, no control characters, at most maxChars.
std::optional<Message> checkText(std::string& value, const FieldSpec& f)
{
    if (!utf8::is_valid(value.begin(), value.end()))
        return fieldError(f.key, "text.encoding", std::string(f.zh) + "含有无效字符", std::string(f.en) + " contains invalid characters");
    std::u32string cps = decode(value);
    if (std::any_of(cps.begin(), cps.end(), isControl))
        return fieldError(f.key, "text.control", std::string(f.zh) + "含有不可见的控制字符",
                          std::string(f.en) + " contains control characters");
    cps = tidySpaces(cps);
    if (int(cps.size()) > f.maxChars)
        return fieldError(f.key, "text.too_long", std::string(f.zh) + "最多" + std::to_string(f.maxChars) + "个字",
                          std::string(f.en) + " is longer than " + std::to_string(f.maxChars) + " characters");
    value = encode(cps);
    return std::nullopt;
}

std::optional<Message> checkName(std::string& value)
{
    const FieldSpec& f = *findField("name");
    if (auto e = checkText(value, f))
        return e;
    if (value.empty())
        return std::nullopt; // blank: the required check says so
    std::u32string cps = decode(value);
    for (char32_t& c : cps) {
        if (isNameDot(c))
            c = 0xB7;
        else if (!(isHan(c) || isLatinLetter(c) || c == ' ' || c == '-' || c == '\''))
            return fieldError("name", "name.characters", "姓名只能包含汉字、字母和间隔号“·”",
                              "A name may contain Chinese characters, letters and the middle dot '·'");
    }
    if (cps.front() == 0xB7 || cps.back() == 0xB7)
        return fieldError("name", "name.characters", "间隔号“·”不能在姓名的开头或结尾",
                          "The middle dot cannot start or end a name");
    value = encode(cps);
    return std::nullopt;
}

std::string upperNoSpaces(std::string_view s)
{
    std::string out;
    for (char c : s) {
        if (c == ' ' || c == '\t')
            continue;
        out.push_back((c >= 'a' && c <= 'z') ? char(c - 'a' + 'A') : c);
    }
    return out;
}

bool allOf(std::string_view s, bool (*pred)(char)) { return std::all_of(s.begin(), s.end(), pred); }
bool isDigit(char c) { return c >= '0' && c <= '9'; }
bool isUpperAlnum(char c) { return isDigit(c) || (c >= 'A' && c <= 'Z'); }
bool isUpperAlnumDash(char c) { return isUpperAlnum(c) || c == '-'; }

std::optional<Message> checkDocNumber(Person& p, std::optional<Date> today, std::optional<IdNumberInfo>& id)
{
    std::string n = upperNoSpaces(p.docNumber);
    if (n.empty()) {
        p.docNumber.clear(); // blank: the required check says so
        return std::nullopt;
    }
    // A future birth date cannot be judged without today; any real date passes then.
    Date horizon = today.value_or(Date{INT32_MAX / 2});
    switch (p.docType) {
    case DocType::ResidentId:
    case DocType::ResidencePermit: {
        auto r = checkIdNumber(n, horizon, p.docType == DocType::ResidencePermit);
        if (!r)
            return r.error();
        id = *r;
        p.docNumber = r->number;
        return std::nullopt;
    }
    case DocType::ForeignPermanent:
        // Since 2023: 18 characters starting with 9, laid out and checked like a
        // resident ID; before that: 3 letters and 12 digits.
        if (n.size() == 18 && n[0] == '9') {
            if (n[17] == 'x')
                n[17] = 'X';
            if (!allOf(std::string_view(n).substr(0, 17), isDigit) || idCheckCharacter(n) != n[17])
                return fieldError("doc_number", "id.checksum", "永久居留身份证号码校验不通过，请核对",
                                  "The permanent residence ID number does not check; please check it");
        } else if (!(n.size() == 15 && allOf(n.substr(0, 3), [](char c) { return c >= 'A' && c <= 'Z'; }) &&
                     allOf(n.substr(3), isDigit))) {
            return fieldError("doc_number", "doc.format", "永久居留身份证号码应为18位（9开头）或15位（3个字母+12位数字）",
                              "A permanent residence ID has 18 characters starting with 9, or 3 letters and 12 digits");
        }
        break;
    case DocType::Passport:
        if (n.size() < 5 || n.size() > 17 || !allOf(n, isUpperAlnum))
            return fieldError("doc_number", "doc.format", "护照号码应为5至17位字母或数字",
                              "A passport number has 5 to 17 letters or digits");
        break;
    case DocType::Other:
        if (n.size() < 4 || n.size() > 30 || !allOf(n, isUpperAlnumDash))
            return fieldError("doc_number", "doc.format", "证件号码应为4至30位字母、数字或“-”",
                              "A document number has 4 to 30 letters, digits or '-'");
        break;
    }
    p.docNumber = n;
    return std::nullopt;
}

std::optional<Message> checkPastDate(std::string_view key, const std::optional<Date>& d, std::optional<Date> today)
{
    if (!d)
        return std::nullopt; // blank: the required check says so
    if (today && *d > *today) {
        const FieldSpec* f = findField(key);
        return fieldError(key, "date.future", std::string(f->zh) + "不能晚于今天", std::string(f->en) + " cannot be in the future");
    }
    if (d->year() < 1900)
        return fieldError(key, "date.range", "日期无效", "The date is not valid");
    return std::nullopt;
}

} // namespace

std::optional<Message> checkEntry(const Entry& e)
{
    auto bad = [](std::string_view what, std::string zh, std::string en) {
        return Message{"entry.invalid", std::move(zh), std::move(en), std::string(what)};
    };
    std::string name = e.name;
    if (name.empty() || checkName(name) || name != e.name)
        return bad("name", "出入记录的姓名不符合姓名规则", "The entry's name does not follow the rules for names");
    if (e.docNumber.size() < 4 || e.docNumber.size() > 30 || !allOf(e.docNumber, isUpperAlnumDash))
        return bad("doc_number", "出入记录的证件号码应为4至30位大写字母、数字或“-”",
                   "The entry's document number should have 4 to 30 capital letters, digits or '-'");
    if (e.id.empty() || e.id.size() > 64 || !allOf(e.id, [](char c) { return isUpperAlnum(c) || (c >= 'a' && c <= 'z') || c == '-' || c == '_'; }))
        return bad("id", "出入记录的编号无效", "The entry's id is not valid");
    auto plainText = [](std::string_view t, size_t maxBytes) {
        if (t.size() > maxBytes || !utf8::is_valid(t.begin(), t.end()))
            return false;
        std::u32string cps = decode(t);
        return std::none_of(cps.begin(), cps.end(), isControl);
    };
    if (!plainText(e.gate, 200))
        return bad("gate", "门岗名称最多200字节，且不能含控制字符", "The gate name is at most 200 bytes, without control characters");
    if (!plainText(e.staff, 200))
        return bad("staff", "值班人员姓名最多200字节，且不能含控制字符", "The staff name is at most 200 bytes, without control characters");
    if (e.reasons.size() > 16)
        return bad("reasons", "出入记录的原因过多", "The entry has too many reasons");
    for (const Message& m : e.reasons)
        if (!plainText(m.code, 500) || !plainText(m.zh, 500) || !plainText(m.en, 500) || !plainText(m.field, 500))
            return bad("reasons", "出入记录的原因文字无效或过长", "The entry's reason text is invalid or too long");
    return std::nullopt;
}

std::optional<std::string> normalisePhone(std::string_view text)
{
    std::string d;
    std::vector<size_t> breaks; // digit counts at which the caller typed a separator
    for (char c : text) {
        if (isDigit(c))
            d.push_back(c);
        else if (c == ' ' || c == '-' || c == '(' || c == ')' || c == '+') {
            if (!d.empty() && (breaks.empty() || breaks.back() != d.size()))
                breaks.push_back(d.size());
        } else
            return std::nullopt;
    }
    if (d.size() == 13 && d.starts_with("86") && d[2] == '1')
        d = d.substr(2);
    else if (d.size() == 15 && d.starts_with("0086") && d[4] == '1')
        d = d.substr(4);
    if (d.size() == 11 && d[0] == '1' && d[1] >= '3' && d[1] <= '9')
        return d;
    // Landline: area codes 010 and 02x have three digits, all others four;
    // local numbers have 7 or 8 digits; anything after that is an extension.
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
    std::string out = d.substr(0, area);
    out.append(1, '-').append(d, area, local);
    if (d.size() > area + local) {
        if (d.size() - area - local > 6)
            return std::nullopt;
        out.append(1, '-').append(d, area + local);
    }
    return out;
}

namespace {

std::optional<Message> checkPhone(std::string& phone)
{
    if (upperNoSpaces(phone).empty()) {
        phone.clear(); // blank: the required check says so
        return std::nullopt;
    }
    if (auto normalised = normalisePhone(phone)) {
        phone = *normalised;
        return std::nullopt;
    }
    return fieldError("phone", "phone.format", "请填写11位手机号，或带区号的固定电话（如010-12345678）",
                      "Enter an 11-digit mobile number, or a landline with area code (e.g. 010-12345678)");
}

// The rules of one field's value; blank values pass here (required is checked after).
std::optional<Message> checkField(const FieldSpec& f, Person& p, std::optional<Date> today, std::optional<IdNumberInfo>& id)
{
    switch (f.kind) {
    case FieldKind::Name:
        return checkName(p.*std::get<std::string Person::*>(f.member));
    case FieldKind::Text:
        return checkText(p.*std::get<std::string Person::*>(f.member), f);
    case FieldKind::DocNumber:
        if (int(p.docType) >= kDocTypeCount)
            return std::nullopt; // the document type's own error says it
        return checkDocNumber(p, today, id);
    case FieldKind::Phone:
        return checkPhone(p.*std::get<std::string Person::*>(f.member));
    case FieldKind::Date:
        return checkPastDate(f.key, p.*std::get<std::optional<Date> Person::*>(f.member), today);
    case FieldKind::Choice: {
        bool known = std::visit(
            [&](auto m) {
                using V = std::remove_cvref_t<decltype(p.*m)>;
                if constexpr (std::is_enum_v<V>)
                    return size_t(p.*m) < choiceCount<V>();
                return true;
            },
            f.member);
        if (!known)
            return fieldError(f.key, "choice.unknown", "请选择" + std::string(f.zh), "Choose " + std::string(f.en));
        return std::nullopt;
    }
    case FieldKind::YesNo:
        return std::nullopt;
    }
    return std::nullopt;
}

} // namespace

// The field table decides what is asked and what is required; each field's
// own rules run on what was given. Errors come in form order because the
// fields are walked in it.
Validated validate(Person p, std::optional<Date> today)
{
    Validated v;
    for (const FieldSpec& f : fields()) {
        if (!isAsked(f, p)) {
            clearField(f, p); // answers to questions not asked are dropped, not stored
            continue;
        }
        std::optional<Message> e = checkField(f, p, today, v.id);
        if (!e && f.required && isBlank(f, p))
            e = requiredError(f.key);
        if (e)
            v.errors.push_back(std::move(*e));
    }
    v.person = std::move(p);
    return v;
}

} // namespace gatepass
