// The lock screen: the PIN set on first start, typed on a keypad afterwards.
// The Lock (lock.js) keeps the PIN's hash and the inactivity timer.
import { ImGui, ImGuiInputTextFlags } from '../vendor/jsimgui/mod.js';
import { app, t, setLang, invalidate } from './state.js';
import { BASE, BIG, HUGE, rgba, track, withFont, button, caretFromItem } from './ui.js';
import { Lock } from './lock.js';
import { play } from './sound.js';
import { flow } from './flow.js';
import { people } from './view-people.js';

export const lockState = {
  lock: new Lock(),
  input: [''], // the PIN being typed (ImGui by-reference value)
  first: null, // the first entry of a new PIN, until it is typed again
  error: '',
};

export const locking = {
  async submitPin() {
    const s = lockState;
    const pin = s.input[0];
    s.input[0] = '';
    s.error = '';
    if (!s.lock.hasPin) {
      if (!/^\d{4,8}$/.test(pin)) { s.error = t('pinTooShort'); return; }
      if (s.first === null) { s.first = pin; return; }
      if (s.first !== pin) { s.first = null; s.error = t('pinMismatch'); return; }
      s.first = null;
      await s.lock.setPin(pin);
    } else if (!(await s.lock.unlock(pin))) {
      s.error = t('pinWrong');
      play('error');
      return;
    }
    flow.startCamera();
  },

  /// Nothing personal stays on a locked screen.
  onLocked() {
    flow.clear();
    people.clear();
  },

  lockNow() {
    lockState.lock.locked = true;
    this.onLocked();
  },
};

export function drawLock() {
  const s = lockState;
  const setting = !s.lock.hasPin;
  const w = 420;
  ImGui.SetCursorPosX(Math.max(20, (ImGui.GetWindowWidth() - w) / 2));
  ImGui.BeginGroup();
  withFont(BIG, () => {
    ImGui.Text(t('title'));
    ImGui.TextWrapped(setting ? (s.first === null ? t('pinSetTitle') : t('pinAgain')) : t('pinEnterTitle'));
  });
  withFont(HUGE, () => {
    ImGui.SetNextItemWidth(w);
    const flags = ImGuiInputTextFlags.Password | ImGuiInputTextFlags.CharsDecimal | ImGuiInputTextFlags.EnterReturnsTrue;
    if (ImGui.InputText('##pin', s.input, 9, flags)) locking.submitPin().then(() => invalidate());
    track('pin');
    caretFromItem();
  });
  if (s.error) withFont(BASE + 4, () => ImGui.TextColored(rgba(239, 83, 80), s.error));
  // A keypad for touch screens and gloves.
  withFont(BIG, () => {
    const keys = ['1', '2', '3', '4', '5', '6', '7', '8', '9', 'C', '0', 'OK'];
    keys.forEach((k, i) => {
      const label = k === 'C' ? t('clear') : k === 'OK' ? (setting ? t('setPin') : t('unlock')) : k;
      if (button(label, `key.${k}`, 132, 80, k === 'OK' ? [46, 125, 50] : null)) {
        if (k === 'C') s.input[0] = '';
        else if (k === 'OK') locking.submitPin().then(() => invalidate());
        else if (s.input[0].length < 8) s.input[0] += k;
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
