// The gate console: boot and the redraw scheduler. The screens are in
// views.js and view-*.js, each with its own state; what they share is in
// state.js. The test API (test-api.js) is loaded only on a page opened in
// test mode (the browser tests set window.gatepassTestMode before any script).
import { ImGui, ImGuiImplWeb, ImFontConfig, ImVec2 } from '../vendor/jsimgui/mod.js';
import { openCore } from '../shared/core-client.js';
import { Camera } from './camera.js';
import { installImeBridge } from './ime.js';
import { unlockAudio } from './sound.js';
import { app, call, note, setRedraw, refreshPending, refreshInside } from './state.js';
import { flow, scanState } from './flow.js';
import { drawConsole, rects, setupStyle } from './views.js';
import { caret } from './ui.js';
import { lockState, locking, installPinKeys } from './view-lock.js';
import { installTemperatureKeys } from './view-scan.js';
import { people } from './view-people.js';
import { office, officeState } from './view-office.js';
import { settings } from './view-settings.js';
import { Wedge } from './wedge.js';
import { registerFaceWorker } from '../sw/register.js';
import { useFontCodes } from './glyphs.js';

const canvas = document.getElementById('console');
const cameraView = document.getElementById('camera-view');
// Two fonts (build-scripts/make-font): the first (~0.8 MB gzip: common hanzi and
// every word the console writes) before the console is usable, the rest of
// Noto Sans CJK SC (rare name characters, Extension A and B, kana, Hangul;
// ~6.5 MB) merged into it once the console is up, so a slow link waits for
// the small one only. Until the second is in, a rare character shows as '?'.
// Characters beyond the BMP are drawn through glyphs.js.
const FONT_URL = new URL('../fonts/gate-cjk.otf', import.meta.url);
const MORE_FONT_URL = new URL('../fonts/gate-cjk-more.otf', import.meta.url);
const MORE_FONT_CODES_URL = new URL('../fonts/gate-cjk-more.json', import.meta.url);
const FONT_PX = 22;

