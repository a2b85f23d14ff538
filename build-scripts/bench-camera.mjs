#!/usr/bin/env node
// Gate camera benchmark, all in one run, side by side:
//  1. per-frame decode time at 640×480 and 1280×720 (median, p95, codes found)
//     on the same frames: the console's pipeline (ImageBitmap → reader worker →
//     zxing-wasm), zxing-wasm called directly, and @zxing/library;
//  2. latency from the first camera frame in which the pass is fully visible
//     to the console showing the person (flow step drawn), through the real
//     fake-camera path, with the console's idle pacing;
//  3. CPU use of the whole browser while the camera runs and nobody is there:
//     camera off, the console as shipped (paced), and unpaced (every frame
//     decoded and redrawn) for comparison, beside the floor: the same camera
//     in a bare <video> page;
//  4. distance: clips in which the pass moves slowly away (tilt, keystone,
//     blur, heavy noise), read frame by frame by the console's reader, by
//     zxing-wasm on the whole frame and by @zxing/library: the smallest
//     px/module each reads and its ms per frame;
//  5. camera start → first read (the pass in view from the first frame);
//  6. throughput: a queue of residents, one after another, with the guard's
//     taps scripted (temperature typed, Enter decides, Enter records):
//     persons per minute from the first pass seen to the last entry stored,
//     for the console as shipped and with the reader held at its idle pace.
//
//   build-scripts/bench-camera [--frames N] [--loops N] [--cpu-seconds N] [--starts N]
//                              [--queue N] [--show S] [--gap S]
//                              [--only decode,distance,start,latency,cpu,throughput]
//                              [--before DIR]  another assembled site (e.g. a copy of main's build/site) side by side:
//                                              distance: its reader in a column beside; start, latency, cpu:
//                                              its console in place of the "before" settings of this one
// Needs build/site (build-scripts/build) and build/native/gatepass.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { serveSite, freshProfile, launch, removeProfile, siteBuilt, REPO } from '../tests/browser/harness.mjs';
import { makeClip, makeEmptyClip, makeDistanceClip, passText, CLI } from '../tests/browser/clips/make-clip.mjs';
import { makeCommunity, sealNatively } from '../tests/browser/sealed-lib.mjs';
import { encode as qrEncode } from 'uqr';
import { PEOPLE, setPin, click, coreCall, waitState, VIEWPORT } from '../tests/browser/gate-lib.mjs';

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const FRAMES = opt('frames', 30);
const LOOPS = opt('loops', 3);
const CPU_SECONDS = opt('cpu-seconds', 15);
const STARTS = opt('starts', 5);
const BEFORE = args.indexOf('--before') >= 0 ? path.resolve(args[args.indexOf('--before') + 1]) : null;
const onlyArg = args.indexOf('--only') >= 0 ? args[args.indexOf('--only') + 1].split(',') : null;
const want = (section) => !onlyArg || onlyArg.includes(section);

if (!siteBuilt() || !fs.existsSync(CLI)) {
  console.error('bench-camera: build/site and build/native/gatepass are needed (run build-scripts/build)');
  process.exit(2);
}

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'gatepass-bench-camera-'));
const text = passText(PEOPLE.zhe);
const quant = (list, q) => {
  if (!list.length) return NaN;
  const s = [...list].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
};
const f1 = (x) => (Number.isFinite(x) ? x.toFixed(1) : '—');

// --- 1. decode time on fixed frames -------------------------------------------------------------
const SIZES = [
  { name: '640x480', width: 640, height: 480, qrScale: 4, x: 300, y: 120 },
  { name: '1280x720', width: 1280, height: 720, qrScale: 5 },
  // The same without noise, blur or motion: shows each reader works at all.
  { name: '1280x720 clean', width: 1280, height: 720, qrScale: 5, noise: 0, blur: 0.01, motion: 0 },
];
const toRgba = (y4m, rgba, frames) => execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-i', y4m,
  '-frames:v', String(frames), '-f', 'rawvideo', '-pix_fmt', 'rgba', rgba]);
if (want('decode')) {
  for (const s of SIZES) {
    s.file = s.name.replace(' ', '-');
    const y4m = path.join(work, `${s.file}.y4m`);
    await makeClip({ text, out: y4m, width: s.width, height: s.height, seconds: FRAMES / 10, fps: 10, qrScale: s.qrScale, x: s.x, y: s.y,
      noise: s.noise ?? 10, blur: s.blur ?? 0.6, motion: s.motion ?? 12 });
    toRgba(y4m, path.join(work, `${s.file}.rgba`), FRAMES);
    fs.rmSync(y4m);
  }
}

