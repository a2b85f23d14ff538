// A batch file reaching the core in parts: how the browser imports a batch
// of any size the office CLI takes (issue 12). The worker reads the picked
// file in slices and hands each slice's bytes to the core (Api::call's
// `data`), never the file whole as a JSON string: a 50 MB batch sent as one
// batch.import request was copied four times over in the wasm heap.
//
// The contract, as the Api ops (Api.h) speak it:
//   batch.import.begin {size}   a staged import of a file of `size` bytes
//                               (1..kMaxBatchBytes; batch.too_large above),
//                               replacing one left unfinished. Nothing is
//                               stored until batch.import.end.
//   batch.import.part {at} + the bytes [at, at + n) of the file: in order
//                               (at == the bytes received so far), boundaries
//                               anywhere — inside a line, inside a UTF-8
//                               character. A part out of order
//                               (batch.import.order) or past `size`
//                               (batch.import.overrun) ends the staged import.
//   batch.import.end            all `size` bytes received (else
//                               batch.import.incomplete): the file is imported
//                               exactly as batch.import {text} imports it —
//                               format, checksum, MAC, counts and every record
//                               verified before the one transaction that merges
//                               it, so a damaged file changes nothing. The
//                               staged bytes are released either way.
//   batch.import.cancel         drops a staged import ({cancelled: false} when none).
// Api.h has each op's JSON.
// Without a begin, part and end answer batch.import.not_begun.
#pragma once

#include "Message.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace gatepass {

/// The largest batch file the core stages: the browser's wasm heap holds the
/// file and its parsed records (about 3× the file at peak: 153 MiB for a
/// 50 MB batch, docs/benchmarks-import.md) within its 2 GiB.
inline constexpr int64_t kMaxBatchBytes = 256 * 1024 * 1024;

class BatchParts {
public:
    /// A staged file of `size` bytes; batch.too_large outside 1..kMaxBatchBytes.
    static Result<BatchParts> begin(int64_t size);

    /// Appends the bytes at `at`; batch.import.order when `at` is not where the
    /// last part ended, batch.import.overrun when they reach past `size`.
    Result<Done> append(int64_t at, std::string_view bytes);

    int64_t received() const { return int64_t(bytes_.size()); }
    int64_t size() const { return size_; }
    bool complete() const { return received() == size_; }
    /// The file as received (whole once complete()).
    std::string_view text() const { return bytes_; }

private:
    explicit BatchParts(int64_t size) : size_(size) {}
    int64_t size_ = 0;
    std::string bytes_;
};

/// batch.import.not_begun: a part or an end with no staged import.
Message importNotBegun();
/// batch.import.incomplete: an end before all the bytes arrived.
Message importIncomplete(int64_t received, int64_t size);

} // namespace gatepass
