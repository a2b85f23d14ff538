#include "DocNumber.h"

#include <algorithm>
#include <cctype>

namespace gatepass {

namespace {

Message docError(std::string code, std::string zh, std::string en)
{
    return Message{std::move(code), std::move(zh), std::move(en), "doc_number"};
}

bool isDigit(char c) { return c >= '0' && c <= '9'; }
bool isLetter(char c) { return c >= 'A' && c <= 'Z'; }
bool allDigits(std::string_view s) { return std::all_of(s.begin(), s.end(), isDigit); }
bool allLetters(std::string_view s) { return std::all_of(s.begin(), s.end(), isLetter); }
bool allAlnum(std::string_view s) { return std::all_of(s.begin(), s.end(), [](char c) { return isDigit(c) || isLetter(c); }); }

// 17 digits and a matching MOD 11-2 check character: the layout of GB 11643,
// shared by the ID card, the residence permit and the 2023 permanent residence ID.
bool checksOut(std::string_view n)
{
    return n.size() == 18 && allDigits(n.substr(0, 17)) && (isDigit(n[17]) || n[17] == 'X') && idCheckCharacter(n) == n[17];
}

bool isHkMacaoPermit(std::string_view n)
{
    return (n.size() == 9 || n.size() == 11) && (n[0] == 'H' || n[0] == 'M') && allDigits(n.substr(1));
}
bool isTaiwanPermit(std::string_view n) { return n.size() == 8 && allDigits(n); }
bool isOldPermanent(std::string_view n) { return n.size() == 15 && allLetters(n.substr(0, 3)) && allDigits(n.substr(3)); }
bool isPassport(std::string_view n) { return n.size() >= 5 && n.size() <= 17 && allAlnum(n); }

Words typeWords(DocType t) { return wordsOf(t); }

} // namespace

std::string normalizeDocNumber(std::string_view typed)
{
    std::string out;
    for (char c : typed) {
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
            continue;
        out.push_back(c >= 'a' && c <= 'z' ? char(c - 'a' + 'A') : c);
    }
    return out;
}

std::optional<std::string> idNumber18From15(std::string_view n)
{
    if (n.size() != 15 || !allDigits(n))
        return std::nullopt;
    // First-generation numbers (1984–2004) were issued to people born in the
    // 1900s and wrote the year in two digits.
    std::string first17 = std::string(n.substr(0, 6)) + "19" + std::string(n.substr(6));
    return first17 + idCheckCharacter(first17);
}

std::optional<DocType> likelyDocType(std::string_view n)
{
    if (checksOut(n)) {
        if (n[0] == '8' && n[1] >= '1' && n[1] <= '3')
            return DocType::ResidencePermit;
        if (n[0] == '9')
            return DocType::ForeignPermanent;
        // A known province and a real birth date too: the check alone passes one number in eleven.
        return checkIdNumber(n, Date{INT32_MAX / 2}) ? std::optional(DocType::ResidentId) : std::nullopt;
    }
    if (isHkMacaoPermit(n))
        return DocType::HkMacaoPermit;
    if (isTaiwanPermit(n))
        return DocType::TaiwanPermit;
    if (isOldPermanent(n))
        return DocType::ForeignPermanent;
    // Passport numbers that are not all digits start with a letter (E…, G…, K…, C…).
    if (isPassport(n) && isLetter(n[0]))
        return DocType::Passport;
    return std::nullopt;
}

CheckedDocNumber checkDocNumber(DocType type, std::string_view text, Date today)
{
    CheckedDocNumber out;
    out.number = normalizeDocNumber(text);
    const std::string& n = out.number;
    if (n.empty())
        return out; // blank: the required check says so

    // The number is not of this type's shape: name the type it fits, if any,
    // so the message leads to the fix instead of repeating the rule.
    auto refuse = [&](Message own) {
        std::optional<DocType> guess = likelyDocType(n);
        // H… or M… under 回乡证 is that permit mistyped, though it has a passport's shape.
        if (type == DocType::HkMacaoPermit && guess == DocType::Passport && (n[0] == 'H' || n[0] == 'M'))
            guess.reset();
        if (guess && *guess != type) {
            Words t = typeWords(*guess);
            out.error = docError("doc.other_type", "这个号码像是" + t.zh + "号码：请在“证件类型”中选择“" + t.zh + "”",
                                 "This number looks like a " + t.en + " number: choose \"" + t.en + "\" as the document type");
            out.suggestion = Suggestion{"doc_type", "doc_number", std::string(keyOf(*guess)), Words{"改选“" + t.zh + "”", "Choose \"" + t.en + "\""}};
        } else {
            out.error = std::move(own);
        }
        return out;
    };

    switch (type) {
    case DocType::ResidentId:
    case DocType::ResidencePermit: {
        if (type == DocType::ResidentId && n.size() == 15 && allDigits(n)) {
            std::string n18 = *idNumber18From15(n);
            if (!checkIdNumber(n18, today)) {
                out.error = docError("id.first_generation", "这是15位的第一代身份证号码，已停止使用：请填写现行的18位身份证号码",
                                     "This is a 15-digit first-generation ID number, no longer in use: enter the current "
                                     "18-digit ID number");
                return out;
            }
            out.error = docError("id.first_generation",
                                 "这是15位的第一代身份证号码，已停止使用。现行的18位号码是在6位地区码后加“19”、末尾加一位校验码："
                                     + n18 + "。请与身份证核对后使用18位号码",
                                 "This is a 15-digit first-generation ID number, no longer in use. The current 18-digit number "
                                 "adds \"19\" after the 6-digit area code and a check character at the end: " + n18 +
                                     ". Check it against the card and use the 18-digit number");
            out.suggestion = Suggestion{"doc_number", "doc_number", n18, Words{"使用18位号码 " + n18, "Use the 18-digit number " + n18}};
            return out;
        }
        auto r = checkIdNumber(n, today, type == DocType::ResidencePermit);
        if (!r)
            return refuse(r.error());
        out.number = r->number;
        out.id = *r;
        return out;
    }
    case DocType::HkMacaoPermit:
        if (!isHkMacaoPermit(n))
            return refuse(docError("doc.format", "港澳居民来往内地通行证号码为H（香港）或M（澳门）加8位数字，如H12345678",
                                   "A Mainland travel permit number for HK/Macao residents is H (Hong Kong) or M (Macao) and "
                                   "8 digits, e.g. H12345678"));
        return out;
    case DocType::TaiwanPermit:
        if (!isTaiwanPermit(n))
            return refuse(docError("doc.format", "台湾居民来往大陆通行证号码为8位数字", "A Mainland travel permit number for Taiwan residents has 8 digits"));
        return out;
    case DocType::ForeignPermanent:
        if (n.size() == 18 && n[0] == '9') {
            if (!checksOut(n))
                return refuse(docError("id.checksum", "永久居留身份证号码校验不通过，请核对",
                                       "The permanent residence ID number does not check; please check it"));
            // Positions 7-14 are the birth date, as on a resident ID.
            auto birth = Date::parse(n.substr(6, 4) + "-" + n.substr(10, 2) + "-" + n.substr(12, 2));
            if (!birth || birth->year() < 1900 || *birth > today)
                return refuse(docError("id.birth_date", "永久居留身份证号码中的出生日期无效", "The birth date in the permanent residence ID number is not valid"));
            out.id = IdNumberInfo{n, *birth, (n[16] - '0') % 2 == 1};
            return out;
        }
        if (!isOldPermanent(n))
            return refuse(docError("doc.format", "永久居留身份证号码应为18位（9开头）或15位（3个字母+12位数字）",
                                   "A permanent residence ID has 18 characters starting with 9, or 3 letters and 12 digits"));
        return out;
    case DocType::Passport:
        if (!isPassport(n))
            return refuse(docError("doc.format", "护照号码应为5至17位字母或数字", "A passport number has 5 to 17 letters or digits"));
        return out;
    case DocType::Other:
        if (n.size() < 4 || n.size() > 30 || !std::all_of(n.begin(), n.end(), [](char c) { return isDigit(c) || isLetter(c) || c == '-'; }))
            return refuse(docError("doc.format", "证件号码应为4至30位字母、数字或“-”", "A document number has 4 to 30 letters, digits or '-'"));
        return out;
    }
    return out;
}

std::optional<Message> checkListedDocNumber(std::string_view number, Date today)
{
    const bool idShaped = number.size() == 18 && number.find_first_not_of("0123456789") >= 17 &&
                          (std::isdigit(static_cast<unsigned char>(number[17])) || number[17] == 'X');
    if (!idShaped || likelyDocType(number))
        return std::nullopt;
    return checkDocNumber(DocType::ResidentId, number, today).error;
}

} // namespace gatepass
