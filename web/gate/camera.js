// The camera: getUserMedia → a <video> under the console canvas (the browser
// composites the live view: no WebGL upload, no ImGui redraw per camera
// frame) → frames to the reader worker: where the browser has
// MediaStreamTrackProcessor (Chromium), the camera's own VideoFrames, taken
// only when the reader wants one (nothing runs on this thread per camera
// frame, and no read-back here); elsewhere an ImageBitmap of the <video> at
// each presented frame. The reader is paced, so a camera that
// looks at an empty gate costs little: one frame at a time (the next only when
// the last is answered), and when no code has been seen for a while, a frame
// every idleInterval ms read back at half size (a 720p frame's read-back costs
// about what its decode does; a full-size 100 ms pace measured +25 points of a
// core). A half-size frame that shows something it cannot read (a code too
// small, or QR-like contrast) has the next camera frame sent at once, full
// size, for the reader to decode that region (scan-worker.js).
// The reader's wasm is loaded and warmed up (scan-worker.js warmUp) when the
// console starts, while staff type the PIN, not when the camera is asked for.
const CAMERA_KEY = 'gatepass.gate.camera';

export class Camera {
  /**
   * onResult({found, bytes?, corners?, width, height, grabMs, decodeMs, latencyMs})
   * onState() — devices / running / error / video size changed
   */
  constructor({ video, onResult, onState }) {
    this.onResult = onResult;
    this.onState = onState;
    this.video = video;
    this.video.muted = true;
    this.video.playsInline = true;
    this.video.addEventListener('loadedmetadata', () => this.onState());
    this.devices = [];
    this.deviceId = localStorage.getItem(CAMERA_KEY) || '';
    this.stream = null;
    this.running = false;
    this.starting = false;
    this.error = '';
    this.worker = null;
    this.workerReady = null;
    this.busy = false;
    this.frameId = 0;
    this.lastScanAt = 0;
    this.lastFoundAt = 0;
    this.stats = { frames: 0, scanned: 0, found: 0, decodeMs: [], grabMs: [], how: {}, recent: [] };
    // Pacing (ms): fast while a code is around, slow when nobody is there.
    this.activeInterval = 0;
    this.idleInterval = 50;
    this.idleAfter = 8000;
    /// Idle frames read back at 1/idleShrink of the camera's size (whole
    /// numbers, kept ≥ 640 px wide: the reader's contrast look works at that
    /// size). 1: full size, as before (benchmarks compare).
    this.idleShrink = 2;
    /// An idle frame is read at full size all the same when the last full-size
    /// read is idleFullMs old: a far code that the half-size frame's look
    /// misses is still read (within idleFullMs), as by the whole-frame decode
    /// every idle frame had before (which cost most of the idle reading).
    this.idleFullMs = 500;
    this.fullAt = 0;
    this.closer = false; // the last half-size frame saw something: the next goes full size at once
    this.bitmapsOnly = false; // tests: the ImageBitmap path (browsers without MediaStreamTrackProcessor)
    // Failure is reported by start(); here only kept from being unhandled.
    this.startWorker().catch(() => {});
  }

  startWorker() {
    if (this.worker) return this.workerReady;
    this.worker = new Worker(new URL('./scan-worker.js', import.meta.url), { type: 'module' });
    this.workerReady = new Promise((resolve, reject) => {
      this.worker.onmessage = ({ data }) => {
        if (data.type === 'ready') {
          this.warm = data.warm; // how the reader's warm-up frames were read (tests)
          resolve();
        }
        else if (data.type === 'failed') reject(new Error(data.message));
        else if (data.type === 'result') this.handleResult(data);
      };
      this.worker.onerror = (e) => reject(new Error(e.message || 'scan worker failed'));
    });
    return this.workerReady;
  }

  async listDevices() {
    const all = await navigator.mediaDevices.enumerateDevices();
    this.devices = all.filter((d) => d.kind === 'videoinput')
      .map((d, i) => ({ id: d.deviceId, label: d.label || `Camera ${i + 1}` }));
    this.onState();
    return this.devices;
  }

