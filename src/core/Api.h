// The message interface of the core: one JSON request in, one JSON reply out.
//
// The browser faces talk to the core only through this (the wasm worker hands
// each message to Api::call); the native tests drive it the same way, so the
// contract below is tested without a browser. The resident's phone runs its own
// core, ResidentApi.h, which answers the resident page's ops under this same
// contract (without SQLite); code both need is in ApiShared.h.
//
// Request:  {"op": "<name>", ...arguments, "now": <unix ms>?, "tz": <minutes east of UTC>?}
//           `now` defaults to the system clock, `tz` to kDefaultUtcOffsetMinutes
//           (UTC+8); every time in words is in `tz`.
// Reply:    {"ok": true, ...result}
//        or {"ok": false, "error": {"code": "...", "zh": "...", "en": "...", "field": "key"?},
//            "errors": [ {"field","code","zh","en"}, ... ]?,   (field-level validation, in form order)
//            "suggestions": [ {"field","about","value","zh","en"}, ... ]?}   (values offered for the person to confirm,
//            Suggestion.h: the type a document number fits, the 18-digit number of a 15-digit ID)
//
// Operations (arguments → result), by area:
//   info                                  → {schema_version, pass_format, batch_format (the next export's: 3 sealed once enrolled, else 2)}
//   integrity                             → {result}   "ok" or SQLite's list of problems
//   fields                                → {items: [{item, zh, en}...], fields: [{key, item, zh, en, kind, required,
//                                             hint_zh, hint_en, when?, max_chars?, choices?: [{value, zh, en}...] (in the
//                                             form's order), copied_in_household?: true (a household's new member
//                                             starts with the adder's answer), optional_under_age?: N (may be blank
//                                             for a person younger than N by their document's birth date)}...]}
//   person.validate {person}              → {person (normalised), masked, derived: {birth_date, sex}?}
//   person.save {person, replaces?}       → {record}   stores (re-keys when the document number changed)
//   person.list                           → {records: [record...]}   oldest first
//   person.get {doc_number}               → {record}
//   person.delete {doc_number}            → {deleted_entries, pending}   the person, their entries, their lines
//                                             in every stored export; the deletion goes out with the next export
//   person.reveal {doc_number|person, staff}  → {doc_number, phone}   the full numbers, for staff who asked
//                                             to see them (a card to compare): logged as a staff action
//                                             (reveal, the number masked) in the same transaction
//   search {query, limit?}                → {records: [record...]}   name, or last 4+ digits of phone or ID
//   pass.encode {person}                  → {text}   a plain format-1 pass (Pass.h)
//   pass.decode {text}                    → {person, issued_at, made_at?, card?}   any format, read as scan reads it
//   pass.live {doc_number}                → {text, made_at, renew_at, issued_at}   resident: the stored person's
//                                             live sealed pass (GP2) to settings.community_public_key, made now,
//                                             to be made again at renew_at (Pass.h kLiveRenewSeconds);
//                                             pass.no_key without one, crypto.unavailable without PassCrypto
//   card.issue {doc_number, staff}       → {text, number?}   gate: a printed pass card for a stored person
//                                             (CardPass.h), sealed to the current community key, numbered
//                                             under this gate's issuer (gateCardIssuer: of its enrollment's gate
//                                             key) with its next number, logged (staff action "card"); card.no_gate
//                                             without a gate key (not enrolled);
//                                             without keys the plain pass (GP:), no number
//   revocation.add {kind, subject, reason, staff}  → {revocation: {kind, subject, reason, revoked_at}, message, pending}
//                                             gate: revokes a card ("card": its number as typed, card.number_invalid)
//                                             or every pass of a person ("person": a document number), here and now
//                                             (GateRevocation.h): the next scan here refuses it (pass.revoked), and
//                                             the next export carries it (a batch of its own if nothing else is
//                                             pending) to the office, whose replies carry it to every gate. Logged
//                                             (staff action "revoke": the card number or the document number masked).
//                                             revocation.kind, revocation.subject, revocation.no_reason,
//                                             revocation.reason: nothing stored
//   revocation.reasons                    → {reasons: [{zh, en}]}   the one-tap reasons (the console sends the words shown)
//   visitor.pass {doc_number, visitor: {name, phone}, from, to?, uses}  → {text, visitor}   resident: a visitor
//                                             pass (VisitorPass.h, sealed in the GP2 frame) the stored host makes
//                                             for someone coming to their address: from/to "YYYY-MM-DD" (to empty:
//                                             one day), uses "single"|"multiple"; visitor.invalid with errors on
//                                             name, phone, from, to, uses; pass.no_key, pass.bad_key,
//                                             crypto.unavailable as pass.live. Reads only settings and the host's
//                                             record (the pass itself is VisitorPass.h's pure makeVisitorPass).
//                                             visitor: {line, days, uses (words), multiple, from, to, host_address,
//                                             host_name (masked), name, phone (masked)}
//   live.clock                            → {date, time: "HH:MM:SS", band: {colour: "#RRGGBB", zh, en}}   the
//                                             live element beside a pass; the band's colour is the day's
//   scan {text}                           → {person, issued_at, masked, display, known, verified, verified_at?,
//                                             changed, changes, live, enrolled, direction, made_at?,
//                                             age?: {seconds, zh, en}, band?, card?}   the gate's camera read a pass;
//                                             direction ("in"|"out") is the one to offer first: the opposite of
//                                             the person's last movement here (Policy.h suggestedDirection). A live pass (GP2) is
//                                             opened with the settings' keys: pass.not_enrolled (no keys),
//                                             pass.other_community (no key of that id), pass.damaged,
//                                             pass.retired_key (its key's grace is over), pass.stale / pass.clock
//                                             (made outside rules.pass_max_age_seconds
//                                             / pass_max_ahead_seconds). A plain pass (GP:) at a gate with
//                                             keys: pass.plain (ask the resident to reopen the page); at a gate
//                                             without keys it is read as before, enrolled: false. A person the
//                                             office or a gate revoked (Feed.h): pass.revoked, nothing stored. A printed
//                                             card (CardPass.h, sealed like a live pass, never stale): card: its
//                                             number, to send back with decide and entry.record; a revoked card
//                                             (revocation kind "card"): pass.revoked, nothing stored. alert?:
//                                             {verdict, verdict_words, reasons}: what the policy says before any
//                                             temperature (alertAtScan: the office's watch list, deny, its reason;
//                                             a card, refer: check the ID card).
//                                             subject: what to send decide / entry.record instead of a person:
//                                             {doc_number}, {doc_number, card} for a card (sent as it is, so
//                                             the card's check cannot be lost), or {visitor_pass: text} for a visitor pass, which
//                                             answers visitor (as visitor.pass's) and verified: true (no ID card
//                                             to check); a visitor pass off its days: visitor.not_today; a used
//                                             single-use one (an accepted "in" held here, or its use from any gate:
//                                             VisitorUse.h): visitor.used once its visitor went out here; used
//                                             with no movement here (in at another gate), it reads with direction
//                                             "out" and visitor.uses "used once · out only" (coming in: decide's).
//                                             revoke: [{kind, subject, words: {zh, en}}] what staff may revoke of
//                                             what was read (revocation.add's arguments; none for a visitor pass).
//                                             Every refusal also answers refusal: {tone: "deny"|"retry"|"error",
//                                             title: {zh, en}}: the panel's colour, sound and heading (PassRefusal.h)
//   person.verify {person, staff, issued_at?}  → {record}   staff checked the ID card: updated_at = issued_at
//                                             (the pass's issue time; now when absent), verified_at = now
//   decide {doc_number|person|visitor_pass, card?, temperature?, direction}  → {verdict, verdict_words, reasons}   the watch list
//                                             denies (reason watch_list); a revoked person: pass.revoked;
//                                             card: the scan's card number: refers every visit (reason "card",
//                                             check the ID card), a revoked card is pass.revoked, card.number_invalid;
//                                             temperature: °C as a number or as staff typed it ("36.5", Policy.h
//                                             temperatureFromText; "" is none), else temperature.format.
//                                             visitor_pass: read again as scan reads it; coming in on a used
//                                             single-use pass: visitor.used; rules.host_pass_admits_visitor lets
//                                             the pass allow where the visitor rule refers
//   temperature.step {text, tenths}       → {text}   the ±0.1 buttons: text as typed moved by tenths (−10…10),
//                                             Policy.h steppedTemperature (nothing typed: "36.5")
//   entry.record {doc_number|person|visitor_pass, card?, issued_at?, temperature?, direction, staff}   (card: as decide's; a refused entry's
//                                             words.direction reads 未进入 / Refused; rules.max_visitors_inside
//                                             refers a visitor coming in once that many are inside)
//                                         → {entry, pending: {persons, entries}}   decides again and stores;
//                                             a newer pass's person is stored too; a revoked person: pass.revoked, nothing stored;
//                                             a single-use visitor pass let in: its use row too (VisitorUse.h), in
//                                             one transaction with the entry, pending export
//   entries.today {limit?, at_least?}     → {entries: [entry...]}   newest first; at_least "refer": only the
//                                             referred and refused ("deny": refused only); another value: request.invalid
//   entries.of {doc_number, limit?}       → {entries: [entry...]}   one person's history, newest first
//   stats                                 → {persons, by_person_type, returned_14d, home_observation, fever_today,
//                                             entries_today, in_today, out_today, refused_today, allow_today,
//                                             refer_today, deny_today, hourly_today: [24], inside_now,
//                                             inside_by_person_type}   in/out count movements (a refused
//                                             entry is none); inside: whose last movement here was "in"
//   inside.now                            → {inside_now, inside_by_person_type: [{person_type, zh, en, count}]}
//                                             the top bar's count (stats has the same two fields)
//   settings.get                          → {settings, enrolled, poster_url, upload_token_set, key_ids, gate_key_set, keys_set,
//                                             form}   form: what staff edit, worded (SettingsForm.h settingsFormJson):
//                                             [{key, zh, en, fields: [{key, zh, en, kind, unit?, hint?, min?, max?,
//                                             max_length?}]}], the same table settings.set validates with;
//                                             checklist: {done, items: [{key, zh, en, done}]} what first start
//                                             still needs (SettingsForm.h checklistJson); readings: [{value, text}]
//                                             the one-tap temperatures, below the fever rule (Policy.h commonReadings);
//                                             enrolled: the gate holds a community key (reads live passes);
//                                             poster_url: the resident page's address for the poster (PosterUrl.h:
//                                             the enrolled site, the newest key), empty without a site;
//                                             settings: {community_code, community_name, gate_name, city, upload_url,
//                                             site, retention_days, community_public_key, rules: {...}};
//                                             community_public_key: the resident's poster key (public);
//                                             key_ids: the ids of the gate's keys (never the keys)
//   settings.set {settings, staff}        → the same   the keys given, over the stored ones; settings may
//                                             carry upload_token, gate_key and keys [{id, secret_key,
//                                             public_key}], which no reply ever returns (only *_set). Logged
//                                             (staff actions "settings": the keys that changed, never values;
//                                             "upload_address": from → to) with the change
//   batch.pending                         → {persons, entries, deletions, revocations, visitor_uses, exportable, words: {zh, en}}:
//                                             revocations: made or merged here; visitor_uses: single-use visitor
//                                             passes' uses (VisitorUse.h; revocation rows in a batch, worded apart);
//                                             exportable: an export now makes a batch (what the console sends when it
//                                             goes online); words: the counts as the console shows them.
//                                             entry.record, batch.export and revocation.add answer the same as `pending`
//   batch.export {staff, upload?}         → {seq, header, file: {name, text}, csv: {name, text}, counts: {persons,
//                                             entries}, pending}   nothing pending: batch.nothing_pending. An
//                                             enrolled gate's file carries its MAC and its body is sealed to
//                                             the community key (Batch.h format 3);
//                                             crypto.unavailable when it cannot be made. Logged as staff's
//                                             "export" (carried in this very batch) unless upload: true (the
//                                             automatic export before an upload, whose files stay inside)
//   batch.get {seq, staff}                → {seq, header, file, csv, counts}   the same bytes again; CSV in tz;
//                                             logged as an "export"
//                                             (a stored export without a MAC, at a gate that now has its key,
//                                             is MACed first: macStoredExport; so is batch.upload_request's)
//   batch.list                            → {batches: [{seq, created_at, created: "YYYY-MM-DD HH:MM" in tz,
//                                             persons, entries, deletions, revocations, visitor_uses, words:
//                                             {zh, en} (the counts as batch.pending words them), community_code,
//                                             community_name, gate, from, to, body_sha256, uploaded_at|null}...]}
//   batch.upload_request {seq}            → {seq, url, token, file: {name, text}}   what the uploader POSTs, with
//                                             `Authorization: Bearer token` (token "" : none); refused
//                                             (upload.no_address, upload.insecure_address) unless the
//                                             address is https:// or http://127.0.0.1|localhost|[::1]
//   batch.uploaded {seq}                  → {}   the upload address accepted it
//   batch.upload_result {seq, status, body?, retry_after?, already?}
//                                         → {seq, uploaded, message: {code, zh, en}, feed?: {watch_list, revocations,
//                                             roster_added, roster_updated}, retry_after_ms?}   what the office's
//                                             HTTP status (0: no answer) means (UploadStatus.h); a 2xx marks the
//                                             batch uploaded, anything else leaves it queued. body: the reply's
//                                             text as received ("" : none); on a 2xx the core reads "already" from it and
//                                             applies its lists (Feed.h: the watch list and revocations replaced,
//                                             but for revocations made here the office may not have yet; the
//                                             roster merged) in the same transaction, after marking the batch; `feed` counts what is
//                                             now held. A reply whose lists are not valid changes none of them:
//                                             the batch is still marked sent and `message` is feed.invalid.
//                                             retry_after: the Retry-After header's text; on a 429 the office's
//                                             wait (1 s .. 1 h) comes back as retry_after_ms and in the message
//   enroll.prepare {code, passphrase}     → {passphrase, salt, nonce, box}   (worker only) the code split for
//                                             crypto_pwhash + crypto_secretbox_open_easy (base64url), the passphrase
//                                             normalised (Passphrase.h); enroll.foreign, enroll.damaged,
//                                             enroll.no_passphrase
//   gate.enroll {enrollment?, staff}      → as settings.get   (worker only) stores the opened code's JSON
//                                             (GateEnrollment.h) over the settings: community, site, gate, keys,
//                                             gate_key, upload_url, token, retention_days, and the office's
//                                             revocations when it carries them (applied as an upload reply's); without `enrollment` (the
//                                             box did not open): enroll.wrong_passphrase; enroll.invalid {field},
//                                             enroll.version; enroll.pending_other_community when the enrollment
//                                             names another community than the gate's and records are not exported
//                                             or (with an upload address) batches not uploaded; nothing changed on
//                                             any error; logged ("enroll", and "upload_address" when it changed)
//   batch.import {text, staff}            → {header, already, added_persons, updated_persons, added_entries,
//                                             deleted_persons, added_revocations, conflicts: [message...]}   another
//                                             console's batch (its revocations stored, the later one winning):
//                                             this gate's own are authenticated with its key (a wrong MAC:
//                                             batch.unauthenticated); others' cannot be, and come in without
//                                             their "verified" stamps. A sealed batch (format 3) opens with the
//                                             community keys the gate's enrollment gave it: batch.sealed_no_key
//                                             (none), batch.sealed_other_key (not its community's key).
//                                             One staff action "import" a call, with the counts, in the
//                                             import's transaction; a refused file logs one with its code
//   batch.import.begin {size}             → {received: 0, size, percent, progress: message}   a batch file of
//                                             `size` bytes arriving in parts (BatchParts.h: the browser's way
//                                             for a file of any size); batch.too_large outside 1..256 MiB,
//                                             batch.no_memory; replaces an unfinished one
//   batch.import.part {at} + data         → {received, size, percent, progress}   the file's bytes [at, at + n),
//                                             given beside the JSON (call's `data`), in order, cut anywhere (a
//                                             UTF-8 character may span two parts); batch.import.order,
//                                             batch.import.overrun, request.number (at), request.invalid (no
//                                             data) end the staged import; batch.import.not_begun without one
//   batch.import.end {staff}              → as batch.import   the staged file imported whole (verified before
//                                             the one transaction: a damaged file changes nothing);
//                                             batch.import.incomplete before all `size` bytes came;
//                                             batch.import.not_begun. The staged bytes are dropped either way
//   batch.import.cancel {why?}            → {cancelled, message}   drops a staged import (cancelled false: there
//                                             was none); message: batch.import.cancelled, for staff. With
//                                             why "unreadable" (the worker could not read the picked file's
//                                             next slice): dropped all the same, answered batch.unreadable
//                                         While a batch is imported (batch.import, batch.import.end, and each
//                                             part), the onProgress sink hears {percent, progress: message}
//                                             (ImportProgress.h: batch.import.reading | .checking | .merging,
//                                             the percent in the words), only when the percent or step moved on
//   staff.actions {limit?, here?}         → {actions: [{id, at, time, gate, staff, kind, kind_words: {zh, en},
//                                             detail: {zh, en}}...]}   newest first (default 50): what staff
//                                             did (StaffAction.h), never personal data; here: true, only what
//                                             they did at this console (not other gates' actions from batches)
//   retention.policy                      → {retention_days, policy: message}   the one line staff are shown
//   retention.apply                       → {retention_days, cutoff, deleted: {entries, persons, batches, deletions, actions},
//                                             held: {entries, persons, batches}, policy, warning?: message}
//                                             deletes what is older than settings.retention_days (default 28,
//                                             14..366) and already exported (a stored export: once uploaded, when
//                                             an upload address is set); what is due but unsent is held and
//                                             counted, and `warning` says so. Compacts the file.
//
//
// The staff lock (only where the Api was made with one: the gate's database; elsewhere lock.unavailable):
//   lock.status                           → {locked, state: "new"|"set"|"lockout", failures, wait_ms,
//                                             min_digits, max_digits, lockout?: message}   "new": first start, set a PIN
//   lock.pin_check {pin}                  → {}   the form only (lock.pin_format): 6 to 12 digits
//   lock.set_pin {pin}                    → the status   first start, or a change while unlocked; unlocks
//   lock.unlock {pin}                     → the status   refused: lock.wrong_pin (counted in the database;
//                                             the message says the wait that follows), lock.wait (within the
//                                             wait; not tried), lock.lockout (no PIN record on this database)
//   lock.lock                             → the status
//   lock.recover {enrollment?, pin}       → the status   a lost PIN or a lock-out, recovered with the office's
//                                             enrollment code (opened by the worker as for gate.enroll): it must
//                                             carry a community key the gate holds (a gate never enrolled: its
//                                             community code), lock.recover_other otherwise; no enrollment:
//                                             enroll.wrong_passphrase. Applies the enrollment, sets the new PIN
//                                             (lock.pin_format first), unlocks; the data is kept.
// While locked every other op answers {ok:false, error: lock.locked}, but enroll.prepare.
//
// A record is {person, updated_at, verified_at?, verified_by?, pass, masked: {doc_number, phone}, display}.
// An entry is {id, doc_number, name, person_type, at, direction, temperature?, verdict, reasons, gate, staff,
//   masked_doc_number, words: {time, date_time, direction, verdict, temperature, person_type}}.
// A header is the batch file's (Batch.h): {format, community: {code, name}, gate, seq, created_at,
//   time_range: {from, to}, counts: {persons, entries}, body_sha256}.
// `display` is [{key, item, zh, en, value: {zh, en}}...]: the fields asked of this person, in form order,
//   blank ones left out, numbers masked; `changes` is [{key, zh, en, from: {zh, en}, to: {zh, en}}...].
// `staff` (the staff member on duty, as the console has it) is checked by the core (StaffAction.h
//   staffName): absent or blank is logged as "—" (the action is done); too long or with control
//   characters: staff.invalid, nothing done.
// No reply carries personal data beyond what the request asked for.
#pragma once

