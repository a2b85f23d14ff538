// libFuzzer target: the pass decoder.
//
// Property: decoding never crashes, and a text that decodes is a valid record
// that encodes back to a pass which decodes to the same record (the codec
// never returns a half-filled or unstable person).
#include "gatepass.h"

#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    using namespace gatepass;
    std::string_view text(reinterpret_cast<const char*>(data), size);
    auto decoded = decodePass(text);
    if (!decoded)
        return 0;
    if (!validate(decoded->person, std::nullopt).ok())
        std::abort(); // decodePass promises a valid record
    auto again = encodePass(decoded->person, decoded->issuedAtMs);
    if (!again)
        std::abort();
    auto round = decodePass(*again);
    if (!round || round->person != decoded->person || round->issuedAtMs != decoded->issuedAtMs)
        std::abort();
    return 0;
}
