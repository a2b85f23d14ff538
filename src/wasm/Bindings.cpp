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
//   gp_call(request)              one Api request → its reply (see src/core/Api.h)
//   gp_pad(path, vfs, bytes)      benchmark only: grows the file to about `bytes` with a padding table
#include "OpfsVfs.h"

#include "../core/Api.h"

#include <emscripten.h>

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

EM_JS(char*, gp_js_random_hex, (int n), {
    const bytes = crypto.getRandomValues(new Uint8Array(n));
    const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
    const p = _malloc(2 * n + 1);
    stringToUTF8(hex, p, 2 * n + 1);
    return p;
});

namespace {

std::optional<gatepass::Api> api;

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
    o.kdf.randomHex = [](size_t n) { return takeString(gp_js_random_hex(int(n))); };
    o.kdf.argon2id = [](std::string_view pin, std::string_view salt, uint64_t ops, uint64_t mem) {
        return takeString(gp_js_pwhash(std::string(pin).c_str(), std::string(salt).c_str(), double(ops), double(mem)));
    };
    return o;
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
    auto store = gatepass::Store::open(path, vfsOrDefault(vfs));
    if (!store) {
        const auto& e = store.error();
        return copyOut(R"({"ok":false,"error":{"code":)" + quoted(e.code) + R"(,"zh":)" + quoted(e.zh) + R"(,"en":)"
                       + quoted(e.en) + "}}");
    }
    int version = store->schemaVersion();
    if (locked)
        api.emplace(std::move(store).value(), browserLock());
    else
        api.emplace(std::move(store).value());
    return copyOut(R"({"ok":true,"schema_version":)" + std::to_string(version) + "}");
}

EMSCRIPTEN_KEEPALIVE char* gp_call(const char* request)
{
    if (!api)
        return copyOut(R"({"ok":false,"error":{"code":"core.closed","zh":"数据库未打开","en":"The database is not open"}})");
    return copyOut(api->call(request));
}

EMSCRIPTEN_KEEPALIVE char* gp_pad(const char* path, const char* vfs, double bytes)
{
    auto padded = gatepass::Store::padFile(path, vfsOrDefault(vfs), bytes);
    return copyOut(padded ? R"({"ok":true})" : R"({"ok":false,"detail":)" + quoted(padded.error().en) + "}");
}

} // extern "C"
