// What the office service's HTTP answer to an upload means for the gate, in
// words (src/office/Upload.h lists the answers). The console's uploader sends
// the status here (op batch.upload_result) and shows the message it gets back;
// it words nothing itself.
#pragma once

#include "Message.h"

#include <cstdint>
#include <optional>
#include <string_view>

namespace gatepass {

struct UploadOutcome {
    bool accepted = false; // the office has the batch: mark it uploaded, never send it again
    Message message;       // upload.*: what staff read
    int64_t retryAfterMs = 0; // 429 with a Retry-After the office set: wait this long before the next try; 0: the uploader's own backoff
};

/// The longest wait a Retry-After may ask for: an office asking more is
/// broken or hostile, and the gate's batches must still go out today.
inline constexpr int kMaxRetryAfterSeconds = 3600;

/// A Retry-After header's delay in seconds (RFC 9110: delay-seconds; the
/// office never sends an HTTP-date), clamped to [1, kMaxRetryAfterSeconds];
/// nullopt when absent or not a number.
std::optional<int> retryAfterSeconds(std::string_view header);

/// `status`: the HTTP status, 0 when no answer came (offline, refused
/// connection, blocked by CORS). `already`: a 200 reply said the office had
/// the batch before. `retryAfter`: the reply's Retry-After header ("" when
/// none), read on 429 only: the wait is returned and said in the message.
UploadOutcome uploadOutcome(int status, bool already, std::string_view retryAfter = {});

} // namespace gatepass
