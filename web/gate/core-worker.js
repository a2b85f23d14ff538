// The core worker, started from the gate folder. A worker is controlled by the
// service worker whose scope holds the worker's own URL: started from /shared/
// it would bypass the console's offline copy (and fail with no network). From
// here, everything it loads (the worker, the wasm core) comes from the same
// precached version as the console.
// It also gives the core libsodium (the sumo build the gate needs anyway):
// live passes are opened here with the community secret key, which the core
// keeps in its settings and hands to nothing but this worker's crypto_box_seal_open.
import { useCrypto } from '../shared/core-worker.js';
import { loadPassCrypto } from '../shared/pass-crypto.js';

useCrypto(() => loadPassCrypto(() => import('../vendor/libsodium-sumo/sodium.mjs')));
import './enroll-worker.js';
import './upload-worker.js';
