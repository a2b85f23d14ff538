// The message interface of the core: one JSON request in, one JSON reply out.
//
// The browser faces talk to the core only through this (the wasm worker hands
// each message to Api::call); the native tests drive it the same way, so the
// contract below is tested without a browser.
//
// Request:  {"op": "<name>", ...arguments, "now": <unix ms>?, "tz": <minutes east of UTC>?}
//           `now`/`tz` default to the system clock and UTC+8 (China).
// Reply:    {"ok": true, ...result}
//        or {"ok": false, "error": {"code": "...", "zh": "...", "en": "...", "field": "key"?},
//            "errors": [ {"field","code","zh","en"}, ... ]?}   (field-level validation)
//
// Operations (arguments → result):
//   fields                          → {items: [...], fields: [...]}  the twelve items, for forms/CSV
//   person.validate {person}        → {person (normalised), derived: {birth_date, sex}?}
//   person.save {person, replaces?} → {record}   store (and re-key when doc number changed)
//   person.list                     → {records: [record...]}          oldest first
//   person.get {doc_number}         → {record}
//   person.delete {doc_number}      → {}
//   pass.encode {person}            → {text}
//   pass.decode {text}              → {person, issued_at}
//   scan {text}                     → {person, masked, known, verified, changed}  gate: pass read by camera
//   person.verify {person, staff}   → {record}  staff checked the ID card; stores as verified
//   decide {doc_number|person, temperature?, direction}      → {verdict, reasons}
//   entry.record {doc_number, temperature?, direction, staff} → {entry}  decides again, stores
//   entries.today {limit?}          → {entries: [...]}   each with masked_doc_number
//   entries.of {doc_number, limit?} → {entries: [...]}   one person's history, newest first
//   search {query}                  → {records: [...]}  name, last digits of phone or ID
//   stats                           → {by_person_type, returned_14d, home_observation, fever_today, entries_today}
//   settings.get                    → {settings}
//   settings.set {settings}         → {settings}
//   batch.pending                   → {persons, entries}
//   batch.export                    → {seq, file: {name, text}, csv: {name, text}, counts} (nothing pending: error)
//   batch.get {seq}                 → same as batch.export, the same bytes again
//   batch.list                      → {batches: [...]}
//   batch.import {text}             → {added_persons, updated_persons, added_entries, conflicts: [...], already}
//
// A record is {person, pass, masked: {doc_number, phone}, updated_at, verified_at?, verified_by?}.
// Every reply also carries no personal data beyond what the request asked for.
#pragma once

#include "Store.h"

#include <string>
#include <string_view>

namespace gatepass {

class Api {
public:
    explicit Api(Store store);

    /// Handles one request; never throws. Malformed JSON or an unknown op is an error reply.
    std::string call(std::string_view requestJson);

    Store& store() { return store_; }

private:
    Store store_;
};

} // namespace gatepass
