// The lock screen: the PIN set on first start, typed on a keypad afterwards.
// The core keeps the PIN and decides (lock.js is its client); this screen
// shows what it answers, and runs what comes after an unlock or a lock.
import { ImGui, ImGuiInputTextFlags } from '../vendor/jsimgui/mod.js';
import { app, t, say, setLang, invalidate } from './state.js';
import { BASE, BIG, HUGE, rgba, track, withFont, button, caretFromItem } from './ui.js';
import { Lock } from './lock.js';
import { play } from './sound.js';
import { flow, scanState } from './flow.js';
import { people } from './view-people.js';

export const lockState = {
  lock: new Lock(),
  input: [''], // the PIN being typed (ImGui by-reference value)
  first: null, // the first entry of a new PIN, until it is typed again
  error: '',
  busy: false, // a PIN is being checked (Argon2id takes a moment)
};

export const locking = {
  /// Set by app.js: loads what the screens need once the core answers.
  afterUnlock: async () => {},

  async submitPin() {
    const s = lockState;
    if (s.busy) return;
    const pin = s.input[0];
    s.input[0] = '';
    s.error = '';
    s.busy = true;
    try {
      if (s.lock.state === 'new') {
        if (s.first === null) {
          const c = await s.lock.check(pin);
          if (!c.ok) { s.error = say(c.error); return; }
          s.first = pin;
          return;
        }
        if (s.first !== pin) { s.first = null; s.error = t('pinMismatch'); return; }
        s.first = null;
        const r = await s.lock.setPin(pin);
        if (!r.ok) { s.error = say(r.error); return; }
      } else if (s.lock.state === 'set') {
        const r = await s.lock.unlock(pin);
        if (!r.ok) {
          s.error = say(r.error);
          play('error');
          return;
        }
      } else {
        return; // a lock-out: nothing to type
      }
    } finally {
      s.busy = false;
    }
    await this.afterUnlock();
    flow.startCamera();
  },

  /// Nothing personal stays on a locked screen, and the camera is off.
  onLocked() {
    flow.clear();
    people.clear();
    scanState.camera?.stop();
  },

  async lockNow() {
    this.onLocked();
    await lockState.lock.lockNow();
    invalidate();
  },
};

export function drawLock() {
  const s = lockState;
  const lock = s.lock;
  const setting = lock.state === 'new';
  const w = 420;
  ImGui.SetCursorPosX(Math.max(20, (ImGui.GetWindowWidth() - w) / 2));
  ImGui.BeginGroup();
  if (lock.state === 'lockout' || !lock.state) {
    withFont(BIG, () => {
      ImGui.Text(t('title'));
      ImGui.TextWrapped(lock.lockout ? say(lock.lockout) : '…');
    });
    track('lockout');
    ImGui.EndGroup();
    return;
  }
  withFont(BIG, () => {
    ImGui.Text(t('title'));
    ImGui.TextWrapped(setting ? (s.first === null ? t('pinSetTitle', lock.minDigits) : t('pinAgain')) : t('pinEnterTitle'));
  });
  withFont(HUGE, () => {
    ImGui.SetNextItemWidth(w);
    const flags = ImGuiInputTextFlags.Password | ImGuiInputTextFlags.CharsDecimal | ImGuiInputTextFlags.EnterReturnsTrue;
    if (ImGui.InputText('##pin', s.input, 13, flags)) locking.submitPin().then(() => invalidate());
    track('pin');
    caretFromItem();
  });
  if (s.error) withFont(BASE + 4, () => ImGui.TextColored(rgba(239, 83, 80), s.error));
  if (s.busy) withFont(BASE, () => ImGui.Text(t('pinChecking')));
  // A keypad for touch screens and gloves.
  withFont(BIG, () => {
    const keys = ['1', '2', '3', '4', '5', '6', '7', '8', '9', 'C', '0', 'OK'];
    keys.forEach((k, i) => {
      const label = k === 'C' ? t('clear') : k === 'OK' ? (setting ? t('setPin') : t('unlock')) : k;
      if (button(label, `key.${k}`, 132, 80, k === 'OK' ? [46, 125, 50] : null)) {
        if (k === 'C') s.input[0] = '';
        else if (k === 'OK') locking.submitPin().then(() => invalidate());
        else if (s.input[0].length < 12) s.input[0] += k;
      }
      if (i % 3 !== 2) ImGui.SameLine();
    });
  });
  ImGui.Spacing();
  withFont(BASE, () => {
    if (button(t('lang'), 'lang', 130, 48)) setLang(app.lang === 'zh' ? 'en' : 'zh');
  });
  ImGui.EndGroup();
}
