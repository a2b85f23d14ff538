// The page's side of the staff lock. The lock itself is in the core (the
// gate's worker refuses every request but lock.* until the PIN was given:
// src/core/Lock.h): the PIN's Argon2id record and the count of wrong attempts
// are in the gate database, and the core words every refusal and wait. Here:
// what the lock screen shows, and the inactivity timer (a preference of this
// laptop, kept in localStorage).
import { app, call } from './state.js';

const LOCK_AFTER_KEY = 'gatepass.gate.lockAfterMin';

export class Lock {
  constructor() {
    this.locked = true;
    this.state = '';        // the core's: 'new' (first start) | 'set' | 'lockout'; '' until it answered
    this.minDigits = 6;     // the core's
    this.maxDigits = 12;    // the core's
    this.waitMs = 0;        // the core's wait before the next attempt, when last asked
    this.lockout = null;    // the core's message for a lock-out
    this.lastInput = performance.now();
    this.lockAfterMin = Number(localStorage.getItem(LOCK_AFTER_KEY)) || 5;
  }

  get hasPin() { return this.state === 'set'; }

  apply(rep) {
    if (!rep.ok) return rep;
    this.locked = rep.locked;
    this.state = rep.state;
    this.minDigits = rep.min_digits;
    this.maxDigits = rep.max_digits;
    this.waitMs = rep.wait_ms;
    this.lockout = rep.lockout ?? null;
    // A damaged sealed database set aside at this unlock (the core's words): said until the page goes.
    app.setAside = rep.quarantined ?? app.setAside;
    if (!this.locked) this.touch();
    return rep;
  }

  async refresh() { return this.apply(await call('lock.status')); }

  /// The form of a new PIN, before it is asked again.
  async check(pin) { return call('lock.pin_check', { pin }); }

  async setPin(pin) { return this.apply(await call('lock.set_pin', { pin })); }

  async unlock(pin) {
    const rep = await call('lock.unlock', { pin });
    if (rep.ok) return this.apply(rep);
    await this.refresh(); // the count and the wait changed
    return rep;
  }

  /// A lock-out or a forgotten PIN: the office's enrollment code for this gate
  /// (opened in the worker: web/gate/enroll-worker.js) and a new PIN.
  async recover(code, passphrase, pin) {
    const rep = await app.core.send('recover', { code, passphrase, pin });
    if (rep.ok) return this.apply(rep);
    await this.refresh();
    return rep;
  }

  /// Locked at once on the page; the core follows (its reply only confirms).
  async lockNow() {
    this.locked = true;
    return this.apply(await call('lock.lock'));
  }

  touch() { this.lastInput = performance.now(); }

  setLockAfter(min) {
    this.lockAfterMin = Math.max(1, Math.min(240, Math.round(min)));
    localStorage.setItem(LOCK_AFTER_KEY, String(this.lockAfterMin));
  }

  /// True when it is time to lock because of inactivity.
  checkIdle(now = performance.now()) {
    return !this.locked && now - this.lastInput >= this.lockAfterMin * 60000;
  }

  msUntilIdleLock(now = performance.now()) {
    return Math.max(0, this.lockAfterMin * 60000 - (now - this.lastInput));
  }
}
