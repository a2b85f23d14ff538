// The camera reader: camera frames in, QR content (raw bytes) and its corners out.
// Runs in a module worker beside the console so decoding never blocks the UI.
//
// It reads farther than zxing-wasm on the whole frame: besides the whole frame
// it keeps a region of interest — where a code was last seen, or else where
// the frame has the dense two-way contrast of QR modules — and decodes that
// region enlarged (up to 2×) with smooth (bicubic-like) interpolation. A code
// at ~3 px/module, which the decoder cannot sample on the frame itself, has
// ~6 px/module there. One decode per frame: while a code is followed, the
// region on most frames and the whole frame on the others (so a second code,
// or one the region missed, is still found); with nothing followed, the
// contrast look on every frame, and its region and the whole frame in turn.
// A camera VideoFrame is read from its brightness plane (no RGB conversion:
// the decoder reads brightness only). An idle camera's frames are read at
// half size (camera.js asks; a bitmap comes shrunk): the look and a
// decode of that small frame; what it sees but cannot read (a symbol too
// small, or a contrast candidate) is answered with `closer`, and the next
// frame, full size, decodes that region straight away.
//
// Messages in:
//   {type: 'frame', id, frame | bitmap, idle?, scale?}  a VideoFrame at the camera's size,
//                                          or an ImageBitmap (transferred); closed here.
//                                          idle: nobody seen for a while (with nothing in
//                                          view, the whole frame only every FULL_EVERY_IDLE)
//                                          scale: camera pixels per pixel read (1, or more for
//                                          an idle frame: a VideoFrame is shrunk here, a
//                                          bitmap comes shrunk)
//   {type: 'pixels', id, data, width, height}  RGBA bytes (benchmarks feed fixed frames)
//   {type: 'reset'}                        forget the region (a new camera, a new clip)
// Messages out:
//   {type: 'ready', warm} once the wasm is loaded and warmed up (warm: [{how, found}],
//                                          how the made frames were read, see warmUp),
//                                          or {type: 'failed', message}
//   {type: 'result', id, width, height, found, bytes?, corners?, grabMs, decodeMs,
//    how: 'full' | 'region' | 'look' | 'small', region?: {x, y, w, h, scale}, closer?}
//     how: what this frame cost — a whole-frame decode, a region decode, only
//     the contrast look (nothing decoded), or look and decode of a shrunk frame.
//     width, height, corners and region are in camera pixels whatever the scale.
//     closer: a shrunk frame saw something it could not read; send the next
//     frame full size (its region is decoded first).
import { prepareZXingModule, readBarcodes } from '../vendor/zxing-wasm/es/reader/index.js';

// The reader's wasm is served from our own tree, never from a CDN.
const ZXING_READER_WASM = new URL('../vendor/zxing-wasm/reader/zxing_reader.wasm', import.meta.url).href;

/// The whole frame: as before (downscaling tried for big, near codes).
const fullOptions = {
  formats: ['QRCode'],
  maxNumberOfSymbols: 1,
  tryHarder: true,
  tryRotate: true,
  tryInvert: false,
  tryDownscale: true,
  // A symbol found but not decoded still says where the code is: the region.
  returnErrors: true,
};
/// The enlarged region: downscaling would undo the enlargement.
const regionOptions = { ...fullOptions, tryDownscale: false };

/// While a code is being followed, the whole frame every this many frames.
const FULL_EVERY_TRACKING = 3;
/// A region candidate from contrast alone: region and whole frame alternate.
const FULL_EVERY_CANDIDATE = 2;
/// Nothing in view and the camera idle: the whole frame every this many frames
/// (the contrast look runs on every frame, and finds a code that comes into view).
/// 1: the camera's idle pace already keeps the cost down; skipping decodes only
/// paid when frames came faster (the read-back of each frame costs about a decode).
const FULL_EVERY_IDLE = 1;
/// A followed code is given up after this many frames without a read or a detection.
const TRACK_MISSES = 8;
/// Enlargement: towards TARGET_PPM pixels per module, at most 2× (what the
/// measurements on webcam clips supported; more costs more and adds no detail):
/// a near code is only cut out, a far one enlarged, so a region costs about the
/// same whatever the distance.
const TARGET_PPM = 8;
const MAX_SCALE = 2;
/// Modules across a pass QR when the version is not known yet (version 4: 33; 5: 37).
const MODULES_GUESS = 35;
/// The region around a code: its box grown by this factor (motion, quiet zone).
const REGION_GROW = 1.7;
const MIN_REGION = 96;

