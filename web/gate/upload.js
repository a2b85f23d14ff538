// Sends exported batches to the office service the enrollment named. One
// batch at a time, oldest first. The worker sends each (message 'upload',
// web/gate/upload-worker.js): the core hands it what to send, the token
// stays in the worker, and the core says what the office's answer means (a
// 2xx marks the batch sent and applies the watch list, revocations and
// roster the reply carries; any other status, or no answer, leaves it
// queued, in words). After a failure the next try waits what the core
// answers (retry_after_ms: the office's Retry-After on a 429), else 15 s,
// 30 s, 1 min … up to 15 min. Sending a batch twice is harmless (the office
// answers "already") but is avoided anyway: an accepted batch is marked in
// the database and never sent again.
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

  /// `batches`: [{seq}] oldest first; `send(type, args)`: the core worker's face messages. Returns how many the office accepted.
  async run(batches, send) {
    this.running = true;
    let sent = 0;
    try {
      for (const b of batches) {
        const result = await send('upload', { seq: b.seq });
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
