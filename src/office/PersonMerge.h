// The core's rule for one person arriving in a batch (Batch.cpp importBatch),
// for a backend that cannot call importBatch (PostgreSQL): the newer record
// (updated_at) wins; a verification is kept whichever record wins; a
// different record under the same number is a conflict, reported masked.
// The office test suite runs the same uploads on both backends, so a drift
// between this and the core shows as a failing test.
#pragma once

#include "Store.h"

#include <optional>

namespace gatepass::office {

struct PersonMergeResult {
    PersonRecord merged;
    bool write = false;  // false: the stored record stays as it is
    bool added = false;  // no record was stored under this number
    std::optional<Message> conflict;
};

PersonMergeResult mergePerson(const std::optional<PersonRecord>& existing, const PersonRecord& incoming);

} // namespace gatepass::office