// --- contrast look -------------------------------------------------------------------------
// On the frame (≤ 640 px wide, see look()), 8×8-pixel cells that hold many strong steps in
// brightness both across and down: QR modules do, plain walls, gradients and
// sensor noise do not, a straight edge does in one direction only. The largest
// connected group of such cells is the candidate region.
const CELL = 8;
const STEP = 40; // brightness step between neighbours that counts (of 255): well above sensor noise
const CELL_MIN = 5; // steps of each direction a cell needs (of 64 pixels)
const GROUP_MIN = 6; // cells a group needs (a version-4 code at 2 px/module on a 640-wide frame ≈ 8 cells)

// The look's buffers live as long as the worker (grown, never shrunk): an idle
// camera is looked at 20 times a second, and new buffers per frame are garbage
// for the collector at that rate.
let lookPlane = null;
let cells = null; // {across, down, dense}
const groupStack = [];
/// `buf` if it holds n values, else a new Type(n).
const atLeast = (buf, n, Type) => (buf && buf.length >= n ? buf : new Type(n));

/// On an RGBA frame's pixels, already grabbed for the whole-frame decode (a second
/// read-back of the camera frame costs more than this look); a frame wider
/// than 640 px is looked at in 2×2 averages (which also quiets sensor noise).
function look(image) {
  const f = Math.max(1, Math.round(image.width / 640));
  const src = image.data;
  const stride = image.width * 4;
  const w = Math.floor(image.width / f);
  const h = Math.floor(image.height / f);
  const luma = lookPlane = atLeast(lookPlane, w * h, Uint8Array);
  for (let y = 0; y < h; y++) {
    for (let x = 0, i = y * f * stride, o = y * w; x < w; x++, o++, i += f * 4) {
      if (f === 1) {
        luma[o] = (src[i] * 77 + src[i + 1] * 150 + src[i + 2] * 29) >> 8;
      } else {
        const j = i + stride;
        luma[o] = ((src[i] + src[i + 4] + src[j] + src[j + 4]) * 77 + (src[i + 1] + src[i + 5] + src[j + 1] + src[j + 5]) * 150 +
          (src[i + 2] + src[i + 6] + src[j + 2] + src[j + 6]) * 29) >> 10;
      }
    }
  }
  return lookAt(luma, w, h, f);
}

/// The same look on a camera frame's brightness plane (width × height, no
/// stride): no RGB at all, the same 2×2 averages of a frame wider than 640 px.
function lookLuma(src, width, height) {
  const f = Math.max(1, Math.round(width / 640));
  if (f === 1) return lookAt(src, width, height, 1);
  const w = Math.floor(width / f);
  const h = Math.floor(height / f);
  const luma = lookPlane = atLeast(lookPlane, w * h, Uint8Array);
  for (let y = 0; y < h; y++) {
    for (let x = 0, i = y * f * width, o = y * w; x < w; x++, o++, i += f) {
      luma[o] = (src[i] + src[i + 1] + src[i + width] + src[i + width + 1]) >> 2;
    }
  }
  return lookAt(luma, w, h, f);
}

