// The resident phone's message core: the ops the resident page calls, with
// the same requests, replies and errors as Api.h (the contract is there),
// answered from the household file (Household.h) instead of the SQLite Store.
// Built into the resident's own wasm (src/wasm ResidentBindings.cpp,
// gatepass-resident.wasm) without SQLite, batches, the staff lock or the
// at-rest VFS; the gate and the office keep Api.
//
// The ops it serves are the table kResidentOperations in ResidentApi.cpp:
//   fields, person.validate, person.save, person.list, person.get, person.delete,
//   pass.encode, pass.live, visitor.pass, live.clock, settings.get, settings.set
// Every other op answers request.invalid ("unknown op"), as Api does for one it lacks.
// Where the household differs from a gate's database:
//   person.delete → {deleted_entries: 0, pending: {persons, entries: 0, deletions: 0}}: a phone
//     records no entries and exports nothing, so its persons are all pending and a deletion
//     leaves no trace (as Store::deletePerson on a resident's database);
//   settings.set logs no staff action (a phone has no staff log); `staff` is still checked.
// To add an op the phone needs: a handler over ResidentContext and one row in
// the table; a pure function of the stored record (ApiShared.h) is shared with Api.
#pragma once

#include "Household.h"
#include "PassCrypto.h"

#include <string>
#include <string_view>

namespace gatepass {

class ResidentApi {
public:
    /// `crypto` seals live and visitor passes (pass.live, visitor.pass); without it they answer crypto.unavailable.
    explicit ResidentApi(Household household, PassCrypto crypto = {});

    /// Handles one request; never throws (Api::call's contract).
    std::string call(std::string_view requestJson);

    const Household& household() const { return household_; }

private:
    Household household_;
    PassCrypto crypto_;
};

} // namespace gatepass
