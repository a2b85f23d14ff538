// How a request reaches the wasm core, for the worker (web/shared/core-worker.js)
// and for the Node test of the request path (tests/wasm/requests.test.mjs):
// one copy, so the test exercises what the worker ships.

/// The largest request the core takes (a 50 MB batch import is about 51 MB of
/// JSON): bigger ones are refused before they reach the wasm memory.
export const MAX_REQUEST_BYTES = 128 * 1024 * 1024;

/// Calls C function `fn` of `core`; string arguments are copied into memory
/// the module allocates (malloc) as UTF-8 with a NUL, Uint8Array arguments
/// byte for byte (the C function takes their length as a separate number),
/// never onto the wasm stack: Emscripten's
/// 'string' argument type puts the whole string on the 2 MiB stack, where a
/// large request overwrites the core's globals or traps. The C function
/// returns a malloc'd JSON text, parsed and freed here. Throws when the wasm
/// runtime aborts (a trap, out of memory): the caller treats the core as broken.
export function callJson(core, fn, ...args) {
  const owned = [];
  try {
    const values = args.map((a) => {
      if (typeof a === 'number') return a;
      if (a instanceof Uint8Array) {
        const ptr = core._malloc(Math.max(a.length, 1));
        if (!ptr) throw new Error('out of memory for ' + a.length + ' bytes');
        owned.push(ptr);
        core.HEAPU8.set(a, ptr); // HEAPU8 read after malloc: the heap may have grown
        return ptr;
      }
      const bytes = core.lengthBytesUTF8(a) + 1;
      const ptr = core._malloc(bytes);
      if (!ptr) throw new Error('out of memory for a request of ' + bytes + ' bytes');
      owned.push(ptr);
      core.stringToUTF8(a, ptr, bytes);
      return ptr;
    });
    const ptr = core.ccall(fn, 'number', values.map(() => 'number'), values);
    const text = core.UTF8ToString(ptr);
    core._free(ptr);
    return JSON.parse(text);
  } finally {
    for (const p of owned) core._free(p);
  }
}

/// Whether `request` (a string) is over MAX_REQUEST_BYTES as UTF-8.
export function tooLarge(core, request) {
  // UTF-16 length is a lower bound of the UTF-8 size; exact only when needed.
  return request.length > MAX_REQUEST_BYTES || (request.length * 3 > MAX_REQUEST_BYTES && core.lengthBytesUTF8(request) > MAX_REQUEST_BYTES);
}