/// The look on a w × h brightness plane, each value standing for f × f frame pixels.
function lookAt(luma, w, h, f) {
  const cw = Math.floor(w / CELL);
  const ch = Math.floor(h / CELL);
  const n = cw * ch;
  if (!cells || cells.dense.length < n) cells = { across: new Uint16Array(n), down: new Uint16Array(n), dense: new Uint8Array(n) };
  const { across, down, dense } = cells;
  across.fill(0, 0, n);
  down.fill(0, 0, n);
  for (let y = 0; y < ch * CELL; y++) {
    const cur = y * w;
    const next = y + 1 < h ? cur + w : cur; // the last row: no step down
    const row = ((y / CELL) | 0) * cw;
    for (let cx = 0; cx < cw; cx++) {
      let a = 0;
      let d = 0;
      const x0 = cur + cx * CELL;
      const x1 = Math.min(x0 + CELL, cur + w - 1); // the last column: no step across
      for (let i = x0; i < x0 + CELL; i++) {
        const v = luma[i];
        if (i < x1 && Math.abs(luma[i + 1] - v) > STEP) a++;
        if (Math.abs(luma[i - cur + next] - v) > STEP) d++;
      }
      across[row + cx] += a;
      down[row + cx] += d;
    }
  }
  // Largest 8-connected group of dense cells.
  for (let i = 0; i < n; i++) dense[i] = across[i] >= CELL_MIN && down[i] >= CELL_MIN ? 1 : 0;
  let best = null;
  const stack = groupStack;
  for (let i = 0; i < n; i++) {
    if (dense[i] !== 1) continue;
    let n = 0;
    let x0 = cw, y0 = ch, x1 = 0, y1 = 0;
    dense[i] = 2;
    stack.push(i);
    while (stack.length) {
      const j = stack.pop();
      const cx = j % cw;
      const cy = (j - cx) / cw;
      n++;
      if (cx < x0) x0 = cx;
      if (cx > x1) x1 = cx;
      if (cy < y0) y0 = cy;
      if (cy > y1) y1 = cy;
      for (let dy = -1; dy <= 1; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          const nx = cx + dx;
          const ny = cy + dy;
          if (nx < 0 || ny < 0 || nx >= cw || ny >= ch) continue;
          const k = ny * cw + nx;
          if (dense[k] === 1) { dense[k] = 2; stack.push(k); }
        }
      }
    }
    if (n >= GROUP_MIN && (!best || n > best.n)) best = { n, x0, y0, x1, y1 };
  }
  if (!best) return null;
  const s = CELL * f;
  return { x: best.x0 * s, y: best.y0 * s, w: (best.x1 - best.x0 + 1) * s, h: (best.y1 - best.y0 + 1) * s };
}

// --- regions ---------------------------------------------------------------------------------
/// A square region around a box (a code `modules` wide), grown and kept inside the frame.
function regionAround(box, width, height, modules = MODULES_GUESS) {
  const code = Math.max(box.w, box.h);
  const side = Math.min(Math.max(MIN_REGION, code * REGION_GROW), width, height);
  const cx = box.x + box.w / 2;
  const cy = box.y + box.h / 2;
  const x = Math.round(Math.min(Math.max(0, cx - side / 2), width - side));
  const y = Math.round(Math.min(Math.max(0, cy - side / 2), height - side));
  const s = Math.round(side);
  // A tilted code's box is wider than the code: this errs towards enlarging.
  const ppm = code / modules;
  return { x, y, w: s, h: s, scale: Math.max(1, Math.min(MAX_SCALE, TARGET_PPM / ppm)) };
}

function boxOf(corners) {
  const xs = corners.map((p) => p.x);
  const ys = corners.map((p) => p.y);
  const x = Math.min(...xs);
  const y = Math.min(...ys);
  return { x, y, w: Math.max(...xs) - x, h: Math.max(...ys) - y };
}

// --- decoding ----------------------------------------------------------------------------------
let full = null;
let fullCtx = null;
let zoom = null;
let zoomCtx = null;

/// The whole source, drawn at width × height (a shrunk idle frame: smaller than the source).
function grabFull(source, width, height) {
  if (!full || full.width !== width || full.height !== height) {
    full = new OffscreenCanvas(width, height);
    fullCtx = full.getContext('2d', { willReadFrequently: true });
  }
  fullCtx.drawImage(source, 0, 0, width, height);
  return fullCtx.getImageData(0, 0, width, height);
}

