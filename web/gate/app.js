// The gate console: boot, the redraw scheduler, the test API. The screens are
// in views.js, the talk with the core in flow.js.
import { ImGui, ImGuiImplWeb } from '../vendor/jsimgui/mod.js';
import { Camera } from './camera.js';
import { installImeBridge } from './ime.js';
import { Lock } from './lock.js';
import { unlockAudio, played } from './sound.js';
import { S, flow, note, call } from './flow.js';
import { drawConsole, rects, setupStyle } from './views.js';
import { Uploader } from './upload.js';
import { Wedge } from './wedge.js';
import { registerFaceWorker } from '../sw/register.js';

const canvas = document.getElementById('console');
const cameraView = document.getElementById('camera-view');
const FONT_URL = new URL('../fonts/gate-cjk.otf', import.meta.url);

// --- redraw only when something changed --------------------------------------
// An input event, a camera preview frame, a core reply or a timer asks for a
// few frames (ImGui needs one or two after an event to settle hover/active
// states); with nothing happening no frame is drawn at all.
let framesWanted = 0;
let rafId = 0;
let imeSync = null;
const counters = { frames: 0, drawErrors: 0, lastDrawError: '', startedAt: performance.now(), lastStep: '', steps: [] };

/// Frames owed at most after a burst of input.
const MAX_WANTED = 30;

/// `queued`: the call is for an input event ImGui queues. ImGui takes such
/// events a few per frame (a key's down and up, text after a key, never in the
/// same frame), so a burst faster than frames — Ctrl+A, a typed name and Enter
/// from a barcode-fast typist or a slow machine — needs a frame per event, or
/// its last events (the Enter) wait in ImGui's queue until the next input.
export function invalidate(frames = 3, queued = false) {
  framesWanted = queued ? Math.min(MAX_WANTED, Math.max(framesWanted, frames) + 1) : Math.max(framesWanted, frames);
  if (!rafId) rafId = requestAnimationFrame(frame);
}

function frame() {
  rafId = 0;
  // Hidden (printing, a collapsed window): nothing to draw, keep the last layout.
  if (!canvas.clientWidth || !canvas.clientHeight) return;
  const dpr = window.devicePixelRatio || 1;
  const w = Math.round(canvas.clientWidth * dpr);
  const h = Math.round(canvas.clientHeight * dpr);
  if (canvas.width !== w) canvas.width = w;
  if (canvas.height !== h) canvas.height = h;
  ImGuiImplWeb.BeginRender();
  try {
    drawConsole();
  } catch (err) {
    // A drawing bug must not take the gate down: ImGui recovers the unbalanced
    // stack at the end of the frame (io.ConfigErrorRecovery) and we go on.
    counters.drawErrors++;
    counters.lastDrawError = String(err?.message ?? err);
    console.error('gate console: draw error', counters.lastDrawError);
  }
  ImGuiImplWeb.EndRender();
  counters.frames++;
  if (S.flow.step !== counters.lastStep) {
    // When each flow step first reached the screen (benchmark: code visible → decision shown).
    counters.lastStep = S.flow.step;
    counters.steps.push({ step: S.flow.step, t: performance.now() });
    if (counters.steps.length > 200) counters.steps.shift();
  }
  imeSync?.(S.caret);
  placeCameraView();
  if (--framesWanted > 0) rafId = requestAnimationFrame(frame);
}

/// The live view is the <video> under the canvas, placed where the console
/// left room for it (the canvas is transparent there); hidden when that room
/// was not drawn (another tab, locked).
function placeCameraView() {
  const r = rects.get('camera.view');
  if (!r) {
    cameraView.style.display = 'none';
    return;
  }
  Object.assign(cameraView.style, {
    display: 'block', left: `${r.x}px`, top: `${r.y}px`, width: `${r.w}px`, height: `${r.h}px`,
  });
}

