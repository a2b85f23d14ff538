// The wasm request path, fuzz-style, under Node (issue 12): the core module the
// worker ships (build/wasm/gatepass-core.js), called through the worker's own
// marshalling (web/shared/core-call.js), with large and malformed requests.
//
// What must hold for every request, however bad:
//   - the reply is a JSON object with a boolean `ok`; a refusal has a code and
//     zh and en words;
//   - a refused request changes nothing (the stored people, entries, settings
//     and batches are as before);
//   - the core keeps answering (no trap, no "database is not open").
// The mutations come from a seeded generator; a failure names the seed and the
// request, so it can be replayed (GATEPASS_FUZZ_SEED=N).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import sodium from 'libsodium-wrappers-sumo'; // the faces' build (the standard one has no crypto_hash_sha256)
import { callJson, tooLarge, MAX_REQUEST_BYTES } from '../../web/shared/core-call.js';
import { sha256Of } from '../../web/shared/pass-crypto.js';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const CORE_JS = process.env.GATEPASS_CORE_JS || path.join(REPO, 'build', 'wasm', 'gatepass-core.js');
const SEED = Number(process.env.GATEPASS_FUZZ_SEED || 20261129);
const MUTATIONS = 1500;
const NOW = Date.UTC(2026, 10, 29, 8, 0, 0);

let core;

// The module is built for a web worker (-sENVIRONMENT=worker): in Node it
// needs the worker's `self.location` (to place its .wasm) and is handed the
// bytes, as nothing here fetches. Everything else is the shipped code.
// The core's SHA-256 comes from the worker's libsodium-wrappers (src/core/Digest.h),
// given here the way the worker gives it; `withDigest` false: a worker whose libsodium did not load.
async function loadCore({ withDigest = true, file = '/fuzz.sqlite' } = {}) {
  globalThis.self = { location: { href: pathToFileURL(CORE_JS).href } };
  const { default: create } = await import(pathToFileURL(CORE_JS).href);
  await sodium.ready;
  const m = await create({ wasmBinary: fs.readFileSync(CORE_JS.replace(/\.js$/, '.wasm')),
    gpSha256: withDigest ? sha256Of(sodium) : undefined });
  assert.equal(m._gp_init(), 0);
  const opened = callJson(m, 'gp_open', file, 0, 0); // MEMFS, the default VFS; not behind the lock
  assert.equal(opened.ok, true, JSON.stringify(opened));
  return m;
}

function call(request) {
  const text = typeof request === 'string' ? request : JSON.stringify(request);
  return callJson(core, 'gp_call', text);
}

function person(i) {
  return {
    name: '测试' + String.fromCodePoint(0x4e00 + i), doc_type: 'passport', doc_number: 'E' + String(1000000 + i),
    phone: '13800138000', person_type: 'resident', address: '3-2-501',
    left_city: false, epidemic_contact: false, symptoms: false, home_observation: false,
  };
}

// What a refused request must leave as it was.
function snapshot() {
  const parts = [
    call({ op: 'person.list', now: NOW }),
    call({ op: 'entries.today', now: NOW }),
    call({ op: 'settings.get', now: NOW }),
    call({ op: 'batch.list', now: NOW }),
  ];
  for (const p of parts) assert.equal(p.ok, true, JSON.stringify(p).slice(0, 300));
  return JSON.stringify(parts);
}

function assertWellFormed(reply, request) {
  const shown = () => `seed ${SEED}, request ${String(request).slice(0, 200)}`;
  assert.equal(typeof reply, 'object', shown());
  assert.notEqual(reply, null, shown());
  assert.equal(typeof reply.ok, 'boolean', shown());
  if (!reply.ok) {
    assert.equal(typeof reply.error?.code, 'string', shown());
    assert.ok(reply.error.zh && reply.error.en, `a refusal in words, ${shown()}: ${JSON.stringify(reply.error)}`);
  }
}

