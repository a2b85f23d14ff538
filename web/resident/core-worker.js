// The core worker, started from the resident folder. A worker is controlled by
// the service worker whose scope holds the worker's own URL: started from
// /shared/ it would bypass the resident page's offline copy. This stub puts it
// in /resident/ scope; everything it loads (the worker, the wasm core) is then
// served from the same precached version as the page.
// It also gives the core libsodium.js: the page seals live passes to the
// community's public key (pass.live) here, never on the page, and the core's
// SHA-256 (src/core/Digest.h: a plain pass's check) is its crypto_hash_sha256.
// The sumo build, as the gate's: the standard build has no crypto_hash_sha256
// (37 KB more, gzip): the resident's core still makes the record's plain pass
// (the `pass` of person.save / person.list, Api.h) synchronously.
// The core is the resident's own (useResidentCore: gatepass-resident.wasm, no
// SQLite; the household is one file), not the gate's.
import { useCrypto, useResidentCore } from '../shared/core-worker.js';
import { loadPassCrypto } from '../shared/pass-crypto.js';

useResidentCore();
useCrypto(() => loadPassCrypto(() => import('../vendor/libsodium-sumo/sodium.mjs')));