// --- 4. distance: the pass moving slowly away ----------------------------------------------------
// Two scenes (different places, tilted either way; defocus and heavy sensor noise
// of a cheap webcam in a dim gateway), each at 640×480 and 1280×720; the module
// size falls linearly from 6 to 2 px over 60 frames. zxing-wasm on the whole
// frame stops at ~3.5–4.5 px/module here, as on the webcam clips of issue 14.
// The same person's live sealed pass (issue 9: read from at least as far as the
// plain pass) in the two 640×480 scenes: a bigger QR version, so at the same
// size on screen each module is smaller; the summary compares the QR's width.
const DISTANCE = [
  { name: '640x480 A', width: 640, height: 480, angle: 0.21, x: 360, y: 220, blur: 1.0, noise: 60 },
  { name: '640x480 B', width: 640, height: 480, angle: -0.24, x: 250, y: 260, keystone: 0.07, blur: 0.6, noise: 90 },
  { name: '1280x720 A', width: 1280, height: 720, angle: 0.21, x: 700, y: 330, blur: 1.0, noise: 60 },
  { name: '1280x720 B', width: 1280, height: 720, angle: -0.24, x: 480, y: 400, keystone: 0.07, blur: 0.6, noise: 90 },
  { name: '640x480 A sealed', sealed: true, width: 640, height: 480, angle: 0.21, x: 360, y: 220, blur: 1.0, noise: 60 },
  { name: '640x480 B sealed', sealed: true, width: 640, height: 480, angle: -0.24, x: 250, y: 260, keystone: 0.07, blur: 0.6, noise: 90 },
];
/// Modules across the QR of `t` at ECC M (as the clips draw it).
const modulesOf = (t) => 17 + 4 * qrEncode(t, { ecc: 'M' }).version;
if (want('distance')) {
  // Two CLI calls: only the distance section uses the sealed pass.
  const community = makeCommunity();
  const sealedText = sealNatively(community, PEOPLE.zhe);
  community.remove();
  for (const c of DISTANCE) {
    c.file = `distance-${c.name.replaceAll(' ', '-')}`;
    c.modules = modulesOf(c.sealed ? sealedText : text);
    const y4m = path.join(work, `${c.file}.y4m`);
    const clip = await makeDistanceClip({ text: c.sealed ? sealedText : text, out: y4m, width: c.width, height: c.height, seconds: 6, fps: 10, qrScale: 6, from: 1, to: 1 / 3,
      angle: c.angle, keystone: c.keystone ?? 0.05, x: c.x, y: c.y, blur: c.blur, noise: c.noise });
    c.ppm = clip.pxPerModule;
    toRgba(y4m, path.join(work, `${c.file}.rgba`), clip.frames);
    fs.rmSync(y4m);
  }
}

fs.writeFileSync(path.join(work, 'decode.html'), `<!doctype html><meta charset="utf-8">
<script src="/__zxlib/index.min.js"></script>
<script type="module">
import { prepareZXingModule, readBarcodes } from '/vendor/zxing-wasm/es/reader/index.js';
await prepareZXingModule({ overrides: { locateFile: (p, pre) => p.endsWith('.wasm') ? '/vendor/zxing-wasm/reader/zxing_reader.wasm' : pre + p }, fireImmediately: true });
// zxing-wasm raw: the whole frame with the options web/gate/scan-worker.js uses for it.
const options = { formats: ['QRCode'], maxNumberOfSymbols: 1, tryHarder: true, tryRotate: true, tryInvert: false, tryDownscale: true };
// The console's reader; with --before DIR also the reader of another assembled site (a column beside it).
const workers = [];
const readerWorker = async (url) => {
  const worker = new Worker(url, { type: 'module' });
  await new Promise((r) => { worker.onmessage = ({ data }) => data.type === 'ready' && r(); });
  workers.push(worker);
  const pending = new Map();
  worker.onmessage = ({ data }) => { if (data.type === 'result') { pending.get(data.id)(data); pending.delete(data.id); } };
  let nextId = 0;
  return async (img) => {
    const id = ++nextId;
    const bitmap = await createImageBitmap(img);
    return new Promise((r) => { pending.set(id, r); worker.postMessage({ type: 'frame', id, bitmap }, [bitmap]); });
  };
};
const viaWorker = await readerWorker('/gate/scan-worker.js');
const viaBefore = ${JSON.stringify(!!BEFORE)} ? await readerWorker('/__before/gate/scan-worker.js') : null;
const { QRCodeReader, BinaryBitmap, HybridBinarizer, RGBLuminanceSource, DecodeHintType } = window.ZXing;
const zxlHints = new Map([[DecodeHintType.TRY_HARDER, true]]);
const zxlReader = new QRCodeReader();
let parts = [];
const methods = {
  pipeline: async (img) => {
    const r = await viaWorker(img);
    parts.push({ grab: r.grabMs, decode: r.decodeMs, how: r.how });
    return r.found;
  },
  ...(viaBefore ? { before: async (img) => (await viaBefore(img)).found } : {}),
  zxingWasm: async (img) => (await readBarcodes(img, options)).some((r) => r.isValid),
  zxingLibrary: async (img) => {
    try {
      const src = new RGBLuminanceSource(new Int32Array(img.data.buffer.slice(0)), img.width, img.height);
      return !!zxlReader.decode(new BinaryBitmap(new HybridBinarizer(src)), zxlHints);
    } catch { return false; }
  },
};
const load = async (file, width, height, n) => {
  const buf = new Uint8ClampedArray(await (await fetch(file)).arrayBuffer());
  const size = width * height * 4;
  const frames = [];
  for (let i = 0; i < n && (i + 1) * size <= buf.length; i++) frames.push(new ImageData(buf.slice(i * size, (i + 1) * size), width, height));
  return frames;
};
window.bench = async (file, width, height, n) => {
  const frames = await load(file, width, height, n);
  const out = {};
  parts = [];
  for (const [name, fn] of Object.entries(methods)) {
    for (const w of workers) w.postMessage({ type: 'reset' });
    for (const img of frames.slice(0, 3)) await fn(img); // warm-up
    const times = [];
    let found = 0;
    for (const img of frames) {
      const t0 = performance.now();
      if (await fn(img)) found++;
      times.push(performance.now() - t0);
    }
    out[name] = { times, found, n: frames.length };
  }
  out.parts = parts.slice(3, 3 + frames.length);
  return out;
};
// Every frame of a clip in order (the console's reader follows the code from frame
// to frame, as on a camera); reverse: the pass coming closer instead.
window.distance = async (file, width, height, n, reverse) => {
  const frames = await load(file, width, height, n);
  const order = frames.map((_, i) => i);
  if (reverse) order.reverse();
  for (const img of frames.slice(0, 3)) { await methods.zxingWasm(img); await methods.pipeline(img); } // warm-up
  const out = {};
  for (const [name, fn] of Object.entries(methods)) {
    for (const w of workers) w.postMessage({ type: 'reset' });
    parts = [];
    const per = [];
    for (const i of order) {
      const t0 = performance.now();
      const found = await fn(frames[i]);
      per.push({ i, found, ms: performance.now() - t0 });
    }
    out[name] = { per, parts };
  }
  return out;
};
window.ready = true;
</script>`);

