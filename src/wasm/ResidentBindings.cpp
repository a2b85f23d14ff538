// The C functions of the resident's core (gatepass-resident.{js,wasm}), called
// by web/shared/core-worker.js when the resident's worker asked for it
// (useResidentCore). No SQLite: the household is one file (src/core/Household.h)
// that the worker reads and writes; this module holds it in memory.
//
// Strings in and out are UTF-8; every returned string is malloc'd and the
// caller frees it. Replies are JSON objects with "ok".
//
//   gp_open_household(bytes, n)   the household from the file's n bytes (n < 0: no file yet):
//                                 {"ok":true,"persons":N} | {"ok":false,"error":{code,zh,en}} (household.damaged)
//   gp_move_in(list, settings)    a household made from the old SQLite store's replies (the full core's
//                                 person.list and settings.get, read once by the worker), written before
//                                 it answers: {"ok":true,"persons":N} | {"ok":false,"error":…}
//   gp_call(request)              one request → its reply (src/core/ResidentApi.h; the contract is Api.h's)
//   Module.gpHouseholdWrite(bytes) → true | false   called from inside gp_call / gp_move_in with the
//                                 household file's new bytes whenever it changes: the worker keeps them
//                                 and writes them durably (new file, then rename) before it answers;
//                                 false refuses the change (nothing changes here)
//   Module.gpCrypto, Module.gpSha256   as for the full core (src/wasm/Bindings.cpp)
#include "WorkerCrypto.h"

#include "../core/RecordJson.h"
#include "../core/ResidentApi.h"

#include <emscripten.h>

#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>

EM_JS(int, gp_js_household_write, (const char* bytes, int n), {
    try {
        return Module.gpHouseholdWrite && Module.gpHouseholdWrite(HEAPU8.slice(bytes, bytes + n)) ? 1 : 0;
    } catch (e) {
        return 0;
    }
});

namespace {

std::optional<gatepass::ResidentApi> api;

char* copyOut(const std::string& s)
{
    char* out = static_cast<char*>(std::malloc(s.size() + 1));
    if (out) std::memcpy(out, s.c_str(), s.size() + 1);
    return out;
}

gatepass::Result<gatepass::Done> persist(std::string_view bytes)
{
    if (gp_js_household_write(bytes.data(), int(bytes.size())))
        return gatepass::Done{};
    return gatepass::Message{"storage.io", "无法写入存储，数据未保存", "Cannot write to storage; nothing was saved", ""};
}

char* opened(gatepass::Result<gatepass::Household> h)
{
    if (!h)
        return copyOut(nlohmann::json{{"ok", false}, {"error", gatepass::toJson(h.error())}}.dump());
    size_t persons = h->persons().size();
    api.emplace(std::move(*h), gatepass::wasm::workerCrypto());
    return copyOut(R"({"ok":true,"persons":)" + std::to_string(persons) + "}");
}

} // namespace

extern "C" {

EMSCRIPTEN_KEEPALIVE char* gp_open_household(const char* bytes, int n)
{
    api.reset();
    std::optional<std::string_view> stored;
    if (n >= 0)
        stored = std::string_view(bytes, size_t(n));
    return opened(gatepass::Household::open(stored, persist));
}

EMSCRIPTEN_KEEPALIVE char* gp_move_in(const char* listReply, const char* settingsReply)
{
    api.reset();
    using nlohmann::json;
    json list = json::parse(listReply, nullptr, false), got = json::parse(settingsReply, nullptr, false);
    // Anything the new store could not hold as it was is refused whole: the old file stays, nothing is lost.
    auto refused = [] {
        return copyOut(R"({"ok":false,"error":{"code":"household.move_in","zh":"无法读取旧版本保存的登记，旧数据仍保留在本机","en":"The registrations kept by the previous version could not be read; they are still kept on this phone"}})");
    };
    if (!list.is_object() || !list["records"].is_array() || !got.is_object() || !got["settings"].is_object())
        return refused();
    std::vector<gatepass::PersonRecord> persons;
    for (const json& r : list["records"]) {
        auto record = gatepass::personRecordFromJson(r);
        if (!record)
            return refused();
        persons.push_back(std::move(*record));
    }
    // settings.get answers no secrets; a phone's only setting is its community's public key.
    auto settings = gatepass::settingsFromJson(got["settings"], gatepass::Settings{});
    if (!settings)
        return refused();
    return opened(gatepass::Household::create(std::move(persons), std::move(*settings), persist));
}

EMSCRIPTEN_KEEPALIVE char* gp_call(const char* request)
{
    if (!api)
        return copyOut(R"({"ok":false,"error":{"code":"core.closed","zh":"数据库未打开","en":"The database is not open"}})");
    return copyOut(api->call(request));
}

} // extern "C"
