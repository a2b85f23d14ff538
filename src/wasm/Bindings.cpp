// The C functions the core worker calls (web/shared/core-worker.js).
//
// Strings in and out are UTF-8; every returned string is malloc'd and the
// caller frees it. Replies are JSON objects with "ok" like the core's own.
//
//   gp_init()                     registers the OPFS VFS; SQLite result code
//   gp_check(path, vfs)           integrity of the file before the Store touches it:
//                                 {"ok":true,"integrity":"ok"} | {"ok":false,"corrupt":true|false,"rc":N,"detail":"..."}
//   gp_open(path, vfs, locked)    opens the Store on it (creates, migrates):
//                                 {"ok":true,"schema_version":N} | {"ok":false,"error":{code,zh,en}}
//                                 locked != 0: the gate's staff lock (Lock.h) guards every request; its
//                                 KDF is Module.gpPwhash(pin, saltHex, opslimit, memlimit) → hex
//                                 (libsodium.js crypto_pwhash, Argon2id), its salt crypto.getRandomValues
//   gp_open_sealed(sealed, plain, keys, vfs)
//                                 the gate's database sealed at rest behind the staff lock (src/core/SealedGate.h):
//                                 the key ring `keys`, the sealed database, a plain one from before moved in at
//                                 the first unlock. {"ok":true,"schema_version":0} (0: locked) | {"ok":false,"error":…}.
//                                 Its cryptography is Module.gpAtRest (web/shared/at-rest-crypto.js over
//                                 libsodium.js: XChaCha20-Poly1305 for pages, secretbox for the ring), gpPwhash
//                                 and gpCrypto's sealed boxes; the data key stays in this module's memory and
//                                 the worker's libsodium calls, and is wiped on lock.lock
//                                 A reply to lock.unlock / lock.recover / lock.set_pin with "set_aside": PATH
//                                 (storage.damaged: the sealed file failed its check with the right key) asks
//                                 the worker to move PATH and PATH-journal aside, keeping their bytes, then call
//   gp_sealed_set_aside(keptAs)   where they went ("" when they could not be moved): a new sealed database is
//                                 started under the same key ring; its reply is the lock's status with
//                                 `quarantined` ({code, zh, en} naming keptAs), or the error (SealedGate::setAside)
//   gp_call(request)              one Api request → its reply (see src/core/Api.h)
//   gp_call_data(request, data, n) the same with n bytes beside the JSON (Api::call's data:
//                                 batch.import.part's slice of a file, never copied into a JS string)
//   Module.gpProgress(json)       called, when the worker set it, from inside gp_call / gp_call_data
//                                 while a batch is imported: {percent, progress: {code, zh, en}} (Api::onProgress)
//   gp_pad(path, vfs, bytes)      benchmark only: grows the file to about `bytes` with a padding table
//   Module.gpSha256(bytes) → 32 bytes   the core's SHA-256 (src/core/Digest.h, called from there), set by the
//                                 worker from libsodium-wrappers (web/shared/pass-crypto.js sha256Of)
//
// Live passes and batch MACs (src/core/PassCrypto.h): when the worker created the module with
// `gpCrypto` ({seal, open, keyId, mac, verify} over libsodium-wrappers, web/shared/pass-crypto.js),
// gp_open gives the Api a PassCrypto that calls it. The community secret key
// goes from the Store to gpCrypto.open inside the worker only: no function
// here or op of gp_call returns it to the page.
#include "OpfsVfs.h"
#include "WorkerCrypto.h"

#include "../core/Api.h"
#include "../core/SealedGate.h"

#include <emscripten.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <optional>
#include <string>

// The lock's KDF and salt come from the worker (libsodium.js, WebCrypto's CSPRNG); results are
// malloc'd hex strings, 0 on failure.
EM_JS(char*, gp_js_pwhash, (const char* pin, const char* salt, double ops, double mem), {
    try {
        const hex = Module.gpPwhash(UTF8ToString(pin), UTF8ToString(salt), ops, mem);
        const n = lengthBytesUTF8(hex) + 1;
        const p = _malloc(n);
        stringToUTF8(hex, p, n);
        return p;
    } catch (e) {
        return 0;
    }
});

// An import's progress, to the worker as it happens (it posts it to the page).
EM_JS(void, gp_js_progress, (const char* json), {
    if (Module.gpProgress) Module.gpProgress(UTF8ToString(json));
});

