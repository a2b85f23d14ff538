// The worker's libsodium (Module.gpCrypto) as the core's PassCrypto: sealed
// boxes for live passes, crypto_auth for batch MACs. See WorkerCrypto.cpp.
#pragma once

#include "../core/PassCrypto.h"

#include <optional>
#include <string>

namespace gatepass::wasm {

/// The PassCrypto over Module.gpCrypto; empty (not available) when the worker gave none.
PassCrypto workerCrypto();
/// n random bytes as 2n hex digits, from the browser's crypto.getRandomValues (empty if it failed).
std::string randomHex(size_t n);
/// What a crypto call left in Module.gpCryptoOut: n < 0 none, else its n bytes (taken, and zeroed there).
std::optional<std::string> takeCryptoResult(int n);

} // namespace gatepass::wasm
