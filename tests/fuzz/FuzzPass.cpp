// libFuzzer target: the pass decoder, both formats.
//
// Property: decoding never crashes, and a text that decodes is a valid record
// that encodes back to a pass which decodes to the same record (the codec
// never returns a half-filled or unstable person). The same input is also
// read as a live pass's opened plain bytes (format 2) and as a GP2 frame.
#include "gatepass.h"

#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    using namespace gatepass;
    std::string_view text(reinterpret_cast<const char*>(data), size);

    // Format 2 plain bytes, judged with a window wide enough to take any made time.
    auto live = readLivePassPlain(text, int64_t(1) << 42, LiveWindow{1 << 30, 1 << 30});
    if (live) {
        auto plain = livePassPlain(live->person, live->issuedAtMs, live->madeAtMs);
        if (!plain)
            std::abort();
        auto back = readLivePassPlain(*plain, int64_t(1) << 42, LiveWindow{1 << 30, 1 << 30});
        if (!back || back->person != live->person || back->madeAtMs != live->madeAtMs || back->issuedAtMs != live->issuedAtMs)
            std::abort();
    }
    if (auto framed = unframeSealedPass(text); framed && frameSealedPass(framed->keyId, framed->sealed).size() > size + 8)
        std::abort(); // a frame never grows beyond its text (trailing whitespace aside)

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
