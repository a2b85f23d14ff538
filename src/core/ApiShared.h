// What both message cores share (Api.h, the gate's and the office's over the
// Store; ResidentApi.h, the phone's over its household file): how a request is
// read and a reply written, and the operations whose answer does not depend on
// where records are kept. One code for both, so a reply (its words, its
// errors) is the same whichever core answers it; the contract is Api.h's.
#pragma once

#include "Date.h"
#include "Message.h"
#include "PassCrypto.h"
#include "Person.h"
#include "Records.h"
#include "Suggestion.h"
#include "Validation.h"
#include "VisitorPass.h"

#include <nlohmann/json.hpp>

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace gatepass {

// What an operation gives back: the result object, or the reason it failed.
struct Failure {
    Message error;
    std::vector<Message> errors;         // field-level, for forms
    std::vector<Suggestion> suggestions; // values offered beside those errors
    nlohmann::json details = nlohmann::json::object(); // more members of the error reply (scan's refusal)
};
using Reply = std::variant<nlohmann::json, Failure>;

Failure fail(Message m);
Failure badRequest(const std::string& what);

// A number argument out of its range (a time of 1e30, a limit of -5): the
// request is refused as a whole, naming the argument (answerRequest replies request.number).
struct BadNumber {
    std::string key;
};
Message badNumber(const std::string& key);

/// A whole-number argument within [lo, hi], `fallback` when absent or null;
/// anything else throws BadNumber.
int64_t intArg(const nlohmann::json& req, const char* key, int64_t lo, int64_t hi, int64_t fallback);
/// A string argument; "" when absent or not a string.
std::string stringArg(const nlohmann::json& req, const char* key);

/// An operation of a core: its reply to one parsed request (op, arguments, the request's clock),
/// or nullopt when the core has no such op.
using Handle = std::function<std::optional<Reply>(const std::string& op, const nlohmann::json& req, const Clock& clock)>;
/// One request answered (Api.h "Request"/"Reply"): parsed, `now`/`tz` read into its clock,
/// handed to `handle`, the reply written; malformed JSON, an unknown op, a bad number or a
/// wrong-typed argument are error replies. Never throws.
std::string answerRequest(std::string_view requestJson, const Handle& handle);

// --- records as replies show them ------------------------------------------------------

/// {doc_number, phone}, masked: what a screen may show without a staff request.
nlohmann::json maskedJson(const Person& p);
/// A record (Api.h): {person, updated_at, verified_at?, verified_by?, pass, masked, display}.
nlohmann::json recordJson(const PersonRecord& r);
nlohmann::json recordsJson(const std::vector<PersonRecord>& records);
/// person.not_found
Message notFound();
/// The request's `person`, shaped and validated (dates against the clock's today); the
/// failure to reply with when it is absent or not valid.
std::optional<Failure> checkPerson(const nlohmann::json& req, const Clock& clock, Person& out,
                                   std::optional<IdNumberInfo>* id = nullptr);

// --- operations both cores answer alike -------------------------------------------------

/// fields
Reply fieldsReply();
/// person.validate {person}
Reply personValidateReply(const nlohmann::json& req, const Clock& clock);
/// person.save {person, replaces?} over a face's store, given as its two calls: the
/// person checked; re-keying (`replaces`, the number it was stored under) onto a
/// number already stored is person.duplicate; saved as version now, unverified;
/// answers {record} as stored again. `find(doc)` reads a record, `save(record,
/// replaces)` writes it (Store::savePerson, Household::savePerson).
Reply personSaveReply(const nlohmann::json& req, const Clock& clock,
                      const std::function<std::optional<PersonRecord>(std::string_view doc)>& find,
                      const std::function<Result<Done>(const PersonRecord& record, std::string_view replaces)>& save);
/// pass.encode {person}
Reply passEncodeReply(const nlohmann::json& req, const Clock& clock);
/// pass.live for the stored record `stored` (nullopt: person.not_found), sealed to settings.community_public_key.
Reply livePassReply(const Settings& settings, const std::optional<PersonRecord>& stored, const PassCrypto& crypto,
                    const Clock& clock);
/// visitor.pass for the stored host `host` (nullopt: person.not_found): the request's visitor,
/// days and uses checked and sealed to settings.community_public_key (VisitorPass.h).
Reply visitorPassReply(const Settings& settings, const std::optional<PersonRecord>& host, const nlohmann::json& req,
                       const PassCrypto& crypto, const Clock& clock);
/// A visitor pass as replies show it (Api.h visitor.pass's `visitor`).
nlohmann::json visitorJson(const VisitorPass& pass);
/// live.clock
Reply liveClockReply(const Clock& clock);
/// The day's band beside a live pass: {colour, zh, en}.
nlohmann::json bandJson(const Clock& clock);
/// settings.get's reply for these settings (the secrets as *_set only).
nlohmann::json settingsReply(const Settings& s);

} // namespace gatepass
