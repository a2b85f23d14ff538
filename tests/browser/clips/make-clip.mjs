// Makes fake-camera clips for the gate tests, at test time, under /tmp (never
// committed): a QR code (a real pass from the core, or anything else) shown on
// a phone-shaped screen inside a 1280×720 frame, moving a little, with sensor
// noise and a touch of blur, written as .y4m for Chromium's
// --use-file-for-fake-video-capture (which loops it).
//
//   import { qrPng, makeClip, passText } from './clips/make-clip.mjs';
//   const text = passText(person);                 // build/native/gatepass pass encode
//   await makeClip({ text, out: '/tmp/x.y4m' });
//   node tests/browser/clips/make-clip.mjs OUT.y4m TEXT   (by hand)
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { prepareZXingModule, writeBarcode } from 'zxing-wasm/writer';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const CLI = path.join(REPO, 'build', 'native', 'gatepass');

let prepared = null;
function writer() {
  prepared ??= prepareZXingModule({
    overrides: { wasmBinary: fs.readFileSync(path.join(REPO, 'node_modules/zxing-wasm/dist/writer/zxing_writer.wasm')) },
    fireImmediately: true,
  });
  return prepared;
}

/// PNG bytes of a QR code for `text` (zxing-wasm writer), `scale` pixels per module.
export async function qrPng(text, { scale = 6, ecLevel = 'M' } = {}) {
  await writer();
  const r = await writeBarcode(text, { format: 'QRCode', ecLevel, scale });
  if (r.error) throw new Error(r.error);
  return Buffer.from(await r.image.arrayBuffer());
}

/// A real pass for this person, made by the core (the office CLI).
export function passText(person, issuedAt) {
  const args = ['pass', 'encode'];
  if (issuedAt) args.push('--issued-at', String(issuedAt));
  return execFileSync(CLI, args, { input: JSON.stringify(person) }).toString().trim();
}

/**
 * Writes a y4m clip showing a QR of `text`.
 * @param {{text: string, out: string, width?: number, height?: number, seconds?: number, fps?: number,
 *          qrScale?: number, noise?: number, blur?: number, motion?: number, x?: number, y?: number,
 *          emptyFirst?: number}} o
 *   emptyFirst: seconds of the empty scene before the phone appears (latency measurements).
 */
export async function makeClip({
  text, out, width = 1280, height = 720, seconds = 2, fps = 10, qrScale = 5, noise = 10, blur = 0.6,
  motion = 12, x, y, emptyFirst = 0,
}) {
  const dir = fs.mkdtempSync('/tmp/gatepass-clip-');
  const png = path.join(dir, 'qr.png');
  fs.writeFileSync(png, await qrPng(text, { scale: qrScale }));
  const px = x ?? Math.round(width * 0.42);
  const py = y ?? Math.round(height * 0.18);
  // The phone: the QR on a white screen (padding), inside a dark body.
  const phone = 'pad=iw+40:ih+120:20:60:white,pad=iw+24:ih+24:12:12:0x202124';
  const move = `x='${px}+${motion}*sin(2*PI*t/${seconds})':y='${py}+${Math.round(motion / 2)}*cos(2*PI*t/${seconds})'`;
  const enable = emptyFirst > 0 ? `:enable='gte(t,${emptyFirst})'` : '';
  const filter = [
    `[1:v]${phone},rotate=0.06:c=none:ow=rotw(0.06):oh=roth(0.06)[ph]`,
    `[0:v][ph]overlay=${move}${enable}:format=auto,gblur=sigma=${blur},noise=alls=${noise}:allf=t,format=yuv420p[v]`,
  ].join(';');
  execFileSync('ffmpeg', [
    '-hide_banner', '-loglevel', 'error', '-y',
    '-f', 'lavfi', '-i', `gradients=s=${width}x${height}:c0=0x6b7b8c:c1=0x3a4450:d=${seconds + emptyFirst}:r=${fps}:speed=0.01`,
    '-loop', '1', '-i', png,
    '-filter_complex', filter, '-map', '[v]',
    '-t', String(seconds + emptyFirst), '-r', String(fps), '-pix_fmt', 'yuv420p', '-f', 'yuv4mpegpipe', out,
  ]);
  fs.rmSync(dir, { recursive: true, force: true });
  return out;
}

