// How far a batch import is, in the core's words: what a face's progress bar
// shows while a large file is read in parts, checked and merged (Batch.h
// importBatch, BatchParts.h). The face shows `percent` and `words`; it
// computes neither.
#pragma once

#include "Message.h"

#include <cstdint>
#include <functional>

namespace gatepass {

enum class ImportStep {
    Reading,  // the file's parts arriving (batch.import.part)
    Checking, // format, checksum, every record (parseBatch)
    Merging,  // records written in the one transaction (mergeBatch)
};

struct ImportProgress {
    int percent = 0; // of the whole import, 0..100, never going back within one import
    Message words;   // batch.import.reading | batch.import.checking | batch.import.merging: short enough for
                     // a progress bar, the percent in them ("正在合并… 63%" / "Merging… 63%")
};

/// Where `done` of `total` units of `step` puts the whole import. Each step
/// has the share of the bar it took of the time in the browser, measured by
/// build-scripts/bench-import (a 50 MB batch in parts, docs/benchmarks-import.md):
/// reading 0–1 %, checking 1–8 %, merging 8–100 % — merging writes every
/// record and its indexes; reading only copies bytes. Within a step, the bar
/// moves by bytes read (reading, checking) or records written (merging).
ImportProgress importProgress(ImportStep step, uint64_t done, uint64_t total);

/// Called as an import advances; the core calls it only when the percent
/// or the step changed (at most about 100 times an import), so a host may post each call
/// to a page as it comes.
using ImportProgressFn = std::function<void(const ImportProgress&)>;

/// Wraps `sink` so it is called only when the percent or the step moved on (an empty sink stays empty).
ImportProgressFn onPercentChange(ImportProgressFn sink);

} // namespace gatepass
