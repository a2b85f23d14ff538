// The lock screen: the PIN set on first start, typed on the keypad or the
// laptop's keyboard afterwards.
// The core keeps the PIN and decides (lock.js is its client); this screen
// shows what it answers, and runs what comes after an unlock or a lock.
import { ImGui, ImGuiInputTextFlags } from '../vendor/jsimgui/mod.js';
import { app, t, say, setLang, invalidate } from './state.js';
import { BASE, BIG, HUGE, rgba, track, withFont, button, caretFromItem, field, submitButton, errorLine } from './ui.js';
import { Lock } from './lock.js';
import { Wedge } from './wedge.js';
import { play } from './sound.js';
import { flow, scanState } from './flow.js';
import { people } from './view-people.js';

export const lockState = {
  lock: new Lock(),
  input: [''], // the PIN being typed (ImGui by-reference value)
  first: null, // the first entry of a new PIN, until it is typed again
  error: '',
  busy: false, // a PIN is being checked (Argon2id takes a moment)
  // The recovery form: always on a lock-out; on the PIN screen when staff ask (a forgotten PIN).
  recover: { open: false, code: [''], passphrase: [''], pin: [''], error: null, busy: false },
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
    this.startCameraIfUnlocked();
  },

  /// Locked again while the screens were loading (锁定 at once, the inactivity
  /// timer): the camera stays off. Seen: a lock during a slow afterUnlock left
  /// the camera running behind the lock screen.
  startCameraIfUnlocked() {
    if (!lockState.lock.locked) flow.startCamera();
  },

  /// Nothing personal stays on a locked screen, and the camera is off.
  onLocked() {
    flow.clear();
    // Passes seen before the lock are not "the same person still standing there" after it.
    scanState.recent.clear();
    people.clear();
    scanState.camera?.stop();
  },

  /// The lock-out's form: the office's code recovers the gate with a new PIN.
  async recover() {
    const r = lockState.recover;
    if (r.busy) return;
    r.busy = true;
    r.error = null;
    try {
      const rep = await lockState.lock.recover(r.code[0], r.passphrase[0], r.pin[0]);
      if (!rep.ok) { r.error = rep.error; return; }
      r.code[0] = r.passphrase[0] = r.pin[0] = '';
      r.open = false;
    } finally {
      r.busy = false;
    }
    await this.afterUnlock();
    this.startCameraIfUnlocked();
  },

  async lockNow() {
    this.onLocked();
    await lockState.lock.lockNow();
    invalidate();
  },
};

/// The laptop's keyboard types the PIN on the lock screen without a tap on
/// the field first: digits, Backspace and Enter, wherever the focus is. The
/// keys come after the wedge (wedge.js) has seen them: a scanner's burst never
/// reaches here, so a pass read at a locked gate is not a wrong PIN. A text
/// field with the focus (the PIN field tapped, the recovery form) takes its
/// own keys.
export function installPinKeys(target = window) {
  target.addEventListener('keydown', (e) => {
    const s = lockState;
    const lock = s.lock;
    if (!lock.locked || !['new', 'set'].includes(lock.state) || s.recover.open || s.busy) return;
    if (Wedge.fieldFocused() || e.isComposing || e.ctrlKey || e.metaKey || e.altKey) return;
    if (/^[0-9]$/.test(e.key)) {
      if (s.input[0].length < lock.maxDigits) s.input[0] += e.key;
    } else if (e.key === 'Backspace') {
      s.input[0] = s.input[0].slice(0, -1);
    } else if (e.key === 'Enter') {
      locking.submitPin().then(() => invalidate());
    } else {
      return;
    }
    e.preventDefault();
    invalidate();
  });
}

/// Recovery on the lock-out screen (the same form serves a forgotten PIN).
function drawRecover(lock) {
  const r = lockState.recover;
  ImGui.Spacing();
  ImGui.SeparatorText(t('recoverTitle'));
  ImGui.PushTextWrapPos(ImGui.GetCursorPosX() + 640);
  ImGui.TextWrapped(t('recoverHelp', lock.minDigits));
  ImGui.PopTextWrapPos();
  field(t('enrollCode'), r.code, 4096, 'recover.code', 640);
  field(t('enrollPassphrase'), r.passphrase, 64, 'recover.passphrase', 320);
  field(t('recoverPin'), r.pin, lock.maxDigits + 1, 'recover.pin', 320, ImGuiInputTextFlags.Password | ImGuiInputTextFlags.CharsDecimal);
  if (submitButton(r.busy, t('recoverSubmit'), t('recoverBusy'), 'recover.submit')) locking.recover().then(() => invalidate());
  if (r.error) errorLine(r.error, 'recover.error', 640);
}

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
    if (lock.state === 'lockout') drawRecover(lock);
    ImGui.EndGroup();
    return;
  }
  // A forgotten PIN: the recovery form takes the keypad's place (a laptop screen holds one of them).
  if (!setting && s.recover.open) {
    withFont(BIG, () => ImGui.Text(t('title')));
    drawRecover(lock);
    ImGui.Spacing();
    withFont(BASE, () => {
      if (button(t('close'), 'recover.close', 160, 48)) Object.assign(s.recover, { open: false, error: null });
    });
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
    if (ImGui.InputText('##pin', s.input, lock.maxDigits + 1, flags)) locking.submitPin().then(() => invalidate());
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
        else if (s.input[0].length < lock.maxDigits) s.input[0] += k;
      }
      if (i % 3 !== 2) ImGui.SameLine();
    });
  });
  ImGui.Spacing();
  withFont(BASE, () => {
    if (button(t('lang'), 'lang', 130, 48)) setLang(app.lang === 'zh' ? 'en' : 'zh');
    if (!setting) {
      ImGui.SameLine();
      if (button(t('recoverTitle'), 'recover.open', 0, 48)) lockState.recover.open = true;
    }
  });
  ImGui.EndGroup();
}
