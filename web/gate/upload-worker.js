// Uploading a batch, the worker's half (the page's half is web/gate/upload.js):
// the page names the batch ({type: 'upload', seq}); here the core hands over
// what to send (op batch.upload_request: the address, this gate's token, the
// file), the POST is made, and the core reads the office's answer (op
// batch.upload_result). The gate's token is in this worker only: the page —
// and any script that ever ran in it — never sees it, and a page's own call
// of batch.upload_request is refused.
//
// The POST runs outside the worker's request queue (each core call takes its
// turn), so scans go on while an office is slow to answer.
import { addMessage, keepFromPage } from '../shared/core-worker.js';

keepFromPage('batch.upload_request');

/// One POST: the status (0 when no answer came: offline, refused, blocked),
/// the reply's text and its Retry-After header, for the core to read.
async function post(req) {
  const headers = { 'Content-Type': 'application/octet-stream', 'X-Gatepass-Batch': encodeURIComponent(req.file.name) };
  if (req.token) headers.Authorization = `Bearer ${req.token}`;
  try {
    const res = await fetch(req.url, { method: 'POST', headers, body: req.file.text, credentials: 'omit', referrerPolicy: 'no-referrer' });
    let body = '';
    try { body = await res.text(); } catch { /* the connection broke after the status: the core reads the status alone */ }
    return { status: res.status, body, retryAfter: res.headers.get('Retry-After') ?? '' };
  } catch {
    return { status: 0, body: '', retryAfter: '' };
  }
}

/// Answers the core's batch.upload_result reply ({ok, uploaded, message, retry_after_ms, ...})
/// or the refusal of batch.upload_request; never the token or the file.
addMessage('upload', async (msg, callCore) => {
  const seq = msg.seq;
  const req = await callCore({ op: 'batch.upload_request', seq });
  if (!req.ok) return req;
  const { status, body, retryAfter } = await post(req);
  return callCore({ op: 'batch.upload_result', seq, status, body, retry_after: retryAfter });
});
