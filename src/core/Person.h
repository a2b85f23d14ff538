// One person's record: the twelve items as typed values.
#pragma once

#include "Choice.h"
#include "Date.h"

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace gatepass {

// The order of both enums is the order of their choices below and is part
// of the pass format: append, never reorder.
// The pass holds a DocType in 4 bits (Pass.h): at most 16 types.
enum class DocType : uint8_t { ResidentId, ResidencePermit, ForeignPermanent, Passport, Other, HkMacaoPermit, TaiwanPermit };
enum class PersonType : uint8_t { Resident, Tenant, Visitor, Delivery, Maintenance, Staff, Other };

inline constexpr std::array kDocTypeChoices{
    Choice{"resident_id", "居民身份证", "Resident ID card"},
    Choice{"residence_permit", "港澳台居民居住证", "HK/Macao/Taiwan residence permit"},
    Choice{"foreign_permanent", "外国人永久居留身份证", "Foreign permanent resident ID"},
    Choice{"passport", "护照", "Passport"},
    Choice{"other", "其他", "Other"},
    Choice{"hk_macao_permit", "港澳居民来往内地通行证", "Mainland travel permit for HK/Macao residents"},
    Choice{"taiwan_permit", "台湾居民来往大陆通行证", "Mainland travel permit for Taiwan residents"},
};

inline constexpr std::array kPersonTypeChoices{
    Choice{"resident", "本社区户籍居民", "Registered resident"},
    Choice{"tenant", "常住租户", "Long-term tenant"},
    Choice{"visitor", "访客", "Visitor"},
    Choice{"delivery", "快递外卖", "Courier / food delivery"},
    Choice{"maintenance", "维修施工", "Repair / construction"},
    Choice{"staff", "物业及工作人员", "Property staff / worker"},
    Choice{"other", "其他", "Other"},
};

constexpr std::span<const Choice> choicesOf(DocType) { return kDocTypeChoices; }
constexpr std::span<const Choice> choicesOf(PersonType) { return kPersonTypeChoices; }

inline constexpr int kDocTypeCount = int(kDocTypeChoices.size());
inline constexpr int kPersonTypeCount = int(kPersonTypeChoices.size());

struct Person {
    std::string name;
    DocType docType = DocType::ResidentId;
    std::string docNumber;
    std::string phone;
    PersonType personType = PersonType::Resident;
    std::string address;
    std::string employer; // optional
    bool leftCity = false;
    std::string cameFrom;            // when leftCity
    std::optional<Date> returnDate;  // when leftCity
    bool epidemicContact = false;
    bool symptoms = false;
    bool homeObservation = false;
    std::optional<Date> observationStart; // when homeObservation

    friend bool operator==(const Person&, const Person&) = default;
};

/// "1101**********123X": enough for staff to match a card, not enough to copy.
std::string maskDocNumber(std::string_view number);
/// "138****8000"; an international number keeps its "+" and country code
/// (up to 3 digits after "+") and its last 4 digits: "+852****5678".
std::string maskPhone(std::string_view phone);
/// The building of an address typed as the form asks (building-unit-room):
/// "3-2-501" → "3", "幸福里3号楼2单元501" → "幸福里3号楼", "5栋201" → "5栋";
/// an address with neither a separator nor a building word comes back whole.
/// Enough for the office to know where to look, not which door.
std::string addressBuilding(std::string_view address);

} // namespace gatepass
