// Phone numbers of item 3: mainland mobiles and landlines, Hong Kong, Macao,
// Taiwan and any international number in E.164 form.
#pragma once

#include "Message.h"
#include "Person.h"

#include <optional>
#include <string>
#include <string_view>

namespace gatepass {

/// Where a person's document says they live, for reading a phone number
/// typed without its country code: a 回乡证 H… or a 居住证 81… is Hong Kong,
/// M… / 82… Macao, a 台胞证 or a 居住证 83… Taiwan; anything else None.
enum class HomeRegion { None, HongKong, Macao, Taiwan };
HomeRegion homeRegionOf(DocType type, std::string_view docNumber);

/// The one spelling of a phone number, or why the text is not one (a
/// Message on "phone" that says what to type instead):
///   mainland mobile        "13800138000"   (also typed +86 / 0086 / 86 …)
///   mainland landline      "010-12345678[-ext]" (area code 010/02x: 3 digits, others 4;
///                          7 or 8 local digits; a typed separator after them starts the extension)
///   Hong Kong              "+85291234567"  (+852 and 8 digits)
///   Macao                  "+85366123456"  (+853 and 8 digits starting 2 or 6)
///   Taiwan                 "+886912345678" (+886, the 0 dropped, and 8-9 digits)
///   elsewhere (E.164)      "+" and 8 to 15 digits, the first not 0
/// "+" may be typed as "00". Without a "+", 8 digits are read as Hong Kong or
/// Macao and "09" + 8 digits as a Taiwan mobile when `home` says so. The
/// result reads back as itself.
Result<std::string> parsePhone(std::string_view text, HomeRegion home = HomeRegion::None);

} // namespace gatepass
