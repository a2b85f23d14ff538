// Sends exported batch files to the upload address set in the settings.
// One batch at a time, oldest first; a batch is marked sent only after a 2xx
// reply. After a failure the next try waits 15 s, 30 s, 1 min … up to 15 min.
// Sending a batch twice is harmless (the office import is idempotent) but is
// avoided anyway: an acknowledged batch is marked in the database
// (batch.uploaded) and never sent again.
export class Uploader {
  constructor() {
    this.running = false;
    this.failures = 0;
    this.retryAt = 0;
    this.lastError = '';
  }

  /// True when a retry is due.
  due(now = performance.now()) {
    return !this.running && this.failures > 0 && now >= this.retryAt && navigator.onLine;
  }

  /// Returns how many batches were accepted.
  async run(batches, getFile, url, onSent) {
    this.running = true;
    let sent = 0;
    try {
      for (const b of batches) {
        const file = await getFile(b);
        const res = await fetch(url, {
          method: 'POST',
          headers: { 'Content-Type': 'application/octet-stream', 'X-Gatepass-Batch': encodeURIComponent(file.name) },
          body: file.text,
        });
        if (!res.ok) throw new Error(`HTTP ${res.status}`);
        await onSent(b.seq);
        sent++;
      }
      this.failures = 0;
      this.lastError = '';
    } catch (err) {
      this.failures++;
      this.lastError = String(err?.message ?? err);
      this.retryAt = performance.now() + Math.min(15 * 60000, 15000 * 2 ** (this.failures - 1));
    } finally {
      this.running = false;
    }
    return sent;
  }
}