/// The region, enlarged with smooth interpolation. One canvas, grown when
/// needed and never shrunk: a new canvas per region size costs more than the read.
/// source: the frame, or {crop}: the region alone, already cut out (cropLuma).
function grabRegion(source, r) {
  const w = Math.round(r.w * r.scale);
  const h = Math.round(r.h * r.scale);
  zoomAtLeast(w, h);
  zoomCtx.imageSmoothingEnabled = true;
  zoomCtx.imageSmoothingQuality = 'high';
  if (source.crop) zoomCtx.drawImage(source.crop, 0, 0, r.w, r.h, 0, 0, w, h);
  else zoomCtx.drawImage(source, r.x, r.y, r.w, r.h, 0, 0, w, h);
  return zoomCtx.getImageData(0, 0, w, h);
}

function zoomAtLeast(w, h) {
  if (zoom && zoom.width >= w && zoom.height >= h) return;
  zoom = new OffscreenCanvas(Math.max(w, zoom?.width ?? 0), Math.max(h, zoom?.height ?? 0));
  zoomCtx = zoom.getContext('2d', { willReadFrequently: true });
}

/// {found, bytes?, corners?, seen?}: seen is the box of a symbol detected but not decoded.
async function decode(imageData, options, toFrame) {
  const results = await readBarcodes(imageData, options);
  const hit = results.find((r) => r.isValid && r.format === 'QRCode');
  const pick = hit ?? results.find((r) => r.format === 'QRCode');
  if (!pick) return { found: false };
  const p = pick.position;
  const corners = [p.topLeft, p.topRight, p.bottomRight, p.bottomLeft].map(toFrame);
  const modules = 17 + 4 * (Number.parseInt(pick.version, 10) || 0);
  const size = modules > 17 ? { modules } : {};
  if (!hit) return { found: false, seen: { box: boxOf(corners), ...size } };
  return { found: true, bytes: hit.bytes, corners, ...size };
}

/// A VideoFrame with its brightness plane first (I420, NV12 and kin: what
/// cameras give): that plane copied out (a memcpy) and averaged over
/// scale × scale blocks (1: as it is); greyOf() then makes a grey RGBA
/// ImageData of it for the decoder (which reads brightness only), only when
/// the whole frame is decoded. Converting the whole frame to
/// RGB on a canvas cost about twice as much.
/// null for other sources (then the canvas shrinks it).
const LUMA_FIRST = new Set(['I420', 'I420A', 'I422', 'I444', 'NV12']);
let plane = null;
/// The frame's planes copied into `plane`: the brightness plane's {offset, stride}, or null.
async function lumaPlane(source) {
  if (typeof VideoFrame === 'undefined' || !(source instanceof VideoFrame) || !LUMA_FIRST.has(source.format)) return null;
  const size = source.allocationSize();
  if (!plane || plane.length < size) plane = new Uint8Array(size);
  const [first] = await source.copyTo(plane);
  return first;
}

const shrunk = new Map(); // scale → {luma, image, px}: reused, as the canvases are
async function shrinkLuma(source, scale, width, height) {
  const at = await lumaPlane(source);
  if (!at) return null;
  const { offset, stride } = at;
  const w = Math.floor(width / scale);
  const h = Math.floor(height / scale);
  let out = shrunk.get(scale);
  if (!out || out.image.width !== w || out.image.height !== h) {
    const image = new ImageData(w, h);
    out = { luma: new Uint8Array(w * h), image, px: new Uint32Array(image.data.buffer) };
    shrunk.set(scale, out);
  }
  const { luma } = out;
  const n = scale * scale;
  for (let y = 0; y < h; y++) {
    const top = offset + y * scale * stride;
    if (scale === 1) {
      luma.set(plane.subarray(top, top + w), y * w);
      continue;
    }
    for (let x = 0, o = y * w; x < w; x++, o++) {
      if (scale === 2) { // the common case, unrolled
        const i = top + 2 * x;
        luma[o] = (plane[i] + plane[i + 1] + plane[i + stride] + plane[i + stride + 1]) >> 2;
      } else {
        let sum = 0;
        for (let dy = 0, row = top + x * scale; dy < scale; dy++, row += stride) {
          for (let dx = 0; dx < scale; dx++) sum += plane[row + dx];
        }
        luma[o] = (sum / n) | 0;
      }
    }
  }
  return out;
}

