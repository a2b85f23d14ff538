// The scan screen's state and its talk with the core: a pass read by the
// camera → the person (verify when new or changed) → temperature and direction
// → the core's decision → the entry logged. Every decision — is this a pass,
// who is it, what changed, may they enter — is the core's (src/core/Api.h);
// this file only sends intents and keeps the replies for view-scan.js to show.
import { play } from './sound.js';
import { app, call, invalidate, note, refreshPending, refreshInside, staffName, onDuty } from './state.js';
import { lockState } from './view-lock.js';
import { people } from './view-people.js';

/// The same pass seen again within this time is the same person still standing there.
export const DEBOUNCE_MS = 4000;
/// A pass just logged is not taken again for this long, even if it left the
/// view for a moment (someone lingering at the gate, a slow frame).
export const REPEAT_MS = 30000;
/// How long the "logged" panel stays before the console is ready for the next person.
const DONE_MS = 2500;

const idlePerson = () => ({
  step: 'idle', // idle | reading | verify | measure | decided | done | error
  text: '', person: null, masked: null, known: false, verified: false, changed: false,
  changes: [], // what differs from the stored record, in words (scan)
  display: [], // the core's words for the record, shown items only
  issuedAt: null, // the pass's issue time (scan), stored by person.verify
  live: false, age: null, band: null, // a live sealed pass: its age and today's band, in words (scan)
  card: null, // a printed pass card: its number (scan), sent back with decide and entry.record
  alert: null, // the core's verdict before any temperature (scan's alert: the office's watch list), shown as it says
  visitor: null, // a visitor pass: the core's words for it (scan's visitor: line, days, uses)
  subject: null, // what decide / entry.record are asked about (scan's subject); null: the person's doc_number
  revoke: [], // what staff may revoke of the pass read (scan's revoke: [{kind, subject, words}]); none for a person found by search
  reveal: false, // false, or the core's person.reveal answer {doc_number, phone} while shown
  temperature: [''], direction: 'in', decision: null, entry: null,
  again: false, // the reading or direction changed while a decision was on its way: decide again
  error: null, busy: false, since: performance.now(),
  refusal: null, // a refused pass: {tone, title} (scan's refusal), the panel's colour, sound and heading
});

export const scanState = {
  flow: idlePerson(),
  outline: null, // {corners, width, height, at}: the code the reader last found
  recent: new Map(), // pass text → last seen (ms)
  logged: new Map(), // pass text → when its entry was logged (ms)
  camera: null, // the Camera (camera.js), set at boot
  enrolled: true, // the core's answer (settings replies, scans): the gate holds a community key; false: a notice on the scan screen
};

const decoder = new TextDecoder('utf-8');

