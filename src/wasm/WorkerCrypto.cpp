// The live-pass and batch-MAC cryptography a wasm core asks of its worker
// (Module.gpCrypto: web/shared/pass-crypto.js over libsodium.js), shared by the
// full core (Bindings.cpp) and the resident's (ResidentBindings.cpp).
#include "WorkerCrypto.h"

#include <emscripten.h>

#include <algorithm>
#include <cstdlib>

// op 0: seal(data, a) · 1: open(data, a, b) · 2: keyId(a) · 3: mac(data, a)
// · 4: verify(data[0..32) as the tag, data[32..) as the message, a) → one byte 1,
// or no result. The result waits in Module.gpCryptoOut until gp_crypto_take
// copies it; -1: no result.
EM_JS(int, gp_crypto_call, (int op, const char* data, int n, const char* a, const char* b), {
    const c = Module.gpCrypto;
    Module.gpCryptoOut = null;
    if (!c) return -1;
    try {
        const bytes = HEAPU8.slice(data, data + n);
        const r = op === 0 ? c.seal(bytes, UTF8ToString(a))
                : op === 1 ? c.open(bytes, UTF8ToString(a), UTF8ToString(b))
                : op === 2 ? c.keyId(UTF8ToString(a))
                : op === 3 ? (c.mac ? c.mac(bytes, UTF8ToString(a)) : null)
                : (c.verify && c.verify(bytes.subarray(0, 32), bytes.subarray(32), UTF8ToString(a)) ? new Uint8Array([1]) : null);
        if (!r) return -1;
        Module.gpCryptoOut = r;
        return r.length;
    } catch (e) {
        return -1;
    }
});

EM_JS(void, gp_crypto_take, (char* out), {
    HEAPU8.set(Module.gpCryptoOut, out);
    Module.gpCryptoOut.fill(0); // may be a key (a secretbox or a sealed box opened)
    Module.gpCryptoOut = null;
});

EM_JS(int, gp_crypto_present, (), { return Module.gpCrypto ? 1 : 0; });

EM_JS(char*, gp_js_random_hex, (int n), {
    const bytes = crypto.getRandomValues(new Uint8Array(n));
    const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
    const p = _malloc(2 * n + 1);
    stringToUTF8(hex, p, 2 * n + 1);
    return p;
});

namespace gatepass::wasm {

namespace {

std::optional<std::string> cryptoCall(int op, std::string_view data, std::string_view a, std::string_view b = {})
{
    std::string az(a), bz(b); // NUL-terminated for UTF8ToString
    int n = gp_crypto_call(op, data.data(), int(data.size()), az.c_str(), bz.c_str());
    std::fill(az.begin(), az.end(), '\0'); // a gate key (mac, verify)
    std::fill(bz.begin(), bz.end(), '\0'); // a secret key (open)
    return takeCryptoResult(n);
}

} // namespace

std::string randomHex(size_t n)
{
    char* p = gp_js_random_hex(int(n));
    if (!p)
        return {};
    std::string s(p);
    std::free(p);
    return s;
}

// What gp_crypto_call or gp_secretbox answered: n < 0 none, else the n bytes
// waiting in Module.gpCryptoOut (taken, and zeroed there).
std::optional<std::string> takeCryptoResult(int n)
{
    if (n < 0)
        return std::nullopt;
    std::string out(size_t(n), '\0');
    gp_crypto_take(out.data());
    return out;
}

PassCrypto workerCrypto()
{
    PassCrypto c;
    if (!gp_crypto_present())
        return c;
    c.seal = [](std::string_view plain, std::string_view publicKey) { return cryptoCall(0, plain, publicKey); };
    c.open = [](std::string_view sealed, std::string_view publicKey, std::string_view secretKey) {
        return cryptoCall(1, sealed, publicKey, secretKey);
    };
    c.keyId = [](std::string_view publicKey) -> std::optional<KeyId> {
        auto id = cryptoCall(2, {}, publicKey);
        if (!id || id->size() != kKeyIdBytes)
            return std::nullopt;
        KeyId out{};
        std::copy(id->begin(), id->end(), out.begin());
        return out;
    };
    c.mac = [](std::string_view message, std::string_view gateKey) { return cryptoCall(3, message, gateKey); };
    c.verify = [](std::string_view tag, std::string_view message, std::string_view gateKey) {
        if (tag.size() != 32)
            return false;
        std::string data;
        data.reserve(tag.size() + message.size());
        data.append(tag).append(message);
        auto r = cryptoCall(4, data, gateKey);
        return r && *r == std::string(1, '\1');
    };
    c.randomHex = randomHex;
    return c;
}

} // namespace gatepass::wasm