/// shrinkLuma's plane as a grey RGBA ImageData for the decoder (its own, reused).
function greyOf({ luma, image, px }) {
  for (let o = 0, n = image.width * image.height; o < n; o++) {
    const v = luma[o];
    px[o] = 0xff000000 | (v << 16) | (v << 8) | v; // grey, little-endian RGBA
  }
  return image;
}

/// The region of a luma-first VideoFrame, grey, on a canvas of its own: drawing
/// part of a VideoFrame enlarged with smoothing converted much more than the
/// part (up to ~70 ms a region, against a few for a bitmap). null otherwise.
/// The canvas and its pixels are the size of the largest region so far (only
/// the region's corner of them is written and put).
let crop = null;
let cropCtx = null;
let cropGrey = null; // {image, px}
async function cropLuma(source, r) {
  const at = await lumaPlane(source);
  if (!at) return null;
  const { offset, stride } = at;
  cropAtLeast(r.w, r.h);
  const { image, px } = cropGrey;
  for (let y = 0; y < r.h; y++) {
    const row = offset + (r.y + y) * stride + r.x;
    for (let x = 0, o = y * image.width; x < r.w; x++, o++) {
      const v = plane[row + x];
      px[o] = 0xff000000 | (v << 16) | (v << 8) | v;
    }
  }
  cropCtx.putImageData(image, 0, 0, 0, 0, r.w, r.h);
  return { crop };
}

function cropAtLeast(w, h) {
  if (crop && crop.width >= w && crop.height >= h) return;
  crop = new OffscreenCanvas(Math.max(w, crop?.width ?? 0), Math.max(h, crop?.height ?? 0));
  cropCtx = crop.getContext('2d', { willReadFrequently: true });
  const image = new ImageData(crop.width, crop.height);
  cropGrey = { image, px: new Uint32Array(image.data.buffer) };
}

// --- the per-frame plan ------------------------------------------------------------------------
const state = {
  frame: 0,
  track: null, // {box, modules?, misses}: where a code was last read or detected
  candidates: 0, // frames in a row with a contrast candidate (and no code followed)
  lead: null, // {box, modules?}: what a shrunk frame saw, to decode first on the next full frame
};

function reset() {
  state.frame = 0;
  state.track = null;
  state.candidates = 0;
  state.lead = null;
}

/// A shrunk idle frame (`scale` camera px per bitmap px): the contrast look and
/// a decode of the small frame itself (a near code reads there); what is seen
/// but not read becomes the lead for the next, full-size frame.
async function readSmall(source, scale, width, height) {
  const small = await shrinkLuma(source, scale, width, height);
  const image = small ? greyOf(small) : grabFull(source, Math.floor(width / scale), Math.floor(height / scale));
  const up = ({ x, y }) => ({ x: x * scale, y: y * scale });
  const cand = small ? lookAt(small.luma, image.width, image.height, 1) : look(image);
  const grabbed = performance.now();
  const r = await decode(image, fullOptions, up);
  const seen = r.found ? { box: boxOf(r.corners), modules: r.modules } : r.seen;
  if (seen) state.track = { box: seen.box, modules: seen.modules ?? state.track?.modules, misses: 0 };
  state.lead = r.found ? null : seen ?? (cand && { box: { x: cand.x * scale, y: cand.y * scale, w: cand.w * scale, h: cand.h * scale } });
  const { seen: _, modules: __, ...out } = r;
  return { ...out, how: 'small', grabbed, ...(state.lead ? { closer: true } : {}) };
}

