#include "CardPass.h"

#include "Digest.h"

namespace gatepass {

namespace {

constexpr size_t kMaxIssuerChars = 6;
constexpr int64_t kMaxSequence = 999'999'999;

Message invalidNumber()
{
    return Message{"card.number_invalid", "通行卡号格式不对，应如 OF-12（发卡方字母-序号）",
                   "Not a card number: it reads like OF-12 (issuer letters, a dash, a sequence number)", "number"};
}

bool validIssuer(std::string_view s)
{
    if (s.empty() || s.size() > kMaxIssuerChars || !(s[0] >= 'A' && s[0] <= 'Z'))
        return false;
    for (char c : s)
        if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')))
            return false;
    return true;
}

bool validSequence(std::string_view s)
{
    if (s.empty() || s.size() > 9 || s[0] == '0')
        return false;
    for (char c : s)
        if (c < '0' || c > '9')
            return false;
    return true;
}

} // namespace

Result<std::string> normalizeCardNumber(std::string_view typed)
{
    while (!typed.empty() && typed.front() == ' ')
        typed.remove_prefix(1);
    while (!typed.empty() && typed.back() == ' ')
        typed.remove_suffix(1);
    std::string n;
    for (char c : typed)
        n += (c >= 'a' && c <= 'z') ? char(c - 'a' + 'A') : c;
    size_t dash = n.find('-');
    if (dash == std::string::npos || !validIssuer(std::string_view(n).substr(0, dash)) ||
        !validSequence(std::string_view(n).substr(dash + 1)))
        return invalidNumber();
    return n;
}

Result<std::string> gateCardIssuer(std::string_view gateKey)
{
    if (gateKey.empty())
        return Message{"card.no_gate", "本门岗还没有登记（登记本门岗后才能打印通行卡）",
                       "This gate is not enrolled yet (enrol it before printing pass cards)", ""};
    // Labelled, so these bits of the key's hash are this use's alone.
    auto digest = sha256("gatepass card issuer\n" + std::string(gateKey));
    if (!digest)
        return digestUnavailable();
    // Crockford's base 32: no I, L, O or U, so a number read aloud or typed is not misread.
    static constexpr char kDigits[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    uint32_t bits = uint32_t((*digest)[0]) << 16 | uint32_t((*digest)[1]) << 8 | (*digest)[2];
    std::string issuer = "G";
    for (int shift = 19; shift >= 4; shift -= 5)
        issuer += kDigits[(bits >> shift) & 31];
    return issuer;
}

Result<std::string> cardNumber(std::string_view issuer, int64_t sequence)
{
    if (!validIssuer(issuer) || sequence < 1 || sequence > kMaxSequence)
        return invalidNumber();
    return std::string(issuer) + "-" + std::to_string(sequence);
}

Result<std::string> cardPassPlain(const Person& person, int64_t issuedAtMs, std::string_view number)
{
    auto n = normalizeCardNumber(number);
    if (!n || *n != number)
        return invalidNumber();
    auto record = recordPayload(person, issuedAtMs);
    if (!record)
        return record.error();
    std::string out;
    out += char(kCardPassFormat);
    out += char(uint8_t(n->size()));
    out += *n;
    return out + *record;
}

Result<CardPass> readCardPassPlain(std::string_view plain)
{
    if (plain.size() < 2 || uint8_t(plain[0]) != kCardPassFormat)
        return damagedPass();
    size_t n = uint8_t(plain[1]);
    if (plain.size() < 2 + n)
        return damagedPass();
    std::string_view number = plain.substr(2, n);
    // Only a number the scheme allows, exactly as printed: anything else is not a card we made.
    auto checked = normalizeCardNumber(number);
    if (!checked || *checked != number)
        return damagedPass();
    auto record = readRecordPayload(plain.substr(2 + n));
    if (!record)
        return record.error();
    return CardPass{std::move(record->person), record->issuedAtMs, std::string(number)};
}

Message cardVisitReason(std::string_view number)
{
    std::string n(number);
    return Message{"card", "通行卡" + n + "：每次都请核对身份证件（卡片可能被他人使用）",
                   "Printed pass card " + n + ": check the ID card on every visit (a card can be used by someone else)", ""};
}

Message revokedCard(std::string_view number, std::string_view reason)
{
    std::string n(number), r(reason);
    return Message{"pass.revoked", "通行卡" + n + "已被撤销（" + r + "）：不得凭此卡通行，未记录",
                   "Pass card " + n + " was revoked (" + r + "): it does not admit; nothing was recorded", ""};
}

} // namespace gatepass
