// A roster file's bytes as text (issue 11): Excel saves "CSV UTF-8" or, on a
// Chinese Windows, plain "CSV" in the ANSI code page — GBK (code page 936).
// The office takes either, with glibc's iconv, and readRoster (src/core/Roster.h)
// reads the text.
#pragma once

#include "Message.h"

#include <string>
#include <string_view>

namespace gatepass::office {

struct RosterText {
    std::string text;     // UTF-8
    std::string encoding; // "UTF-8" or "GBK"
};

/// The bytes as they are when they are valid UTF-8 (a BOM too); else read as
/// GB18030, which holds GBK (and so what any Chinese Excel writes). Bytes that
/// are neither (UTF-16, Big5, a spreadsheet's .xlsx, a picture) are
/// roster.encoding, in words that say what to do.
Result<RosterText> rosterText(std::string_view bytes);

} // namespace gatepass::office