async function readFrame(source, width, height, idle) {
  const n = state.frame++;
  const track = state.track;
  let region = null;
  let image = null; // the whole frame's pixels, when grabbed
  let how = 'full';
  const lead = state.lead;
  state.lead = null;
  if (lead) {
    region = regionAround(lead.box, width, height, lead.modules);
  } else if (track && n % FULL_EVERY_TRACKING !== 0) {
    region = regionAround(track.box, width, height, track.modules);
  } else {
    // A camera frame: its brightness plane (the RGBA for the decoder only if
    // the whole frame is decoded); another source: its pixels.
    const lum = await shrinkLuma(source, 1, width, height);
    if (!lum) image = grabFull(source, width, height);
    const cand = track ? null : lum ? lookLuma(lum.luma, width, height) : look(image);
    // A code coming into view: its region first (that is the read that is
    // waited for), then the whole frame and the region in turn.
    if (cand && state.candidates++ % FULL_EVERY_CANDIDATE === 0) region = regionAround(cand, width, height);
    else if (!cand && !track && idle && n % FULL_EVERY_IDLE !== 0) how = 'look';
    if (!cand) state.candidates = 0;
    if (lum && !region && how !== 'look') image = greyOf(lum);
  }
  if (region) how = 'region';
  if (how === 'look') return { how, found: false, grabbed: performance.now() };

  let toFrame = ({ x, y }) => ({ x, y });
  if (region) {
    image = grabRegion(await cropLuma(source, region) ?? source, region);
    toFrame = ({ x, y }) => ({ x: region.x + x / region.scale, y: region.y + y / region.scale });
  }
  const grabbed = performance.now();
  const r = await decode(image, region ? regionOptions : fullOptions, toFrame);
  // Follow the code: a read or a detection moves the region; misses of the
  // region wear it out (the whole frame missing a far code says nothing).
  const seen = r.found ? { box: boxOf(r.corners), modules: r.modules } : r.seen;
  if (seen) state.track = { box: seen.box, modules: seen.modules ?? track?.modules, misses: 0 };
  else if (region && track && ++track.misses > TRACK_MISSES) state.track = null;
  const { seen: _, modules: __, ...out } = r;
  return { ...out, how, grabbed, ...(region ? { region } : {}) };
}

/// Throwaway reads of a made frame at the size the console asks of the
/// camera, before the first real one: each way a frame is read (a contrast
/// candidate's region, the whole frame, a half-size idle frame), of a small
/// QR code (so the decoder's whole path to a read runs too), so that the
/// camera's first frame runs on compiled per-pixel loops and decoder code,
/// made canvases and a grown decoder heap. The first frame after boot took
/// ~150 ms more without (2026-12-05), and the camera's first read is waited for. The region
/// canvases are made the frame's height square, which no region exceeds at
/// that size (a region is at most the frame's height; enlarged, ~500 px):
/// the camera's first region does not make them again.
/// [how] of the reads, in order (the test API shows it).
const WARM_W = 1280;
const WARM_H = 720;
/// The made code: a version-2 QR of "gatepass warm-up" (ECC M), one row of
/// 25 modules per number, the leftmost module in the highest bit.
const WARM_QR = [
  0x1fdae7f, 0x1055e41, 0x175cc5d, 0x174a75d, 0x1759a5d,
  0x1044d41, 0x1fd557f, 0x0000400, 0x13f9e97, 0x14b16be,
  0x0ad6759, 0x01ab40d, 0x0cc2e6b, 0x133d338, 0x1ee0657,
  0x15b5cde, 0x17731f5, 0x001a116, 0x1fd9d5d, 0x1052919,
  0x1752bf9, 0x1751be7, 0x174e933, 0x10478ff, 0x1fdf9b1,
];
const WARM_PPM = 4;

