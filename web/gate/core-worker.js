// The core worker, started from the gate folder. A worker is controlled by the
// service worker whose scope holds the worker's own URL: started from /shared/
// it would bypass the console's offline copy (and fail with no network). From
// here, everything it loads (the worker, the wasm core) comes from the same
// precached version as the console. The gate adds its own message: 'enroll'.
import '../shared/core-worker.js';
import './enroll-worker.js';
