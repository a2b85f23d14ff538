#include "VisitorUse.h"

#include "Policy.h"
#include "Store.h"

#include <algorithm>

namespace gatepass {

Revocation visitorUseRow(const VisitorPass& pass, int64_t atMs)
{
    return Revocation{"person", visitorPerson(pass).docNumber, std::string(kVisitorUsedReason), atMs};
}

bool isVisitorUse(const Revocation& r)
{
    return r.kind == "person" && r.subject.starts_with(kVisitorDocPrefix) && r.reason == kVisitorUsedReason;
}

Result<Done> recordVisitorUse(Store& store, const VisitorPass& pass, const Entry& e)
{
    if (pass.multipleUse || e.direction != Direction::In || e.verdict == Verdict::Deny)
        return Done{};
    return store.addRevocation(visitorUseRow(pass, e.atMs));
}

bool visitorPassSpent(const Store& store, const VisitorPass& pass)
{
    if (pass.multipleUse)
        return false;
    const std::string doc = visitorPerson(pass).docNumber;
    if (auto r = store.revocation("person", doc); r && isVisitorUse(*r))
        return true;
    for (const Entry& e : store.entriesOf(doc))
        if (e.direction == Direction::In && e.verdict != Verdict::Deny)
            return true;
    return false;
}

VisitorAtScan visitorAtScan(const Store& store, const VisitorPass& pass)
{
    const bool spent = visitorPassSpent(store, pass);
    // Refused entries are no movement (Store last_moves); an accepted "in"
    // held here is one, so a spent pass without a movement here was spent elsewhere.
    const auto last = store.lastMovement(visitorPerson(pass).docNumber);
    VisitorAtScan out;
    if (spent && last == Direction::Out)
        out.refusal = visitorPassUsed();
    out.direction = spent && !last ? Direction::Out : suggestedDirection(last);
    out.uses = spent ? Words{"单次已用 · 只可出门", "Used once · out only"} : visitorUses(pass);
    return out;
}

std::vector<Revocation> withoutSpentUses(std::vector<Revocation> rows, int64_t nowMs)
{
    std::erase_if(rows, [&](const Revocation& r) { return isVisitorUse(r) && r.revokedAt < nowMs - kVisitorUseKeptMs; });
    return rows;
}

int countVisitorUses(const std::vector<Revocation>& rows)
{
    return int(std::count_if(rows.begin(), rows.end(), [](const Revocation& r) { return isVisitorUse(r); }));
}

int pendingVisitorUses(const Store& store) { return countVisitorUses(store.pendingRevocations()); }

} // namespace gatepass
