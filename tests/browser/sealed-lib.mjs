// Helpers for the live sealed pass tests: a community made by the office CLI
// (its key files), passes sealed and opened natively, and what a QR reader
// without the key sees of a pass.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';
import { CLI } from './clips/make-clip.mjs';

/** `gatepass community init` in a fresh folder: {dir, publicKey, keyId, secretKey, posterUrl, keys}. */
export function makeCommunity(code = 'C001', name = '八角路社区', site = 'https://gate.example.org/') {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatepass-community-'));
  const out = execFileSync(CLI, ['community', 'init', '--code', code, '--name', name, '--site', site, '--out', dir], { encoding: 'utf8' });
  const json = JSON.parse(fs.readFileSync(path.join(dir, 'community.json'), 'utf8'));
  const secretKey = fs.readFileSync(path.join(dir, 'community.key'), 'utf8').trim();
  const posterUrl = out.trim().split('\n').pop();
  return {
    dir, publicKey: json.public_key, keyId: json.key_id, secretKey, posterUrl,
    // What an enrollment gives a gate (settings.set {settings: {keys}}).
    keys: [{ id: json.key_id, secret_key: secretKey, public_key: json.public_key }],
    remove: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

/** A live pass sealed natively (`gatepass pass encode --community`). */
export function sealNatively(community, person, madeAt = Date.now()) {
  return execFileSync(CLI, ['pass', 'encode', '--community', community.dir, '--made-at', String(madeAt)],
    { input: JSON.stringify(person), encoding: 'utf8' }).trim();
}

/** A printed pass card issued by the office (`gatepass card issue --community`): {number, text}. */
export function issueCardNatively(community, person) {
  const [number, text] = execFileSync(CLI, ['card', 'issue', '--community', community.dir],
    { input: JSON.stringify(person), encoding: 'utf8' }).trim().split('\n');
  return { number, text };
}

/** `gatepass pass decode --key`: {ok, json} or {ok: false, stderr}. */
export function openNatively(community, text, at) {
  const args = ['pass', 'decode', '--key', community.dir, ...(at ? ['--at', String(at)] : []), text];
  const r = spawnSync(CLI, args, { encoding: 'utf8' });
  return r.status === 0 ? { ok: true, json: JSON.parse(r.stdout) } : { ok: false, stderr: r.stderr };
}

const B45 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:';
/** RFC 9285 Base45 → bytes (what any QR app can do with the text). */
export function base45Decode(text) {
  const out = [];
  for (let i = 0; i < text.length; i += 3) {
    const c = [...text.slice(i, i + 3)].map((ch) => B45.indexOf(ch));
    if (c.some((v) => v < 0)) throw new Error('not base45');
    const n = c[0] + c[1] * 45 + (c.length === 3 ? c[2] * 2025 : 0);
    if (c.length === 3) out.push(n >> 8);
    out.push(n & 255);
  }
  return Buffer.from(out);
}

/**
 * The forms a person's numbers and name could take in a pass's bytes: as
 * text, and as format 1 packs them (the first 17 ID digits in 8 bytes, a
 * mobile in 5, a Chinese name two bytes a character). None may appear.
 */
export function personalForms(person) {
  const big = (n, bytes) => {
    const b = Buffer.alloc(bytes);
    let v = BigInt(n);
    for (let i = bytes - 1; i >= 0; i--) { b[i] = Number(v & 255n); v >>= 8n; }
    return b;
  };
  const packedName = Buffer.from([...person.name].flatMap((ch) => {
    const c = ch.codePointAt(0) - 0x4e00;
    return [0x80 + (c >> 8), c & 255];
  }));
  return {
    doc_number: Buffer.from(person.doc_number),
    phone: Buffer.from(person.phone),
    name: Buffer.from(person.name),
    compact_id: big(person.doc_number.slice(0, 17), 8),
    compact_phone: big(person.phone, 5),
    packed_name: packedName,
  };
}