  async start(deviceId = this.deviceId) {
    if (this.starting) return;
    this.stop();
    const stops = this.stops; // a stop() while this start waits (the console locked) ends it
    this.starting = true;
    this.error = '';
    // When each start-up step was reached (benchmark: camera start → first read).
    this.marks = { start: performance.now() };
    this.onState();
    try {
      const workerReady = this.startWorker(); // loaded at boot: normally ready by now
      const video = { width: { ideal: 1280 }, height: { ideal: 720 } };
      if (deviceId) video.deviceId = { exact: deviceId };
      let stream;
      try {
        stream = await navigator.mediaDevices.getUserMedia({ video, audio: false });
      } catch (err) {
        // The remembered camera may be gone (unplugged): take any camera.
        if (!deviceId || err.name !== 'OverconstrainedError' && err.name !== 'NotFoundError') throw err;
        delete video.deviceId;
        stream = await navigator.mediaDevices.getUserMedia({ video, audio: false });
      }
      if (stops !== this.stops) {
        for (const t of stream.getTracks()) t.stop();
        return;
      }
      this.stream = stream;
      this.marks.stream = performance.now();
      const track = stream.getVideoTracks()[0];
      this.deviceId = track.getSettings().deviceId || deviceId || '';
      if (this.deviceId) localStorage.setItem(CAMERA_KEY, this.deviceId);
      this.video.srcObject = stream;
      // Reading starts as soon as the reader is ready: the VideoFrame path
      // takes frames from the track, not from the <video>, which starts
      // playing meanwhile.
      const playing = this.video.play().then(() => { this.marks.playing = performance.now(); });
      await workerReady;
      if (stops !== this.stops) return; // its stop() already let go of the stream
      this.worker.postMessage({ type: 'reset' }); // another camera or scene: forget the old region
      this.busy = false;
      this.running = true;
      this.lastFoundAt = performance.now();
      this.loop(track);
      await playing;
      if (stops !== this.stops) return;
      await this.listDevices();
    } catch (err) {
      this.error = `${err.name || ''} ${err.message || err}`.trim();
      this.stop();
    } finally {
      this.starting = false;
      this.onState();
    }
  }

  stop() {
    this.stops = (this.stops || 0) + 1;
    this.running = false;
    if (this.stream) for (const t of this.stream.getTracks()) t.stop();
    this.stream = null;
    this.frameReader?.cancel().catch(() => {});
    this.frameReader = null;
    this.answered?.resolve(); // a pump waiting for the reader's answer ends
    this.video.srcObject = null;
  }

  loop(track) {
    if (!this.running) return;
    if (typeof MediaStreamTrackProcessor === 'function' && !this.bitmapsOnly) {
      // A clone: the <video> keeps the stream; the processor keeps only the
      // newest frame while none is asked for (older ones are dropped).
      const clone = track.clone();
      const reader = new MediaStreamTrackProcessor({ track: clone, maxBufferSize: 1 }).readable.getReader();
      this.frameReader = reader;
      this.path = 'frames';
      this.pump(reader).finally(() => clone.stop());
      return;
    }
    this.path = 'bitmaps';
    this.video.requestVideoFrameCallback((now) => {
      this.onFrame(now);
      this.loop();
    });
  }

  /// The VideoFrame path: one frame at a time, when the pace allows, to the
  /// worker (transferred; the worker closes it).
  async pump(reader) {
    while (this.running && this.frameReader === reader) {
      let idle = !this.closer && performance.now() - this.lastFoundAt > this.idleAfter;
      const wait = this.lastScanAt + (idle ? this.idleInterval : this.activeInterval) - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      let frame;
      try {
        ({ value: frame } = await reader.read());
      } catch {
        return; // cancelled by stop()
      }
      if (!frame) return;
      if (!this.running || this.frameReader !== reader) { frame.close(); return; }
      const now = performance.now();
      this.marks.frame ??= now;
      this.lastScanAt = now;
      idle = !this.closer && now - this.lastFoundAt > this.idleAfter;
      const id = ++this.frameId;
      const answered = new Promise((resolve) => { this.answered = { id, resolve }; });
      this.sentAt = now;
      this.worker.postMessage({ type: 'frame', id, frame, idle, scale: this.scaleFor(idle, frame.displayWidth) }, [frame]);
      await answered;
    }
  }

  /// Camera pixels per pixel read back: 1, or idleShrink for an idle frame
  /// (keeping it ≥ 640 px wide), but full size every idleFullMs.
  scaleFor(idle, width) {
    const now = performance.now();
    if (!idle || now - this.fullAt >= this.idleFullMs) {
      this.fullAt = now;
      return 1;
    }
    return Math.max(1, Math.min(this.idleShrink, Math.floor(width / 640)));
  }

