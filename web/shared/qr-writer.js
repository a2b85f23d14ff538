// QR codes for both faces — the resident's pass, the gate's poster and pass
// cards — drawn with uqr (npm, the site's own copy, never a CDN). The text
// itself (a pass, a poster URL) comes from the core.
//
// Why uqr and not zxing-wasm's writer: the pages only ever encode QR, and
// zxing's writer is a multi-format wasm of 351 KB gzip, 42 % of a resident's
// first visit; uqr is a QR encoder (Nayuki's algorithm) of 8 KB gzip, plain
// JS, so there is no wasm to fetch, compile or retry. build-scripts/bench-resident
// prints both side by side. The gate still reads with zxing-wasm.
import { encode } from '../vendor/uqr/index.mjs';

/**
 * SVG markup of `text` as a QR code that scales to its box: a viewBox in
 * modules with the standard 4-module quiet zone, crisp module edges, width
 * and height in modules. `ecLevel` M for a pass (a clean screen, and a
 * smaller symbol reads better from a distance), Q for a printed poster.
 * Async as callers await it (the writer used to load lazily).
 */
export async function qrSvg(text, ecLevel = 'M') {
  const { size, data } = encode(text, { ecc: ecLevel, border: 4 });
  // One path: each row's runs of dark modules as rectangles.
  let d = '';
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; ) {
      if (!data[y][x]) { x++; continue; }
      let run = 1;
      while (x + run < size && data[y][x + run]) run++;
      d += `M${x} ${y}h${run}v1h-${run}z`;
      x += run;
    }
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 ${size} ${size}" shape-rendering="crispEdges">` +
    `<rect width="${size}" height="${size}" fill="#fff"/><path d="${d}" fill="#000"/></svg>`;
}

/** An SVG blob URL of `text` as a QR code (an <img> source; revoke it when replaced). */
export async function qrImageUrl(text, ecLevel = 'M') {
  return URL.createObjectURL(new Blob([await qrSvg(text, ecLevel)], { type: 'image/svg+xml' }));
}