// Requests of every area, valid, from which the mutations start.
function seeds() {
  const p = person(1);
  return [
    { op: 'settings.set', now: NOW, settings: { community_code: 'C001', gate_name: '北门' } },
    { op: 'person.validate', now: NOW, person: p },
    { op: 'person.save', now: NOW, person: p },
    { op: 'person.get', now: NOW, doc_number: p.doc_number },
    { op: 'pass.encode', now: NOW, person: p },
    { op: 'decide', now: NOW, person: p, direction: 'in', temperature: 36.5 },
    { op: 'entry.record', now: NOW, person: p, direction: 'in', temperature: 36.5 },
    { op: 'entries.of', now: NOW, doc_number: p.doc_number, limit: 10 },
    { op: 'inside.now', now: NOW },
    { op: 'stats', now: NOW },
    { op: 'batch.export', now: NOW },
    { op: 'batch.get', now: NOW, seq: 1 },
    { op: 'batch.import', now: NOW, text: 'GATEPASS-BATCH 2\n{}\n' },
    { op: 'batch.upload_result', now: NOW, seq: 1, status: 200, body: '{"watch_list":[],"revocations":[],"roster":[]}' },
    { op: 'person.verify', now: NOW, doc_number: p.doc_number },
    { op: 'retention.policy', now: NOW },
  ];
}

// A small seeded generator (mulberry32): the same seed, the same requests.
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ODD_VALUES = [null, true, false, 0, -1, -0, 1e308, -1e308, 2 ** 53 + 1, -(2 ** 63), 0.5, '', ' ', '\u0000',
  '\ud800', '𠮷'.repeat(40), 'x'.repeat(70000), [], {}, [[[[]]]], { op: 'info' }, '1e400', 'NaN'];

function mutateValue(v, r) {
  const pick = (xs) => xs[Math.floor(r() * xs.length)];
  if (v && typeof v === 'object' && !Array.isArray(v) && r() < 0.7) {
    const keys = Object.keys(v);
    const out = { ...v };
    const k = keys.length && r() < 0.8 ? pick(keys) : pick(['op', 'now', 'person', 'extra', 'seq', 'text', '__proto__']);
    if (r() < 0.15) delete out[k];
    else out[k] = r() < 0.5 ? mutateValue(v[k], r) : pick(ODD_VALUES);
    return out;
  }
  if (typeof v === 'string' && r() < 0.5) {
    const i = Math.floor(r() * (v.length + 1));
    return v.slice(0, i) + pick(['', '"', '\\', '\u0000', '\ud800', '𠮷', 'A'.repeat(31)]) + v.slice(i + (r() < 0.5 ? 1 : 0));
  }
  return pick(ODD_VALUES);
}

// Either a structured mutation (valid JSON, odd values) or a textual one
// (the JSON text cut, spliced or duplicated).
function mutate(seed, r) {
  if (r() < 0.6) return JSON.stringify(mutateValue(seed, r));
  const text = JSON.stringify(seed);
  const i = Math.floor(r() * text.length);
  const j = i + Math.floor(r() * 8);
  switch (Math.floor(r() * 4)) {
    case 0: return text.slice(0, i);
    case 1: return text.slice(0, i) + text.slice(j);
    case 2: return text.slice(0, i) + text.slice(i, j).repeat(3) + text.slice(j);
    default: return text.slice(0, i) + String.fromCharCode(Math.floor(r() * 0x10000)) + text.slice(i);
  }
}

before(async () => {
  core = await loadCore();
  for (const s of seeds().slice(0, 3)) assert.equal(call(s).ok, true, JSON.stringify(s.op));
});

test('requests that are not a request object are refused in words, and the core keeps answering', () => {
  const bad = ['', ' ', '{', '}', 'null', 'true', '0', '"info"', '[]', '[{"op":"info"}]', '{"op":1}', '{"op":null}',
    '{"op":""}', '{"op":"no.such.op"}', '{"op":"info","now":"soon"}', '{"op":"info","now":1e30}', '{"op":"info"}x',
    '\ufeff{"op":"info"}', '{"op":"person.save","person":"x"}', '{"op":"person.save","person":[]}'];
  const before = snapshot();
  for (const text of bad) {
    const reply = call(text);
    assertWellFormed(reply, text);
  }
  assert.equal(snapshot(), before);
  assert.equal(call({ op: 'info' }).ok, true);
});

