// The one table of content types by file extension: the dev server and the
// test server (build-scripts/serve.mjs) answer with it, and the service
// worker stores its precached files with it (precache-manifest.mjs writes it
// into each sw.js as self.MIME_TYPES). Static hosts are not always right
// about these, and wasm streaming needs its type.
export const MIME_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.jpg': 'image/jpeg',
  '.txt': 'text/plain; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.otf': 'font/otf',
  '.ttf': 'font/ttf',
  '.woff2': 'font/woff2',
};

/** The content type of a path or URL path, by its extension. */
export function mimeType(path) {
  const m = /\.[a-z0-9]+$/i.exec(path);
  return (m && MIME_TYPES[m[0].toLowerCase()]) || 'application/octet-stream';
}
