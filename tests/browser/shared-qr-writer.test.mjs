// The one QR writer of both faces (web/shared/qr-writer.js, uqr): what it draws
// in the browser, as a phone screen or a printer shows it, reads back with the
// reader the gate uses (zxing-wasm) as the same text, at the asked error
// correction, with the standard quiet zone — for a pass, a poster URL and a
// text that needs UTF-8 (byte mode). No wasm is fetched to write a code.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO, serveSite, siteBuilt, freshProfile, launch, removeProfile } from './harness.mjs';

const skip = siteBuilt() ? false : 'build/site is not built (run build-scripts/build)';
let site;
let reader;
before(async () => {
  if (skip) return;
  site = await serveSite();
  reader = await import('zxing-wasm/reader');
  await reader.prepareZXingModule({
    fireImmediately: true,
    overrides: { wasmBinary: readFileSync(join(REPO, 'node_modules/zxing-wasm/dist/reader/zxing_reader.wasm')) },
  });
});
after(async () => { await site?.close(); });

// A pass-shaped text (the Base45 alphabet, about a real pass's length), a
// poster URL, and a name only UTF-8 carries.
const CASES = [
  { text: 'GP1:' + '6BFOXN*TS0BI$ZDFRH%3K+5:*8P.B3 A+P1TH4KJ9WT8$N$-F0QR$Q2/K7O1M:F*2F.UQ/69M'.repeat(4), ec: 'M' },
  { text: 'https://qh.example.org/gate-app/resident/?c=hd-qh-07&n=%E6%B8%85%E6%B2%B3%E5%B0%8F%E5%8C%BA&k=Zm9vYmFyYmF6cXV4', ec: 'Q' },
  { text: '𠮷田 · 王小明 Ñúñez-O\'Brien', ec: 'M' },
];

test('what the writer draws reads back as the same text, at the asked level, with a 4-module quiet zone', { skip, timeout: 60000 }, async () => {
  const profile = freshProfile('qr-writer');
  const context = await launch(profile);
  try {
    const page = await context.newPage();
    const requested = [];
    page.on('request', (r) => requested.push(new URL(r.url()).pathname));
    await page.goto(`${site.url}__test/core.html`);
    for (const { text, ec } of CASES) {
      const size = await page.evaluate(async ({ text, ec }) => {
        const { qrSvg } = await import('/shared/qr-writer.js');
        const svg = await qrSvg(text, ec);
        document.body.innerHTML = `<div id="qr" style="width:${4 * 177}px;background:#fff">${svg}</div>`;
        const el = document.querySelector('#qr svg');
        el.style.width = el.style.height = `${4 * Number(el.getAttribute('width'))}px`; // 4 px a module, as a phone shows it
        el.style.display = 'block';
        return Number(el.getAttribute('width'));
      }, { text, ec });
      const png = await page.locator('#qr svg').screenshot();
      const [read, ...more] = (await reader.readBarcodes(new Uint8Array(png), { formats: ['QRCode'] })).filter((r) => r.isValid);
      assert.equal(more.length, 0);
      assert.equal(read?.text, text, 'the same text reads back');
      assert.equal(read.ecLevel, ec, 'at the asked error correction');
      // A QR symbol is 4·version + 17 modules; the writer adds 4 modules of quiet zone each side.
      assert.equal(size, 4 * Number(read.version) + 17 + 8, `symbol of version ${read.version} plus the quiet zone`);
    }
    assert.deepEqual(requested.filter((p) => p.endsWith('.wasm') && p.includes('zxing')), [], 'no zxing wasm fetched to write');
  } finally {
    await context.close();
    removeProfile(profile);
  }
});