// Encryption at rest (Module.gpAtRest, web/shared/at-rest-crypto.js): op 0 seals text[0..n) in
// place (nonce and tag written), op 1 opens it in place; 1 done, 0 not (not authentic, not loaded).
// Pointers into this module's memory: the key is read where it lies, never copied into a JS string.
EM_JS(int, gp_aead, (int op, uint8_t* text, int n, const uint8_t* ad, int adLen, const uint8_t* key, uint8_t* nonce, uint8_t* tag), {
    const a = Module.gpAtRest;
    if (!a) return 0;
    try {
        return (op === 0 ? a.seal(HEAPU8, text, n, ad, adLen, key, nonce, tag) : a.open(HEAPU8, text, n, ad, adLen, key, nonce, tag)) ? 1 : 0;
    } catch (e) {
        return 0;
    }
});

// The key ring's secretbox: op 0 crypto_secretbox_easy, op 1 crypto_secretbox_open_easy of data[0..n)
// with a 24-byte nonce and a 32-byte key; the result waits in Module.gpCryptoOut (gp_crypto_take). -1: none.
EM_JS(int, gp_secretbox, (int op, const uint8_t* data, int n, const uint8_t* nonce, const uint8_t* key), {
    const a = Module.gpAtRest;
    Module.gpCryptoOut = null;
    if (!a) return -1;
    try {
        const r = op === 0 ? a.secretbox(HEAPU8, data, n, nonce, key) : a.secretboxOpen(HEAPU8, data, n, nonce, key);
        if (!r) return -1;
        Module.gpCryptoOut = r;
        return r.length;
    } catch (e) {
        return -1;
    }
});

namespace {

std::optional<gatepass::Api> api;
std::unique_ptr<gatepass::SealedGate> sealedGate; // instead of api: the gate's database sealed at rest

std::string takeString(char* p)
{
    if (!p) return {};
    std::string s(p);
    std::free(p);
    return s;
}

gatepass::LockOptions browserLock()
{
    gatepass::LockOptions o;
    o.kdf.randomHex = gatepass::wasm::randomHex;
    o.kdf.argon2id = [](std::string_view pin, std::string_view salt, uint64_t ops, uint64_t mem) {
        return takeString(gp_js_pwhash(std::string(pin).c_str(), std::string(salt).c_str(), double(ops), double(mem)));
    };
    return o;
}

gatepass::PageAead workerAead()
{
    gatepass::PageAead a;
    a.seal = [](uint8_t* text, size_t n, const uint8_t* ad, size_t adLen, const uint8_t* key, uint8_t* nonce, uint8_t* tag) {
        return gp_aead(0, text, int(n), ad, int(adLen), key, nonce, tag) == 1;
    };
    a.open = [](uint8_t* text, size_t n, const uint8_t* ad, size_t adLen, const uint8_t* key, const uint8_t* nonce, const uint8_t* tag) {
        return gp_aead(1, text, int(n), ad, int(adLen), key, const_cast<uint8_t*>(nonce), const_cast<uint8_t*>(tag)) == 1;
    };
    return a;
}

std::optional<std::string> secretboxCall(int op, std::string_view data, std::string_view nonce, std::string_view key)
{
    if (nonce.size() != 24 || key.size() != 32) // crypto_secretbox_NONCEBYTES, crypto_secretbox_KEYBYTES
        return std::nullopt;
    return gatepass::wasm::takeCryptoResult(gp_secretbox(op, reinterpret_cast<const uint8_t*>(data.data()), int(data.size()),
                                         reinterpret_cast<const uint8_t*>(nonce.data()), reinterpret_cast<const uint8_t*>(key.data())));
}

gatepass::KeyRingCrypto workerKeyRingCrypto()
{
    gatepass::KeyRingCrypto c;
    c.kdf = browserLock().kdf;
    c.secretbox = [](std::string_view plain, std::string_view nonce, std::string_view key) { return secretboxCall(0, plain, nonce, key); };
    c.secretboxOpen = [](std::string_view boxed, std::string_view nonce, std::string_view key) { return secretboxCall(1, boxed, nonce, key); };
    c.box = gatepass::wasm::workerCrypto();
    return c;
}

char* copyOut(const std::string& s)
{
    char* out = static_cast<char*>(std::malloc(s.size() + 1));
    if (out) std::memcpy(out, s.c_str(), s.size() + 1);
    return out;
}

std::string quoted(const std::string& s)
{
    std::string out = "\"";
    for (unsigned char c : s) {
        if (c == '"' || c == '\\') {
            out += '\\';
            out += char(c);
        } else if (c < 0x20) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\u%04x", c);
            out += buf;
        } else {
            out += char(c);
        }
    }
    return out + "\"";
}

