#include "Api.h"
#include "ApiShared.h"

#include "Batch.h"
#include "BatchParts.h"
#include "Base64.h"
#include "CardPass.h"
#include "Feed.h"
#include "Fields.h"
#include "GateEnrollment.h"
#include "GateRevocation.h"
#include "JsonNumber.h"
#include "LiveBand.h"
#include "Passphrase.h"
#include "PosterUrl.h"
#include "Pass.h"
#include "PassRefusal.h"
#include "PersonJson.h"
#include "RecordJson.h"
#include "SettingsForm.h"
#include "StaffAction.h"
#include "UploadStatus.h"
#include "Validation.h"
#include "VisitorPass.h"
#include "VisitorUse.h"

#include <algorithm>

namespace gatepass {

using nlohmann::json;

namespace {

struct Context {
    Store& store;
    const json& req;
    Clock clock;
    std::optional<StaffLock>& lock;
    const PassCrypto& crypto;
    std::optional<BatchParts>& parts;      // a batch file arriving in parts (batch.import.*)
    std::optional<std::string_view> data;  // the request's bytes beside its JSON (batch.import.part)
    const ImportProgressFn& progress;      // hears an import advance (Api::onProgress)
};

// --- shared pieces ---------------------------------------------------------------------

json entriesJson(const std::vector<Entry>& entries, const Clock& clock)
{
    json list = json::array();
    for (const Entry& e : entries) {
        json j = toJson(e);
        j["masked_doc_number"] = maskDocNumber(e.docNumber);
        j["words"] = toJson(entryWords(e, clock.utcOffsetMinutes));
        list.push_back(std::move(j));
    }
    return list;
}

// How many rows a list request may ask for at once.
constexpr int64_t kMaxLimit = 5000;

std::string stringArg(const Context& c, const char* key) { return gatepass::stringArg(c.req, key); }

// The request's staff name as it is logged (StaffAction.h staffName): an
// action with a name that is not valid is refused before anything is done.
std::variant<std::string, Failure> staffArg(const Context& c)
{
    auto n = staffName(stringArg(c, "staff"));
    if (!n)
        return fail(n.error());
    return *n;
}

// Logs what staff did, inside the caller's transaction (the action's own).
Result<Done> logAction(const Context& c, const std::string& staff, StaffActionKind kind, Words detail)
{
    return c.store.logStaffAction(newStaffAction(kind, staff, c.clock.unixMs, c.store.settings().gateName, std::move(detail)));
}

// The person in the request, shaped and validated (ApiShared.h checkPerson).
std::optional<Failure> checkPerson(const Context& c, Person& out) { return gatepass::checkPerson(c.req, c.clock, out); }

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
    auto dir = fromKey<Direction>(stringArg(c, "direction"));
    if (!dir)
        return Message{"direction.invalid", "请选择进或出", "Choose in or out", "direction"};
    g.direction = *dir;
    if (auto t = c.req.find("temperature"); t != c.req.end() && !t->is_null()) {
        // A number, or the text staff typed (the console sends its field as it is).
        if (t->is_string()) {
            auto typed = temperatureFromText(t->get_ref<const std::string&>());
            if (!typed)
                return typed.error();
            g.temperature = *typed;
        } else if (t->is_number()) {
            g.temperature = t->get<double>();
        } else {
            return Message{"temperature.format", "体温应为数字，如36.5", "The temperature must be a number, e.g. 36.5", "temperature"};
        }
    }
    g.verified = stored && stored->verifiedAt;
    return g;
}

// Defined with the passes below.
std::optional<Failure> personFromVisitorPass(const Context& c, Person& person, std::optional<PersonRecord>& stored,
                                             std::optional<VisitorPass>& visitor);

// A gate request judged: who, what the gate knows of them, and the policy's answer.
struct Judged {
    Person person;
    std::optional<PersonRecord> stored;
    GateContext gate;
    Settings settings;
    Decision decision;
    std::optional<VisitorPass> visitor; // read from a visitor pass: entry.record stores its use (VisitorUse.h)
};

// The common first half of `decide` and `entry.record`, so both judge alike.
std::variant<Judged, Failure> judge(const Context& c)
{
    Judged j;
    std::optional<VisitorPass>& visitor = j.visitor;
    if (c.req.contains("visitor_pass")) {
        if (auto f = personFromVisitorPass(c, j.person, j.stored, visitor))
            return *f;
    } else if (auto f = personFromRequestOrStore(c, j.person, j.stored)) {
        return *f;
    }
    auto g = gateContext(c, j.stored);
    if (!g)
        return fail(g.error());
    j.gate = *g;
    j.gate.hostPass = visitor.has_value();
    if (visitor && j.gate.direction == Direction::In && visitorPassSpent(c.store, *visitor))
        return fail(visitorPassUsed());
    if (auto r = c.store.revocation("person", j.person.docNumber); r && !isVisitorUse(*r))
        return fail(revokedPass(r->reason));
    // A printed card: checked against its revocations again, and every visit referred (Policy.h).
    if (c.req.contains("card")) {
        auto n = normalizeCardNumber(stringArg(c, "card"));
        if (!n)
            return fail(n.error());
        if (auto r = c.store.revocation("card", *n))
            return fail(revokedCard(*n, r->reason));
        j.gate.card = *n;
    }
    if (auto w = c.store.watchEntry(j.person.docNumber))
        j.gate.watchReason = w->reason;
    j.settings = c.store.settings();
    // Counting who is inside scans every entry; at 7:30 that is paid only
    // where a cap asks for it (the policy reads the count only then).
    if (j.settings.rules.maxVisitorsInside > 0)
        j.gate.visitorsInside = c.store.insideByPersonType()[std::string(keyOf(PersonType::Visitor))];
    auto d = decide(j.person, j.gate, c.clock, j.settings.rules);
    if (!d)
        return fail(d.error());
    j.decision = std::move(*d);
    return j;
}

json decisionJson(const Decision& d)
{
    return json{{"verdict", keyOf(d.verdict)}, {"verdict_words", toJson(wordsOf(d.verdict))}, {"reasons", toJson(d.reasons)}};
}

json pendingJson(const PendingCounts& p)
{
    return json{{"persons", p.persons}, {"entries", p.entries}, {"deletions", p.deletions}};
}

// "3 条进出 · 2 人 · 1 项撤销" / "3 entries · 2 people · 1 revocation": what an
// export would carry (batch.pending) or a batch carried (batch.list), in the
// same words; deletions, revocations staff made and visitor pass uses
// (VisitorUse.h) only when there are any.
json countsWords(int entries, int persons, int deletions, int revocations, int visitorUses)
{
    auto en = [](int n, const char* one, const char* many) { return std::to_string(n) + " " + (n == 1 ? one : many); };
    std::string zh = std::to_string(entries) + " 条进出 · " + std::to_string(persons) + " 人";
    std::string e = en(entries, "entry", "entries") + " · " + en(persons, "person", "people");
    if (deletions) {
        zh += " · " + std::to_string(deletions) + " 项删除";
        e += " · " + en(deletions, "deletion", "deletions");
    }
    if (revocations) {
        zh += " · " + std::to_string(revocations) + " 项撤销";
        e += " · " + en(revocations, "revocation", "revocations");
    }
    if (visitorUses) {
        zh += " · " + std::to_string(visitorUses) + " 次访客码使用";
        e += " · " + en(visitorUses, "visitor pass use", "visitor pass uses");
    }
    return json{{"zh", zh}, {"en", e}};
}

// What the console shows and acts on (batch.pending): the counts with the
// revocations made here, whether an export would make a batch, and the line in
// words. (person.delete's `pending` keeps the shape the resident core answers too: ResidentApi.h.)
json gatePendingJson(const Store& s)
{
    const PendingCounts c = s.pendingCounts();
    json p = pendingJson(c);
    // A single-use visitor pass let in is no revocation staff made: counted and worded apart.
    const int uses = pendingVisitorUses(s), revoked = c.revocations - uses;
    p["revocations"] = revoked;
    p["visitor_uses"] = uses;
    p["exportable"] = c.exportable();
    p["words"] = countsWords(c.entries, c.persons, c.deletions, revoked, uses);
    return p;
}

json exportedJson(const ExportedBatch& b)
{
    return json{{"seq", b.header.seq},
                {"header", headerJson(b.header)},
                {"file", {{"name", b.fileName}, {"text", b.text}}},
                {"csv", {{"name", b.csvName}, {"text", b.csv}}},
                {"counts", {{"persons", b.header.persons}, {"entries", b.header.entries}}}};
}

// --- info ------------------------------------------------------------------------------

Reply info(Context& c)
{
    return json{{"schema_version", c.store.schemaVersion()}, {"pass_format", kPassFormat}, {"batch_format", exportFormat(c.store.settings())}};
}

Reply integrity(Context& c) { return json{{"result", c.store.integrityCheck()}}; }

Reply fieldList(Context&) { return fieldsReply(); }

// --- persons ---------------------------------------------------------------------------

Reply personValidate(Context& c) { return personValidateReply(c.req, c.clock); }

Reply personSave(Context& c)
{
    return personSaveReply(c.req, c.clock, [&](std::string_view doc) { return c.store.findPerson(doc); },
                           [&](const PersonRecord& r, std::string_view replaces) { return c.store.savePerson(r, replaces); });
}

Reply personList(Context& c) { return json{{"records", recordsJson(c.store.listPersons())}}; }

Reply personGet(Context& c)
{
    auto r = c.store.findPerson(stringArg(c, "doc_number"));
    if (!r)
        return fail(notFound());
    return json{{"record", recordJson(*r)}};
}

Reply personReveal(Context& c)
{
    auto staff = staffArg(c);
    if (auto* f = std::get_if<Failure>(&staff))
        return *f;
    Person p;
    std::optional<PersonRecord> stored;
    if (auto f = personFromRequestOrStore(c, p, stored))
        return *f;
    Transaction t = c.store.transaction();
    if (!t.begun())
        return fail(t.beginError());
    if (auto r = logAction(c, std::get<std::string>(staff), StaffActionKind::Reveal, revealDetail(p.docNumber)); !r)
        return fail(r.error());
    if (auto r = t.commit(); !r)
        return fail(r.error());
    return json{{"doc_number", p.docNumber}, {"phone", p.phone}};
}

Reply personDelete(Context& c)
{
    auto r = deletePersonEverywhere(c.store, stringArg(c, "doc_number"), c.clock, c.crypto);
    if (!r)
        return fail(r.error());
    return json{{"deleted_entries", *r}, {"pending", pendingJson(c.store.pendingCounts())}};
}

Reply search(Context& c) { return json{{"records", recordsJson(c.store.search(stringArg(c, "query"), int(intArg(c.req, "limit", 1, kMaxLimit, 50))))}}; }

// --- passes ---------------------------------------------------------------------------

Reply passEncode(Context& c) { return passEncodeReply(c.req, c.clock); }

// A printed pass card for a stored person (CardPass.h): sealed to the gate's
// current community key, numbered under this gate's issuer with the next of
// its counter (setting "card_last"), logged as a staff action with the counter
// in one transaction. A gate without a key prints the plain pass, which only
// gates without a key read.
Reply cardIssue(Context& c)
{
    auto staff = staffArg(c);
    if (auto* f = std::get_if<Failure>(&staff))
        return *f;
    auto stored = c.store.findPerson(stringArg(c, "doc_number"));
    if (!stored)
        return fail(notFound());
    Settings s = c.store.settings();
    std::vector<CommunityKey> keys = communityKeys(s.communityKeys);
    if (keys.empty()) {
        auto text = encodePass(stored->person, stored->updatedAt);
        if (!text)
            return fail(text.error());
        return json{{"text", *text}};
    }
    auto issuer = gateCardIssuer(s.gateKey);
    if (!issuer)
        return fail(issuer.error());
    if (!c.crypto.available())
        return fail(cryptoUnavailable());
    auto current = std::find_if(keys.begin(), keys.end(), [](const CommunityKey& k) { return k.untilMs == 0; });
    const CommunityKey& key = current != keys.end() ? *current : keys.front();
    int64_t last = 0;
    if (auto v = c.store.setting("card_last"))
        last = std::strtoll(v->c_str(), nullptr, 10);
    auto number = cardNumber(*issuer, last + 1);
    if (!number)
        return fail(number.error());
    auto plain = cardPassPlain(stored->person, stored->updatedAt, *number);
    if (!plain)
        return fail(plain.error());
    auto keyId = c.crypto.keyId(key.publicKey);
    auto sealed = keyId ? c.crypto.seal(*plain, key.publicKey) : std::nullopt;
    if (!sealed)
        return fail(cryptoUnavailable());
    Transaction t = c.store.transaction();
    if (!t.begun())
        return fail(t.beginError());
    if (auto r = c.store.setSetting("card_last", std::to_string(last + 1)); !r)
        return fail(r.error());
    if (auto r = logAction(c, std::get<std::string>(staff), StaffActionKind::Card,
                           sameWords(*number + " · " + maskDocNumber(stored->person.docNumber)));
        !r)
        return fail(r.error());
    if (auto r = t.commit(); !r)
        return fail(r.error());
    return json{{"text", frameSealedPass(*keyId, *sealed)}, {"number", *number}};
}

// A pass as the gate read it: the record, and for a live pass when it was made.
struct ReadPass {
    Person person;
    int64_t issuedAtMs = 0;
    std::optional<int64_t> madeAtMs; // live passes only
    std::optional<std::string> card; // printed cards only (CardPass.h): the card number
    bool enrolled = false;           // the gate holds a community key
    std::optional<VisitorPass> visitor; // a visitor pass (VisitorPass.h): person is visitorPerson(*visitor)
};

// A visitor pass on one of its days: the visitor as the gate records them.
Result<ReadPass> readVisitor(const Context& c, std::string_view plain, ReadPass out)
{
    auto v = readVisitorPassPlain(plain);
    if (!v)
        return v.error();
    if (auto m = visitorDayCheck(*v, c.clock.today()))
        return *m;
    out.person = visitorPerson(*v);
    out.issuedAtMs = v->madeAtMs;
    out.visitor = std::move(*v);
    return out;
}

/// Either format, as this gate may take it: a live pass opened with one of the
/// gate's keys and checked against the clock; a plain pass only at a gate with
/// no key (an enrolled gate refuses it: it may be any old screenshot).
Result<ReadPass> readPass(const Context& c, std::string_view text)
{
    Settings s = c.store.settings();
    std::vector<CommunityKey> keys = communityKeys(s.communityKeys);
    ReadPass out;
    out.enrolled = !keys.empty();
    if (text.starts_with(kSealedPassPrefix)) {
        auto plain = openSealedPlain(text, keys, c.crypto, c.clock.unixMs);
        if (!plain)
            return plain.error();
        if (!plain->empty() && uint8_t((*plain)[0]) == kCardPassFormat) {
            auto card = readCardPassPlain(*plain);
            if (!card)
                return card.error();
            out.person = std::move(card->person);
            out.issuedAtMs = card->issuedAtMs;
            out.card = std::move(card->number);
            return out;
        }
        if (!plain->empty() && uint8_t((*plain)[0]) == kVisitorPassFormat)
            return readVisitor(c, *plain, std::move(out));
        auto live = readLivePassPlain(*plain, c.clock.unixMs, LiveWindow{s.rules.passMaxAgeSeconds, s.rules.passMaxAheadSeconds});
        if (!live)
            return live.error();
        out.person = std::move(live->person);
        out.issuedAtMs = live->issuedAtMs;
        out.madeAtMs = live->madeAtMs;
        return out;
    }
    if (out.enrolled && text.starts_with(kPassPrefix))
        return plainPassAtEnrolledGate();
    auto d = decodePass(text);
    if (!d)
        return d.error();
    out.person = std::move(d->person);
    out.issuedAtMs = d->issuedAtMs;
    return out;
}

// How old a live pass is, in words: what the guard compares with the phone's ticking clock.
// The visitor of the request's visitor_pass (read again, as scan read it), for decide and entry.record.
std::optional<Failure> personFromVisitorPass(const Context& c, Person& person, std::optional<PersonRecord>& stored,
                                             std::optional<VisitorPass>& visitor)
{
    auto d = readPass(c, stringArg(c, "visitor_pass"));
    if (!d)
        return fail(d.error());
    if (!d->visitor)
        return badRequest("visitor_pass");
    visitor = std::move(d->visitor);
    person = std::move(d->person);
    stored = c.store.findPerson(person.docNumber);
    return std::nullopt;
}

json ageJson(int64_t madeAtMs, const Clock& clock)
{
    int64_t seconds = (clock.unixMs - madeAtMs) / 1000;
    Words w = seconds >= 0 ? Words{std::to_string(seconds) + " 秒前生成", "made " + std::to_string(seconds) + " s ago"}
                           : Words{"生成时间比本机快 " + std::to_string(-seconds) + " 秒",
                                   "made " + std::to_string(-seconds) + " s ahead of this console"};
    return json{{"seconds", seconds}, {"zh", w.zh}, {"en", w.en}};
}

Reply passDecode(Context& c)
{
    auto d = readPass(c, stringArg(c, "text"));
    if (!d)
        return fail(d.error());
    json out{{"person", toJson(d->person)}, {"issued_at", d->issuedAtMs}};
    if (d->madeAtMs)
        out["made_at"] = *d->madeAtMs;
    if (d->card)
        out["card"] = *d->card;
    return out;
}

Reply passLive(Context& c)
{
    return livePassReply(c.store.settings(), c.store.findPerson(stringArg(c, "doc_number")), c.crypto, c.clock);
}

Reply visitorPassOp(Context& c)
{
    return visitorPassReply(c.store.settings(), c.store.findPerson(stringArg(c, "doc_number")), c.req, c.crypto, c.clock);
}

Reply liveClock(Context& c) { return liveClockReply(c.clock); }

// --- the gate --------------------------------------------------------------------------

// A pass the gate will not take, with how the console shows it (PassRefusal.h).
Failure refusedPass(Message m)
{
    PassRefusal r = passRefusal(m.code);
    Failure f = fail(std::move(m));
    f.details["refusal"] = json{{"tone", r.tone}, {"title", toJson(r.title)}};
    return f;
}

Reply scan(Context& c)
{
    auto d = readPass(c, stringArg(c, "text"));
    if (!d)
        return refusedPass(d.error());
    // Revoked by the office: refused like a damaged pass, and nothing of it is kept.
    // (A single-use visitor pass's use, from any gate, is no revocation: the visitor rule below.)
    if (auto r = c.store.revocation("person", d->person.docNumber); r && !isVisitorUse(*r))
        return refusedPass(revokedPass(r->reason));
    if (auto r = d->card ? c.store.revocation("card", *d->card) : std::nullopt)
        return refusedPass(revokedCard(*d->card, r->reason));
    // A used single-use visitor pass still lets its visitor out, never in again.
    const auto visitorNow = d->visitor ? std::optional(visitorAtScan(c.store, *d->visitor)) : std::nullopt;
    if (visitorNow && visitorNow->refusal)
        return refusedPass(*visitorNow->refusal);
    auto stored = c.store.findPerson(d->person.docNumber);
    json changes = stored ? changesJson(stored->person, d->person) : json::array();
    json out{{"person", toJson(d->person)},
             {"issued_at", d->issuedAtMs},
             {"masked", maskedJson(d->person)},
             {"display", displayJson(d->person)},
             {"known", bool(stored)},
             // A visitor pass has no ID card to check: the host vouches (Policy.h GateContext::hostPass).
             {"verified", (stored && stored->verifiedAt) || d->visitor},
             {"changed", !changes.empty()},
             {"changes", changes},
             {"live", bool(d->madeAtMs)},
             {"enrolled", d->enrolled},
             // The console starts from the opposite of this person's last movement here.
             {"direction", keyOf(visitorNow ? visitorNow->direction : suggestedDirection(c.store.lastMovement(d->person.docNumber)))}};
    if (d->madeAtMs) {
        out["made_at"] = *d->madeAtMs;
        out["age"] = ageJson(*d->madeAtMs, c.clock);
        out["band"] = bandJson(c.clock);
    }
    if (d->card)
        out["card"] = *d->card;
    if (stored && stored->verifiedAt)
        out["verified_at"] = *stored->verifiedAt;
    // What decide and entry.record are to be asked about, sent back as it is: a
    // visitor pass is read again there; a card's number rides with its holder's
    // document number, so a face cannot lose the card's every-visit ID check.
    json subject = d->visitor ? json{{"visitor_pass", stringArg(c, "text")}} : json{{"doc_number", d->person.docNumber}};
    if (d->card)
        subject["card"] = *d->card;
    out["subject"] = std::move(subject);
    if (d->visitor) {
        out["visitor"] = visitorJson(*d->visitor);
        out["visitor"]["uses"] = toJson(visitorNow->uses);
    }
    out["revoke"] = revokeOffers(d->person, d->card, d->visitor.has_value());
    GateContext g;
    if (auto w = c.store.watchEntry(d->person.docNumber))
        g.watchReason = w->reason;
    g.card = d->card;
    if (auto a = alertAtScan(g))
        out["alert"] = decisionJson(*a);
    return out;
}

// The version of a record from a pass: when the resident made it, by the phone's
// clock — but never later than now by the gate's, so a phone whose clock runs
// ahead cannot make a version every later one loses to (nor a batch the office
// refuses as from the future). 0 when the request names none.
int64_t passVersion(const Context& c)
{
    return std::min(intArg(c.req, "issued_at", 0, kLatestMs, 0), c.clock.unixMs);
}

Reply personVerify(Context& c)
{
    Person p;
    if (auto f = checkPerson(c, p))
        return *f;
    // The record's version is the pass's: its issue time, not the moment of checking.
    int64_t issued = c.req.contains("issued_at") ? passVersion(c) : c.clock.unixMs;
    if (auto s = c.store.savePerson(PersonRecord{p, issued, c.clock.unixMs, stringArg(c, "staff")}); !s)
        return fail(s.error());
    return json{{"record", recordJson(*c.store.findPerson(p.docNumber))}};
}

Reply decideOp(Context& c)
{
    auto judged = judge(c);
    if (auto* f = std::get_if<Failure>(&judged))
        return *f;
    return decisionJson(std::get<Judged>(judged).decision);
}

Reply temperatureStep(Context& c)
{
    return json{{"text", steppedTemperature(stringArg(c, "text"), int(intArg(c.req, "tenths", -10, 10, 0)))}};
}

Reply entryRecord(Context& c)
{
    auto judged = judge(c);
    if (auto* f = std::get_if<Failure>(&judged))
        return *f;
    auto& [p, stored, g, settings, d, visitor] = std::get<Judged>(judged);
    // The person, the entry and a visitor pass's use: all or none.
    Transaction t = c.store.transaction();
    if (!t.begun())
        return fail(t.beginError());
    // A newer pass brings the person's current answers: keep them.
    int64_t issued = passVersion(c);
    if (!stored || (c.req.contains("person") && issued > stored->updatedAt && stored->person != p)) {
        if (auto s = c.store.savePerson(PersonRecord{p, issued ? issued : c.clock.unixMs, std::nullopt, ""}); !s)
            return fail(s.error());
    }
    Entry e{newEntryId(), p.docNumber, p.name, p.personType, c.clock.unixMs, g.direction, g.temperature,
            d.verdict, d.reasons, settings.gateName, stringArg(c, "staff")};
    // The rule an office applies to the batch, applied before the entry exists.
    if (auto m = checkEntry(e))
        return fail(*m);
    if (auto s = c.store.addEntry(e); !s)
        return fail(s.error());
    if (auto s = visitor ? recordVisitorUse(c.store, *visitor, e) : Result<Done>(Done{}); !s)
        return fail(s.error());
    if (auto s = t.commit(); !s)
        return fail(s.error());
    return json{{"entry", entriesJson({e}, c.clock)[0]}, {"pending", gatePendingJson(c.store)}};
}

// --- entries ---------------------------------------------------------------------------

Reply entriesToday(Context& c)
{
    int64_t from = c.clock.dayStartMs();
    Verdict atLeast = Verdict::Allow;
    if (auto a = c.req.find("at_least"); a != c.req.end() && !a->is_null()) {
        auto v = a->is_string() ? fromKey<Verdict>(a->get_ref<const std::string&>()) : std::nullopt;
        if (!v)
            return badRequest("at_least");
        atLeast = *v;
    }
    int limit = int(intArg(c.req, "limit", 1, kMaxLimit, 500));
    return json{{"entries", entriesJson(c.store.entriesBetween(from, from + 86'400'000, limit, atLeast), c.clock)}};
}

Reply entriesOf(Context& c)
{
    return json{{"entries", entriesJson(c.store.entriesOf(stringArg(c, "doc_number"), int(intArg(c.req, "limit", 1, kMaxLimit, 100))), c.clock)}};
}

Reply stats(Context& c) { return toJson(c.store.stats(c.clock)); }

Reply insideNow(Context& c)
{
    auto byType = c.store.insideByPersonType();
    int total = 0;
    for (const auto& [type, n] : byType)
        total += n;
    return json{{"inside_now", total}, {"inside_by_person_type", insideJson(byType)}};
}

// --- settings --------------------------------------------------------------------------

Reply settingsGet(Context& c) { return settingsReply(c.store.settings()); }

// Where batches go now, when that changed: "from → to" (loggedAddress).
Result<Done> logAddressChange(const Context& c, const std::string& staff, const Settings& before, const Settings& after)
{
    if (before.uploadUrl == after.uploadUrl)
        return Done{};
    std::string from = before.uploadUrl.empty() ? "—" : loggedAddress(before.uploadUrl);
    std::string to = after.uploadUrl.empty() ? "—" : loggedAddress(after.uploadUrl);
    return logAction(c, staff, StaffActionKind::UploadAddress, sameWords(from + " → " + to));
}

// The settings' change logged: the keys that changed (never their values),
// and the upload address, which decides where the data goes, as its own kind.
Result<Done> logSettingsChange(const Context& c, const std::string& staff, const Settings& before, const Settings& after)
{
    std::vector<std::string> keys = changedSettingKeys(before, after);
    if (!keys.empty()) {
        std::string list;
        for (const std::string& k : keys)
            list += (list.empty() ? "" : ", ") + k;
        if (auto r = logAction(c, staff, StaffActionKind::Settings, sameWords(list)); !r)
            return r;
    }
    return logAddressChange(c, staff, before, after);
}

Reply settingsSet(Context& c)
{
    if (!c.req.contains("settings"))
        return badRequest("settings");
    auto staff = staffArg(c);
    if (auto* f = std::get_if<Failure>(&staff))
        return *f;
    Settings before = c.store.settings();
    auto s = settingsFromJson(c.req["settings"], before);
    if (!s)
        return fail(s.error());
    Transaction t = c.store.transaction();
    if (!t.begun())
        return fail(t.beginError());
    if (auto r = c.store.saveSettings(*s); !r)
        return fail(r.error());
    if (auto r = logSettingsChange(c, std::get<std::string>(staff), before, *s); !r)
        return fail(r.error());
    if (auto r = t.commit(); !r)
        return fail(r.error());
    return settingsReply(*s);
}

// --- enrolling this gate ----------------------------------------------------------------

Reply enrollPrepare(Context& c)
{
    auto sealed = splitEnrollmentCode(stringArg(c, "code"));
    if (!sealed)
        return fail(sealed.error());
    std::string passphrase = normalizePassphrase(stringArg(c, "passphrase"));
    if (passphrase.empty())
        return fail(Message{"enroll.no_passphrase", "请输入与登记码一起提供的口令", "Type the passphrase given with the enrollment code",
                            "passphrase"});
    return json{{"passphrase", passphrase},
                {"salt", encodeBase64Url(sealed->salt)},
                {"nonce", encodeBase64Url(sealed->nonce)},
                {"box", encodeBase64Url(sealed->box)}};
}

// The request's "enrollment": the JSON the worker opened from a code, checked.
// Absent or null means the box did not open (a wrong passphrase or an altered code).
std::variant<GateEnrollment, Failure> enrollmentArg(const Context& c)
{
    auto it = c.req.find("enrollment");
    if (it == c.req.end() || it->is_null())
        return fail(wrongPassphrase());
    if (!it->is_string())
        return badRequest("enrollment");
    auto e = parseEnrollment(it->get_ref<const std::string&>());
    if (!e)
        return fail(e.error());
    return std::move(*e);
}

Reply gateEnroll(Context& c)
{
    auto arg = enrollmentArg(c);
    if (auto* f = std::get_if<Failure>(&arg))
        return *f;
    const GateEnrollment& e = std::get<GateEnrollment>(arg);
    Settings before = c.store.settings();
    if (!before.communityCode.empty() && before.communityCode != e.communityCode) {
        // What this gate recorded belongs to its community's office: after the
        // switch it could only go to the other one (refused there, 403).
        PendingCounts p = c.store.pendingCounts();
        int unsent = 0;
        if (!before.uploadUrl.empty())
            for (const ExportRecord& r : c.store.listExports())
                unsent += !r.uploadedAt;
        // A revocation made here is for this community's office too (total() counts it).
        const int unexported = p.total();
        if (unexported > 0 || unsent > 0)
            return fail(Message{"enroll.pending_other_community",
                                "本门岗还有未交给社区“" + before.communityName + "”的记录（未导出 " +
                                    std::to_string(unexported) + " 条，未上传批次 " + std::to_string(unsent) +
                                    " 个）：请先上传或导出交给该社区办公室，再登记到其他社区",
                                "This gate holds records not yet handed to community \"" + before.communityName + "\" (" +
                                    std::to_string(unexported) + " not exported, " + std::to_string(unsent) +
                                    " batches not uploaded): upload or export them for that community's office first, then enrol "
                                    "in another community",
                                ""});
    }
    auto staff = staffArg(c);
    if (auto* f = std::get_if<Failure>(&staff))
        return *f;
    Settings s = withEnrollment(before, e);
    Transaction t = c.store.transaction();
    if (!t.begun())
        return fail(t.beginError());
    if (auto r = c.store.saveSettings(s); !r)
        return fail(r.error());
    if (e.revocations) // the office's list when it made the code, as a reply's (its own made here kept)
        if (auto r = c.store.replaceRevocations(*e.revocations); !r)
            return fail(r.error());
    if (auto r = logAction(c, std::get<std::string>(staff), StaffActionKind::Enroll, sameWords(s.communityCode + " / " + s.gateName)); !r)
        return fail(r.error());
    if (auto r = logAddressChange(c, std::get<std::string>(staff), before, s); !r)
        return fail(r.error());
    if (auto r = t.commit(); !r)
        return fail(r.error());
    return settingsReply(s);
}

// --- batches ---------------------------------------------------------------------------

Reply batchPending(Context& c) { return gatePendingJson(c.store); }

Reply batchExport(Context& c)
{
    auto staff = staffArg(c);
    if (auto* f = std::get_if<Failure>(&staff))
        return *f;
    // The automatic export before an upload keeps its files inside (only the
    // office gets them, sealed): no staff action. Staff pressing Export take
    // the files out, the CSV in the clear: logged.
    const bool forUpload = c.req.value("upload", json()) == json(true);
    auto b = exportPending(c.store, c.clock, c.crypto, forUpload ? std::nullopt : std::optional(std::get<std::string>(staff)));
    if (!b)
        return fail(b.error());
    json out = exportedJson(*b);
    out["pending"] = gatePendingJson(c.store);
    return out;
}

Reply batchGet(Context& c)
{
    int64_t seq = intArg(c.req, "seq", 0, kLatestMs, 0);
    auto staff = staffArg(c);
    if (auto* f = std::get_if<Failure>(&staff))
        return *f;
    if (auto m = macStoredExport(c.store, seq, c.crypto); !m)
        return fail(m.error());
    auto b = exportedBatch(c.store, seq, c.clock.utcOffsetMinutes, c.crypto);
    if (!b)
        return fail(b.error());
    // The files again, the CSV in the clear: logged as an export (logged
    // after it was read, so a batch that is gone leaves no trace of nothing).
    std::string n = std::to_string(seq);
    Transaction t = c.store.transaction();
    if (!t.begun())
        return fail(t.beginError());
    if (auto r = logAction(c, std::get<std::string>(staff), StaffActionKind::Export,
                           Words{"再次下载第" + n + "批", "batch " + n + " downloaded again"});
        !r)
        return fail(r.error());
    if (auto r = t.commit(); !r)
        return fail(r.error());
    return exportedJson(*b);
}

Reply batchList(Context& c)
{
    json list = json::array();
    for (const ExportRecord& r : c.store.listExports()) {
        const BatchHeader& h = r.header;
        const int revoked = h.revocations - h.visitorUses; // staff's: a visitor let in is worded apart
        list.push_back({{"seq", h.seq},
                        {"created_at", h.createdAt},
                        {"created", formatLocalTime(h.createdAt, c.clock.utcOffsetMinutes)},
                        {"persons", h.persons},
                        {"entries", h.entries},
                        {"deletions", h.deletions},
                        {"revocations", revoked},
                        {"visitor_uses", h.visitorUses},
                        {"words", countsWords(h.entries, h.persons, h.deletions, revoked, h.visitorUses)},
                        {"community_code", h.communityCode},
                        {"community_name", h.communityName},
                        {"gate", h.gate},
                        {"from", h.fromMs},
                        {"to", h.toMs},
                        {"body_sha256", h.bodySha256},
                        {"uploaded_at", r.uploadedAt ? json(*r.uploadedAt) : json(nullptr)}});
    }
    return json{{"batches", list}};
}

Reply batchUploadRequest(Context& c)
{
    Settings s = c.store.settings();
    if (s.uploadUrl.empty())
        return fail(Message{"upload.no_address", "未设置上传地址：请手动导出", "No upload address set: export by hand", ""});
    if (!uploadUrlAllowed(s.uploadUrl))
        return fail(Message{"upload.insecure_address", "上传地址必须以 https:// 开头（本机测试除外）",
                            "The upload address must start with https:// (except this machine, for a test)", ""});
    int64_t seq = intArg(c.req, "seq", 0, kLatestMs, 0);
    if (auto m = macStoredExport(c.store, seq, c.crypto); !m)
        return fail(m.error());
    auto b = exportedBatch(c.store, seq, c.clock.utcOffsetMinutes, c.crypto);
    if (!b)
        return fail(b.error());
    return json{{"seq", b->header.seq},
                {"url", s.uploadUrl},
                {"token", s.uploadToken},
                {"file", {{"name", b->fileName}, {"text", b->text}}}};
}

Reply batchUploaded(Context& c)
{
    if (auto r = c.store.markUploaded(intArg(c.req, "seq", 0, kLatestMs, 0), c.clock.unixMs); !r)
        return fail(r.error());
    return json::object();
}

Reply batchUploadResult(Context& c)
{
    int64_t seq = intArg(c.req, "seq", 0, kLatestMs, 0);
    int status = int(intArg(c.req, "status", 0, 999, -1));
    if (status < 0)
        return badRequest("status");
    auto arg = [&](const char* key) { return c.req.contains(key) && !c.req[key].is_null(); };
    if ((arg("body") && !c.req["body"].is_string()) || (arg("retry_after") && !c.req["retry_after"].is_string()))
        return badRequest("body / retry_after");
    const bool success = status >= 200 && status < 300;
    bool already = c.req.contains("already") && c.req["already"].is_boolean() && c.req["already"].get<bool>();
    // A 2xx body is the office's reply (Upload.h): "already" and the lists the gate must apply.
    std::optional<Result<GateFeed>> feed;
    // An empty body (an upload address that only answers a status) carries no lists.
    if (success && arg("body") && !c.req["body"].get_ref<const std::string&>().empty()) {
        const std::string& body = c.req["body"].get_ref<const std::string&>();
        json reply = json::parse(body, nullptr, false);
        if (reply.is_object() && reply.contains("already") && reply["already"].is_boolean())
            already = reply["already"].get<bool>();
        feed = feedFromReply(body);
    }
    UploadOutcome o = uploadOutcome(status, already, arg("retry_after") ? c.req["retry_after"].get_ref<const std::string&>() : "");
    json out{{"seq", seq}, {"uploaded", o.accepted}};
    Transaction t = c.store.transaction();
    if (!t.begun())
        return fail(t.beginError());
    // Marked first: the revocations this batch carried are the office's now, and its lists say what stands.
    if (o.accepted)
        if (auto r = c.store.markUploaded(seq, c.clock.unixMs); !r)
            return fail(r.error());
    if (o.accepted && feed && *feed) {
        auto applied = applyFeed(c.store, **feed);
        if (!applied)
            return fail(applied.error());
        out["feed"] = {{"watch_list", applied->watchList},
                       {"revocations", applied->revocations},
                       {"roster_added", applied->rosterAdded},
                       {"roster_updated", applied->rosterUpdated}};
    }
    if (auto r = t.commit(); !r)
        return fail(r.error());
    // The office has the batch whatever its lists hold: marked sent (a resend
    // would only be answered the same), and staff told the lists were not taken.
    if (feed && !*feed) {
        const Message& m = feed->error();
        o.message = Message{m.code, o.message.zh + m.zh, o.message.en + " " + m.en, m.field};
    }
    out["message"] = toJson(o.message);
    if (o.retryAfterMs)
        out["retry_after_ms"] = o.retryAfterMs;
    return out;
}

json importReportJson(const ImportReport& r)
{
    return json{{"header", headerJson(r.header)},   {"already", r.alreadyImported},
                {"added_persons", r.personsAdded}, {"updated_persons", r.personsUpdated},
                {"added_entries", r.entriesAdded}, {"deleted_persons", r.personsDeleted},
                {"added_revocations", r.revocationsAdded}, {"conflicts", toJson(r.conflicts)}};
}

// batch.import and batch.import.end: one way in for a batch, whole or in parts.
Reply importText(Context& c, std::string_view text)
{
    // A gate holds only its own key: its own batches are authenticated, other
    // gates' come in without their "verified" stamps (Batch.h BatchTrust).
    Settings s = c.store.settings();
    BatchTrust trust{c.crypto, [&](std::string_view gate) -> std::optional<std::string> {
                         if (s.gateKey.empty() || gate != s.gateName)
                             return std::nullopt;
                         return s.gateKey;
                     },
                     true, communityKeys(s.communityKeys)}; // an enrolled gate opens its community's sealed batches
    auto staff = staffArg(c);
    if (auto* f = std::get_if<Failure>(&staff))
        return *f;
    const std::string& who = std::get<std::string>(staff);
    const std::string size = std::to_string(text.size());
    // One row an import, in its transaction: what came in. A refused file
    // leaves its row too (in a transaction of its own), with the reason's code.
    auto r = [&]() -> Result<ImportReport> {
        Transaction t = c.store.transaction();
        if (!t.begun())
            return t.beginError();
        auto report = importBatch(c.store, text, c.clock, trust, c.progress);
        if (!report)
            return report;
        const BatchHeader& h = report->header;
        std::string what = h.gate + " #" + std::to_string(h.seq);
        std::string added = std::to_string(report->personsAdded), updated = std::to_string(report->personsUpdated),
                    entries = std::to_string(report->entriesAdded);
        Words detail = report->alreadyImported
                           ? Words{what + "：已导入过，未变", what + ": imported before, nothing changed"}
                           : Words{what + "：新增 " + added + " 人，更新 " + updated + " 人，新增 " + entries + " 条出入记录",
                                   what + ": " + added + " persons added, " + updated + " updated, " + entries + " entries added"};
        if (auto l = logAction(c, who, StaffActionKind::Import, detail); !l)
            return l.error();
        if (auto cm = t.commit(); !cm)
            return cm.error();
        return report;
    }();
    if (!r) {
        Transaction refused = c.store.transaction();
        if (refused.begun() && logAction(c, who, StaffActionKind::Import,
                                         Words{"未导入（" + r.error().code + "），" + size + " 字节",
                                               "refused (" + r.error().code + "), " + size + " bytes"}))
            (void)refused.commit();
        return fail(r.error());
    }
    return importReportJson(*r);
}

Reply batchImport(Context& c)
{
    auto it = c.req.find("text");
    if (it == c.req.end() || !it->is_string())
        return importText(c, std::string_view());
    return importText(c, it->get_ref<const std::string&>()); // no copy of a large file
}

// Where a staged import is: the part ops' reply, and what the progress sink hears while reading.
json partsJson(const BatchParts& p)
{
    ImportProgress progress = importProgress(ImportStep::Reading, uint64_t(p.received()), uint64_t(p.size()));
    return json{{"received", p.received()}, {"size", p.size()}, {"percent", progress.percent}, {"progress", toJson(progress.words)}};
}

void reportReading(Context& c)
{
    if (c.progress)
        c.progress(importProgress(ImportStep::Reading, uint64_t(c.parts->received()), uint64_t(c.parts->size())));
}

Reply batchImportBegin(Context& c)
{
    c.parts.reset(); // an unfinished import is dropped first: its memory is needed now
    if (!c.req.contains("size"))
        return badRequest("size");
    auto parts = BatchParts::begin(intArg(c.req, "size", 0, kLatestMs, 0));
    if (!parts)
        return fail(parts.error());
    c.parts.emplace(std::move(*parts));
    reportReading(c);
    return partsJson(*c.parts);
}

Reply batchImportPart(Context& c)
{
    if (!c.parts)
        return fail(importNotBegun());
    if (!c.data) {
        c.parts.reset();
        return badRequest("data");
    }
    auto it = c.req.find("at");
    auto at = it != c.req.end() ? integerIn(*it, 0, kMaxBatchBytes) : std::nullopt;
    if (!at) {
        c.parts.reset();
        return fail(badNumber("at"));
    }
    if (auto r = c.parts->append(*at, *c.data); !r) {
        c.parts.reset();
        return fail(r.error());
    }
    reportReading(c);
    return partsJson(*c.parts);
}

Reply batchImportEnd(Context& c)
{
    if (!c.parts)
        return fail(importNotBegun());
    // The staged bytes go whatever the outcome: a refused file is chosen again, whole.
    BatchParts parts = std::move(*c.parts);
    c.parts.reset();
    if (!parts.complete())
        return fail(importIncomplete(parts.received(), parts.size()));
    return importText(c, parts.text());
}

Reply batchImportCancel(Context& c)
{
    bool had = c.parts.has_value();
    c.parts.reset();
    // The worker could not read the next slice of the picked file: the staged
    // import is dropped all the same, and staff are told why, in the core's words.
    if (stringArg(c, "why") == "unreadable")
        return fail(Message{"batch.unreadable", "无法读取所选文件（它可能已被移动或修改），未导入任何数据。请重新选择文件。",
                            "The chosen file cannot be read (it may have been moved or changed); nothing was imported. Choose the file again.", ""});
    return json{{"cancelled", had},
                {"message", toJson(Message{"batch.import.cancelled", "已取消导入，未导入任何数据", "The import was cancelled; nothing was imported", ""})}};
}

// --- staff actions ---------------------------------------------------------------------

Reply staffActionsOp(Context& c)
{
    json list = json::array();
    const bool hereOnly = c.req.value("here", json(false)) == json(true);
    for (const StaffAction& a : c.store.staffActions(int(intArg(c.req, "limit", 1, kMaxLimit, 50)), hereOnly))
        list.push_back(staffActionListJson(a, c.clock.utcOffsetMinutes));
    return json{{"actions", list}};
}

// --- retention -------------------------------------------------------------------------

Reply retentionPolicyOp(Context& c)
{
    int days = c.store.settings().retentionDays;
    return json{{"retention_days", days}, {"policy", toJson(retentionPolicy(days, RetentionAt::Gate))}};
}

Reply retentionApply(Context& c)
{
    Settings s = c.store.settings();
    int64_t cutoff = c.clock.unixMs - int64_t(s.retentionDays) * 86'400'000;
    auto r = c.store.applyRetention(cutoff, c.clock.unixMs, !s.uploadUrl.empty());
    if (!r)
        return fail(r.error());
    json out{{"retention_days", s.retentionDays},
             {"cutoff", cutoff},
             {"deleted", {{"entries", r->entries}, {"persons", r->persons}, {"batches", r->batches}, {"deletions", r->deletions},
                         {"actions", r->actions}}},
             {"held", {{"entries", r->heldEntries}, {"persons", r->heldPersons}, {"batches", r->heldBatches}}},
             {"policy", toJson(retentionPolicy(s.retentionDays, RetentionAt::Gate))}};
    int held = r->heldEntries + r->heldPersons;
    if (held > 0 || r->heldBatches > 0) {
        std::string n = std::to_string(held), b = std::to_string(r->heldBatches);
        out["warning"] = toJson(Message{
            "retention.held",
            "有 " + n + " 条记录和 " + b + " 个批次已超过保存期限，但尚未导出或上传，因此没有删除：请尽快导出或上传。",
            n + " records and " + b + " batches are past the retention period but were not yet exported or uploaded, so they were kept: export or upload them soon.",
            ""});
    }
    return out;
}

// --- the staff lock --------------------------------------------------------------------

Message lockUnavailable() { return Message{"lock.unavailable", "此处没有 PIN 锁", "There is no PIN lock here", ""}; }

Reply lockStatus(Context& c)
{
    if (!c.lock)
        return fail(lockUnavailable());
    return toJson(c.lock->status(c.store));
}

Reply lockPinCheck(Context& c)
{
    if (auto r = StaffLock::checkPin(stringArg(c, "pin")); !r)
        return fail(r.error());
    return json::object();
}

Reply lockSetPin(Context& c)
{
    if (!c.lock)
        return fail(lockUnavailable());
    if (auto r = c.lock->setPin(c.store, stringArg(c, "pin")); !r)
        return fail(r.error());
    return toJson(c.lock->status(c.store));
}

Reply lockUnlock(Context& c)
{
    if (!c.lock)
        return fail(lockUnavailable());
    if (auto r = c.lock->unlock(c.store, stringArg(c, "pin")); !r)
        return fail(r.error());
    return toJson(c.lock->status(c.store));
}

Reply lockRecover(Context& c)
{
    if (!c.lock)
        return fail(lockUnavailable());
    // The PIN's form first: a recovery that then fails on the PIN would leave staff retyping the code.
    if (auto r = StaffLock::checkPin(stringArg(c, "pin")); !r)
        return fail(r.error());
    auto arg = enrollmentArg(c);
    if (auto* f = std::get_if<Failure>(&arg))
        return *f;
    const GateEnrollment& e = std::get<GateEnrollment>(arg);
    Settings s = c.store.settings();
    if (!enrollmentFitsGate(s, e))
        return fail(Message{"lock.recover_other", "这个登记码不是本门岗所在社区的，不能用来恢复。请向本社区办公室索取",
                            "This enrollment code is not for this gate's community and cannot recover it. Ask this community's office for one",
                            ""});
    Transaction t = c.store.transaction();
    if (!t.begun())
        return fail(t.beginError());
    if (auto r = c.store.saveSettings(withEnrollment(s, e)); !r)
        return fail(r.error());
    if (auto r = c.lock->resetPin(c.store, stringArg(c, "pin")); !r)
        return fail(r.error());
    if (auto r = t.commit(); !r)
        return fail(r.error());
    return toJson(c.lock->status(c.store));
}

Reply lockLock(Context& c)
{
    if (!c.lock)
        return fail(lockUnavailable());
    c.lock->lock();
    return toJson(c.lock->status(c.store));
}

// --- revocations made here (GateRevocation.h) -------------------------------------------

Reply revocationAdd(Context& c)
{
    auto staff = staffArg(c);
    if (auto* f = std::get_if<Failure>(&staff))
        return *f;
    auto r = revokeHere(c.store, stringArg(c, "kind"), stringArg(c, "subject"), stringArg(c, "reason"), std::get<std::string>(staff), c.clock);
    if (!r)
        return fail(r.error());
    return json{{"revocation", toJson(*r)}, {"message", toJson(revokedHereMessage(*r))}, {"pending", gatePendingJson(c.store)}};
}

Reply revocationReasons(Context&) { return json{{"reasons", revokeReasonsJson()}}; }

// --- the operation table ---------------------------------------------------------------

struct Operation {
    std::string_view name;
    Reply (*handler)(Context&);
    bool whileLocked = false; // answered while the staff lock is closed: the lock's own, and what recovery needs
};

constexpr Operation kOperations[] = {
    {"info", info},
    {"integrity", integrity},
    {"fields", fieldList},
    {"person.validate", personValidate},
    {"person.save", personSave},
    {"person.list", personList},
    {"person.get", personGet},
    {"person.delete", personDelete},
    {"person.reveal", personReveal},
    {"search", search},
    {"pass.encode", passEncode},
    {"pass.decode", passDecode},
    {"pass.live", passLive},
    {"card.issue", cardIssue},
    {"revocation.add", revocationAdd},
    {"revocation.reasons", revocationReasons},
    {"visitor.pass", visitorPassOp},
    {"live.clock", liveClock},
    {"scan", scan},
    {"person.verify", personVerify},
    {"decide", decideOp},
    {"temperature.step", temperatureStep},
    {"entry.record", entryRecord},
    {"entries.today", entriesToday},
    {"entries.of", entriesOf},
    {"stats", stats},
    {"inside.now", insideNow},
    {"settings.get", settingsGet},
    {"settings.set", settingsSet},
    {"batch.pending", batchPending},
    {"batch.export", batchExport},
    {"batch.upload_request", batchUploadRequest},
    {"batch.get", batchGet},
    {"batch.list", batchList},
    {"batch.uploaded", batchUploaded},
    {"batch.upload_result", batchUploadResult},
    {"enroll.prepare", enrollPrepare, true}, // only splits a code (no data): lock.recover needs it
    {"gate.enroll", gateEnroll},
    {"batch.import", batchImport},
    {"batch.import.begin", batchImportBegin},
    {"batch.import.part", batchImportPart},
    {"batch.import.end", batchImportEnd},
    {"batch.import.cancel", batchImportCancel},
    {"staff.actions", staffActionsOp},
    {"retention.policy", retentionPolicyOp},
    {"retention.apply", retentionApply},
    {"lock.status", lockStatus, true},
    {"lock.pin_check", lockPinCheck, true},
    {"lock.set_pin", lockSetPin, true},
    {"lock.unlock", lockUnlock, true},
    {"lock.lock", lockLock, true},
    {"lock.recover", lockRecover, true},
};

} // namespace

