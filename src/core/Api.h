// The message interface of the core: one JSON request in, one JSON reply out.
//
// The browser faces talk to the core only through this (the wasm worker hands
// each message to Api::call); the native tests drive it the same way, so the
// contract below is tested without a browser.
//
// Request:  {"op": "<name>", ...arguments, "now": <unix ms>?, "tz": <minutes east of UTC>?}
//           `now` defaults to the system clock, `tz` to kDefaultUtcOffsetMinutes
//           (UTC+8); every time in words is in `tz`.
// Reply:    {"ok": true, ...result}
//        or {"ok": false, "error": {"code": "...", "zh": "...", "en": "...", "field": "key"?},
//            "errors": [ {"field","code","zh","en"}, ... ]?}   (field-level validation, in form order)
//
// Operations (arguments → result), by area:
//   info                                  → {schema_version, pass_format, batch_format}
//   integrity                             → {result}   "ok" or SQLite's list of problems
//   fields                                → {items: [{item, zh, en}...], fields: [{key, item, zh, en, kind, required,
//                                             hint_zh, hint_en, when?, max_chars?, choices?: [{value, zh, en}...]}...]}
//   person.validate {person}              → {person (normalised), masked, derived: {birth_date, sex}?}
//   person.save {person, replaces?}       → {record}   stores (re-keys when the document number changed)
//   person.list                           → {records: [record...]}   oldest first
//   person.get {doc_number}               → {record}
//   person.delete {doc_number}            → {}
//   search {query, limit?}                → {records: [record...]}   name, or last 4+ digits of phone or ID
//   pass.encode {person}                  → {text}
//   pass.decode {text}                    → {person, issued_at}
//   scan {text}                           → {person, issued_at, masked, display, known, verified, verified_at?,
//                                             changed, changes}   the gate's camera read a pass
//   person.verify {person, staff, issued_at?}  → {record}   staff checked the ID card: updated_at = issued_at
//                                             (the pass's issue time; now when absent), verified_at = now
//   decide {doc_number|person, temperature?, direction}  → {verdict, verdict_words, reasons}
//   entry.record {doc_number|person, issued_at?, temperature?, direction, staff}
//                                         → {entry, pending: {persons, entries}}   decides again and stores;
//                                             a newer pass's person is stored too
//   entries.today {limit?}                → {entries: [entry...]}   newest first
//   entries.of {doc_number, limit?}       → {entries: [entry...]}   one person's history, newest first
//   stats                                 → {persons, by_person_type, returned_14d, home_observation, fever_today,
//                                             entries_today, in_today, out_today, allow_today, refer_today,
//                                             deny_today, hourly_today: [24]}
//   settings.get                          → {settings, upload_token_set, gate_key_set, keys_set}
//                                             settings: {community_code, community_name, gate_name, city, upload_url,
//                                             site, retention_days, rules: {...}}
//   settings.set {settings}               → the same   the keys given, over the stored ones; settings may
//                                             carry upload_token, gate_key and keys [{id, secret_key,
//                                             public_key}], which no reply ever returns (only *_set)
//   batch.pending                         → {persons, entries}
//   batch.export                          → {seq, header, file: {name, text}, csv: {name, text}, counts: {persons,
//                                             entries}, pending}   nothing pending: batch.nothing_pending
//   batch.get {seq}                       → {seq, header, file, csv, counts}   the same bytes again; CSV in tz
//   batch.list                            → {batches: [{seq, created_at, persons, entries, community_code,
//                                             community_name, gate, from, to, body_sha256, uploaded_at|null}...]}
//   batch.upload_request {seq}            → {seq, url, token, file: {name, text}}   what the uploader POSTs, with
//                                             `Authorization: Bearer token` (token "" : none); refused
//                                             (upload.no_address, upload.insecure_address) unless the
//                                             address is https:// or http://127.0.0.1|localhost|[::1]
//   batch.uploaded {seq}                  → {}   the upload address accepted it
//   batch.upload_result {seq, status, already?}  → {seq, uploaded, message: {code, zh, en}}   what the office's
//                                             HTTP status (0: no answer) means (UploadStatus.h); a 2xx marks the
//                                             batch uploaded, anything else leaves it queued
//   enroll.prepare {code, passphrase}     → {passphrase, salt, nonce, box}   (worker only) the code split for
//                                             crypto_pwhash + crypto_secretbox_open_easy (base64url), the passphrase
//                                             normalised (Passphrase.h); enroll.foreign, enroll.damaged,
//                                             enroll.no_passphrase
//   gate.enroll {enrollment?}             → as settings.get   (worker only) stores the opened code's JSON
//                                             (GateEnrollment.h) over the settings: community, site, gate, keys,
//                                             gate_key, upload_url, token, retention_days; without `enrollment` (the
//                                             box did not open): enroll.wrong_passphrase; enroll.invalid {field},
//                                             enroll.version; nothing changed on any error
//   batch.import {text}                   → {header, already, added_persons, updated_persons, added_entries,
//                                             conflicts: [message...]}
//
// A record is {person, updated_at, verified_at?, verified_by?, pass, masked: {doc_number, phone}, display}.
// An entry is {id, doc_number, name, person_type, at, direction, temperature?, verdict, reasons, gate, staff,
//   masked_doc_number, words: {time, date_time, direction, verdict, temperature, person_type}}.
// A header is the batch file's (Batch.h): {format, community: {code, name}, gate, seq, created_at,
//   time_range: {from, to}, counts: {persons, entries}, body_sha256}.
// `display` is [{key, item, zh, en, value: {zh, en}}...]: the fields asked of this person, in form order,
//   blank ones left out, numbers masked; `changes` is [{key, zh, en, from: {zh, en}, to: {zh, en}}...].
// No reply carries personal data beyond what the request asked for.
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

private:
    Store store_;
};

} // namespace gatepass
