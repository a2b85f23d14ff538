// An SQLite VFS over OPFS FileSystemSyncAccessHandle, for the core worker.
//
// Emscripten 3.1.6 has no OPFS file system, and an OPFS handle can only be
// *opened* asynchronously, while SQLite's VFS calls are synchronous. So the
// worker opens the handles first (the database and its rollback journal) and
// registers them by name in `Module.gpOpfs` (see web/shared/core-worker.js);
// this VFS then reaches them through EM_JS calls to the handle's synchronous
// read / write / truncate / flush / getSize.
//
// Contract with SQLite:
//   - xSync calls flush(): a commit returns only after the data was flushed,
//     which is what lets the worker acknowledge a write as durable.
//   - Deleting a file (the journal at commit) truncates it to zero and
//     flushes; a zero-length file counts as absent. The handle stays open.
//   - Files without a handle that SQLite wants only for this connection's
//     lifetime (temp files, statement journals) live in memory.
//   - Locks are kept in process (the handles are exclusive per tab; the
//     worker also holds a Web Lock), so two connections in the same worker
//     are serialised correctly.
//   - No shared memory: WAL mode is refused and SQLite stays in rollback mode.
//   - A quota error from the handle becomes SQLITE_FULL; other handle errors
//     become SQLITE_IOERR_*. The JS error is kept for the worker to report.
#pragma once

namespace gatepass::wasm {

/// The name the VFS is registered under ("opfs").
inline constexpr const char* kOpfsVfsName = "opfs";

/// Registers the VFS (idempotent). Returns an SQLite result code.
int registerOpfsVfs();

} // namespace gatepass::wasm
