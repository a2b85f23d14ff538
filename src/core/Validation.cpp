#include "Validation.h"

#include "DocNumber.h"
#include "Fields.h"
#include "Phone.h"

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

// Letters of the scripts names are written in, by Unicode block: Latin with
// its extensions (accents, Vietnamese), IPA and modifier letters (ʻ, ʼ),
// Greek, Cyrillic, Armenian, Hebrew, Arabic (Uyghur, Kazakh), Syriac, Thaana,
// the Indic and South-East Asian scripts, Tibetan, Myanmar, Georgian, Hangul,
// Ethiopic, Cherokee, Canadian syllabics, Mongolian, Kana, Bopomofo, Yi.
// Digits inside these blocks are left out: a name has no numbers.
bool isNameLetter(char32_t c)
{
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))
        return true;
    if ((c >= 0x660 && c <= 0x669) || (c >= 0x6F0 && c <= 0x6F9) || (c >= 0x966 && c <= 0x96F) || (c >= 0xE50 && c <= 0xE59) ||
        (c >= 0xF20 && c <= 0xF33) || (c >= 0x1040 && c <= 0x1049) || (c >= 0x1810 && c <= 0x1819))
        return false;
    if (c == 0x60C || c == 0x61B || c == 0x61F || c == 0x6D4 || c == 0x964 || c == 0x965 || c == 0x1802 || c == 0x1803)
        return false; // the comma, semicolon, question mark and full stops of those scripts
    constexpr char32_t kRanges[][2] = {
        {0xC0, 0x24F},    {0x250, 0x2FF},   {0x370, 0x3FF},   {0x400, 0x52F},   {0x531, 0x58A},   {0x5D0, 0x5F4},
        {0x610, 0x6FF},   {0x710, 0x7B1},   {0x900, 0xDFF},   {0xE01, 0xEDF},   {0xF00, 0xFFF},   {0x1000, 0x109F},
        {0x10A0, 0x10FF}, {0x1100, 0x11FF}, {0x1200, 0x139F}, {0x13A0, 0x13FF}, {0x1400, 0x167F}, {0x1780, 0x17FF},
        {0x1800, 0x18AF}, {0x1C80, 0x1C8F}, {0x1E00, 0x1FFF}, {0x2C60, 0x2C7F}, {0x2D00, 0x2D2F}, {0x3041, 0x30FF},
        {0x3105, 0x312F}, {0x3131, 0x318E}, {0x31A0, 0x31BF}, {0x31F0, 0x31FF}, {0xA000, 0xA4CF}, {0xA720, 0xA7FF},
        {0xAB30, 0xAB6F}, {0xAC00, 0xD7A3}, {0xFF21, 0xFF3A}, {0xFF41, 0xFF5A}, {0xFF66, 0xFF9F},
    };
    if (c == 0xD7 || c == 0xF7)
        return false; // × ÷
    return std::any_of(std::begin(kRanges), std::end(kRanges), [c](const auto& r) { return c >= r[0] && c <= r[1]; });
}

// Combining accents, written after the letter they sit on (a decomposed é).
bool isCombiningMark(char32_t c) { return (c >= 0x300 && c <= 0x36F) || (c >= 0x1AB0 && c <= 0x1AFF) || (c >= 0x1DC0 && c <= 0x1DFF); }

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