  onFrame(now) {
    this.stats.frames++;
    this.marks.frame ??= performance.now();
    const idle = !this.closer && now - this.lastFoundAt > this.idleAfter;
    const interval = idle ? this.idleInterval : this.activeInterval;
    // (A frame that comes a little early still counts: a 5 fps camera at a 200 ms pace.)
    if (this.busy || now - this.lastScanAt < interval * 0.8) return;
    this.busy = true;
    this.lastScanAt = now;
    const id = ++this.frameId;
    const sentAt = performance.now();
    const { videoWidth: w, videoHeight: h } = this.video;
    const scale = this.scaleFor(idle, w);
    // 'low' (bilinear) at a whole factor is close to the look's own 2×2 averages.
    const shrink = scale > 1 ? [{ resizeWidth: Math.floor(w / scale), resizeHeight: Math.floor(h / scale), resizeQuality: 'low' }] : [];
    createImageBitmap(this.video, ...shrink).then((bitmap) => {
      this.sentAt = sentAt;
      this.worker.postMessage({ type: 'frame', id, bitmap, idle, scale }, [bitmap]);
    }, () => { this.busy = false; });
  }

  /// Benchmark instrumentation (off unless build-scripts/bench-camera calls
  /// it): mean brightness of the region {x, y, w, h} of every presented frame,
  /// to find the first frame in which the code is visible.
  startProbe(region) {
    this.probe = region;
    this.trace = [];
    const tick = (now) => {
      if (this.running) this.probeFrame(now);
      this.video.requestVideoFrameCallback(tick);
    };
    this.video.requestVideoFrameCallback(tick);
  }

  probeFrame(now) {
    this.probeCtx ??= new OffscreenCanvas(8, 8).getContext('2d', { willReadFrequently: true });
    const { x, y, w, h } = this.probe;
    this.probeCtx.drawImage(this.video, x, y, w, h, 0, 0, 8, 8);
    const d = this.probeCtx.getImageData(0, 0, 8, 8).data;
    let sum = 0;
    for (let i = 0; i < d.length; i += 4) sum += d[i] + d[i + 1] + d[i + 2];
    this.trace ??= [];
    this.trace.push({ t: now, luma: sum / 192 });
    if (this.trace.length > 2000) this.trace.shift();
  }

  /// Per-frame timings for the benchmark and the test API (ms; median, p95).
  statsSummary() {
    const q = (list, f) => {
      if (!list.length) return null;
      const s = [...list].sort((a, b) => a - b);
      return s[Math.min(s.length - 1, Math.floor(f * s.length))];
    };
    const st = this.stats;
    return {
      // Camera frames: counted per presented frame on the ImageBitmap path; the VideoFrame path has no per-frame hook.
      path: this.path, warm: this.warm,
      frames: this.path === 'frames' ? this.video.getVideoPlaybackQuality().totalVideoFrames : st.frames, scanned: st.scanned, found: st.found, how: st.how, recent: st.recent, firstFound: st.firstFound,
      decodeMedian: q(st.decodeMs, 0.5), decodeP95: q(st.decodeMs, 0.95),
      grabMedian: q(st.grabMs, 0.5), grabP95: q(st.grabMs, 0.95),
      width: this.video.videoWidth, height: this.video.videoHeight,
      // ms after start() was called: stream granted, video playing, first frame, first code read.
      startup: Object.fromEntries(Object.entries(this.marks ?? {}).filter(([k]) => k !== 'start')
        .map(([k, v]) => [k, v - this.marks.start])),
    };
  }

  handleResult(r) {
    this.busy = false;
    if (this.answered?.id === r.id) this.answered.resolve();
    this.closer = !!r.closer;
    this.stats.scanned++;
    r.latencyMs = performance.now() - this.sentAt;
    keep(this.stats.decodeMs, r.decodeMs);
    keep(this.stats.grabMs, r.grabMs);
    this.stats.how[r.how] = (this.stats.how[r.how] ?? 0) + 1;
    keep(this.stats.recent, { t: Math.round(performance.now()), how: r.how, found: r.found, grab: Math.round(r.grabMs), decode: Math.round(r.decodeMs), latency: Math.round(r.latencyMs) }, 40);
    if (r.found) {
      // The first read and what the frame before it was (tests: an idle read's path).
      this.stats.firstFound ??= { how: r.how, before: this.stats.lastHow };
      this.stats.found++;
      this.lastFoundAt = performance.now();
      this.marks.found ??= this.lastFoundAt;
    }
    this.stats.lastHow = r.how;
    this.onResult(r);
  }
}

function keep(list, v, max = 300) {
  list.push(v);
  if (list.length > max) list.shift();
}