// --- boot --------------------------------------------------------------------
async function boot() {
  S.invalidate = invalidate;
  const fontBytes = fetch(FONT_URL).then((r) => {
    if (!r.ok) throw new Error(`font ${r.status}`);
    return r.arrayBuffer();
  });
  await ImGuiImplWeb.Init({ canvas, backend: 'webgl2', extensions: true });
  const io = ImGui.GetIO();
  io.ConfigInputTextCursorBlink = false; // a blinking caret would need a frame every 0.5 s
  io.ConfigErrorRecoveryEnableAssert = false; // recover from a draw error instead of aborting
  try {
    ImGuiImplWeb.LoadFont('gate-cjk.otf', new Uint8Array(await fontBytes));
    S.font = io.Fonts.AddFontFromFileTTF('gate-cjk.otf', 22);
  } catch (err) {
    S.fontError = String(err.message || err);
  }
  setupStyle();

  for (const type of ['pointermove', 'pointerdown', 'pointerup', 'wheel', 'keydown', 'keyup', 'touchstart', 'touchend']) {
    canvas.addEventListener(type, () => {
      S.lock?.touch();
      invalidate(type === 'pointermove' ? 2 : 4, type !== 'pointermove');
    }, { passive: true });
  }
  canvas.addEventListener('pointerdown', unlockAudio);
  // Draw at once on release, inside the user gesture: if the tap opened a text
  // field, the hidden input gets the focus while a touch screen still allows
  // its on-screen keyboard to open (a focus from a later animation frame does not).
  canvas.addEventListener('pointerup', () => {
    if (rafId) cancelAnimationFrame(rafId);
    rafId = 0;
    frame();
  });
  window.addEventListener('keydown', () => { S.lock?.touch(); unlockAudio(); }, true);
  new ResizeObserver(() => invalidate()).observe(canvas);
  window.addEventListener('focus', () => invalidate());
  imeSync = installImeBridge(canvas, io, () => invalidate(3, true));
  canvas.focus();
  invalidate();

  S.lock = new Lock();
  S.camera = new Camera({
    video: cameraView,
    onResult: (r) => { if (flow.onScanResult(r)) invalidate(1); },
    onState: () => invalidate(),
  });
  new Wedge({ canvas, onRead: (text) => { if (S.core && !S.lock.locked) flow.handleText(text, performance.now()); } });
  S.uploader = new Uploader();
  // The offline copy of the console (sw.js beside this page); a new version
  // waits until staff choose to reload, never mid-scan.
  registerFaceWorker({
    onUpdateReady: () => note({ zh: '新版本已就绪：空闲时刷新页面', en: 'A new version is ready: reload when idle' }, 'warn'),
  }).catch(() => {});
  S.phase = 'ready';
  invalidate();

  try {
    await flow.openCore();
  } catch (err) {
    // e.g. storage.locked: the console is already open in another tab.
    S.phase = 'failed';
    S.bootErrorCode = err?.code ?? '';
    S.bootError = err?.zh ? `${err.zh} / ${err.en}` : String(err?.message ?? err);
    invalidate();
    return;
  }
  invalidate();

  // Once a second: inactivity lock, connectivity, the "done" panel timing out.
  setInterval(() => {
    if (S.lock.checkIdle()) {
      flow.onLocked();
      invalidate();
    }
    if (flow.tick()) invalidate();
  }, 1000);
  window.addEventListener('online', () => { S.online = true; flow.onOnline(); invalidate(); });
  window.addEventListener('offline', () => { S.online = false; invalidate(); });
}

// --- test API: the canvas has no DOM, so tests read state and item positions here
window.gatepass = {
  /// A snapshot of what the console shows (no unmasked personal data unless revealed).
  state: () => flow.snapshot({ frames: counters.frames, drawErrors: counters.drawErrors, lastDrawError: counters.lastDrawError, sounds: [...played] }),
  /// {x, y, w, h} in CSS pixels of an item drawn in the last frame, or null.
  itemRect: (id) => rects.get(id) ?? null,
  /// All item ids drawn in the last frame.
  items: () => [...rects.keys()],
  /// Frames drawn since load (the idle console must not keep drawing).
  frames: () => counters.frames,
  cameraStats: () => S.camera?.statsSummary() ?? null,
  /// Benchmarks: [{step, t}] when each flow step was first drawn; the camera's probe trace.
  steps: () => counters.steps,
  probe: (region) => { S.camera.probe = region; S.camera.trace = []; },
  trace: () => S.camera?.trace ?? [],
  /// Tests: lock after `ms` without input (the settings screen takes whole minutes).
  setIdleLock: (ms) => { S.lock.lockAfterMin = ms / 60000; S.lock.touch(); },
  /// Benchmarks: no pacing (every frame decoded, previewed and redrawn) for comparison.
  unpaced: () => {
    Object.assign(S.camera, { idleInterval: 0, activeInterval: 0 });
    const spin = () => { invalidate(1); requestAnimationFrame(spin); };
    spin();
  },
  /// The console's own core connection (tests check what was stored).
  call: (op, args) => call(op, args),
  invalidate,
};

boot().catch((err) => {
  S.phase = 'failed';
  S.bootError = String(err?.message ?? err);
  const el = document.getElementById('boot-error');
  if (el) {
    el.hidden = false;
    el.textContent = `门岗控制台无法启动 / The console could not start: ${S.bootError}`;
  }
});
