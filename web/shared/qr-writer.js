// QR codes drawn with zxing-wasm's writer, loaded lazily from the site's own
// copy (never a CDN) — the one loader for both faces: the resident's pass, the
// gate's poster and pass cards. The text itself (a pass) comes from the core.

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
  // A failed load (offline before the files were cached, a flaky link) is
  // tried again on the next call instead of failing for the page's lifetime.
  writer.catch(() => (writer = undefined));
  return writer;
}

/** Starts loading the writer ahead of need (the first code then shows at once); settles when done. */
export function preloadWriter() {
  return loadWriter().then(() => true, () => false);
}

/**
 * SVG markup of `text` as a QR code that scales to its box: a viewBox in
 * modules, crisp module edges. `ecLevel` M for a pass (a clean screen, and a
 * smaller symbol reads better from a distance), Q for a printed poster.
 */
export async function qrSvg(text, ecLevel = 'M') {
  const zxing = await loadWriter();
  const result = await zxing.writeBarcode(text, { format: 'QRCode', ecLevel, withQuietZones: true });
  if (result.error || !result.svg) throw new Error(result.error || 'no image');
  // The writer's SVG has a size in modules but no viewBox.
  return result.svg.replace(/<svg width="(\d+)" height="(\d+)"/, (all, w, h) =>
    `<svg width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" shape-rendering="crispEdges"`);
}

/** An SVG blob URL of `text` as a QR code (an <img> source; revoke it when replaced). */
export async function qrImageUrl(text, ecLevel = 'M') {
  return URL.createObjectURL(new Blob([await qrSvg(text, ecLevel)], { type: 'image/svg+xml' }));
}
