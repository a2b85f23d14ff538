// What each face precaches, as paths under build/site (the served root).
// A directory entry takes every file under it, except what `skip` rejects.
// An entry that is missing from the site is an error: a face that silently
// lost an asset would only show it the first time a phone is offline.
//
// `exclude`: files under an included folder that the face never loads.
//
// `scope` is the folder the face's service worker controls; its sw.js is
// written there, so the browser's default scope is right without extra headers.

export const faces = {
  resident: {
    scope: 'resident/',
    include: [
      'resident/',
      'shared/',
      'sw/register.js',
      // The QR writer (uqr); the resident page never reads barcodes.
      'vendor/uqr/',
      // Sealing passes to the community key (crypto_box_seal); SHA-256 (crypto_hash_sha256,
      // only in the sumo build) for plain passes.
      'vendor/libsodium-sumo/',
    ],
    // The resident's own core (gatepass-resident.*, no SQLite) instead of the full one, which a
    // phone fetches only once, to move a household from the SQLite file of before (core-worker.js).
    exclude: ['shared/gatepass-core.js', 'shared/gatepass-core.wasm'],
  },
  gate: {
    scope: 'gate/',
    include: [
      'gate/',
      'shared/',
      'sw/register.js',
      'vendor/zxing-wasm/reader/',
      'vendor/zxing-wasm/es/reader/',
      'vendor/zxing-wasm/es/share.js',
      // The writer too: the poster and pass cards are printed at the gate, offline or not.
      'vendor/uqr/',
      'vendor/jsimgui/',
      // Opening passes and enrollment codes (crypto_box_seal_open, crypto_pwhash).
      'vendor/libsodium-sumo/',
      'fonts/',
    ],
    exclude: ['shared/gatepass-resident.js', 'shared/gatepass-resident.wasm'],
  },
};

// Files that are never served to a page: the worker itself, its manifest,
// type declarations, source maps and the vendored packages' licence texts
// (kept on the site beside the code they cover, not downloaded by phones).
export function skip(relPath) {
  return /(^|\/)sw\.js$/.test(relPath) ||
    /(^|\/)precache\.json$/.test(relPath) ||
    /\.d\.ts$/.test(relPath) ||
    /\.map$/.test(relPath) ||
    /(^|\/)vendor\/.*\/LICENSE$/.test(relPath) ||
    /(^|\/)\./.test(relPath);
}
