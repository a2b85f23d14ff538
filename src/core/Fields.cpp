#include "Fields.h"

#include <array>

namespace gatepass {

namespace {

constexpr std::array kDocTypes{
    Choice{"resident_id", "居民身份证", "Resident ID card"},
    Choice{"residence_permit", "港澳台居民居住证", "HK/Macao/Taiwan residence permit"},
    Choice{"foreign_permanent", "外国人永久居留身份证", "Foreign permanent resident ID"},
    Choice{"passport", "护照", "Passport"},
    Choice{"other", "其他", "Other"},
};

constexpr std::array kPersonTypes{
    Choice{"resident", "本社区户籍居民", "Registered resident"},
    Choice{"tenant", "常住租户", "Long-term tenant"},
    Choice{"visitor", "访客", "Visitor"},
    Choice{"delivery", "快递外卖", "Courier / food delivery"},
    Choice{"maintenance", "维修施工", "Repair / construction"},
    Choice{"staff", "物业及工作人员", "Property staff / worker"},
    Choice{"other", "其他", "Other"},
};

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

// Lengths: 30 characters covers the longest transliterated minority names;
// 60 covers a full address or company name without letting a pass overflow.
constexpr std::array kFields{
    FieldSpec{"name", 1, "姓名", "Name", FieldKind::Name, true, "", {}, 30, "与证件一致", "As on the ID document"},
    FieldSpec{"doc_type", 2, "证件类型", "Document type", FieldKind::Choice, true, "", kDocTypes, 0, "", ""},
    FieldSpec{"doc_number", 2, "证件号码", "Document number", FieldKind::DocNumber, true, "", {}, 30, "", ""},
    FieldSpec{"phone", 3, "联系电话", "Phone", FieldKind::Phone, true, "", {}, 20, "手机号或带区号的固定电话",
              "Mobile, or landline with area code"},
    FieldSpec{"person_type", 4, "人员类型", "Person type", FieldKind::Choice, true, "", kPersonTypes, 0, "", ""},
    FieldSpec{"address", 5, "住址（楼-单元-门牌）", "Address (building-unit-room)", FieldKind::Text, true, "", {}, 60,
              "如 3-2-501；访客填写被访住户", "e.g. 3-2-501; visitors: the home you visit"},
    FieldSpec{"employer", 6, "工作单位", "Employer", FieldKind::Text, false, "", {}, 60, "选填", "Optional"},
    FieldSpec{"left_city", 7, "近14天是否离开本市", "Left the city in the last 14 days", FieldKind::YesNo, true, "", {}, 0, "",
              ""},
    FieldSpec{"came_from", 8, "出发地/途经地", "Came from / via", FieldKind::Text, true, "left_city", {}, 60, "", ""},
    FieldSpec{"return_date", 9, "返回本市日期", "Date of return", FieldKind::Date, true, "left_city", {}, 0, "", ""},
    FieldSpec{"epidemic_contact", 10, "是否接触过疫区人员", "Contact with people from epidemic areas", FieldKind::YesNo, true,
              "", {}, 0, "", ""},
    FieldSpec{"symptoms", 11, "有无发热、咳嗽等症状", "Fever, cough or other symptoms", FieldKind::YesNo, true, "", {}, 0, "", ""},
    FieldSpec{"home_observation", 12, "是否居家观察", "Under home observation", FieldKind::YesNo, true, "", {}, 0, "", ""},
    FieldSpec{"observation_start", 12, "居家观察开始日期", "Home observation since", FieldKind::Date, true, "home_observation",
              {}, 0, "", ""},
};

} // namespace

std::span<const FieldSpec> fields() { return kFields; }
std::span<const ItemSpec> items() { return kItems; }
std::span<const Choice> docTypeChoices() { return kDocTypes; }
std::span<const Choice> personTypeChoices() { return kPersonTypes; }

const FieldSpec* findField(std::string_view key)
{
    for (const auto& f : kFields)
        if (f.key == key)
            return &f;
    return nullptr;
}

} // namespace gatepass
