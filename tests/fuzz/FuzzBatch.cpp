// libFuzzer target: a batch file, verified and imported into a fresh store
// the way a gate console imports another gate's (no key: accepted without
// authentication, its verifications dropped), so merging is fuzzed.
//
// Property: never crashes; a file that parseBatch refuses is refused by
// importBatch too and leaves the store empty; a file that imports, imported a
// second time, adds nothing (twice = once).
#include "FreshStore.h"
#include "gatepass.h"

#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    using namespace gatepass;
    std::string_view text(reinterpret_cast<const char*>(data), size);
    auto parsed = parseBatch(text);
    Store store = fuzz::freshStore(); // a new database per input, from a template (FreshStore.h)
    const Clock now{1'795'917'600'000, 480};
    // A database belongs to a community before any batch arrives (importBatch
    // refuses otherwise); give it the one this file claims so merging is fuzzed.
    if (parsed && !parsed->header.communityCode.empty()) {
        Settings s;
        s.communityCode = parsed->header.communityCode;
        if (!store.saveSettings(s))
            std::abort();
    }
    const BatchTrust console{{}, {}, true};
    auto first = importBatch(store, text, now, console);
    if (!parsed && first)
        std::abort(); // import must verify at least what parseBatch does
    if (!first) {
        if (!store.listPersons().empty() || !store.entriesBetween(INT64_MIN / 2, INT64_MAX / 2).empty())
            std::abort(); // a refused file changed nothing
        return 0;
    }
    auto second = importBatch(store, text, now, console);
    if (!second || !second->alreadyImported || second->personsAdded || second->personsUpdated || second->entriesAdded)
        std::abort();
    return 0;
}
