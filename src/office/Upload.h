// One gate upload, independent of HTTP: authenticate, rate-limit, verify the
// batch whole, check it is this gate's and carries this gate's MAC (Batch.h
// format 2), merge, and say what the gate must apply. The HTTP layer (Server.cpp) only moves bytes and headers.
//
// Reply bodies (JSON):
//   200 {"ok":true, "already":false|true,
//        "batch":{"community","gate","seq"},
//        "added":{"persons","persons_updated","entries"},   (all 0 when already)
//        "conflicts":[{code,zh,en}],                        (numbers masked)
//        "revocations":[{"kind","subject","reason","revoked_at"}],
//        "watch_list":[{"doc_number","reason","added_at"}],
//        "roster":[{"person","updated_at","verified_at"?,"verified_by"?}]}
//   4xx/5xx {"ok":false, "error":{code,zh,en}}
//     401 upload.unauthorized    no, unknown or revoked token
//     403 upload.other_community the batch names another community than the token's
//     403 upload.other_gate      the batch names another gate than the token's
//     401 batch.unauthenticated  the batch's MAC is missing (format 1, made before the gate was
//                                enrolled) or does not verify with this gate's key (altered, made up,
//                                another gate's key): the gate's own token is good, its file is not
//                                believed; a gate whose key the office replaced must enroll again,
//                                which is what a 401 tells it (UploadStatus.h). Nothing stored.
//     400 batch.*                parseBatch's reason (damaged, foreign, invalid_record, sealed_other_key, …)
//     503 community.*            a sealed batch (format 3): the key folder of the community cannot be read
//     413 upload.too_large       over UploadOptions::maxBytes
//     429 upload.rate_limited    past the gate's rate (Retry-After: seconds)
//     503 office.database / storage.* the database failed; nothing was stored
#pragma once

#include "OfficeDb.h"
#include "RateLimiter.h"

#include <nlohmann/json.hpp>

namespace gatepass::office {

struct UploadOptions {
    size_t maxBytes = 32u << 20; // a gate's day is ~1 MB; the CLI has merged 51 MB files
    RateOptions rate;
};

struct UploadRequest {
    std::string_view authorization; // the Authorization header
    std::string_view body;          // the batch file
};

struct UploadReply {
    int status = 200;
    nlohmann::json body;
    int retryAfterSeconds = 0; // 429 only
};

class Uploads {
public:
    Uploads(OfficeDb& db, UploadOptions options) : db_(db), options_(options), rate_(options.rate) {}

    UploadReply handle(const UploadRequest& request, const Clock& now);

    const UploadOptions& options() const { return options_; }

private:
    OfficeDb& db_;
    UploadOptions options_;
    RateLimiter rate_;
};

/// {"ok":false,"error":{code,zh,en}} with its status.
UploadReply errorReply(int status, const Message& message);

/// The 413 reply, stating the limit.
Message tooLarge(size_t maxBytes);

} // namespace gatepass::office