const char* vfsOrDefault(const char* vfs) { return vfs && *vfs ? vfs : nullptr; }

} // namespace

extern "C" {

EMSCRIPTEN_KEEPALIVE int gp_init() { return gatepass::wasm::registerOpfsVfs(); }

EMSCRIPTEN_KEEPALIVE char* gp_check(const char* path, const char* vfs)
{
    gatepass::FileCheck c = gatepass::Store::checkFile(path, vfsOrDefault(vfs));
    if (c.ok) return copyOut(R"({"ok":true,"integrity":"ok"})");
    return copyOut(std::string(R"({"ok":false,"corrupt":)") + (c.corrupt ? "true" : "false") + R"(,"rc":)"
                   + std::to_string(c.rc) + R"(,"detail":)" + quoted(c.detail) + "}");
}

EMSCRIPTEN_KEEPALIVE char* gp_open(const char* path, const char* vfs, int locked)
{
    api.reset();
    sealedGate.reset();
    auto store = gatepass::Store::open(path, vfsOrDefault(vfs));
    if (!store) {
        const auto& e = store.error();
        return copyOut(R"({"ok":false,"error":{"code":)" + quoted(e.code) + R"(,"zh":)" + quoted(e.zh) + R"(,"en":)"
                       + quoted(e.en) + "}}");
    }
    int version = store->schemaVersion();
    if (locked)
        api.emplace(std::move(store).value(), gatepass::wasm::workerCrypto(), browserLock());
    else
        api.emplace(std::move(store).value(), gatepass::wasm::workerCrypto());
    api->onProgress([](std::string_view json) { gp_js_progress(std::string(json).c_str()); });
    return copyOut(R"({"ok":true,"schema_version":)" + std::to_string(version) + "}");
}

EMSCRIPTEN_KEEPALIVE char* gp_open_sealed(const char* sealed, const char* plain, const char* keys, const char* vfs)
{
    api.reset();
    sealedGate.reset();
    gatepass::SealedGateFiles files{sealed, plain, keys, vfs ? vfs : ""};
    gatepass::SealedGateHost host{workerAead(), workerKeyRingCrypto(), browserLock(), gatepass::wasm::workerCrypto()};
    auto gate = gatepass::SealedGate::open(std::move(files), std::move(host));
    if (!gate) {
        const auto& e = gate.error();
        return copyOut(R"({"ok":false,"error":{"code":)" + quoted(e.code) + R"(,"zh":)" + quoted(e.zh) + R"(,"en":)"
                       + quoted(e.en) + "}}");
    }
    sealedGate = std::move(*gate);
    sealedGate->onProgress([](std::string_view json) { gp_js_progress(std::string(json).c_str()); });
    return copyOut(R"({"ok":true,"schema_version":)" + std::to_string(sealedGate->schemaVersion()) + "}");
}

EMSCRIPTEN_KEEPALIVE char* gp_sealed_set_aside(const char* keptAs)
{
    if (!sealedGate)
        return copyOut(R"({"ok":false,"error":{"code":"core.closed","zh":"数据库未打开","en":"The database is not open"}})");
    std::optional<std::string_view> where;
    if (keptAs && *keptAs)
        where = keptAs;
    return copyOut(sealedGate->setAside(where));
}

EMSCRIPTEN_KEEPALIVE char* gp_call(const char* request)
{
    if (sealedGate)
        return copyOut(sealedGate->call(request));
    if (!api)
        return copyOut(R"({"ok":false,"error":{"code":"core.closed","zh":"数据库未打开","en":"The database is not open"}})");
    return copyOut(api->call(request));
}

EMSCRIPTEN_KEEPALIVE char* gp_call_data(const char* request, const char* data, int size)
{
    if (sealedGate)
        return copyOut(sealedGate->call(request, std::string_view(data, size_t(std::max(size, 0)))));
    if (!api)
        return copyOut(R"({"ok":false,"error":{"code":"core.closed","zh":"数据库未打开","en":"The database is not open"}})");
    return copyOut(api->call(request, std::string_view(data, size_t(std::max(size, 0)))));
}

EMSCRIPTEN_KEEPALIVE char* gp_pad(const char* path, const char* vfs, double bytes)
{
    auto padded = gatepass::Store::padFile(path, vfsOrDefault(vfs), bytes);
    return copyOut(padded ? R"({"ok":true})" : R"({"ok":false,"detail":)" + quoted(padded.error().en) + "}");
}

} // extern "C"