export const flow = {
  /// A reader result; true when the screen must change (the outline moved).
  onScanResult(r) {
    const now = performance.now();
    let redraw = false;
    if (r.found) {
      scanState.outline = { corners: r.corners, width: r.width, height: r.height, at: now };
      redraw = app.tab === 'scan';
    } else if (scanState.outline && now - scanState.outline.at > 600) {
      scanState.outline = null;
      redraw = true;
    }
    if (!r.found || !app.core || lockState.lock.locked) return redraw;
    this.handleText(decoder.decode(r.bytes), now);
    return redraw;
  },

  handleText(text, now) {
    const f = scanState.flow;
    const busy = !['idle', 'done', 'error'].includes(f.step);
    if (busy && text !== f.text) return; // one person at a time
    const last = scanState.recent.get(text);
    scanState.recent.set(text, now);
    if (last !== undefined && now - last < DEBOUNCE_MS) return;
    if (now - (scanState.logged.get(text) ?? -Infinity) < REPEAT_MS) return;
    if (busy) return;
    this.scan(text);
  },

  async scan(text) {
    scanState.flow = { ...idlePerson(), step: 'reading', text };
    this.showScanTab();
    invalidate();
    const rep = await call('scan', { text });
    const f = scanState.flow;
    if (f.text !== text) return;
    if (!rep.ok) {
      f.step = 'error';
      f.error = rep.error;
      f.refusal = rep.refusal ?? null; // the core's tone and heading for this refusal
      play(f.refusal?.tone ?? 'error');
      invalidate();
      return;
    }
    this.showPerson(rep, text);
    if (rep.alert) play(rep.alert.verdict);
  },

  /// From a scan reply, or a record found by search or registered by hand.
  showPerson({ person, masked, display, known, verified, changed, changes, issued_at: issuedAt, live, age, band, card, enrolled, direction, alert, visitor, subject, revoke }, text = '') {
    if (enrolled !== undefined) scanState.enrolled = !!enrolled;
    Object.assign(scanState.flow, {
      text, person, masked, display: display ?? [], known: !!known, verified: !!verified, changed: !!changed,
      changes: changes ?? [], issuedAt: issuedAt ?? null, live: !!live, age: age ?? null, band: band ?? null, card: card ?? null,
      direction: direction ?? 'in', // the core's suggestion: the opposite of the last movement here
      alert: alert ? { verdict: alert.verdict, words: alert.verdict_words, reasons: alert.reasons } : null,
      visitor: visitor ?? null, subject: subject ?? null, revoke: revoke ?? [],
      step: !verified || changed ? 'verify' : 'measure', since: performance.now(),
    });
    if (!text) app.tab = 'scan'; // staff chose this person
    else this.showScanTab();
    invalidate();
  },

  /// Staff asked to see the full numbers (a card to compare): the core
  /// answers them and logs that it did (a staff action); hiding is local.
  async toggleReveal() {
    const f = scanState.flow;
    if (f.reveal) { f.reveal = false; invalidate(); return; }
    const rep = await call('person.reveal', { person: f.person, staff: onDuty() });
    if (!rep.ok) { note(rep.error, 'error'); return; }
    f.reveal = { doc_number: rep.doc_number, phone: rep.phone };
    invalidate();
  },

  async verify() {
    const f = scanState.flow;
    f.busy = true;
    const args = { person: f.person, staff: staffName() };
    if (f.issuedAt) args.issued_at = f.issuedAt;
    const rep = await call('person.verify', args);
    f.busy = false;
    if (!rep.ok) { f.error = rep.error; play('error'); invalidate(); return; }
    Object.assign(f, { error: null, verified: true, changed: false, changes: [], step: 'measure', reveal: false });
    f.masked = rep.record.masked;
    f.display = rep.record.display;
    await refreshPending();
    invalidate();
  },

  gateArgs() {
    const f = scanState.flow;
    const args = { ...(f.subject ?? { doc_number: f.person.doc_number }), direction: f.direction };
    // As typed: the core reads it (temperatureFromText) and judges its range.
    if (f.temperature[0].trim()) args.temperature = f.temperature[0].trim();
    return args;
  },

  async decide() {
    const f = scanState.flow;
    if (!f.person) return;
    if (f.busy) { f.again = true; return; } // a tap on a reading while the typed one is being decided
    f.busy = true;
    const args = this.gateArgs();
    const rep = await call('decide', args);
    f.busy = false;
    if (scanState.flow !== f) return; // the person left meanwhile
    if (f.again) { f.again = false; if (JSON.stringify(this.gateArgs()) !== JSON.stringify(args)) return this.decide(); }
    if (!rep.ok) { f.error = rep.error; f.decision = null; f.step = 'measure'; play('error'); invalidate(); return; }
    f.error = null;
    f.decision = { verdict: rep.verdict, words: rep.verdict_words, reasons: rep.reasons };
    f.step = 'decided';
    play(rep.verdict);
    invalidate();
  },

  async confirm() {
    const f = scanState.flow;
    if (f.step !== 'decided' || f.busy) return;
    f.busy = true;
    const rep = await call('entry.record', { ...this.gateArgs(), staff: staffName() });
    f.busy = false;
    if (!rep.ok) { f.error = rep.error; play('error'); invalidate(); return; }
    f.entry = rep.entry;
    f.decision = { verdict: rep.entry.verdict, words: rep.entry.words.verdict, reasons: rep.entry.reasons };
    f.step = 'done';
    f.since = performance.now();
    f.reveal = false;
    if (f.text) {
      scanState.recent.set(f.text, performance.now());
      scanState.logged.set(f.text, performance.now());
    }
    await Promise.all([refreshPending(), refreshInside(), people.afterEntry()]);
    invalidate();
  },

  /// A pass was read: bring the scan screen forward, unless staff are busy typing elsewhere.
  showScanTab() {
    if (app.tab === 'scan') return;
    if (performance.now() - lockState.lock.lastInput > 5000) app.tab = 'scan';
    else note({ zh: '有人出示通行码：请到“扫码”页处理', en: 'A pass was read: see the Scan page' }, 'warn');
  },

  reset() {
    const text = scanState.flow.text;
    scanState.flow = idlePerson();
    if (text) scanState.recent.set(text, performance.now());
    invalidate();
  },

  /// Nothing personal stays on a locked screen.
  clear() {
    scanState.flow = idlePerson();
  },

  startCamera() {
    const cam = scanState.camera;
    if (cam && !cam.running && !cam.starting) cam.start();
  },

  /// Once a second; true when the screen must change.
  tick(now) {
    let changed = false;
    const f = scanState.flow;
    if (f.step === 'done' && now - f.since > DONE_MS) { this.reset(); changed = true; }
    if (f.step === 'error' && now - f.since > DONE_MS * 2) { this.reset(); changed = true; }
    if (scanState.outline && now - scanState.outline.at > 1500) { scanState.outline = null; changed = true; }
    for (const [text, at] of scanState.recent) if (now - at > 60000) scanState.recent.delete(text);
    for (const [text, at] of scanState.logged) if (now - at > REPEAT_MS) scanState.logged.delete(text);
    return changed;
  },
};
