#include "Api.h"

#include "Batch.h"
#include "Fields.h"
#include "Pass.h"
#include "PersonJson.h"
#include "RecordJson.h"
#include "Validation.h"

#include <functional>
#include <map>

namespace gatepass {

using nlohmann::json;

namespace {

// What an operation gives back: the result object, or the reason it failed.
struct Failure {
    Message error;
    std::vector<Message> errors; // field-level, for forms
};
using Reply = std::variant<json, Failure>;

Failure fail(Message m) { return Failure{std::move(m), {}}; }
Failure badRequest(const std::string& what)
{
    return fail(Message{"request.invalid", "请求无效：" + what, "Invalid request: " + what, ""});
}

struct Context {
    Store& store;
    const json& req;
    Clock clock;
};

// What a screen may show of the personal numbers without a staff request.
json maskedJson(const Person& p) { return {{"doc_number", maskDocNumber(p.docNumber)}, {"phone", maskPhone(p.phone)}}; }

json recordJson(const PersonRecord& r)
{
    json j = toJson(r);
    auto pass = encodePass(r.person, r.updatedAt);
    j["pass"] = pass ? *pass : "";
    j["masked"] = maskedJson(r.person);
    return j;
}

json entryJson(const Entry& e)
{
    json j = toJson(e);
    j["masked_doc_number"] = maskDocNumber(e.docNumber);
    return j;
}

std::string stringArg(const Context& c, const char* key)
{
    auto it = c.req.find(key);
    return it != c.req.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// The person in the request, shaped and validated (dates against today);
// the failure to reply with when it is not valid.
std::optional<Failure> checkPerson(const Context& c, Person& out, std::optional<IdNumberInfo>* id = nullptr)
{
    auto it = c.req.find("person");
    if (it == c.req.end())
        return badRequest("person");
    PersonInput in = personFromJson(*it);
    Validated v = validate(in.person, c.clock.today());
    // Shape errors first; a field with a shape error is not reported twice.
    std::vector<Message> errors = in.errors;
    for (auto& e : v.errors) {
        bool dup = false;
        for (auto& s : in.errors)
            dup = dup || (!e.field.empty() && s.field == e.field);
        if (!dup)
            errors.push_back(e);
    }
    if (!errors.empty())
        return Failure{Message{"person.invalid", "请检查标红的项目", "Please check the marked items", ""}, errors};
    out = v.person;
    if (id)
        *id = v.id;
    return std::nullopt;
}

json fieldsJson()
{
    json itemList = json::array(), fieldList = json::array();
    for (const ItemSpec& i : items())
        itemList.push_back({{"item", i.number}, {"zh", i.zh}, {"en", i.en}});
    for (const FieldSpec& f : fields()) {
        static constexpr const char* kKinds[] = {"name", "text", "choice", "doc_number", "phone", "yes_no", "date"};
        json j{{"key", f.key},     {"item", f.item},           {"zh", f.zh},
               {"en", f.en},       {"kind", kKinds[int(f.kind)]}, {"required", f.required},
               {"hint_zh", f.hintZh}, {"hint_en", f.hintEn}};
        if (!f.requiredWhen.empty())
            j["when"] = f.requiredWhen;
        if (f.maxChars)
            j["max_chars"] = f.maxChars;
        if (!f.choices.empty()) {
            json choices = json::array();
            for (const Choice& ch : f.choices)
                choices.push_back({{"value", ch.value}, {"zh", ch.zh}, {"en", ch.en}});
            j["choices"] = choices;
        }
        fieldList.push_back(j);
    }
    return json{{"items", itemList}, {"fields", fieldList}};
}

// The person a gate request is about: the pass just read, or the stored record.
std::optional<Failure> personFromRequestOrStore(const Context& c, Person& person, std::optional<PersonRecord>& stored)
{
    if (c.req.contains("person")) {
        if (auto f = checkPerson(c, person))
            return f;
        stored = c.store.findPerson(person.docNumber);
        return std::nullopt;
    }
    stored = c.store.findPerson(stringArg(c, "doc_number"));
    if (!stored)
        return fail(Message{"person.not_found", "没有找到此人的登记信息", "No registration found for this person", ""});
    person = stored->person;
    return std::nullopt;
}

Result<GateContext> gateContext(const Context& c, const std::optional<PersonRecord>& stored)
{
    GateContext g;
    std::string dir = stringArg(c, "direction");
    if (dir != "in" && dir != "out")
        return Message{"direction.invalid", "请选择进或出", "Choose in or out", "direction"};
    g.direction = dir == "in" ? Direction::In : Direction::Out;
    if (auto t = c.req.find("temperature"); t != c.req.end() && !t->is_null()) {
        if (!t->is_number())
            return Message{"temperature.format", "体温应为数字，如36.5", "The temperature must be a number, e.g. 36.5", "temperature"};
        g.temperature = t->get<double>();
    }
    g.verified = stored && stored->verifiedAt;
    return g;
}

// A gate request judged: who, what the gate knows of them, and the policy's answer.
struct Judged {
    Person person;
    std::optional<PersonRecord> stored;
    GateContext gate;
    Settings settings;
    Decision decision;
};

// The common first half of `decide` and `entry.record`, so both judge alike.
std::variant<Judged, Failure> judge(const Context& c)
{
    Judged j;
    if (auto f = personFromRequestOrStore(c, j.person, j.stored))
        return *f;
    auto g = gateContext(c, j.stored);
    if (!g)
        return fail(g.error());
    j.gate = *g;
    j.settings = c.store.settings();
    auto d = decide(j.person, j.gate, c.clock, j.settings.rules);
    if (!d)
        return fail(d.error());
    j.decision = std::move(*d);
    return j;
}

json statsJson(const Stats& s)
{
    return json{{"persons", s.persons},
                {"by_person_type", s.byPersonType},
                {"returned_14d", s.returnedWithinWindow},
                {"home_observation", s.underObservation},
                {"fever_today", s.feverToday},
                {"entries_today", s.entriesToday},
                {"in_today", s.inToday},
                {"out_today", s.outToday},
                {"allow_today", s.allowToday},
                {"refer_today", s.referToday},
                {"deny_today", s.denyToday},
                {"hourly_today", s.hourlyToday}};
}

json headerJson(const BatchHeader& h)
{
    return json{{"community_code", h.communityCode}, {"community_name", h.communityName}, {"gate", h.gate},
                {"seq", h.seq}, {"created_at", h.createdAt}, {"from", h.fromMs}, {"to", h.toMs},
                {"persons", h.persons}, {"entries", h.entries}, {"body_sha256", h.bodySha256}};
}

json exportedJson(const ExportedBatch& b)
{
    return json{{"seq", b.header.seq},
                {"header", headerJson(b.header)},
                {"file", {{"name", b.fileName}, {"text", b.text}}},
                {"csv", {{"name", b.csvName}, {"text", b.csv}}},
                {"counts", {{"persons", b.header.persons}, {"entries", b.header.entries}}}};
}

json pendingJson(const Store& s)
{
    PendingCounts p = pendingCounts(s);
    return json{{"persons", p.persons}, {"entries", p.entries}};
}

template <typename T>
Reply fromResult(Result<T> r, std::function<json(const T&)> ok)
{
    if (!r)
        return fail(r.error());
    return ok(*r);
}

using Handler = Reply (*)(Context&);

const std::map<std::string, Handler, std::less<>>& handlers()
{
    static const std::map<std::string, Handler, std::less<>> table{
        {"fields", [](Context&) -> Reply { return fieldsJson(); }},
        {"info", [](Context& c) -> Reply {
             return json{{"schema_version", c.store.schemaVersion()}, {"pass_format", kPassFormat}, {"batch_format", kBatchFormat}};
         }},
        {"integrity", [](Context& c) -> Reply { return json{{"result", c.store.integrityCheck()}}; }},
        {"person.validate", [](Context& c) -> Reply {
             Person p;
             std::optional<IdNumberInfo> id;
             if (auto f = checkPerson(c, p, &id))
                 return *f;
             json out{{"person", toJson(p)}, {"masked", maskedJson(p)}};
             if (id)
                 out["derived"] = {{"birth_date", id->birthDate.toString()}, {"sex", id->male ? "male" : "female"}};
             return out;
         }},
        {"person.save", [](Context& c) -> Reply {
             Person p;
             if (auto f = checkPerson(c, p))
                 return *f;
             std::string replaces = stringArg(c, "replaces");
             if (!replaces.empty() && replaces != p.docNumber && c.store.findPerson(p.docNumber))
                 return fail(Message{"person.duplicate", "已有相同证件号码的登记", "Someone with this document number is already registered", "doc_number"});
             PersonRecord rec{p, c.clock.unixMs, std::nullopt, ""};
             if (auto s = c.store.savePerson(rec, replaces); !s)
                 return fail(s.error());
             return json{{"record", recordJson(*c.store.findPerson(p.docNumber))}};
         }},
        {"person.list", [](Context& c) -> Reply {
             json list = json::array();
             for (const auto& r : c.store.listPersons())
                 list.push_back(recordJson(r));
             return json{{"records", list}};
         }},
        {"person.get", [](Context& c) -> Reply {
             auto r = c.store.findPerson(stringArg(c, "doc_number"));
             if (!r)
                 return fail(Message{"person.not_found", "没有找到此人", "No such person", ""});
             return json{{"record", recordJson(*r)}};
         }},
        {"person.delete", [](Context& c) -> Reply {
             if (auto r = c.store.deletePerson(stringArg(c, "doc_number")); !r)
                 return fail(r.error());
             return json::object();
         }},
        {"pass.encode", [](Context& c) -> Reply {
             Person p;
             if (auto f = checkPerson(c, p))
                 return *f;
             return fromResult<std::string>(encodePass(p, c.clock.unixMs), [](const std::string& t) { return json{{"text", t}}; });
         }},
        {"pass.decode", [](Context& c) -> Reply {
             return fromResult<DecodedPass>(decodePass(stringArg(c, "text")), [](const DecodedPass& d) {
                 return json{{"person", toJson(d.person)}, {"issued_at", d.issuedAtMs}};
             });
         }},
        {"scan", [](Context& c) -> Reply {
             auto d = decodePass(stringArg(c, "text"));
             if (!d)
                 return fail(d.error());
             auto stored = c.store.findPerson(d->person.docNumber);
             json out{{"person", toJson(d->person)},
                      {"issued_at", d->issuedAtMs},
                      {"masked", maskedJson(d->person)},
                      {"known", bool(stored)},
                      {"verified", stored && stored->verifiedAt},
                      {"changed", stored && stored->person != d->person}};
             if (stored && stored->verifiedAt)
                 out["verified_at"] = *stored->verifiedAt;
             return out;
         }},
        {"person.verify", [](Context& c) -> Reply {
             Person p;
             if (auto f = checkPerson(c, p))
                 return *f;
             std::string staff = stringArg(c, "staff");
             int64_t issued = c.req.value("issued_at", c.clock.unixMs);
             PersonRecord rec{p, issued, c.clock.unixMs, staff};
             if (auto s = c.store.savePerson(rec); !s)
                 return fail(s.error());
             return json{{"record", recordJson(*c.store.findPerson(p.docNumber))}};
         }},
        {"decide", [](Context& c) -> Reply {
             auto judged = judge(c);
             if (auto* f = std::get_if<Failure>(&judged))
                 return *f;
             const Decision& d = std::get<Judged>(judged).decision;
             return json{{"verdict", keyOf(d.verdict)}, {"reasons", toJson(d.reasons)}};
         }},
        {"entry.record", [](Context& c) -> Reply {
             auto judged = judge(c);
             if (auto* f = std::get_if<Failure>(&judged))
                 return *f;
             auto& [p, stored, g, settings, d] = std::get<Judged>(judged);
             // A newer pass brings the person's current answers: keep them.
             int64_t issued = c.req.value("issued_at", int64_t(0));
             if (!stored || (c.req.contains("person") && issued > stored->updatedAt && stored->person != p)) {
                 PersonRecord rec{p, issued ? issued : c.clock.unixMs, std::nullopt, ""};
                 if (auto s = c.store.savePerson(rec); !s)
                     return fail(s.error());
             }
             Entry e{newEntryId(), p.docNumber, p.name, p.personType, c.clock.unixMs, g.direction, g.temperature,
                     d.verdict, d.reasons, settings.gateName, stringArg(c, "staff")};
             if (auto s = c.store.addEntry(e); !s)
                 return fail(s.error());
             return json{{"entry", entryJson(e)}, {"pending", pendingJson(c.store)}};
         }},
        {"entries.today", [](Context& c) -> Reply {
             int limit = c.req.value("limit", 500);
             json list = json::array();
             int64_t from = c.clock.dayStartMs();
             for (const auto& e : c.store.entriesBetween(from, from + 86'400'000, limit))
                 list.push_back(entryJson(e));
             return json{{"entries", list}};
         }},
        {"entries.of", [](Context& c) -> Reply {
             json list = json::array();
             for (const auto& e : c.store.entriesOf(stringArg(c, "doc_number"), c.req.value("limit", 100)))
                 list.push_back(entryJson(e));
             return json{{"entries", list}};
         }},
        {"search", [](Context& c) -> Reply {
             json list = json::array();
             for (const auto& r : c.store.search(stringArg(c, "query"), c.req.value("limit", 50)))
                 list.push_back(recordJson(r));
             return json{{"records", list}};
         }},
        {"stats", [](Context& c) -> Reply { return statsJson(c.store.stats(c.clock)); }},
        {"settings.get", [](Context& c) -> Reply { return json{{"settings", toJson(c.store.settings())}}; }},
        {"settings.set", [](Context& c) -> Reply {
             if (!c.req.contains("settings"))
                 return badRequest("settings");
             auto s = settingsFromJson(c.req["settings"], c.store.settings());
             if (!s)
                 return fail(s.error());
             if (auto r = c.store.saveSettings(*s); !r)
                 return fail(r.error());
             return json{{"settings", toJson(*s)}};
         }},
        {"batch.pending", [](Context& c) -> Reply { return pendingJson(c.store); }},
        {"batch.export", [](Context& c) -> Reply {
             auto b = exportPending(c.store, c.clock);
             if (!b)
                 return fail(b.error());
             json out = exportedJson(*b);
             out["pending"] = pendingJson(c.store);
             return out;
         }},
        {"batch.get", [](Context& c) -> Reply {
             return fromResult<ExportedBatch>(exportedBatch(c.store, c.req.value("seq", int64_t(0))), exportedJson);
         }},
        {"batch.list", [](Context& c) -> Reply {
             json list = json::array();
             for (const auto& h : listExports(c.store)) {
                 json j = headerJson(h);
                 auto s = c.store.db().prepare("SELECT uploaded_at FROM exports WHERE seq = ?");
                 s.bind(1, h.seq);
                 j["uploaded_at"] = s.step() && !s.isNull(0) ? json(s.integer(0)) : json(nullptr);
                 list.push_back(j);
             }
             return json{{"batches", list}};
         }},
        {"batch.uploaded", [](Context& c) -> Reply {
             auto s = c.store.db().prepare("UPDATE exports SET uploaded_at = ? WHERE seq = ? AND uploaded_at IS NULL");
             s.bind(1, c.clock.unixMs).bind(2, c.req.value("seq", int64_t(0))).step();
             if (s.rc() != SQLITE_DONE)
                 return fail(storageError(c.store.db(), "marking a batch uploaded"));
             return json::object();
         }},
        {"batch.import", [](Context& c) -> Reply {
             return fromResult<ImportReport>(importBatch(c.store, stringArg(c, "text"), c.clock), [](const ImportReport& r) {
                 return json{{"header", headerJson(r.header)},   {"already", r.alreadyImported},
                             {"added_persons", r.personsAdded}, {"updated_persons", r.personsUpdated},
                             {"added_entries", r.entriesAdded}, {"conflicts", toJson(r.conflicts)}};
             });
         }},
    };
    return table;
}

} // namespace

Api::Api(Store store) : store_(std::move(store)) {}

std::string Api::call(std::string_view requestJson)
{
    json reply;
    try {
        json req = json::parse(requestJson, nullptr, false);
        if (!req.is_object() || !req.contains("op") || !req["op"].is_string()) {
            reply = {{"ok", false}, {"error", toJson(badRequest("op").error)}};
            return reply.dump();
        }
        Clock clock = Clock::system();
        if (auto it = req.find("now"); it != req.end() && it->is_number())
            clock.unixMs = it->get<int64_t>();
        if (auto it = req.find("tz"); it != req.end() && it->is_number_integer())
            clock.utcOffsetMinutes = it->get<int>();
        auto& table = handlers();
        auto h = table.find(req["op"].get<std::string>());
        if (h == table.end()) {
            reply = {{"ok", false}, {"error", toJson(badRequest("unknown op " + req["op"].get<std::string>()).error)}};
            return reply.dump();
        }
        Context ctx{store_, req, clock};
        Reply r = h->second(ctx);
        if (auto* ok = std::get_if<json>(&r)) {
            reply = std::move(*ok);
            reply["ok"] = true;
        } else {
            auto& f = std::get<Failure>(r);
            reply = {{"ok", false}, {"error", toJson(f.error)}};
            if (!f.errors.empty())
                reply["errors"] = toJson(f.errors);
        }
    } catch (const std::exception& e) {
        // A wrong-typed argument (nlohmann's value() on a string, say) lands here.
        reply = {{"ok", false}, {"error", toJson(badRequest(e.what()).error)}};
    }
    return reply.dump(-1, ' ', false, json::error_handler_t::replace);
}

} // namespace gatepass
