// A gate database from before encryption at rest, moved into a sealed one
// (AtRestVfs.h) on the first unlock after the update. The plain file is
// deleted only after the sealed copy was verified (integrity_check and the
// same rows in every table), so a crash at any point loses nothing: the next
// unlock finds the plain file still there and either verifies the copy it
// left or makes it again.
#pragma once

#include "AtRestVfs.h"
#include "Message.h"

#include <functional>
#include <string>

namespace gatepass {

/// Points between the steps, where the tests stop as a crash would.
enum class MigrationStep { Copied, Verified };

struct MigrationReport {
    bool migrated = false; // false: there was no plain database (nothing to do)
    int64_t rows = 0;      // rows copied, all tables
};

/// Moves the plain database at `plainPath` (VFS `plainVfs`, nullptr: the
/// default) into a new sealed one at `sealedPath` through `vfs`, verifies
/// it, then deletes the plain file and its journal. storage.migration when
/// the copy does not match (the plain file is kept, the copy removed);
/// storage.* as storageError() words them. `proceed` (tests): false at a
/// step ends the migration there as if the power went.
Result<MigrationReport> migrateToSealed(const std::string& plainPath, const char* plainVfs, const std::string& sealedPath,
                                        const AtRestVfs& vfs, const std::function<bool(MigrationStep)>& proceed = {});

} // namespace gatepass