#include "Lock.h"
#include "PassCrypto.h"
#include "Store.h"

#include "BatchParts.h"
#include "ImportProgress.h"

#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace gatepass {

class Api {
public:
    /// `crypto` seals and opens live passes; without it (a test, a host
    /// without libsodium) pass.live and reading GP2 passes answer crypto.unavailable.
    /// With `lock`, the gate's: every request but lock.* is refused with
    /// lock.locked until lock.unlock or lock.set_pin succeeded.
    explicit Api(Store store, PassCrypto crypto = {}, std::optional<LockOptions> lock = std::nullopt);

    /// Handles one request; never throws. Malformed JSON or an unknown op is an error reply.
    /// `data`: bytes beside the JSON, for batch.import.part only (any other op with data is request.invalid).
    std::string call(std::string_view requestJson, std::optional<std::string_view> data = std::nullopt);

    /// `sink` hears an import's progress as JSON {percent, progress: {code, zh, en}}, called
    /// synchronously from inside call() (the worker posts it to the page as it comes).
    void onProgress(std::function<void(std::string_view progressJson)> sink);

    /// The store, read by the host that made this Api (SealedGate: the community keys to seal the data key to).
    const Store& store() const { return store_; }

private:
    Store store_;
    std::optional<StaffLock> lock_;
    PassCrypto crypto_;
    std::optional<BatchParts> parts_;
    ImportProgressFn progress_;
};

} // namespace gatepass