test('deep nesting and long texts are refused without a trap', () => {
  const before = snapshot();
  for (const [text, refused] of [
    ['['.repeat(200000), true],
    ['{"op":"info","x":' + '['.repeat(100000) + ']'.repeat(100000) + '}', false], // info ignores what it does not read
    ['{"op":"person.save","person":' + '{"a":'.repeat(50000) + '1' + '}'.repeat(50000) + '}', true],
    [JSON.stringify({ op: 'person.save', now: NOW, person: { ...person(7), name: '张'.repeat(1_000_000) } }), true],
    [JSON.stringify({ op: 'batch.import', now: NOW, text: 'GATEPASS-BATCH 2\n' + 'x'.repeat(20 * 1024 * 1024) }), true],
  ]) {
    const reply = call(text);
    assertWellFormed(reply, text);
    assert.equal(reply.ok, !refused, `${refused ? 'refused' : 'answered'}: ${text.slice(0, 80)}`);
  }
  assert.equal(snapshot(), before);
  assert.equal(call({ op: 'info' }).ok, true);
});

test('a request over the stated limit is caught before it reaches the core', () => {
  const over = 'x'.repeat(MAX_REQUEST_BYTES + 1);
  assert.equal(tooLarge(core, over), true);
  // Three UTF-8 bytes a character: a third of the limit in characters is already over.
  assert.equal(tooLarge(core, '张'.repeat(Math.floor(MAX_REQUEST_BYTES / 3) + 1)), true);
  assert.equal(tooLarge(core, '张'.repeat(Math.floor(MAX_REQUEST_BYTES / 3) - 1)), false);
});

test(`${MUTATIONS} mutated requests of every area: well-formed replies, a refusal changes nothing`, () => {
  const r = rng(SEED);
  const all = seeds();
  let state = snapshot();
  let refused = 0;
  for (let n = 0; n < MUTATIONS; n++) {
    const text = mutate(all[Math.floor(r() * all.length)], r);
    const reply = call(text);
    assertWellFormed(reply, text);
    const after = snapshot();
    if (!reply.ok) {
      refused++;
      assert.equal(after, state, `seed ${SEED}, #${n}: a refused request changed the store: ${text.slice(0, 300)}`);
    }
    state = after;
  }
  // The generator is meant to be mostly bad input; if nearly everything passed, it tests nothing.
  assert.ok(refused > MUTATIONS / 3, `${refused} of ${MUTATIONS} refused`);
  assert.equal(call({ op: 'info' }).ok, true);
});

test('without the worker\'s SHA-256 a pass or a batch is refused in words, and the core keeps answering', async () => {
  const bare = await loadCore({ withDigest: false, file: '/nodigest.sqlite' });
  const ask = (request) => callJson(bare, 'gp_call', JSON.stringify(request));
  const p = person(2);
  assert.equal(ask({ op: 'pass.encode', now: NOW, person: p }).error?.code, 'crypto.unavailable');
  const made = call({ op: 'pass.encode', now: NOW, person: p }); // the core given the hash
  assert.equal(made.ok, true);
  assert.equal(ask({ op: 'pass.decode', now: NOW, text: made.text }).error?.code, 'crypto.unavailable');
  assert.equal(ask({ op: 'settings.set', now: NOW, settings: { community_code: 'C001', gate_name: '南门' } }).ok, true);
  assert.equal(ask({ op: 'person.save', now: NOW, person: p }).ok, true);
  assert.equal(ask({ op: 'batch.export', now: NOW }).error?.code, 'crypto.unavailable');
  assert.equal(ask({ op: 'batch.pending', now: NOW }).persons, 1); // nothing was exported
  assert.equal(ask({ op: 'info' }).ok, true);
});

