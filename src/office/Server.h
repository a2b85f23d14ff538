// `gatepass office serve`: the office's HTTP service (cpp-httplib).
//
//   POST    /api/upload   a gate's batch (Upload.h): body = the batch file,
//                         Content-Type application/octet-stream,
//                         X-Gatepass-Batch: <percent-encoded file name>,
//                         Authorization: Bearer <gate token>
//   OPTIONS /api/upload   CORS preflight (consoles run on another origin)
//   GET     /api/health   {"ok":true,"database":"sqlite"|"postgresql"}
//   /office/…             the dashboard: its page, sign-in and counts (Dashboard.h)
//
// Plain HTTP on 127.0.0.1 unless told otherwise: TLS is the reverse proxy's
// job (docs/deploy.md). Retention runs at start and then every
// purgeEveryMinutes; each purge is logged as counts.
#pragma once

#include "Dashboard.h"
#include "OfficeDb.h"
#include "Upload.h"

#include <string>

namespace gatepass::office {

struct ServeOptions {
    std::string listen = "127.0.0.1";
    int port = 8080; // 0: any free port (printed)
    int threads = 8; // request threads; PostgreSQL gets as many connections
    int purgeEveryMinutes = 60;
    UploadOptions upload;
    DashboardOptions dashboard;
};

/// Serves until SIGINT or SIGTERM. Prints "listening on http://HOST:PORT/" to
/// stdout once the port accepts connections. Returns the exit code.
int serve(OfficeDb& db, const ServeOptions& options);

} // namespace gatepass::office
