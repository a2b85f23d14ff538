// Draws a pass as a QR code with zxing-wasm's writer, loaded lazily from the
// site's own copy (never a CDN). The pass text itself comes from the core.

const WRITER_JS = new URL('../vendor/zxing-wasm/es/writer/index.js', import.meta.url).href;
const WRITER_WASM = new URL('../vendor/zxing-wasm/writer/zxing_writer.wasm', import.meta.url).href;

let writer;

function loadWriter() {
  writer ??= import(WRITER_JS).then(async (zxing) => {
    await zxing.prepareZXingModule({
      overrides: { locateFile: (path, prefix) => (path.endsWith('.wasm') ? WRITER_WASM : prefix + path) },
      fireImmediately: true,
    });
    return zxing;
  });
  writer.catch(() => (writer = undefined)); // a failed load may be retried
  return writer;
}

/** Starts loading the writer ahead of need (the first pass then shows at once); settles when done. */
export function preloadWriter() {
  return loadWriter().then(() => true, () => false);
}

/**
 * An SVG blob URL of `text` as a QR code. Error correction M: a pass is shown
 * on a clean screen, and a smaller symbol reads better from a distance.
 */
export async function qrImageUrl(text) {
  const zxing = await loadWriter();
  const result = await zxing.writeBarcode(text, { format: 'QRCode', ecLevel: 'M', withQuietZones: true });
  if (result.error || !result.svg) throw new Error(result.error || 'no image');
  // The writer's SVG has a size in modules but no viewBox: add one so it
  // scales to the screen, with crisp module edges.
  const svg = result.svg.replace(/<svg width="(\d+)" height="(\d+)"/, (all, w, h) =>
    `<svg width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" shape-rendering="crispEdges"`);
  return URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' }));
}
