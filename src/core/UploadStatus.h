// What the office service's HTTP answer to an upload means for the gate, in
// words (src/office/Upload.h lists the answers). The console's uploader sends
// the status here (op batch.upload_result) and shows the message it gets back;
// it words nothing itself.
#pragma once

#include "Message.h"

namespace gatepass {

struct UploadOutcome {
    bool accepted = false; // the office has the batch: mark it uploaded, never send it again
    Message message;       // upload.*: what staff read
};

/// `status`: the HTTP status, 0 when no answer came (offline, refused
/// connection, blocked by CORS). `already`: a 200 reply said the office had
/// the batch before.
UploadOutcome uploadOutcome(int status, bool already);

} // namespace gatepass
