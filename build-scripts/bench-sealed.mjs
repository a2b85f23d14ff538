// Live sealed passes vs plain format-1 passes, side by side in one run:
// the QR version at error correction M for a table of records, and the median
// time to seal (the phone) and open (the gate) with libsodium-wrappers, the
// library both faces' workers use (here under node on this machine: a phone
// is slower; the ratio between the two operations is what carries over).
// Usage: build-scripts/bench-sealed [ITERATIONS]   (needs build/native/gatepass)
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sodium from 'libsodium-wrappers';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CLI = path.join(REPO, 'build/native/gatepass');
const ITERATIONS = Number(process.argv[2] ?? 500);

// QR alphanumeric capacity at ECC M, versions 1–10 (ISO/IEC 18004 table 7):
// Base45 and the "GP:"/"GP2:" prefixes are all alphanumeric characters.
const CAPACITY_M = [20, 38, 61, 90, 122, 154, 178, 221, 262, 311];
const version = (text) => CAPACITY_M.findIndex((c) => text.length <= c) + 1 || '>10';

const base = {
  name: '张喆', doc_type: 'resident_id', doc_number: '11010519491231002X', phone: '13800138000', person_type: 'resident',
  address: '3-2-501', left_city: false, epidemic_contact: false, symptoms: false, home_observation: false,
};
const daysAgo = (n) => new Date(Date.now() + 8 * 3600e3 - n * 86400e3).toISOString().slice(0, 10);
const records = [
  ['typical (name, ID card, mobile, 3-2-501)', base],
  ['four-character name, long address', { ...base, name: '欧阳子涵', address: '12号楼3单元1502' }],
  ['with travel answers', { ...base, name: '欧阳子涵', address: '12号楼3单元1502', left_city: true, came_from: '湖北武汉', return_date: daysAgo(3) }],
  ['every item (long employer)', {
    ...base, name: '欧阳子涵', address: '12号楼3单元1502', employer: '北京市朝阳区街道办事处', left_city: true, came_from: '湖北武汉',
    return_date: daysAgo(3), home_observation: true, observation_start: daysAgo(2),
  }],
  ['passport, landline', { ...base, doc_type: 'passport', doc_number: 'E7654321', phone: '010-62345678', person_type: 'tenant' }],
];

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatepass-bench-sealed-'));
try {
  execFileSync(CLI, ['community', 'init', '--code', 'B001', '--name', '基准社区', '--site', 'https://bench.example.org/', '--out', dir]);
  console.log(`sealed vs plain passes: QR version at ECC M (characters); ${os.cpus().length} cores, load ${os.loadavg()[0].toFixed(2)}`);
  console.log('record'.padEnd(44) + 'plain GP:'.padStart(14) + 'sealed GP2:'.padStart(14));
  let plainBytes = 0;
  for (const [label, person] of records) {
    const input = JSON.stringify(person);
    const plain = execFileSync(CLI, ['pass', 'encode'], { input }).toString().trim();
    const sealed = execFileSync(CLI, ['pass', 'encode', '--community', dir], { input }).toString().trim();
    // The typical record's plain bytes: Base45 length → bytes, less the key id and the seal.
    const b45 = sealed.length - 4;
    if (!plainBytes) plainBytes = Math.floor(b45 / 3) * 2 + (b45 % 3 === 2 ? 1 : 0) - 4 - 48;
    console.log(label.padEnd(44) + `v${version(plain)} (${plain.length})`.padStart(14) + `v${version(sealed)} (${sealed.length})`.padStart(14));
  }

  await sodium.ready;
  const { publicKey, privateKey } = sodium.crypto_box_keypair();
  const message = sodium.randombytes_buf(plainBytes);
  const median = (f) => {
    const times = [];
    for (let i = 0; i < ITERATIONS; i++) {
      const t = performance.now();
      f();
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    return times[times.length >> 1];
  };
  const box = sodium.crypto_box_seal(message, publicKey);
  const seal = median(() => sodium.crypto_box_seal(message, publicKey));
  const open = median(() => sodium.crypto_box_seal_open(box, publicKey, privateKey));
  console.log(`\nlibsodium-wrappers ${sodium.SODIUM_VERSION_STRING} under node ${process.version}, ${plainBytes}-byte record, median of ${ITERATIONS}:`);
  console.log(`  seal (phone: crypto_box_seal)      ${seal.toFixed(3)} ms`);
  console.log(`  open (gate: crypto_box_seal_open)  ${open.toFixed(3)} ms`);
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