/// A clip of the empty scene (nobody at the gate).
export function makeEmptyClip({ out, width = 1280, height = 720, seconds = 2, fps = 10, noise = 10 }) {
  execFileSync('ffmpeg', [
    '-hide_banner', '-loglevel', 'error', '-y',
    '-f', 'lavfi', '-i', `gradients=s=${width}x${height}:c0=0x6b7b8c:c1=0x3a4450:d=${seconds}:r=${fps}:speed=0.01`,
    '-vf', `noise=alls=${noise}:allf=t,format=yuv420p`,
    '-t', String(seconds), '-pix_fmt', 'yuv420p', '-f', 'yuv4mpegpipe', out,
  ]);
  return out;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [out, text] = process.argv.slice(2);
  if (!out || !text) {
    console.error('usage: node tests/browser/clips/make-clip.mjs OUT.y4m TEXT');
    process.exit(2);
  }
  await makeClip({ text, out });
  console.log(out);
}

/**
 * A pass moving slowly away from the camera (benchmarks: how far each reader
 * reads). The hard case of a webcam at a gate: the phone tilted (`angle`,
 * radians), a little keystone (`keystone`, fraction of the height), blur and
 * heavy sensor noise. The QR is drawn at `qrScale` px/module and shrinks
 * linearly from `from`× to `to`× over the clip.
 * Returns {out, frames, pxPerModule: [per frame]} (nominal: the module size
 * before tilt and keystone).
 */
export async function makeDistanceClip({
  text, out, width = 640, height = 480, seconds = 6, fps = 10, qrScale = 6, from = 1, to = 0.33,
  angle = 0.21, keystone = 0.05, noise = 20, blur = 0.8, x, y,
}) {
  const dir = fs.mkdtempSync('/tmp/gatepass-clip-');
  const png = path.join(dir, 'qr.png');
  fs.writeFileSync(png, await qrPng(text, { scale: qrScale }));
  const cx = x ?? Math.round(width * 0.55);
  const cy = y ?? Math.round(height * 0.45);
  const k = keystone;
  const s = `(${from}+(${to - from})*t/${seconds})`;
  const filter = [
    `[1:v]pad=iw+40:ih+120:20:60:white,pad=iw+24:ih+24:12:12:0x202124,format=rgba,` +
      `perspective=x0=0:y0=0:x1=W:y1=H*${k}:x2=0:y2=H:x3=W:y3=H*${1 - k}:sense=destination,` +
      `rotate=${angle}:c=none:ow=rotw(${angle}):oh=roth(${angle}),` +
      `scale=w='trunc(iw*${s}/2)*2':h=-2:eval=frame:flags=bicubic[ph]`,
    `[0:v][ph]overlay=x='${cx}-overlay_w/2':y='${cy}-overlay_h/2':eval=frame:format=auto,` +
      `gblur=sigma=${blur},noise=alls=${noise}:allf=t,format=yuv420p[v]`,
  ].join(';');
  execFileSync('ffmpeg', [
    '-hide_banner', '-loglevel', 'error', '-y',
    '-f', 'lavfi', '-i', `gradients=s=${width}x${height}:c0=0x6b7b8c:c1=0x3a4450:d=${seconds}:r=${fps}:speed=0.01`,
    '-loop', '1', '-i', png,
    '-filter_complex', filter, '-map', '[v]',
    '-t', String(seconds), '-r', String(fps), '-pix_fmt', 'yuv420p', '-f', 'yuv4mpegpipe', out,
  ]);
  fs.rmSync(dir, { recursive: true, force: true });
  const frames = Math.round(seconds * fps);
  const pxPerModule = Array.from({ length: frames }, (_, i) => qrScale * (from + ((to - from) * i) / fps / seconds));
  return { out, frames, pxPerModule };
}
