// The office dashboard (issue 11), served by `gatepass office serve` under /office/:
//
//   GET  /office/                 the page (web/office: index.html, office.js, office.css, and the chart
//                                 library under vendor/uplot/ — an explicit list, read at start)
//   GET  /office/api/words        the page's words, zh and en (no data; no sign-in needed)
//   POST /office/api/sign-in      {"user","password"} → 200 {"ok":true,"account":{…}} + the session cookie
//                                 401 office.sign_in_failed   unknown name or wrong password (the same answer)
//                                 429 office.account_locked   locked after SignInRules::lockAfterFailures wrong
//                                                             passwords (Retry-After: seconds)
//                                 403 office.account_disabled the right password of a disabled account
//   POST /office/api/sign-out     ends the session; clears the cookie
//   GET  /office/api/session      {"ok":true,"account":{"name","role","role_words","communities","may"},"communities"}
//   GET  /office/api/overview     the counts per community and gate, entries by local day (with the
//                                 chart's empty state in words), returned within 14 days (any role);
//                                 for staff and admins only, each community's "observation": persons under
//                                 home observation, masked as search rows are, with since-date, building
//                                 (addressBuilding) and last movement (a viewer's reply has no such key)
//   GET  /office/api/audit        the audit log, newest first, and gate_actions: per visible community
//                                 {code, name, actions} the staff actions its gates uploaded (StaffAction.h,
//                                 newest 500) (admin only: 403 office.forbidden)
//   GET  /office/api/accounts     every account: role, communities, state, last sign-in, the actions offered (admin)
//   POST /office/api/accounts/add     {"name","role","password","password_again","communities"} (admin)
//   POST /office/api/accounts/change  {"name","what":role|password|communities|disable|enable|unlock,…} (admin);
//                                 409 account.last_admin: no enabled admin would be left (nothing changed)
//   GET  /office/api/watch-list   each community's watch list, numbers masked, each row with an opaque
//                                 ref (any role; "can_edit" for staff and admins)
//   POST /office/api/watch-list/add     {"community","doc_number","reason"} (staff, admin): the number in the
//                                 core's normal form (normalizeDocNumber), checked as the gate checks the
//                                 reply's rows (checkWatchEntry) and an ID-shaped one by its check digit
//                                 (checkListedDocNumber); refusals 400 with the core's message
//   POST /office/api/watch-list/remove  {"community","ref"} (staff, admin); 404 office.not_on_list
//   POST /office/api/persons/search     {"community","query"} (staff, admin): the gate's search rule (searchTerm),
//                                 masked, at most 50, each row "watched" when listed; 400 office.search_short
//   POST /office/api/persons/unmask     {"community","ref"} (staff, admin) → {"doc_number"}: audited
//   POST /office/api/roster/import      {"community","data"} (staff, admin): base64 CSV, UTF-8 or GBK; rows
//                                 carry kRosterVersion (Roster.h) so a gate's own record wins
//   POST /office/api/export       {"community","what":"persons"|"entries"} (staff, admin) → text/csv
//                                 (ExportCsv.h: UTF-8 with BOM), Content-Disposition names the file: audited
//
// Numbers and search terms travel only in POST bodies, never in a URL. A row
// the page names (to remove or unmask) is a RowRefs ref sealed with this
// run's key (400 office.stale_ref after a restart or for a made-up one).
// Viewers get 403 office.forbidden for every person call but the watch list.
// A staff or viewer account limited to communities (Session::mayRead) sees
// only those in every list and gets 403 office.forbidden_community on every
// call naming another. Each watch-list change, unmasking, export, import and
// account change is an audit row whose detail names whom (masked number,
// name, account) or what (file, rows, role); never a password.
//
// Every /office/api/ call but words and sign-in needs the session cookie:
// 401 office.signed_out without a valid, unexpired one ("quiet" when no
// cookie came: the page then shows sign-in without a message). The cookie
// (gatepass_office) holds a random 256-bit token, HttpOnly, SameSite=Strict,
// Path=/office/, Secure unless the Host is localhost; only its hash is
// stored, with its expiry. Every POST must come from the page itself: an
// Origin header naming the Host the request was sent to (403 office.cross_origin),
// and a JSON body. Errors are {"ok":false,"error":{code,zh,en}}. The gates'
// /api/upload is not touched: it keeps its Bearer tokens.
#pragma once

#include "Account.h"
#include "OfficeDb.h"

#include <string>

namespace httplib {
class Server;
}

namespace gatepass::office {

struct DashboardOptions {
    std::string webDir;            // where index.html, office.js, office.css are; empty: no page
    SignInRules signIn;
    int behindHours = 24;          // a gate without an upload for longer is shown as behind
    int utcOffsetMinutes = kDefaultUtcOffsetMinutes; // the office's local day and times
};

/// Adds the dashboard's routes to `server`. False (after printing why) when
/// webDir is set but a page file cannot be read.
bool addDashboard(httplib::Server& server, OfficeDb& db, const DashboardOptions& options);

} // namespace gatepass::office
