#include "Fields.h"

#include <array>

namespace gatepass {

namespace {

constexpr std::array kItems{
    ItemSpec{1, "姓名", "Name"},
    ItemSpec{2, "证件类型及号码", "ID document"},
    ItemSpec{3, "联系电话", "Phone"},
    ItemSpec{4, "人员类型", "Person type"},
    ItemSpec{5, "住址（楼-单元-门牌）", "Address (building-unit-room)"},
    ItemSpec{6, "工作单位", "Employer"},
    ItemSpec{7, "近14天是否离开本市", "Left the city in the last 14 days"},
    ItemSpec{8, "出发地/途经地", "Came from / via"},
    ItemSpec{9, "返回本市日期", "Date of return"},
    ItemSpec{10, "是否接触过疫区人员", "Contact with people from epidemic areas"},
    ItemSpec{11, "有无发热、咳嗽等症状", "Fever, cough or other symptoms"},
    ItemSpec{12, "是否居家观察", "Under home observation"},
};

// The form's order of the document types: the permits beside the residence
// permit, "other" last; the choice table is in enum order, which passes fix.
constexpr std::array<uint8_t, 7> kDocTypeOrder{uint8_t(DocType::ResidentId),       uint8_t(DocType::ResidencePermit),
                                               uint8_t(DocType::HkMacaoPermit),    uint8_t(DocType::TaiwanPermit),
                                               uint8_t(DocType::ForeignPermanent), uint8_t(DocType::Passport),
                                               uint8_t(DocType::Other)};
static_assert(kDocTypeOrder.size() == kDocTypeChoices.size());

// 16: the age at which a resident ID card becomes compulsory; younger children
// often have no phone of their own.
constexpr int kChildAge = 16;

// Lengths: a name takes 40 characters: the longest transliterated minority
// names, and the 39 of a passport's machine-readable name field (ICAO 9303
// TD3), as foreign residents' documents spell them (it was 30, and "SMITH
// ALEXANDER, JOHN WILLIAM MAXIMILIAN" could not register); 60 covers a full
// address or company name without letting a pass overflow.
constexpr std::array kFields{
    FieldSpec{"name", &Person::name, 1, "姓名", "Name", FieldKind::Name, true, "", {}, 40, "与证件一致", "As on the ID document"},
    FieldSpec{"doc_type", &Person::docType, 2, "证件类型", "Document type", FieldKind::Choice, true, "", kDocTypeChoices, 0, "", "",
              false, 0, kDocTypeOrder},
    FieldSpec{"doc_number", &Person::docNumber, 2, "证件号码", "Document number", FieldKind::DocNumber, true, "", {}, 30, "", ""},
    FieldSpec{"phone", &Person::phone, 3, "联系电话", "Phone", FieldKind::Phone, true, "", {}, 20,
              "手机号或带区号的固定电话；境外号码请加国家或地区代码（如 +852）；16岁以下可不填",
              "Mobile, or landline with area code; outside the mainland add the country code (e.g. +852); optional under 16",
              true, kChildAge},
    FieldSpec{"person_type", &Person::personType, 4, "人员类型", "Person type", FieldKind::Choice, true, "", kPersonTypeChoices, 0, "", ""},
    FieldSpec{"address", &Person::address, 5, "住址（楼-单元-门牌）", "Address (building-unit-room)", FieldKind::Text, true, "", {}, 60,
              "如 3-2-501；访客填写被访住户", "e.g. 3-2-501; visitors: the home you visit", true},
    FieldSpec{"employer", &Person::employer, 6, "工作单位", "Employer", FieldKind::Text, false, "", {}, 60, "选填", "Optional"},
    FieldSpec{"left_city", &Person::leftCity, 7, "近14天是否离开本市", "Left the city in the last 14 days", FieldKind::YesNo, true, "", {}, 0, "",
              "", true},
    FieldSpec{"came_from", &Person::cameFrom, 8, "出发地/途经地", "Came from / via", FieldKind::Text, true, "left_city", {}, 60, "", "", true},
    FieldSpec{"return_date", &Person::returnDate, 9, "返回本市日期", "Date of return", FieldKind::Date, true, "left_city", {}, 0, "", "", true},
    FieldSpec{"epidemic_contact", &Person::epidemicContact, 10, "是否接触过疫区人员", "Contact with people from epidemic areas", FieldKind::YesNo, true,
              "", {}, 0, "", ""},
    FieldSpec{"symptoms", &Person::symptoms, 11, "有无发热、咳嗽等症状", "Fever, cough or other symptoms", FieldKind::YesNo, true, "", {}, 0, "", ""},
    FieldSpec{"home_observation", &Person::homeObservation, 12, "是否居家观察", "Under home observation", FieldKind::YesNo, true, "", {}, 0, "", ""},
    FieldSpec{"observation_start", &Person::observationStart, 12, "居家观察开始日期", "Home observation since", FieldKind::Date, true, "home_observation",
              {}, 0, "", ""},
};

// Whole years from birth to `on` (a birthday counts from its day).
int ageOn(Date birth, Date on)
{
    int age = on.year() - birth.year();
    if (on.month() < birth.month() || (on.month() == birth.month() && on.day() < birth.day()))
        --age;
    return age;
}

} // namespace

std::span<const FieldSpec> fields() { return kFields; }
std::span<const ItemSpec> items() { return kItems; }
const FieldSpec* findField(std::string_view key)
{
    for (const auto& f : kFields)
        if (f.key == key)
            return &f;
    return nullptr;
}

bool isAsked(const FieldSpec& f, const Person& p)
{
    if (f.requiredWhen.empty())
        return true;
    const FieldSpec* condition = findField(f.requiredWhen);
    return condition && p.*std::get<bool Person::*>(condition->member);
}

bool mayLeaveBlank(const FieldSpec& f, std::optional<Date> birth, std::optional<Date> today)
{
    if (f.optionalUnderAge <= 0 || !birth)
        return false;
    if (!today)
        return true;
    return ageOn(*birth, *today) < f.optionalUnderAge;
}

bool isBlank(const FieldSpec& f, const Person& p)
{
    if (auto* text = std::get_if<std::string Person::*>(&f.member))
        return (p.**text).empty();
    if (auto* date = std::get_if<std::optional<Date> Person::*>(&f.member))
        return !(p.**date);
    return false;
}

void clearField(const FieldSpec& f, Person& p)
{
    std::visit([&](auto member) { p.*member = {}; }, f.member);
}

Words valueWords(const FieldSpec& f, const Person& p, bool masked)
{
    struct Visitor {
        const FieldSpec& f;
        const Person& p;
        bool masked;
        Words operator()(std::string Person::*m) const
        {
            const std::string& v = p.*m;
            if (masked && f.kind == FieldKind::DocNumber)
                return sameWords(maskDocNumber(v));
            if (masked && f.kind == FieldKind::Phone)
                return sameWords(maskPhone(v));
            return sameWords(v);
        }
        Words operator()(bool Person::*m) const { return p.*m ? Words{"是", "Yes"} : Words{"否", "No"}; }
        Words operator()(std::optional<Date> Person::*m) const { return p.*m ? sameWords((p.*m)->toString()) : Words{}; }
        Words operator()(DocType Person::*m) const { return wordsOf(p.*m); }
        Words operator()(PersonType Person::*m) const { return wordsOf(p.*m); }
    };
    return std::visit(Visitor{f, p, masked}, f.member);
}

size_t formIndex(std::string_view key)
{
    size_t i = 0;
    for (; i < kFields.size(); ++i)
        if (kFields[i].key == key)
            break;
    return i;
}

} // namespace gatepass