async function warmUp() {
  // Grey, the code at 4 px/module in a white quiet zone in the middle.
  const luma = new Uint8Array(WARM_W * WARM_H).fill(128);
  const side = 25 * WARM_PPM;
  const x0 = (WARM_W - side) >> 1;
  const y0 = (WARM_H - side) >> 1;
  for (let y = y0 - 4 * WARM_PPM; y < y0 + side + 4 * WARM_PPM; y++) {
    for (let x = x0 - 4 * WARM_PPM; x < x0 + side + 4 * WARM_PPM; x++) {
      const mx = Math.floor((x - x0) / WARM_PPM);
      const my = Math.floor((y - y0) / WARM_PPM);
      const dark = mx >= 0 && my >= 0 && mx < 25 && my < 25 && (WARM_QR[my] >> (24 - mx)) & 1;
      luma[y * WARM_W + x] = dark ? 30 : 225;
    }
  }
  cropAtLeast(WARM_H, WARM_H);
  zoomAtLeast(WARM_H, WARM_H);
  let make;
  if (typeof VideoFrame === 'function') {
    const data = new Uint8Array(WARM_W * WARM_H * 1.5).fill(128); // I420: the brightness plane, then the colour ones
    data.set(luma);
    make = () => new VideoFrame(data, { format: 'I420', codedWidth: WARM_W, codedHeight: WARM_H, timestamp: 0 });
  } else {
    const rgba = new ImageData(WARM_W, WARM_H);
    const px = new Uint32Array(rgba.data.buffer);
    for (let i = 0; i < luma.length; i++) px[i] = 0xff000000 | (luma[i] * 0x10101);
    make = () => createImageBitmap(rgba);
  }
  const reads = [];
  for (const way of ['region', 'full', 'small']) {
    reset();
    // A contrast candidate: its region on the first frame, the whole frame on the next.
    if (way === 'full') state.candidates = 1;
    const source = await make();
    try {
      const r = way === 'small' ? await readSmall(source, 2, WARM_W, WARM_H) : await readFrame(source, WARM_W, WARM_H, false);
      reads.push({ how: r.how, found: r.found });
    } finally {
      source.close();
    }
  }
  reset();
  return reads;
}

const ready = prepareZXingModule({
  overrides: {
    locateFile: (path, prefix) => (path.endsWith('.wasm') ? ZXING_READER_WASM : prefix + path),
  },
  fireImmediately: true,
})
  .then(warmUp)
  .then(
  (warm) => postMessage({ type: 'ready', warm }),
  (err) => postMessage({ type: 'failed', message: String(err?.message ?? err) }),
);

onmessage = async ({ data: msg }) => {
  await ready;
  if (msg.type === 'reset') { reset(); return; }
  if (msg.type !== 'frame' && msg.type !== 'pixels') return;
  const t0 = performance.now();
  let source;
  let width;
  let height;
  const scale = msg.scale > 1 ? msg.scale : 1;
  if (msg.type === 'frame' && msg.frame) {
    source = msg.frame;
    width = source.displayWidth;
    height = source.displayHeight;
  } else if (msg.type === 'frame') {
    source = msg.bitmap;
    width = source.width * scale; // came shrunk when idle
    height = source.height * scale;
  } else {
    ({ width, height } = msg);
    // drawImage needs a bitmap: the fixed frames of a benchmark become one.
    source = await createImageBitmap(new ImageData(new Uint8ClampedArray(msg.data), width, height));
  }
  let result;
  try {
    result = scale > 1 ? await readSmall(source, scale, width, height) : await readFrame(source, width, height, !!msg.idle);
  } catch (err) {
    result = { found: false, how: 'full', error: String(err?.message ?? err), grabbed: performance.now() };
  } finally {
    source.close();
  }
  const t2 = performance.now();
  const { grabbed, ...rest } = result;
  postMessage({
    type: 'result',
    id: msg.id,
    width,
    height,
    grabMs: grabbed - t0,
    decodeMs: t2 - grabbed,
    ...rest,
  });
};
