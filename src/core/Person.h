// One person's record: the twelve items as typed values.
#pragma once

#include "Date.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace gatepass {

// The order of both enums is the order of their choices in Fields.cpp and is
// part of the pass format: append, never reorder.
enum class DocType : uint8_t { ResidentId, ResidencePermit, ForeignPermanent, Passport, Other };
enum class PersonType : uint8_t { Resident, Tenant, Visitor, Delivery, Maintenance, Staff, Other };

inline constexpr int kDocTypeCount = 5;
inline constexpr int kPersonTypeCount = 7;

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

std::string_view keyOf(DocType);
std::string_view keyOf(PersonType);
std::optional<DocType> docTypeFromKey(std::string_view);
std::optional<PersonType> personTypeFromKey(std::string_view);
std::string_view labelOf(PersonType, bool chinese);

/// "1101**********123X": enough for staff to match a card, not enough to copy.
std::string maskDocNumber(std::string_view number);
/// "138****8000".
std::string maskPhone(std::string_view phone);

} // namespace gatepass
