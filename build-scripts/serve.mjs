#!/usr/bin/env node
// A small static server for build/site (no dependencies), on 127.0.0.1 only:
// a secure context for OPFS, the camera and the service worker. It behaves
// like a static host — ETag and 304 on revalidation, and with `gzip` the
// compression a real host applies — which the service worker's revalidating
// install and the byte counts of build-scripts/bench-resident depend on.
//
//   node build-scripts/serve.mjs [--port N] [--root build/site]
//
// Two origins (what build-scripts/run starts): the resident page on port N,
// the gate console on N+1. Each origin has its own storage in the browser
// (OPFS, IndexedDB, localStorage), so no script of the public resident page
// can open the gate's database; each sends the other face's path to the
// other origin. docs/deploy.md: the same with two host names.
//
// Also a module: startServer({root, port, mounts, gzip, throttle}) →
// {server, url, log, setReachable(bool), close()}; `mounts` maps a URL prefix to another
// directory (the browser tests serve their own pages that way); `log` lists
// every request with the bytes sent; `throttle: {rttMs, bitsPerSecond}`
// models a slow shared link. setReachable(false) is a network that is down for
// everyone — the page, its workers, the service worker and the browser's own
// service-worker update checks (which the browser's offline emulation lets
// through): open connections are closed and new ones dropped unanswered;
// `refused` counts them.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { mimeType } from '../web/sw/mime.mjs';

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

export function startServer({ root = 'build/site', port = 0, host = '127.0.0.1', mounts = {}, quiet = false, gzip = false, throttle = null, redirects = {} } = {}) {
  const absRoot = path.resolve(root);
  const absMounts = Object.fromEntries(Object.entries(mounts).map(([k, v]) => [k, path.resolve(v)]));
  const log = [];
  let reachable = true;
  let refused = 0;
  // A slow shared link, modelled at the server so that it applies to the page,
  // its workers and the service worker alike: each response waits `rttMs`,
  // then its bytes queue on one link of `bitsPerSecond`.
  let linkFree = 0;
  const sleep = (ms) => new Promise((ok) => setTimeout(ok, Math.max(0, ms)));
  const send = async (res, status, headers, body = null) => {
    if (!throttle) { res.writeHead(status, headers).end(body ?? undefined); return; }
    await sleep(throttle.rttMs);
    res.writeHead(status, headers);
    for (let off = 0; body && off < body.length; off += 16384) {
      const chunk = body.subarray(off, off + 16384);
      linkFree = Math.max(Date.now(), linkFree) + (chunk.length * 8 * 1000) / throttle.bitsPerSecond;
      await sleep(linkFree - Date.now());
      res.write(chunk);
    }
    res.end();
  };
  const server = http.createServer(async (req, res) => {
    let url;
    try {
      url = new URL(req.url, 'http://x');
      url.decoded = decodeURIComponent(url.pathname);
    } catch {
      res.writeHead(400).end('bad request');
      return;
    }
    const urlPath = url.decoded;
    // `at`: when the request came (epoch ms), for benchmarks that count bytes up to a moment of the page.
    const entry = { path: url.pathname, query: url.search, bytes: 0, status: 404, at: Date.now() };
    log.push(entry);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      entry.status = 405;
      res.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return;
    }
    // The other face lives on another origin: send the browser there.
    for (const [prefix, target] of Object.entries(redirects)) {
      if (urlPath === prefix.replace(/\/$/, '') || urlPath.startsWith(prefix)) {
        entry.status = 302;
        res.writeHead(302, { Location: new URL(url.pathname + url.search, target).href }).end();
        return;
      }
    }
    let file = resolveFile(absRoot, absMounts, urlPath);
    if (!file) {
      entry.status = 403;
      res.writeHead(403).end('forbidden');
      return;
    }
    let st = await fs.promises.stat(file).catch(() => null);
    if (st?.isDirectory()) {
      if (!urlPath.endsWith('/')) {
        entry.status = 301;
        res.writeHead(301, { Location: urlPath + '/' }).end();
        return;
      }
      file = path.join(file, 'index.html');
      st = await fs.promises.stat(file).catch(() => null);
    }
    if (!st?.isFile()) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('not found');
      return;
    }
    const etag = `"${st.size.toString(36)}-${Math.floor(st.mtimeMs).toString(36)}"`;
    const headers = {
      'Content-Type': mimeType(file),
      ETag: etag,
      // Revalidate every time: the service worker, not the HTTP cache, decides what is kept offline.
      'Cache-Control': 'no-cache',
      'X-Content-Type-Options': 'nosniff',
    };
    if (path.basename(file) === 'sw.js') headers['Service-Worker-Allowed'] = '/';
    if (req.headers['if-none-match'] === etag) {
      entry.status = 304;
      await send(res, 304, headers);
      return;
    }
    let body = await fs.promises.readFile(file);
    entry.raw = body.length;
    if (gzip && /\bgzip\b/.test(req.headers['accept-encoding'] ?? '')) {
      body = gzipSync(body, { level: 9 });
      headers['Content-Encoding'] = 'gzip';
    }
    headers['Content-Length'] = body.length;
    entry.bytes = body.length;
    entry.status = 200;
    await send(res, 200, headers, req.method === 'HEAD' ? null : body);
  });
  server.on('connection', (socket) => {
    if (!reachable) { refused++; socket.destroy(); }
  });
  const setReachable = (on) => {
    reachable = on;
    if (!on) server.closeAllConnections?.();
  };
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
      resolve({ server, url, log, setReachable, get refused() { return refused; }, close: () => new Promise((r) => { server.closeAllConnections?.(); server.close(r); }) });
    });
  });
}

/**
 * The two faces on two origins: the resident page (and the landing page) on
 * `port`, the gate console on `port + 1` (0: any free ports). Each redirects
 * the other's path. → {resident: {url}, gate: {url}, close()}.
 */
export async function startFaces({ root = 'build/site', port = 0, host = '127.0.0.1', quiet = false, mounts = {} } = {}) {
  const toGate = {}; // filled once the gate's port is known (read on every request)
  const resident = await startServer({ root, port, host, quiet: true, mounts, redirects: toGate });
  const gate = await startServer({ root, port: port ? port + 1 : 0, host, quiet: true, mounts, redirects: { '/resident/': resident.url } });
  toGate['/gate/'] = gate.url;
  const close = async () => { await Promise.all([resident.close(), gate.close()]); };
  if (!quiet) {
    console.log(`gatepass: serving ${path.resolve(root)} on two origins (each keeps its own browser storage)`);
    console.log(`  resident ${resident.url}resident/   (landing page: ${resident.url})`);
    console.log(`  gate     ${gate.url}gate/`);
  }
  return { resident: { url: resident.url, log: resident.log }, gate: { url: gate.url, log: gate.log }, close };
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
  const port = Number(opt('--port', 8080));
  (args.includes('--one-origin') ? startServer({ root, port }) : startFaces({ root, port })).catch((e) => {
    console.error(`serve: ${e.message}`);
    process.exit(1);
  });
}
