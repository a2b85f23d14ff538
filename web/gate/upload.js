// Sends exported batches to the office service the enrollment named. One
// batch at a time, oldest first. The core hands over what to send (op
// batch.upload_request: address, this gate's token, the file) and says what
// the office's answer means (op batch.upload_result, given the status, the
// reply's text and its Retry-After: a 2xx marks the batch sent and applies
// the watch list, revocations and roster the reply carries; any other status,
// or no answer, leaves it queued, in words). After a failure the next try
// waits what the core answers (retry_after_ms: the office's Retry-After on a
// 429), else 15 s, 30 s, 1 min … up to 15 min. Sending a batch
// twice is harmless (the office answers "already") but is avoided anyway: an
// accepted batch is marked in the database and never sent again.
export class Uploader {
  constructor() {
    this.running = false;
    this.failures = 0;
    this.retryAt = 0;
    this.lastError = null; // the core's {code, zh, en} for the last failure; null after a success
    this.lastMessage = null; // the core's words for the last answer, success or not
  }

  /// True when a retry is due.
  due(now = performance.now()) {
    return !this.running && this.failures > 0 && now >= this.retryAt && navigator.onLine;
  }

  /// `batches`: [{seq}] oldest first; `call(op, args)`: the core. Returns how many the office accepted.
  async run(batches, call) {
    this.running = true;
    let sent = 0;
    try {
      for (const b of batches) {
        const req = await call('batch.upload_request', { seq: b.seq });
        if (!req.ok) { this.failed(req.error); return sent; }
        const { status, body, retryAfter } = await post(req);
        const result = await call('batch.upload_result', { seq: b.seq, status, body, retry_after: retryAfter });
        if (!result.ok) { this.failed(result.error); return sent; }
        this.lastMessage = result.message;
        if (!result.uploaded) { this.failed(result.message, result.retry_after_ms); return sent; }
        sent++;
      }
      this.failures = 0;
      this.lastError = null;
    } finally {
      this.running = false;
    }
    return sent;
  }

  /// `waitMs`: the core's answer for this failure (the office's Retry-After), else the backoff.
  failed(message, waitMs = 0) {
    this.failures++;
    this.lastError = message;
    this.lastMessage = message;
    this.retryAt = performance.now() + (waitMs > 0 ? waitMs : Math.min(15 * 60000, 15000 * 2 ** (this.failures - 1)));
  }
}

/// One POST: the status (0 when no answer came: offline, refused, blocked),
/// the reply's text and its Retry-After header, for the core to read.
async function post(req) {
  const headers = { 'Content-Type': 'application/octet-stream', 'X-Gatepass-Batch': encodeURIComponent(req.file.name) };
  if (req.token) headers.Authorization = `Bearer ${req.token}`;
  try {
    const res = await fetch(req.url, { method: 'POST', headers, body: req.file.text });
    let body = '';
    try { body = await res.text(); } catch { /* the connection broke after the status: the core reads the status alone */ }
    return { status: res.status, body, retryAfter: res.headers.get('Retry-After') ?? '' };
  } catch {
    return { status: 0, body: '', retryAfter: '' };
  }
}
