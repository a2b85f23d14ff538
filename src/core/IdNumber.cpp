#include "IdNumber.h"

#include <algorithm>
#include <array>

namespace gatepass {

namespace {

Message idError(std::string code, std::string zh, std::string en)
{
    return Message{std::move(code), std::move(zh), std::move(en), "doc_number"};
}

// The first two digits: provinces and regions of GB/T 2260; 71 is Taiwan's
// code on mainland-issued numbers; 81-83 appear only on residence permits.
constexpr std::array<int, 32> kProvinces{11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41,
                                         42, 43, 44, 45, 46, 50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71};

} // namespace

char idCheckCharacter(std::string_view first17)
{
    // Weight of position i is 2^(17-i) mod 11.
    constexpr std::array<int, 17> kWeights{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    constexpr std::string_view kCheck = "10X98765432";
    int sum = 0;
    for (size_t i = 0; i < 17; ++i)
        sum += (first17[i] - '0') * kWeights[i];
    return kCheck[sum % 11];
}

Result<IdNumberInfo> checkIdNumber(std::string_view text, Date today, bool permit)
{
    if (text.size() != 18)
        return idError("id.length", "证件号码应为18位", "The ID number must have 18 characters");
    std::string n(text);
    if (n[17] == 'x')
        n[17] = 'X';
    for (size_t i = 0; i < 17; ++i)
        if (n[i] < '0' || n[i] > '9')
            return idError("id.characters", "证件号码前17位应为数字", "The first 17 characters must be digits");
    if (!(n[17] == 'X' || (n[17] >= '0' && n[17] <= '9')))
        return idError("id.characters", "证件号码最后一位应为数字或X", "The last character must be a digit or X");

    int region = (n[0] - '0') * 10 + (n[1] - '0');
    bool known = permit ? (region >= 81 && region <= 83)
                        : std::find(kProvinces.begin(), kProvinces.end(), region) != kProvinces.end();
    if (!known)
        return permit ? idError("id.region", "居住证号码应以81、82或83开头", "A residence permit number starts with 81, 82 or 83")
                      : idError("id.region", "证件号码的地区代码无效", "The region code of the ID number is not valid");

    auto birth = Date::parse(n.substr(6, 4) + "-" + n.substr(10, 2) + "-" + n.substr(12, 2));
    if (!birth || birth->year() < 1900)
        return idError("id.birth_date", "证件号码中的出生日期无效", "The birth date in the ID number is not a real date");
    if (*birth > today)
        return idError("id.birth_future", "证件号码中的出生日期晚于今天", "The birth date in the ID number is in the future");

    if (idCheckCharacter(n) != n[17])
        return idError("id.checksum", "证件号码校验位不正确，请核对", "The check character does not match; please check the number");

    return IdNumberInfo{n, *birth, (n[16] - '0') % 2 == 1};
}

} // namespace gatepass
