// USB and Bluetooth 2D scanners in keyboard-wedge mode: the scanner types the
// code's text followed by Enter, far faster than a person can. Such a burst,
// anywhere in the console while no text field has the focus, is handed on as
// one read, exactly where a camera read goes. Text pasted while no field has
// the focus is taken the same way (a pass copied from a message).
//
// What is a burst (and why):
//  - at least MIN_LENGTH characters (a pass is ~70; a person's word is not a read);
//  - no gap longer than MAX_GAP_MS between characters: a pause starts over, so a
//    burst cut short and then another one never join into half a read;
//  - a median gap of at most MEDIAN_GAP_MS: scanners type a character every
//    1–20 ms; the fastest people average ~40–60 ms and no one keeps eight keys
//    under 35 ms. The gaps are the events' own timestamps, so a busy page that
//    hands a person's keys over in a clump does not make them look fast;
//  - then Enter within MAX_GAP_MS. A burst without its Enter is dropped unread
//    when the next key comes more than MAX_GAP_MS after it (by the stamps): a
//    busy page that runs the pause timer while the rest of a burst still waits
//    in the input queue never cuts the burst in two (the second half, read on
//    its own, was a "not a pass" at the gate: the gate-wedge flake under load).
// Character keys pressed while no field has the focus are held back until it is
// clear whether they are a burst: a burst's keys never reach the console (fed
// to Dear ImGui, ~140 key events would sit in its input queue and delay the
// guard's next taps by seconds); a person's keys are handed on MAX_GAP_MS late,
// in order, as they were.
export const MIN_LENGTH = 8;
export const MAX_GAP_MS = 100;
export const MEDIAN_GAP_MS = 35;

export class Wedge {
  /// onRead(text): a burst or a paste that is one read. canvas: where held keys are handed on.
  constructor({ onRead, canvas, target = window }) {
    this.onRead = onRead;
    this.canvas = canvas;
    this.held = []; // {key, code, shiftKey, at}
    this.gaps = [];
    this.lastAt = -Infinity;
    this.timer = 0;
    this.replaying = false;
    target.addEventListener('keydown', (e) => this.keydown(e), true);
    target.addEventListener('keyup', (e) => this.keyup(e), true);
    target.addEventListener('paste', (e) => this.paste(e), true);
  }

  /// True while a text field (the console's IME bridge, or any other) has the focus:
  /// keys and pastes are that field's.
  static fieldFocused() {
    const el = document.activeElement;
    return !!el && (el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName));
  }

  static plain(e) {
    return e.key.length === 1 && !e.ctrlKey && !e.metaKey && !e.altKey;
  }

  keydown(e) {
    if (this.replaying) return;
    if (e.isComposing || Wedge.fieldFocused()) { this.release(); return; }
    const at = e.timeStamp;
    const gap = at - this.lastAt;
    if (e.key === 'Enter') {
      const text = this.held.map((k) => k.key).join('');
      if (this.held.length >= MIN_LENGTH && gap <= MAX_GAP_MS && median(this.gaps) <= MEDIAN_GAP_MS) {
        e.stopImmediatePropagation();
        e.preventDefault();
        this.clear();
        this.onRead(text);
      } else {
        this.release(); // a person's keys, then their Enter; a burst cut short is dropped
      }
      return;
    }
    // Shift and the like come between a scanner's characters too: they neither count nor break a burst.
    if (!Wedge.plain(e)) return;
    e.stopImmediatePropagation();
    e.preventDefault();
    if (gap > MAX_GAP_MS) this.release();
    else this.gaps.push(gap);
    this.held.push({ key: e.key, code: e.code, shiftKey: e.shiftKey });
    this.lastAt = at;
    this.arm(false);
  }

  /// The pause timer after a held key, in wall-clock time (the stamps decide
  /// everything else).
  arm(again) {
    clearTimeout(this.timer);
    const due = performance.now() + MAX_GAP_MS;
    this.timer = setTimeout(() => this.paused(due, again), MAX_GAP_MS);
  }

  /// No key for MAX_GAP_MS of wall-clock time. A burst so far stays held (the
  /// next key's stamp, or Enter's, decides). A person's keys are handed on —
  /// unless this timer itself came late: the page was busy and more keys may
  /// be queued behind it, so it waits once more.
  paused(due, again) {
    if (this.held.length >= MIN_LENGTH && median(this.gaps) <= MEDIAN_GAP_MS) return;
    if (!again && performance.now() - due > MAX_GAP_MS / 2) { this.arm(true); return; }
    this.release();
  }

  keyup(e) {
    if (this.replaying || Wedge.fieldFocused() || !Wedge.plain(e)) return;
    e.stopImmediatePropagation(); // its keydown was held: release() replays both
  }

  paste(e) {
    if (Wedge.fieldFocused()) return;
    const text = e.clipboardData?.getData('text')?.trim();
    if (!text) return;
    e.preventDefault();
    this.onRead(text);
  }

  /// A person's keys go to the console as typed; a burst cut short (a
  /// machine's pace, no Enter) is dropped.
  release() {
    const keys = this.held;
    const burst = keys.length >= MIN_LENGTH && median(this.gaps) <= MEDIAN_GAP_MS;
    this.clear();
    if (!keys.length || burst || !this.canvas) return;
    this.replaying = true;
    try {
      for (const k of keys) {
        for (const type of ['keydown', 'keyup']) this.canvas.dispatchEvent(new KeyboardEvent(type, { ...k, bubbles: true }));
      }
    } finally {
      this.replaying = false;
    }
  }

  clear() {
    clearTimeout(this.timer);
    this.held = [];
    this.gaps = [];
    this.lastAt = -Infinity;
  }
}

function median(list) {
  if (!list.length) return Infinity;
  const s = [...list].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}