const site = await serveSite({ mounts: { '/__bench/': work, '/__zxlib/': path.join(REPO, 'node_modules/@zxing/library/umd'), ...(BEFORE ? { '/__before/': BEFORE } : {}) } });
const decode = {};
const distance = {};
if (want('decode') || want('distance')) {
  const profile = freshProfile('bench-decode');
  const context = await launch(profile, { viewport: { width: 400, height: 300 } });
  const page = await context.newPage();
  await page.goto(`${site.url}__bench/decode.html`);
  await page.waitForFunction(() => window.ready === true, null, { timeout: 60000 });
  if (want('decode')) {
    for (const s of SIZES) {
      decode[s.name] = await page.evaluate(([f, w, h, n]) => window.bench(f, w, h, n), [`/__bench/${s.file}.rgba`, s.width, s.height, FRAMES]);
    }
  }
  if (want('distance')) {
    for (const c of DISTANCE) {
      for (const reverse of [false, true]) {
        distance[`${c.name}${reverse ? ' coming closer' : ''}`] = {
          clip: c, reverse,
          r: await page.evaluate(([f, w, h, n, rev]) => window.distance(f, w, h, n, rev), [`/__bench/${c.file}.rgba`, c.width, c.height, c.ppm.length, reverse]),
        };
      }
    }
  }
  await context.close();
  removeProfile(profile);
}

