// Staff-only console: a PIN set on first start; the console locks again after
// a stretch without input. Only a salted PBKDF2 hash of the PIN is kept (in
// this browser profile's localStorage): the PIN guards the screen of an
// unattended laptop, not the database.
const PIN_KEY = 'gatepass.gate.pin';
const LOCK_AFTER_KEY = 'gatepass.gate.lockAfterMin';

async function hashPin(pin, saltHex) {
  const salt = Uint8Array.from(saltHex.match(/../g), (h) => parseInt(h, 16));
  const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(pin), 'PBKDF2', false, ['deriveBits']);
  const bits = await crypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations: 100000 }, key, 256);
  return [...new Uint8Array(bits)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

export class Lock {
  constructor() {
    this.stored = JSON.parse(localStorage.getItem(PIN_KEY) || 'null');
    this.locked = true;
    this.lastInput = performance.now();
    this.lockAfterMin = Number(localStorage.getItem(LOCK_AFTER_KEY)) || 5;
  }

  get hasPin() { return !!this.stored; }

  async setPin(pin) {
    const salt = [...crypto.getRandomValues(new Uint8Array(16))].map((b) => b.toString(16).padStart(2, '0')).join('');
    this.stored = { salt, hash: await hashPin(pin, salt) };
    localStorage.setItem(PIN_KEY, JSON.stringify(this.stored));
    this.locked = false;
    this.touch();
  }

  async unlock(pin) {
    if (!this.stored) return false;
    const ok = (await hashPin(pin, this.stored.salt)) === this.stored.hash;
    if (ok) {
      this.locked = false;
      this.touch();
    }
    return ok;
  }

  touch() { this.lastInput = performance.now(); }

  setLockAfter(min) {
    this.lockAfterMin = Math.max(1, Math.min(240, Math.round(min)));
    localStorage.setItem(LOCK_AFTER_KEY, String(this.lockAfterMin));
  }

  /// True when it just locked because of inactivity.
  checkIdle(now = performance.now()) {
    if (this.locked || now - this.lastInput < this.lockAfterMin * 60000) return false;
    this.locked = true;
    return true;
  }

  msUntilIdleLock(now = performance.now()) {
    return Math.max(0, this.lockAfterMin * 60000 - (now - this.lastInput));
  }
}
