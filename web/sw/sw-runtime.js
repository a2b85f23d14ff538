// Service worker for one face (resident or gate): precache, cache first,
// atomic update. precache-manifest.mjs prepends
//   self.PRECACHE = { face, scope, version, files: { 'path/under/site': sha256 } }
//   self.MIME_TYPES = { '.ext': 'content type' }   (web/sw/mime.mjs)
//
// Why it is built this way:
// - Each version lives in its own cache, `gatepass-<face>-<version>`, and a
//   worker only ever answers from its own cache: a page sees one version's
//   files, never a mix.
// - Install fetches every file past the HTTP cache and checks its SHA-256
//   against the manifest. A file from another version (a deploy still in
//   progress, a stale CDN copy) fails the install; the old version stays in
//   charge and the browser tries again on a later visit.
// - The new version waits until no page runs the old one, unless the page
//   asks for it (the "new version" banner posts 'skip-waiting', then reloads).
//   Activation deletes the face's older caches, never another face's.
// - Paths are relative to the site root, found from where sw.js is served, so
//   the site works under any prefix (https://host/ or https://host/folder/).
'use strict';

const MANIFEST = self.PRECACHE;
const PREFIX = `gatepass-${MANIFEST.face}-`;
const CACHE = PREFIX + MANIFEST.version;
// sw.js sits at <root>/<scope>sw.js; each folder of the scope is one '..'.
const ROOT = new URL(MANIFEST.scope.replace(/[^/]+/g, '..'), self.location);
const HASH_BY_URL = new Map(
  Object.entries(MANIFEST.files).map(([rel, hash]) => [new URL(rel, ROOT).href, hash]),
);

// web/sw/mime.mjs's table (precache-manifest.mjs prepends it): static hosts
// are not always right about types, and wasm streaming needs its type.
function typeOf(url) {
  const m = /\.[a-z0-9]+$/i.exec(new URL(url).pathname);
  return (m && self.MIME_TYPES[m[0].toLowerCase()]) || 'application/octet-stream';
}

async function sha256Hex(buffer) {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', buffer));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

// First through the HTTP cache, revalidated ('no-cache'): right after the page
// loaded a file this is a 304, so a first visit does not download everything
// twice. Only if that copy is not the version in the manifest (a stale cache
// on the way), once more past every cache; the query keys intermediary caches
// by content and the host ignores it.
async function fetchVerified(url, hash) {
  let why = '';
  for (const [target, cache] of [[url, 'no-cache'], [`${url}?v=${hash.slice(0, 12)}`, 'reload']]) {
    const res = await fetch(target, { cache, credentials: 'same-origin' });
    if (!res.ok) {
      why = `answered ${res.status}`;
      continue;
    }
    const body = await res.arrayBuffer();
    if ((await sha256Hex(body)) === hash) {
      return new Response(body, { status: 200, headers: { 'Content-Type': typeOf(url) } });
    }
    why = 'is from another version';
  }
  throw new Error(`precache ${MANIFEST.version}: ${url} ${why}`);
}

self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    try {
      const fetched = await Promise.all(
        [...HASH_BY_URL].map(async ([url, hash]) => [url, await fetchVerified(url, hash)]),
      );
      // Written only once every file is fetched and checked.
      const cache = await caches.open(CACHE);
      await Promise.all(fetched.map(([url, res]) => cache.put(url, res)));
    } catch (e) {
      await caches.delete(CACHE);
      throw e;
    }
  })());
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const key of await caches.keys()) {
      if (key.startsWith(PREFIX) && key !== CACHE) await caches.delete(key);
    }
  })());
});

self.addEventListener('message', (event) => {
  const msg = event.data;
  if (msg === 'skip-waiting') {
    self.skipWaiting();
  } else if (msg === 'version' && event.ports[0]) {
    event.ports[0].postMessage({ face: MANIFEST.face, version: MANIFEST.version, cache: CACHE });
  }
});

self.addEventListener('fetch', (event) => {
  const req = event.request;
  if (req.method !== 'GET') return;
  const url = new URL(req.url);
  if (url.origin !== self.location.origin) return;
  // The page's own URL carries the community in its query (?c=…&n=…): any
  // query maps to the one cached file.
  let key = url.origin + url.pathname;
  if (key.endsWith('/')) key += 'index.html';
  if (!HASH_BY_URL.has(key)) return; // not part of this face: the network as usual
  event.respondWith((async () => {
    const hit = await caches.match(key, { cacheName: CACHE });
    return hit ?? fetch(req);
  })());
});
