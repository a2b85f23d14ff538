// One distinct sound per outcome, made with WebAudio (no audio files): staff
// at a noisy gate hear the result without looking at the screen.
//   allow  two rising beeps        refer  three level mid beeps
//   deny   one long low buzz       error  two falling beeps (not a pass)
//   retry  two short high beeps (show the pass again: a screenshot, a wrong clock)
const patterns = {
  allow: { type: 'sine', notes: [[880, 0, 0.12], [1320, 0.15, 0.18]] },
  refer: { type: 'triangle', notes: [[660, 0, 0.14], [660, 0.2, 0.14], [660, 0.4, 0.14]] },
  deny: { type: 'square', notes: [[220, 0, 0.7]] },
  error: { type: 'sawtooth', notes: [[520, 0, 0.12], [350, 0.16, 0.2]] },
  retry: { type: 'triangle', notes: [[990, 0, 0.08], [990, 0.14, 0.08]] },
};

let ctx = null;
export const played = []; // for the test API: which sounds were asked for

/// Browsers allow audio only after a user gesture: call from one.
export function unlockAudio() {
  try {
    ctx ??= new AudioContext();
    if (ctx.state === 'suspended') ctx.resume();
  } catch {
    ctx = null;
  }
}

export function play(kind) {
  played.push(kind);
  const p = patterns[kind];
  if (!p || !ctx) return;
  const t0 = ctx.currentTime + 0.01;
  for (const [freq, at, len] of p.notes) {
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.type = p.type;
    osc.frequency.value = freq;
    gain.gain.setValueAtTime(0.0001, t0 + at);
    gain.gain.exponentialRampToValueAtTime(0.4, t0 + at + 0.015);
    gain.gain.exponentialRampToValueAtTime(0.0001, t0 + at + len);
    osc.connect(gain).connect(ctx.destination);
    osc.start(t0 + at);
    osc.stop(t0 + at + len + 0.02);
  }
}
