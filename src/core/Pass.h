// The pass: one person's record as the text of a QR code.
//
// Layout (format 1): "GP:" + Base45(payload + check), where the payload is
//   u8 format, u8 flags, u8 doc_type | person_type << 4, u32 issued minute,
//   document number (8-byte integer for 18-character ID numbers, else a string),
//   phone (5-byte integer for mobiles, else a string), name, address,
//   [employer], [came_from, return_date], [observation_start]
// strings are u8 length + packed text (CJK in two bytes, see Pass.cpp), dates
// u16 days since 1900-01-01, integers big-endian; check is the first 4 bytes
// of SHA-256(payload).
// Base45 keeps the QR in alphanumeric mode (5.5 bits a character): the
// commonest record (Chinese name, ID card, mobile, "3-2-501") is ~70
// characters, QR version 4 at error correction M; with travel answers it
// stays within version 5; every field filled with long Chinese text, version 6.
#pragma once

#include "Message.h"
#include "Person.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace gatepass {

inline constexpr std::string_view kPassPrefix = "GP:";
inline constexpr int kPassFormat = 1;

struct DecodedPass {
    Person person;
    int64_t issuedAtMs = 0; // when the resident saved this version, to the minute
};

/// The pass text of a valid person (validated without today); an invalid
/// person gives its first validation error.
Result<std::string> encodePass(const Person& person, int64_t issuedAtMs);

/// The record in a pass, or why the text is not one: pass.foreign (another
/// QR code, a URL), pass.damaged (truncated, altered or misread),
/// pass.newer_version (made by a newer gatepass), pass.invalid_record.
/// Never returns a partly filled record.
Result<DecodedPass> decodePass(std::string_view text);

} // namespace gatepass
