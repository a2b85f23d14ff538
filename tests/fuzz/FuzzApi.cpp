// libFuzzer target: the message interface, one request a line against one
// fresh store (FreshStore.h).
//
// Property: Api::call never throws or crashes, and every reply is a JSON
// object with a boolean "ok" (and an error with zh and en when not ok).
#include "FreshStore.h"
#include "gatepass.h"

#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    using namespace gatepass;
    Api api(fuzz::freshStore());
    std::string_view rest(reinterpret_cast<const char*>(data), size);
    for (int lines = 0; !rest.empty() && lines < 64; ++lines) {
        size_t nl = rest.find('\n');
        std::string_view line = rest.substr(0, nl);
        rest = nl == std::string_view::npos ? std::string_view{} : rest.substr(nl + 1);
        auto reply = nlohmann::json::parse(api.call(line), nullptr, false);
        if (!reply.is_object() || !reply.contains("ok") || !reply["ok"].is_boolean())
            std::abort();
        if (!reply["ok"].get<bool>()) {
            const auto& e = reply["error"];
            if (!e.is_object() || !e["zh"].is_string() || !e["en"].is_string() || e["zh"].get<std::string>().empty())
                std::abort();
        }
    }
    return 0;
}