Api::Api(Store store, PassCrypto crypto, std::optional<LockOptions> lock) : store_(std::move(store)), crypto_(std::move(crypto))
{
    if (lock)
        lock_.emplace(std::move(*lock));
}

void Api::onProgress(std::function<void(std::string_view progressJson)> sink)
{
    if (!sink) {
        progress_ = {};
        return;
    }
    progress_ = onPercentChange([sink = std::move(sink)](const ImportProgress& p) {
        sink(json{{"percent", p.percent}, {"progress", toJson(p.words)}}.dump(-1, ' ', false, json::error_handler_t::replace));
    });
}

std::string Api::call(std::string_view requestJson, std::optional<std::string_view> data)
{
    return answerRequest(requestJson, [&](const std::string& op, const json& req, const Clock& clock) -> std::optional<Reply> {
        auto h = std::find_if(std::begin(kOperations), std::end(kOperations), [&](const Operation& o) { return o.name == op; });
        if (h == std::end(kOperations))
            return std::nullopt;
        if (lock_ && lock_->locked() && !h->whileLocked)
            return fail(lockedMessage());
        if (data && op != "batch.import.part")
            return badRequest("data is for batch.import.part only");
        Context ctx{store_, req, clock, lock_, crypto_, parts_, data, progress_};
        return h->handler(ctx);
    });
}

} // namespace gatepass
