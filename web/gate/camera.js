// The camera: getUserMedia → a <video> under the console canvas (the browser
// composites the live view: no WebGL upload, no ImGui redraw per camera
// frame) → frames to the reader worker. The reader is paced, so a camera that
// looks at an empty gate costs little: one frame at a time (the next only when
// the last is answered), and only a few frames a second when no code has been
// seen for a while (a 100 ms pace measured +25 points of a core at an empty
// scene: each frame's read-back costs about what its decode does).
// The reader's wasm is loaded when the console starts, while staff type the
// PIN, not when the camera is asked for.
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
    this.idleInterval = 200;
    this.idleAfter = 8000;
    // Failure is reported by start(); here only kept from being unhandled.
    this.startWorker().catch(() => {});
  }

  startWorker() {
    if (this.worker) return this.workerReady;
    this.worker = new Worker(new URL('./scan-worker.js', import.meta.url), { type: 'module' });
    this.workerReady = new Promise((resolve, reject) => {
      this.worker.onmessage = ({ data }) => {
        if (data.type === 'ready') resolve();
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
      await Promise.all([this.video.play(), workerReady]);
      if (stops !== this.stops) return; // its stop() already let go of the stream
      this.marks.playing = performance.now();
      this.worker.postMessage({ type: 'reset' }); // another camera or scene: forget the old region
      this.busy = false;
      this.running = true;
      this.lastFoundAt = performance.now();
      this.loop();
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
    this.video.srcObject = null;
  }

  loop() {
    if (!this.running) return;
    this.video.requestVideoFrameCallback((now) => {
      this.onFrame(now);
      this.loop();
    });
  }

  onFrame(now) {
    this.stats.frames++;
    this.marks.frame ??= performance.now();
    if (this.probe) this.probeFrame(now);
    const idle = now - this.lastFoundAt > this.idleAfter;
    const interval = idle ? this.idleInterval : this.activeInterval;
    // (A frame that comes a little early still counts: a 5 fps camera at a 200 ms pace.)
    if (this.busy || now - this.lastScanAt < interval * 0.8) return;
    this.busy = true;
    this.lastScanAt = now;
    const id = ++this.frameId;
    const sentAt = performance.now();
    createImageBitmap(this.video).then((bitmap) => {
      this.sentAt = sentAt;
      this.worker.postMessage({ type: 'frame', id, bitmap, idle }, [bitmap]);
    }, () => { this.busy = false; });
  }

  /// Benchmark instrumentation (off unless build-scripts/bench-camera sets
  /// `camera.probe = {x, y, w, h}`): mean brightness of that region of every
  /// presented frame, to find the first frame in which the code is visible.
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
      frames: st.frames, scanned: st.scanned, found: st.found, how: st.how, recent: st.recent,
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
    this.stats.scanned++;
    r.latencyMs = performance.now() - this.sentAt;
    keep(this.stats.decodeMs, r.decodeMs);
    keep(this.stats.grabMs, r.grabMs);
    this.stats.how[r.how] = (this.stats.how[r.how] ?? 0) + 1;
    keep(this.stats.recent, { t: Math.round(performance.now()), how: r.how, found: r.found, grab: Math.round(r.grabMs), decode: Math.round(r.decodeMs), latency: Math.round(r.latencyMs) }, 40);
    if (r.found) {
      this.stats.found++;
      this.lastFoundAt = performance.now();
      this.marks.found ??= this.lastFoundAt;
    }
    this.onResult(r);
  }
}

function keep(list, v, max = 300) {
  list.push(v);
  if (list.length > max) list.shift();
}
