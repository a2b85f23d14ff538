// libFuzzer target: a batch file, verified and imported into a fresh store
// the way an enrolled gate console imports another gate's: it holds its
// community's key pair, so sealed (format 3) bodies are opened, and the key of
// one gate (FuzzKeys.h, shared with make_seeds' sealed and MACed seeds), so a
// MAC is verified; a batch it cannot authenticate is accepted without its
// verifications, so merging is fuzzed. libsodium does the opening and the MAC
// (src/crypto, as the office CLI).
//
// Property: never crashes; a file that parseBatch refuses is refused by
// importBatch too and leaves the store empty; a file that imports, imported a
// second time, adds nothing (twice = once).
#include "FreshStore.h"
#include "FuzzKeys.h"
#include "SealedBox.h"
#include "gatepass.h"

#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    using namespace gatepass;
    std::string_view text(reinterpret_cast<const char*>(data), size);
    static const PassCrypto sodium = crypto::passCrypto();
    const BatchKeys keys{{fuzz::communityKey()}, sodium};
    auto parsed = parseBatch(text, keys);
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
    BatchTrust console{sodium, {}, true, {fuzz::communityKey()}};
    console.gateKey = [](std::string_view gate) -> std::optional<std::string> {
        if (gate == fuzz::kGate)
            return fuzz::gateKey();
        return std::nullopt;
    };
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