// Names as written on documents: any script's letters, the middle dot of
// minority and foreign names in Chinese, and the punctuation of Latin names
// on passports ("SMITH, JOHN", "O'BRIEN", "ANNE-MARIE", "ST. JOHN").
std::optional<Message> checkName(std::string& value)
{
    const FieldSpec& f = *findField("name");
    if (auto e = checkText(value, f))
        return e;
    if (value.empty())
        return std::nullopt; // blank: the required check says so
    std::u32string cps = decode(value);
    auto characters = [] {
        return fieldError("name", "name.characters", "姓名只能包含文字、间隔号“·”，以及证件上的空格、连字符“-”、撇号“'”、逗号和点",
                          "A name may contain letters of any script, the middle dot '·', and the spaces, hyphens, "
                          "apostrophes, commas and full stops written on documents");
    };
    bool anyLetter = false;
    for (size_t i = 0; i < cps.size(); ++i) {
        char32_t& c = cps[i];
        bool hanBefore = i > 0 && isHan(cps[i - 1]);
        bool hanAfter = i + 1 < cps.size() && isHan(cps[i + 1]);
        if (isNameDot(c) || (c == '.' && hanBefore && hanAfter))
            c = 0xB7; // one spelling of the dot, also for "阿卜杜.热合曼"
        else if (c == 0x2019 || c == 0x2018)
            c = '\''; // the typographic apostrophe of a phone keyboard
        else if (c == 0x2010 || c == 0x2011)
            c = '-';
        else if (isHan(c) || isNameLetter(c))
            anyLetter = true;
        else if (isCombiningMark(c)) {
            if (i == 0 || !(isNameLetter(cps[i - 1]) || isCombiningMark(cps[i - 1])))
                return characters();
        } else if (!(c == ' ' || c == '-' || c == '\'' || c == ',' || c == '.'))
            return characters();
    }
    if (!anyLetter)
        return characters();
    auto isMark = [](char32_t c) { return c == 0xB7 || c == '-' || c == ',' || c == '\'' || c == '.'; };
    if (cps.front() == 0xB7 || cps.back() == 0xB7)
        return fieldError("name", "name.characters", "间隔号“·”不能在姓名的开头或结尾",
                          "The middle dot cannot start or end a name");
    if (isMark(cps.front()) || cps.back() == '-' || cps.back() == ',')
        return fieldError("name", "name.characters", "姓名不能以标点开头或以“-”“,”结尾",
                          "A name cannot start with punctuation or end with '-' or ','");
    value = encode(cps);
    return std::nullopt;
}

bool isBlank(std::string_view s)
{
    return std::all_of(s.begin(), s.end(), [](char c) { return c == ' ' || c == '\t'; });
}

bool allOf(std::string_view s, bool (*pred)(char)) { return std::all_of(s.begin(), s.end(), pred); }
bool isDigit(char c) { return c >= '0' && c <= '9'; }
bool isUpperAlnum(char c) { return isDigit(c) || (c >= 'A' && c <= 'Z'); }
bool isUpperAlnumDash(char c) { return isUpperAlnum(c) || c == '-'; }

std::optional<Message> checkDocNumber(Person& p, std::optional<Date> today, Validated& v)
{
    // A future birth date cannot be judged without today; any real date passes then.
    CheckedDocNumber c = checkDocNumber(p.docType, p.docNumber, today.value_or(Date{INT32_MAX / 2}));
    if (c.suggestion)
        v.suggestions.push_back(std::move(*c.suggestion));
    if (c.error)
        return c.error;
    p.docNumber = std::move(c.number);
    v.id = std::move(c.id);
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

bool isPlainText(std::string_view t, size_t maxBytes)
{
    if (t.size() > maxBytes || !utf8::is_valid(t.begin(), t.end()))
        return false;
    std::u32string cps = decode(t);
    return std::none_of(cps.begin(), cps.end(), isControl);
}

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
    auto plainText = isPlainText;
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
    auto r = parsePhone(text);
    return r ? std::optional<std::string>(*r) : std::nullopt;
}

namespace {

// After the document number (form order): a number typed the local way is
// read by where the document says the person lives.
std::optional<Message> checkPhone(std::string& phone, const Person& p)
{
    if (isBlank(phone)) {
        phone.clear(); // blank: the required check says so
        return std::nullopt;
    }
    auto r = parsePhone(phone, homeRegionOf(p.docType, p.docNumber));
    if (!r)
        return r.error();
    phone = *r;
    return std::nullopt;
}

// The rules of one field's value; blank values pass here (required is checked after).
std::optional<Message> checkField(const FieldSpec& f, Person& p, std::optional<Date> today, Validated& v)
{
    switch (f.kind) {
    case FieldKind::Name:
        return checkName(p.*std::get<std::string Person::*>(f.member));
    case FieldKind::Text:
        return checkText(p.*std::get<std::string Person::*>(f.member), f);
    case FieldKind::DocNumber:
        if (int(p.docType) >= kDocTypeCount)
            return std::nullopt; // the document type's own error says it
        return checkDocNumber(p, today, v);
    case FieldKind::Phone:
        return checkPhone(p.*std::get<std::string Person::*>(f.member), p);
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
        std::optional<Message> e = checkField(f, p, today, v);
        if (!e && f.required && isBlank(f, p) && !mayLeaveBlank(f, v.id ? std::optional(v.id->birthDate) : std::nullopt, today))
            e = requiredError(f.key);
        if (e)
            v.errors.push_back(std::move(*e));
    }
    v.person = std::move(p);
    return v;
}

} // namespace gatepass