// --- helpers for the console runs ------------------------------------------------------------------
// Per process: a renderer or utility process may come and go during a window.
function cpuTicks(profile) {
  const ticks = new Map();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (!fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(`--user-data-dir=${profile}`)) continue;
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks.set(entry, Number(fields[11]) + Number(fields[12])); // utime + stime
    } catch { /* process gone */ }
  }
  return ticks;
}
const HZ = 100; // USER_HZ on Linux
async function cpuPercent(profile, page, seconds, frames = () => page.evaluate(() => window.gatepass.frames())) {
  const t0 = cpuTicks(profile);
  const w0 = Date.now();
  const f0 = await frames();
  await page.waitForTimeout(seconds * 1000);
  let ticks = 0;
  for (const [pid, t] of cpuTicks(profile)) ticks += t - (t0.get(pid) ?? 0);
  const wall = (Date.now() - w0) / 1000;
  const f = (await frames()) - f0;
  return { cpu: (100 * ticks) / HZ / wall, fps: f / wall };
}
const cameraArgs = (clip) => ['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-video-capture=${clip}`];
/// before: the camera's frames and idle pace as before the half-size idle
/// frames (ImageBitmaps of the <video>, full size, 200 ms apart), for comparison.
/// main: the console of the --before site instead.
async function openConsoleWith(clip, tag, { before = false, main = false } = {}) {
  const profile = freshProfile(tag);
  const context = await launch(profile, { viewport: VIEWPORT, args: cameraArgs(clip) });
  const page = await context.newPage();
  await page.goto(`${site.url}${main ? '__before/' : ''}gate/`);
  await waitState(page, (s) => s.phase === 'ready' && s.coreReady, 'console ready', 30000);
  if (before) await page.evaluate(() => window.gatepass.fullIdleFrames());
  await setPin(page);
  await waitState(page, (s) => s.camera?.running, 'camera running');
  return { profile, context, page };
}

// --- 5. camera start → first read ---------------------------------------------------------------------
// The pass is in view from the clip's first frame. The first start is the one
// after the PIN (the console starts the camera itself); the others are Stop/Start
// on the scan screen. Each start restarts the fake camera's clip. Besides the
// reader's first read: the record on screen (the first frame drawn with the
// person), after the flow is cancelled and the camera stopped for longer than
// the console's debounce (the same pass again within 4 s is not read again).
// With --before: main's console (the other site) beside this one.
const BEFORE_MODE = BEFORE ? 'main' : 'before';
const startModes = { shipped: [], [BEFORE_MODE]: [] };
const DEBOUNCE_S = 4.5;
if (want('start')) {
  const startClip = path.join(work, 'start.y4m');
  await makeClip({ text, out: startClip, seconds: 2, fps: 30, motion: 0 });
  for (const [mode, startups] of Object.entries(startModes)) {
    const { profile, context, page } = await openConsoleWith(startClip, 'bench-start', { before: mode === 'before', main: mode === 'main' });
    for (let i = 0; i < STARTS; i++) {
      let before = 0; // the page's clock before this start (the first: in a fresh console)
      if (i > 0) {
        await click(page, 'cancel');
        await waitState(page, (s) => s.flow.step === 'idle', 'flow reset');
        await click(page, 'camera.stop');
        await waitState(page, (s) => !s.camera?.running, 'camera stopped');
        await page.waitForTimeout(DEBOUNCE_S * 1000);
        before = await page.evaluate(() => performance.now());
        await click(page, 'camera.start');
      }
      const deadline = Date.now() + 15000;
      let st = null;
      while (Date.now() < deadline) {
        // The record on screen: the first frame drawn at 'verify' after the
        // first read (the read's own time is startup.found after the start).
        st = await page.evaluate((before) => {
          const s = window.gatepass.cameraStats();
          const read = s?.recent.find((r) => r.found && r.t >= before); // this start's first read
          if (s?.startup?.found === undefined || !read) return s;
          const startAt = read.t - s.startup.found; // recent[].t: performance.now() rounded, taken with startup.found
          const shown = window.gatepass.steps().find((x) => x.step === 'verify' && x.t >= startAt);
          return shown ? { ...s, startup: { ...s.startup, shown: shown.t - startAt } } : s;
        }, before);
        if (st?.startup?.shown !== undefined) break;
        await page.waitForTimeout(50);
      }
      startups.push(st?.startup ?? {});
    }
    await context.close();
    removeProfile(profile);
  }
}

// --- 2. latency: code fully visible → person on screen ----------------------------------------------
const EMPTY_S = 10; // > the console's 8 s idle threshold: the reader is in its slow pace when the pass appears
const px = 540;
const py = 130;
// Two consoles side by side: as shipped, and with idle frames as before (full size, 200 ms apart).
const latencyModes = { shipped: [], [BEFORE ? 'main' : 'full idle frames']: [] };
if (want('latency')) {
  const latencyClip = path.join(work, 'latency.y4m');
  await makeClip({ text, out: latencyClip, seconds: 3, fps: 10, emptyFirst: EMPTY_S, x: px, y: py, motion: 0 });
  for (const [mode, latencies] of Object.entries(latencyModes)) {
    const { profile, context, page } = await openConsoleWith(latencyClip, 'bench-latency', { before: mode === 'full idle frames', main: mode === 'main' });
    // The white top margin of the phone's screen: bright only while the phone is in the frame.
    await page.evaluate((r) => window.gatepass.probe(r), { x: px + 12 + 40, y: py + 12 + 20, w: 80, h: 20 });
    for (let loop = 0; loop < LOOPS + 1; loop++) {
      const s = await waitState(page, (st) => st.flow.step === 'verify', 'the pass read', (EMPTY_S + 10) * 1000);
      const steps = await page.evaluate(() => window.gatepass.steps());
      const trace = await page.evaluate(() => window.gatepass.trace());
      const shown = steps.filter((x) => x.step === 'verify').at(-1).t;
      // The first bright frame after the last dark one before `shown`.
      let visible = null;
      for (let i = trace.length - 1; i > 0; i--) {
        if (trace[i].t > shown) continue;
        if (trace[i].luma > 170 && trace[i - 1].luma <= 170) { visible = trace[i].t; break; }
      }
      if (loop > 0 && visible !== null && s) latencies.push(shown - visible); // loop 0: the camera may start mid-clip
      await click(page, 'cancel');
      await waitState(page, (st) => st.flow.step === 'idle', 'reset');
      // Wait for the phone to leave the view before the next loop.
      await page.waitForTimeout(3500);
    }
    latencies.stats = await page.evaluate(() => window.gatepass.cameraStats());
    await context.close();
    removeProfile(profile);
  }
}

// --- 6. throughput: a queue at the gate ----------------------------------------------------------------
// QUEUE registered residents (verified before, so each goes straight to the
// temperature) come one after another: each pass is in view SHOW s, with GAP s
// of empty scene before it, as one clip played once. The guard's part is
// scripted as fast as the console answers: type the reading, Enter decides,
// Enter records; a person whose pass left the view before the console was
// ready for them is missed, as at a real gate they would have to show it again.
const QUEUE = opt('queue', 20);
const SHOW_S = opt('show', 1.5);
const GAP_S = opt('gap', 0.5);
const throughput = {};
if (want('throughput')) {
  const surnames = '赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张孔曹严华金魏';
  const queue = Array.from({ length: QUEUE }, (_, i) => ({
    ...PEOPLE.yue, name: `${surnames[i % surnames.length]}排${'一二三四五六七八九十'[Math.floor(i / surnames.length) % 10]}`,
    doc_number: `E${1000000 + i}`, address: `${1 + (i % 9)}-1-${101 + i}`,
  }));
  // One y4m: the first segment whole, then only the frames of the others (same header).
  const queueClip = path.join(work, 'queue.y4m');
  const fd = fs.openSync(queueClip, 'w');
  for (const [i, p] of queue.entries()) {
    const seg = path.join(work, `queue-${i}.y4m`);
    await makeClip({ text: passText(p), out: seg, seconds: SHOW_S, emptyFirst: GAP_S, fps: 10, motion: 6 });
    const bytes = fs.readFileSync(seg);
    fs.writeSync(fd, i === 0 ? bytes : bytes.subarray(bytes.indexOf(0x0a) + 1));
    fs.rmSync(seg);
  }
  fs.closeSync(fd);
  const clipSeconds = QUEUE * (SHOW_S + GAP_S);
  for (const mode of ['shipped', 'idle pace']) {
    const { profile, context, page } = await openConsoleWith(queueClip, `bench-queue-${mode.replace(' ', '-')}`);
    for (const p of queue) await coreCall(page, 'person.verify', { person: p, staff: '值班' });
    await coreCall(page, 'settings.set', { settings: { gate_name: '北门' } });
    if (mode === 'idle pace') await page.evaluate(() => window.gatepass.idlePaced());
    // The clip loops: the queue is served from whoever comes first, for one
    // whole clip's length, so each mode sees every person's window once.
    const served = [];
    let until = Date.now() + (2 * clipSeconds + 30) * 1000; // nobody read at all: give up, reported as 0 served
    let tFirst = NaN;
    let tLast = NaN;
    // The guard's eyes: the page checks its own flow (window.gatepass.flow, a
    // two-field read) every 50 ms, with no round trip and no snapshot of the
    // whole console per look, so the watching costs the reader nothing measurable.
    // As waitState: keys go in once a frame has drawn the step (the canvas takes input where it drew it).
    const next = (test, arg, ms) => page.waitForFunction(test, arg, { polling: 50, timeout: ms })
      .then(async (h) => { const v = await h.jsonValue(); await page.evaluate(() => window.gatepass.nextFrame()); return v; }, () => null);
    while (Date.now() < until && served.length < QUEUE) {
      const f = await next((seen) => { const f = window.gatepass.flow(); return f.step === 'measure' && !seen.includes(f.name) && f; },
        served, Math.max(1, until - Date.now()));
      if (!f) break;
      const who = f.name;
      if (!served.length) { tFirst = Date.now(); until = tFirst + clipSeconds * 1000; }
      await page.keyboard.type('36.5');
      await page.keyboard.press('Enter');
      if (!(await next(() => window.gatepass.flow().step === 'decided', null, 10000)))
        throw new Error(`throughput: ${mode}: no decision within 10 s of the temperature`);
      await page.keyboard.press('Enter');
      // 'done' lasts until the next pass is read, which in a short window is at once.
      if (!(await next((name) => { const f = window.gatepass.flow(); return f.step === 'done' || f.name !== name; }, who, 10000)))
        throw new Error(`throughput: ${mode}: the entry was not recorded within 10 s`);
      tLast = Date.now();
      served.push(who);
    }
    // Wall time as the guard saw it (looked at every 50 ms): the first person
    // on screen to the last entry stored.
    const span = tLast - tFirst;
    const today = (await coreCall(page, 'entries.today', {})).entries ?? [];
    const stored = today.filter((e) => queue.some((p) => p.name === e.name)).length;
    throughput[mode] = { served: served.length, stored, span, perMinute: (served.length / span) * 60000, cameraStats: await page.evaluate(() => window.gatepass.cameraStats()) };
    await context.close();
    removeProfile(profile);
  }
}

// --- 3. CPU while nobody is there ---------------------------------------------------------------------
const cpu = {};
if (want('cpu')) {
  const emptyClip = path.join(work, 'empty.y4m');
  makeEmptyClip({ out: emptyClip, seconds: 3, fps: 30 });
  // The floor: the same camera shown in a bare <video> the size of the console's live view.
  fs.writeFileSync(path.join(work, 'video.html'), `<!doctype html><meta charset="utf-8">
<body style="margin:0;background:#0f0f0f"><video id="v" muted playsinline style="position:fixed;left:12px;top:131px;width:528px;height:297px"></video>
<script type="module">
const v = document.getElementById('v');
v.srcObject = await navigator.mediaDevices.getUserMedia({ video: { width: { ideal: 1280 }, height: { ideal: 720 } }, audio: false });
await v.play();
window.playing = true;
</script>`);
  {
    const profile = freshProfile('bench-floor');
    const context = await launch(profile, { viewport: VIEWPORT, args: cameraArgs(emptyClip) });
    const page = await context.newPage();
    await page.goto(`${site.url}__bench/video.html`);
    await page.waitForFunction(() => window.playing === true, null, { timeout: 30000 });
    await page.waitForTimeout(3000);
    cpu.floor = await cpuPercent(profile, page, CPU_SECONDS, async () => 0);
    await context.close();
    removeProfile(profile);
  }
  const { profile, context, page } = await openConsoleWith(emptyClip, 'bench-cpu');
  cpu.liveView = await page.evaluate(() => window.gatepass.itemRect('camera.view'));
  await page.waitForTimeout(9000); // past the idle threshold
  cpu.paced = await cpuPercent(profile, page, CPU_SECONDS);
  cpu.pacedScans = await page.evaluate(() => window.gatepass.cameraStats());
  // The same, idle frames as before (ImageBitmaps of the <video>, full size, 200 ms apart).
  await page.evaluate(() => window.gatepass.fullIdleFrames());
  await click(page, 'camera.stop');
  await page.waitForTimeout(500);
  await click(page, 'camera.start');
  await waitState(page, (s) => s.camera?.running, 'camera running');
  await page.waitForTimeout(9000); // past the idle threshold
  const before = await page.evaluate(() => window.gatepass.cameraStats().scanned);
  cpu.fullIdle = await cpuPercent(profile, page, CPU_SECONDS);
  cpu.fullIdleScans = (await page.evaluate(() => window.gatepass.cameraStats().scanned)) - before;
  await click(page, 'camera.stop');
  await page.waitForTimeout(1000);
  cpu.cameraOff = await cpuPercent(profile, page, CPU_SECONDS);
  await click(page, 'camera.start');
  await waitState(page, (s) => s.camera?.running, 'camera running');
  await page.evaluate(() => window.gatepass.unpaced());
  await page.waitForTimeout(2000);
  cpu.unpaced = await cpuPercent(profile, page, CPU_SECONDS);
  await context.close();
  removeProfile(profile);
  if (BEFORE) {
    // main's console, as shipped there, the same way.
    const m = await openConsoleWith(emptyClip, 'bench-cpu-main', { main: true });
    await m.page.waitForTimeout(9000); // past the idle threshold
    cpu.main = await cpuPercent(m.profile, m.page, CPU_SECONDS);
    cpu.mainScans = await m.page.evaluate(() => window.gatepass.cameraStats());
    await m.context.close();
    removeProfile(m.profile);
  }
}
await site.close();
fs.rmSync(work, { recursive: true, force: true });

// --- report ---------------------------------------------------------------------------------------------
const lines = [];
const out = (s = '') => { lines.push(s); console.log(s); };
const chromium = execFileSync('/usr/bin/chromium', ['--version'], { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
out(`gatepass bench-camera — ${new Date().toISOString()} — ${os.cpus().length} × ${os.cpus()[0].model} — load average ${os.loadavg().map((x) => x.toFixed(1)).join(' ')} — ${chromium} (headless, SwiftShader)`);
out();
if (want('decode')) {
  out(`Per-frame decode, ${FRAMES} frames of a pass on a moving phone with sensor noise (ms; codes found)`);
  out('| frame | console pipeline (bitmap → worker → reader) | zxing-wasm direct (main thread) | @zxing/library 0.23 |');
  out('| --- | --- | --- | --- |');
  for (const s of SIZES) {
    const d = decode[s.name];
    const cell = (m) => `median ${f1(quant(m.times, 0.5))}, p95 ${f1(quant(m.times, 0.95))}; found ${m.found}/${m.n}`;
    out(`| ${s.name} | ${cell(d.pipeline)} | ${cell(d.zxingWasm)} | ${cell(d.zxingLibrary)} |`);
  }
  out('Console pipeline, in the worker (median ms): ' + SIZES.map((s) => {
    const p = decode[s.name].parts;
    return `${s.name}: grab ${f1(quant(p.map((x) => x.grab), 0.5))} + decode ${f1(quant(p.map((x) => x.decode), 0.5))}`;
  }).join('; '));
  out();
}
if (want('distance')) {
  out('Distance: a pass moving away, 6 → 2 px/module over 60 frames (12–14° tilt, keystone; A: blur σ 1.0, noise 60; B: blur σ 0.6, noise 90);');
  out('"coming closer" plays the same frames backwards (nothing read before: the reader must find the code cold).');
  out('Smallest px/module read (going away: also where reading holds, ≥ 5 of 10 frames read); frames read; ms per frame: median, p95 — console reader in the worker (region/contrast/decode; round trip in brackets), the others on the page.');
  out(`| clip | console reader |${BEFORE ? ` before (${BEFORE}) |` : ''} zxing-wasm raw (whole frame) | @zxing/library 0.23 |`);
  out(`| --- | --- |${BEFORE ? ' --- |' : ''} --- | --- |`);
  // The smallest module size read at all, and the one down to which reading holds:
  // the last frame (going away; the first, coming closer) of the first 10-frame
  // stretch in which at least half the frames are read.
  const farthest = (per, ppm, reverse) => {
    const read = per.filter((x) => x.found).map((x) => ppm[x.i]);
    if (!read.length) return { ppm: NaN, held: NaN, n: 0 };
    let held = NaN;
    for (let j = per.length - 1; j >= 9; j--) {
      const win = per.slice(j - 9, j + 1);
      if (win.filter((x) => x.found).length >= 5) { held = ppm[per[j].i]; break; }
    }
    if (reverse) held = NaN; // coming closer: the first read is the figure
    return { ppm: reverse ? ppm[per.find((x) => x.found).i] : Math.min(...read), held, n: read.length };
  };
  for (const [name, { clip, reverse, r }] of Object.entries(distance)) {
    const cell = (m, inner) => {
      const f = farthest(m.per, clip.ppm, reverse);
      const ms = inner
        ? `${f1(quant(inner, 0.5))}, ${f1(quant(inner, 0.95))} (${f1(quant(m.per.map((x) => x.ms), 0.5))})`
        : `${f1(quant(m.per.map((x) => x.ms), 0.5))}, ${f1(quant(m.per.map((x) => x.ms), 0.95))}`;
      return `**${f1(f.ppm)}**${Number.isFinite(f.held) ? ` (holds to ${f1(f.held)})` : ''} px/module, ${f.n}/60 read; ${ms} ms`;
    };
    const inner = r.pipeline.parts.map((x) => x.grab + x.decode);
    out(`| ${name} | ${cell(r.pipeline, inner)} |${r.before ? ` ${cell(r.before)} |` : ''} ${cell(r.zxingWasm)} | ${cell(r.zxingLibrary)} |`);
    distance[name].summary = {
      console: farthest(r.pipeline.per, clip.ppm, reverse).ppm, raw: farthest(r.zxingWasm.per, clip.ppm, reverse).ppm,
      hows: r.pipeline.parts.reduce((a, x) => ({ ...a, [x.how]: (a[x.how] ?? 0) + 1 }), {}),
    };
  }
  out('Console reader, frames by what they cost: ' + Object.entries(distance).map(([n, d]) => `${n}: ${Object.entries(d.summary.hows).map(([k, v]) => `${k} ${v}`).join(', ')}`).join('; '));
  const ratios = Object.values(distance).map((d) => d.summary.raw / d.summary.console).filter(Number.isFinite);
  out(`Distance read, console ÷ raw (px/module raw ÷ console): ${ratios.map((x) => x.toFixed(2)).join(', ')}`);
  // Plain and sealed side by side, as the QR's width on the frame (what a phone at a
  // distance gives): the smallest width each reader read, going away.
  const widths = (scene) => ['', ' sealed'].map((kind) => {
    const d = distance[`640x480 ${scene}${kind}`];
    if (!d) return null;
    const w = (ppm) => (Number.isFinite(ppm) ? `${Math.round(ppm * d.clip.modules)} px` : '—');
    return `${kind ? 'sealed' : 'plain'} (${d.clip.modules} modules): console ${w(d.summary.console)}, raw ${w(d.summary.raw)}`;
  }).filter(Boolean).join('; ');
  out(`Smallest QR width read, typical person, going away — A: ${widths('A')}. B: ${widths('B')}.`);
  out();
}
if (want('start')) {
  const col = (list, k) => list.map((s) => s[k]).filter(Number.isFinite);
  out(`Camera start → first read (ms after Camera.start(); ${STARTS} starts each, the first after the PIN, the rest Stop/Start; 1280x720 @ 30 fps, pass in view); median (each):`);
  out(`| step | as shipped | ${BEFORE ? `main (${BEFORE})` : 'before (ImageBitmaps of the <video> once playing)'} |`);
  out('| --- | --- | --- |');
  for (const [k, label] of [['stream', 'camera granted (getUserMedia)'], ['playing', 'video playing'], ['frame', 'first frame to the reader'], ['found', '**first read**'], ['shown', '**record on screen**']]) {
    out(`| ${label} | ${Object.values(startModes).map((list) => `${f1(quant(col(list, k), 0.5))} (${col(list, k).map(f1).join(', ')})`).join(' | ')} |`);
  }
  const gap = (list) => quant(list.map((s) => s.found - s.stream).filter(Number.isFinite), 0.5);
  out(`| granted → first read (median of each start's difference) | ${Object.values(startModes).map((list) => f1(gap(list))).join(' | ')} |`);
  const gap2 = (list) => quant(list.map((s) => s.found - s.frame).filter(Number.isFinite), 0.5);
  out(`| first frame to the reader → first read (median of each start's difference) | ${Object.values(startModes).map((list) => f1(gap2(list))).join(' | ')} |`);
  out();
}
if (want('latency')) {
  out(`Pass fully visible → person on the console (ms, ${LOOPS} appearances after ${EMPTY_S} s of empty scene, 1280x720 @ 10 fps):`);
  for (const [mode, latencies] of Object.entries(latencyModes)) {
    const label = mode === 'shipped' ? 'as shipped (idle frames half size, 50 ms apart, one full size every 500 ms)'
      : mode === 'main' ? `main (${BEFORE})` : 'before (ImageBitmaps of the <video>, idle frames full size, 200 ms apart)';
    out(`  ${label}: median ${f1(quant(latencies, 0.5))}, max ${f1(Math.max(...latencies))}; each: ${latencies.map(f1).join(', ')}; reader: ${JSON.stringify(latencies.stats?.how)}`);
  }
  out();
}
if (want('cpu')) {
  out(`CPU of the whole browser, camera on an empty scene (1280x720 @ 30 fps), ${CPU_SECONDS} s each (% of one core; console frames drawn per second):`);
  out('| console | CPU | redraws/s |');
  out('| --- | --- | --- |');
  const lv = cpu.liveView ? `${Math.round(cpu.liveView.w)}×${Math.round(cpu.liveView.h)}` : '?';
  out(`| floor: the same camera in a bare <video> page (528×297; the console's live view is ${lv}) | ${f1(cpu.floor.cpu)} % | — |`);
  out(`| camera off, console idle | ${f1(cpu.cameraOff.cpu)} % | ${f1(cpu.cameraOff.fps)} |`);
  const sc = cpu.pacedScans;
  out(`| camera on, as shipped (frames to the reader: ${sc ? `${sc.scanned} in ${sc.frames} camera frames, ways ${JSON.stringify(sc.how)}` : '?'}) | ${f1(cpu.paced.cpu)} % | ${f1(cpu.paced.fps)} |`);
  out(`| camera on, before: ImageBitmaps of the <video>, idle frames full size 200 ms apart (${cpu.fullIdleScans} frames read) | ${f1(cpu.fullIdle.cpu)} % | ${f1(cpu.fullIdle.fps)} |`);
  out(`| camera on, unpaced (every frame read, console redrawn every frame) | ${f1(cpu.unpaced.cpu)} % | ${f1(cpu.unpaced.fps)} |`);
  const ms = cpu.mainScans;
  if (cpu.main) out(`| camera on, main (${BEFORE}) as shipped there (frames to the reader: ${ms ? `${ms.scanned} in ${ms.frames} camera frames, ways ${JSON.stringify(ms.how)}` : '?'}) | ${f1(cpu.main.cpu)} % | ${f1(cpu.main.fps)} |`);
}
if (want('throughput')) {
  out();
  out(`Throughput: a queue of ${QUEUE} residents, each pass in view ${SHOW_S} s after ${GAP_S} s of empty scene (one clip, 1280x720 @ 10 fps); the guard's taps scripted (type 36.5, Enter decides, Enter records):`);
  out('| console | persons served of the queue | entries stored | first person on screen → last entry stored | persons per minute |');
  out('| --- | --- | --- | --- | --- |');
  for (const [mode, r] of Object.entries(throughput))
    out(`| ${mode === 'shipped' ? 'as shipped' : 'reader held at its idle pace (200 ms)'} | ${r.served} / ${QUEUE} | ${r.stored} | ${f1(r.span / 1000)} s | **${f1(r.perMinute)}** |`);
  out(`The queue's own ceiling: ${f1(60 / (SHOW_S + GAP_S))} persons per minute (one pass every ${SHOW_S + GAP_S} s).`);
  out('Reader, per run: ' + Object.entries(throughput).map(([mode, r]) => `${mode}: ${r.cameraStats?.scanned} of ${r.cameraStats?.frames} camera frames read, ${r.cameraStats?.found} codes found, ways ${JSON.stringify(r.cameraStats?.how)}`).join('; '));
}
fs.mkdirSync(path.join(REPO, 'tests', 'output'), { recursive: true });
fs.writeFileSync(path.join(REPO, 'tests', 'output', 'bench-camera.txt'), lines.join('\n') + '\n');