// --- redraw only when something changed --------------------------------------
// An input event, a camera preview frame, a core reply or a timer asks for a
// few frames (ImGui needs one or two after an event to settle hover/active
// states); with nothing happening no frame is drawn at all.
let framesWanted = 0;
let rafId = 0;
let imguiReady = false; // no frame before ImGui is initialised (an early event may ask for one)
let imeSync = null;
const counters = { frames: 0, drawErrors: 0, lastDrawError: '', startedAt: performance.now(), lastStep: '', steps: [], moreFont: '', inFrame: null };

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
  if (!imguiReady || !canvas.clientWidth || !canvas.clientHeight) return;
  const dpr = window.devicePixelRatio || 1;
  const w = Math.round(canvas.clientWidth * dpr);
  const h = Math.round(canvas.clientHeight * dpr);
  if (canvas.width !== w) canvas.width = w;
  if (canvas.height !== h) canvas.height = h;
  ImGuiImplWeb.BeginRender();
  try {
    drawConsole();
    // Tests: work that needs a frame's font (test-api.js textWidth); null otherwise.
    if (counters.inFrame) { const f = counters.inFrame; counters.inFrame = null; f(); }
  } catch (err) {
    // A drawing bug must not take the gate down: ImGui recovers the unbalanced
    // stack at the end of the frame (io.ConfigErrorRecovery) and we go on.
    counters.drawErrors++;
    counters.lastDrawError = String(err?.message ?? err);
    console.error('gate console: draw error', counters.lastDrawError);
  }
  ImGuiImplWeb.EndRender();
  counters.frames++;
  const step = scanState.flow.step;
  if (step !== counters.lastStep) {
    // When each flow step first reached the screen (benchmark: code visible → decision shown).
    counters.lastStep = step;
    counters.steps.push({ step, t: performance.now() });
    if (counters.steps.length > 200) counters.steps.shift();
  }
  imeSync?.(caret);
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
  setRedraw(invalidate);
  // From the very start: an `online`/`offline` event during boot must not be missed.
  window.addEventListener('online', () => { if (app.core && !lockState.lock.locked) office.onOnline(); invalidate(); });
  window.addEventListener('offline', () => invalidate());
  const fontBytes = fetch(FONT_URL).then((r) => {
    if (!r.ok) throw new Error(`font ${r.status}`);
    return r.arrayBuffer();
  });
  await ImGuiImplWeb.Init({ canvas, backend: 'webgl2', extensions: true });
  imguiReady = true;
  const io = ImGui.GetIO();
  io.ConfigInputTextCursorBlink = false; // a blinking caret would need a frame every 0.5 s
  io.ConfigErrorRecoveryEnableAssert = false; // recover from a draw error instead of aborting
  try {
    ImGuiImplWeb.LoadFont('gate-cjk.otf', new Uint8Array(await fontBytes));
    io.Fonts.AddFontFromFileTTF('gate-cjk.otf', FONT_PX);
  } catch (err) {
    // Without the font hanzi show as '?', but the console still works.
    console.error('gate console: font', String(err?.message ?? err));
  }
  setupStyle();

  const lock = lockState.lock;
  for (const type of ['pointermove', 'pointerdown', 'pointerup', 'wheel', 'keydown', 'keyup', 'touchstart', 'touchend']) {
    canvas.addEventListener(type, () => {
      lock.touch();
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
  window.addEventListener('keydown', () => { lock.touch(); unlockAudio(); }, true);
  new ResizeObserver(() => invalidate()).observe(canvas);
  window.addEventListener('focus', () => invalidate());
  imeSync = installImeBridge(canvas, io, () => invalidate(3, true));
  canvas.focus();
  invalidate();

  scanState.camera = new Camera({
    video: cameraView,
    onResult: (r) => { if (flow.onScanResult(r)) invalidate(1); },
    onState: () => invalidate(),
  });
  // A keyboard-wedge scanner's burst is a read like the camera's (wedge.js).
  new Wedge({ canvas, onRead: (text) => { if (app.core && !lockState.lock.locked) flow.handleText(text, performance.now()); } });
  // After the wedge (it listens in the capture phase): the PIN from the keyboard.
  installPinKeys();
  installTemperatureKeys();
  app.phase = 'ready';
  invalidate();

  const started = await startCore();
  if (started) performance.mark('gatepass:ready'); // usable: drawn with the first font, core open (bench-gate-load)
  // Only then, so that on a slow link neither competes with what the console
  // needs first: the second font, then the offline copy (sw.js beside this
  // page), whose install then revalidates what the page already loaded rather
  // than downloading it a second time beside it (build-scripts/bench-gate-load).
  // A new version waits until staff choose to reload, never mid-scan.
  mergeMoreGlyphs(io).then(() => registerFaceWorker({
    onUpdateReady: () => note({ zh: '新版本已就绪：空闲时刷新页面', en: 'A new version is ready: reload when idle' }, 'warn'),
  })).catch(() => {});
  if (!started) return;

  // Once a second: inactivity lock, the "done" panel timing out, upload retries.
  setInterval(() => {
    const now = performance.now();
    let changed = false;
    if (lock.checkIdle(now)) { locking.lockNow(); changed = true; }
    if (flow.tick(now)) changed = true;
    if (!lock.locked) office.tick(now); // the core answers nothing while locked
    if (app.message && now - app.message.at > 8000) { app.message = null; changed = true; }
    if (changed) invalidate();
  }, 1000);
}

/// Fetches the second font and merges it into the first (ImGui 1.92 adds a
/// font source at any time and rasterises its glyphs when first drawn). Runs
/// between frames: a fetch resolves outside frame(). counters.moreFont says
/// how it went, for the tests: 'loading', 'merged' or 'failed'.
async function mergeMoreGlyphs(io) {
  counters.moreFont = 'loading';
  try {
    const [r, list] = await Promise.all([fetch(MORE_FONT_URL), fetch(MORE_FONT_CODES_URL)]);
    if (!r.ok || !list.ok) throw new Error(`font ${r.status} ${list.status}`);
    const codes = await list.json();
    ImGuiImplWeb.LoadFont('gate-cjk-more.otf', new Uint8Array(await r.arrayBuffer()));
    // jsimgui's New() does not run ImFontConfig's C++ constructor: set its
    // defaults (imgui_draw.cpp) by hand, or AddFont asserts.
    const config = ImFontConfig.New();
    Object.assign(config, {
      FontDataOwnedByAtlas: true, MergeMode: true, PixelSnapH: false, OversampleH: 0, OversampleV: 0, EllipsisChar: 0,
      GlyphOffset: new ImVec2(0, 0), GlyphMinAdvanceX: 0, GlyphMaxAdvanceX: 3.4028234663852886e38 /* FLT_MAX */,
      GlyphExtraAdvanceX: 0, FontNo: 0, FontLoaderFlags: 0, RasterizerMultiply: 1, RasterizerDensity: 1, ExtraSizeScale: 1,
    });
    io.Fonts.AddFontFromFileTTF('gate-cjk-more.otf', FONT_PX, config);
    useFontCodes(codes); // names beyond the BMP are drawn from here on (glyphs.js)
    counters.moreFont = 'merged';
    performance.mark('gatepass:fonts'); // every name character drawable (bench-gate-load)
  } catch (err) {
    // Rare characters stay '?'; everything else works.
    counters.moreFont = 'failed';
    console.error('gate console: second font', String(err?.message ?? err));
  }
  invalidate();
}

/// Opens the core; on failure the console says why (e.g. storage.locked: the
/// console is already open in another tab) and, when the browser deleted the
/// stored database (storage.lost), offers to start anew once a person confirms.
async function startCore(acceptLoss = false) {
  try {
    await openGateCore(acceptLoss);
  } catch (err) {
    app.phase = 'failed';
    app.bootErrorCode = err?.code ?? '';
    app.bootError = err?.zh ? `${err.zh} / ${err.en}` : String(err?.message ?? err);
    app.startAnew = err?.acceptable ? () => startAnew() : null; // the worker says which errors have a way on
    invalidate();
    return false;
  }
  invalidate();
  return true;
}

async function startAnew() {
  app.startAnew = null;
  app.bootError = '';
  app.bootErrorCode = '';
  app.phase = 'ready';
  invalidate();
  await startCore(true);
}

/// The database, behind the staff lock: until the PIN is given the core
/// answers nothing but lock.* (what the screens need is loaded after).
async function openGateCore(acceptLoss = false) {
  app.core = await openCore({ db: 'gate.sqlite', workerUrl: new URL('./core-worker.js', import.meta.url), acceptLoss });
  locking.afterUnlock = loadAfterUnlock;
  await lockState.lock.refresh();
}

/// What every screen needs from the core, once it answers.
async function loadAfterUnlock() {
  const f = await call('fields');
  if (f.ok) {
    app.fields = f.fields;
    for (const fl of f.fields) if (fl.choices) app.choices[fl.key] = fl.choices;
  }
  await settings.load();
  await Promise.all([refreshPending(), refreshInside()]);
  await people.refreshToday();
  // Once at start (then daily, office.tick): what is past the retention period goes.
  if (!officeState.retention) await office.applyRetention();
  invalidate();
}

// --- test API: only in test mode (see test-api.js) ---------------------------
if (window.gatepassTestMode === true) {
  import('./test-api.js').then((m) => m.installTestApi({ counters, invalidate, rects: () => rects }));
}

boot().catch((err) => {
  app.phase = 'failed';
  app.bootError = String(err?.message ?? err);
  const el = document.getElementById('boot-error');
  if (el) {
    el.hidden = false;
    el.textContent = `门岗控制台无法启动 / The console could not start: ${app.bootError}`;
  }
});
