#!/usr/bin/env node
// A small static server for build/site (no dependencies), on 127.0.0.1 only:
// a secure context for OPFS, the camera and the service worker.
//
//   node build-scripts/serve.mjs [--port N] [--root build/site]
//
// Also a module: startServer({root, port, mounts}) → {server, url, close()};
// `mounts` maps a URL prefix to another directory (the browser tests serve
// their own pages that way).
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
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
  '.map': 'application/json; charset=utf-8',
};

function resolveFile(root, mounts, urlPath) {
  let base = root;
  let rest = urlPath;
  for (const [prefix, dir] of Object.entries(mounts)) {
    if (urlPath === prefix.replace(/\/$/, '') || urlPath.startsWith(prefix.endsWith('/') ? prefix : prefix + '/')) {
      base = dir;
      rest = urlPath.slice(prefix.replace(/\/$/, '').length) || '/';
      break;
    }
  }
  const file = path.join(base, path.normalize(rest));
  // Never serve outside the directory (normalize removed any ../).
  if (file !== base && !file.startsWith(base + path.sep)) return null;
  return file;
}

export function startServer({ root = 'build/site', port = 0, host = '127.0.0.1', mounts = {}, quiet = false } = {}) {
  const absRoot = path.resolve(root);
  const absMounts = Object.fromEntries(Object.entries(mounts).map(([k, v]) => [k, path.resolve(v)]));
  const server = http.createServer((req, res) => {
    let urlPath;
    try {
      urlPath = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    } catch {
      res.writeHead(400).end('bad request');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return;
    }
    let file = resolveFile(absRoot, absMounts, urlPath);
    if (!file) {
      res.writeHead(403).end('forbidden');
      return;
    }
    fs.stat(file, (err, st) => {
      if (!err && st.isDirectory()) {
        if (!urlPath.endsWith('/')) {
          res.writeHead(301, { Location: urlPath + '/' }).end();
          return;
        }
        file = path.join(file, 'index.html');
        st = fs.existsSync(file) ? fs.statSync(file) : null;
      }
      if (err || !st) {
        res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('not found');
        return;
      }
      const etag = `"${st.size.toString(36)}-${Math.floor(st.mtimeMs).toString(36)}"`;
      if (req.headers['if-none-match'] === etag) {
        res.writeHead(304, { ETag: etag, 'Cache-Control': 'no-cache' }).end();
        return;
      }
      const headers = {
        'Content-Type': TYPES[path.extname(file).toLowerCase()] || 'application/octet-stream',
        'Content-Length': st.size,
        ETag: etag,
        // Revalidate every time: the service worker, not the HTTP cache, decides what is kept offline.
        'Cache-Control': 'no-cache',
        'X-Content-Type-Options': 'nosniff',
      };
      if (path.basename(file) === 'sw.js') headers['Service-Worker-Allowed'] = '/';
      res.writeHead(200, headers);
      if (req.method === 'HEAD') res.end();
      else fs.createReadStream(file).pipe(res);
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const url = `http://${host}:${server.address().port}/`;
      if (!quiet) {
        console.log(`gatepass: serving ${absRoot}`);
        console.log(`  landing  ${url}`);
        console.log(`  resident ${url}resident/`);
        console.log(`  gate     ${url}gate/`);
      }
      resolve({ server, url, close: () => new Promise((r) => server.close(r)) });
    });
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const opt = (name, fallback) => {
    const i = args.indexOf(name);
    return i >= 0 && i + 1 < args.length ? args[i + 1] : fallback;
  };
  const here = path.dirname(fileURLToPath(import.meta.url));
  const root = opt('--root', path.join(here, '..', 'build', 'site'));
  if (!fs.existsSync(root)) {
    console.error(`serve: ${root} does not exist; run build-scripts/build first`);
    process.exit(1);
  }
  startServer({ root, port: Number(opt('--port', 8080)) }).catch((e) => {
    console.error(`serve: ${e.message}`);
    process.exit(1);
  });
}
