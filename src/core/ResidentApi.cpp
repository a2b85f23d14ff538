#include "ResidentApi.h"

#include "ApiShared.h"
#include "Pass.h"
#include "RecordJson.h"
#include "StaffAction.h"

#include <algorithm>
#include <iterator>

namespace gatepass {

using nlohmann::json;

namespace {

struct ResidentContext {
    Household& household;
    const json& req;
    Clock clock;
    const PassCrypto& crypto;
};

json pendingJson(const Household& h)
{
    return json{{"persons", h.persons().size()}, {"entries", 0}, {"deletions", 0}};
}

Reply fieldList(ResidentContext&) { return fieldsReply(); }

Reply personValidate(ResidentContext& c) { return personValidateReply(c.req, c.clock); }

Reply personSave(ResidentContext& c)
{
    return personSaveReply(c.req, c.clock, [&](std::string_view doc) { return c.household.findPerson(doc); },
                           [&](const PersonRecord& r, std::string_view replaces) { return c.household.savePerson(r, replaces); });
}

Reply personList(ResidentContext& c) { return json{{"records", recordsJson(c.household.persons())}}; }

Reply personGet(ResidentContext& c)
{
    auto r = c.household.findPerson(stringArg(c.req, "doc_number"));
    if (!r)
        return fail(notFound());
    return json{{"record", recordJson(*r)}};
}

Reply personDelete(ResidentContext& c)
{
    if (auto r = c.household.deletePerson(stringArg(c.req, "doc_number")); !r)
        return fail(r.error());
    return json{{"deleted_entries", 0}, {"pending", pendingJson(c.household)}};
}

Reply passEncode(ResidentContext& c) { return passEncodeReply(c.req, c.clock); }

Reply passLive(ResidentContext& c)
{
    return livePassReply(c.household.settings(), c.household.findPerson(stringArg(c.req, "doc_number")), c.crypto, c.clock);
}

Reply visitorPass(ResidentContext& c)
{
    return visitorPassReply(c.household.settings(), c.household.findPerson(stringArg(c.req, "doc_number")), c.req, c.crypto, c.clock);
}

Reply liveClock(ResidentContext& c) { return liveClockReply(c.clock); }

Reply settingsGet(ResidentContext& c) { return settingsReply(c.household.settings()); }

Reply settingsSet(ResidentContext& c)
{
    if (!c.req.contains("settings"))
        return badRequest("settings");
    if (auto n = staffName(stringArg(c.req, "staff")); !n)
        return fail(n.error());
    auto s = settingsFromJson(c.req["settings"], c.household.settings());
    if (!s)
        return fail(s.error());
    if (auto r = c.household.saveSettings(*s); !r)
        return fail(r.error());
    return settingsReply(*s);
}

struct ResidentOperation {
    std::string_view name;
    Reply (*handler)(ResidentContext&);
};

// The ops the phone's core serves (ResidentApi.h); names and replies as Api.h.
constexpr ResidentOperation kResidentOperations[] = {
    {"fields", fieldList},
    {"person.validate", personValidate},
    {"person.save", personSave},
    {"person.list", personList},
    {"person.get", personGet},
    {"person.delete", personDelete},
    {"pass.encode", passEncode},
    {"pass.live", passLive},
    {"visitor.pass", visitorPass},
    {"live.clock", liveClock},
    {"settings.get", settingsGet},
    {"settings.set", settingsSet},
};

} // namespace

ResidentApi::ResidentApi(Household household, PassCrypto crypto) : household_(std::move(household)), crypto_(std::move(crypto)) {}

std::string ResidentApi::call(std::string_view requestJson)
{
    return answerRequest(requestJson, [&](const std::string& op, const json& req, const Clock& clock) -> std::optional<Reply> {
        auto h = std::find_if(std::begin(kResidentOperations), std::end(kResidentOperations),
                              [&](const ResidentOperation& o) { return o.name == op; });
        if (h == std::end(kResidentOperations))
            return std::nullopt;
        ResidentContext ctx{household_, req, clock, crypto_};
        return h->handler(ctx);
    });
}

} // namespace gatepass
