// The camera reader: camera frames in, QR content (raw bytes) and its corners out.
// Runs in a module worker beside the console so decoding never blocks the UI.
//
// Messages in:
//   {type: 'frame', id, bitmap}            an ImageBitmap (transferred); closed here
//   {type: 'pixels', id, data, width, height}  RGBA bytes (benchmarks feed fixed frames)
// Messages out:
//   {type: 'ready'} once the wasm is loaded, or {type: 'failed', message}
//   {type: 'result', id, width, height, found, bytes?, corners?, grabMs, decodeMs}
import { prepareZXingModule, readBarcodes } from '../vendor/zxing-wasm/es/reader/index.js';

// The reader's wasm is served from our own tree, never from a CDN.
const ZXING_READER_WASM = new URL('../vendor/zxing-wasm/reader/zxing_reader.wasm', import.meta.url).href;

const options = {
  formats: ['QRCode'],
  maxNumberOfSymbols: 1,
  tryHarder: true,
  tryRotate: true,
  tryInvert: false,
  tryDownscale: true,
};

let canvas = null;
let ctx = null;

function grab(bitmap) {
  const { width, height } = bitmap;
  if (!canvas || canvas.width !== width || canvas.height !== height) {
    canvas = new OffscreenCanvas(width, height);
    ctx = canvas.getContext('2d', { willReadFrequently: true });
  }
  ctx.drawImage(bitmap, 0, 0);
  bitmap.close();
  return ctx.getImageData(0, 0, width, height);
}

async function decode(imageData) {
  const results = await readBarcodes(imageData, options);
  const hit = results.find((r) => r.isValid && r.format === 'QRCode');
  if (!hit) return { found: false };
  const p = hit.position;
  return {
    found: true,
    bytes: hit.bytes,
    corners: [p.topLeft, p.topRight, p.bottomRight, p.bottomLeft].map(({ x, y }) => ({ x, y })),
  };
}

const ready = prepareZXingModule({
  overrides: {
    locateFile: (path, prefix) => (path.endsWith('.wasm') ? ZXING_READER_WASM : prefix + path),
  },
  fireImmediately: true,
}).then(
  () => postMessage({ type: 'ready' }),
  (err) => postMessage({ type: 'failed', message: String(err?.message ?? err) }),
);

onmessage = async ({ data: msg }) => {
  await ready;
  if (msg.type !== 'frame' && msg.type !== 'pixels') return;
  const t0 = performance.now();
  let imageData;
  if (msg.type === 'frame') {
    imageData = grab(msg.bitmap);
  } else {
    imageData = new ImageData(new Uint8ClampedArray(msg.data), msg.width, msg.height);
  }
  const t1 = performance.now();
  let result;
  try {
    result = await decode(imageData);
  } catch (err) {
    result = { found: false, error: String(err?.message ?? err) };
  }
  const t2 = performance.now();
  postMessage({
    type: 'result',
    id: msg.id,
    width: imageData.width,
    height: imageData.height,
    grabMs: t1 - t0,
    decodeMs: t2 - t1,
    ...result,
  });
};
