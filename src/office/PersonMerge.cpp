#include "PersonMerge.h"

namespace gatepass::office {

PersonMergeResult mergePerson(const std::optional<PersonRecord>& existing, const PersonRecord& incoming)
{
    PersonMergeResult r;
    r.merged = incoming;
    if (!existing) {
        r.write = r.added = true;
        return r;
    }
    bool incomingNewer = incoming.updatedAt > existing->updatedAt;
    if (!incomingNewer)
        r.merged = *existing;
    if (!r.merged.verifiedAt) {
        r.merged.verifiedAt = incomingNewer ? existing->verifiedAt : incoming.verifiedAt;
        r.merged.verifiedBy = incomingNewer ? existing->verifiedBy : incoming.verifiedBy;
    }
    if (existing->person != incoming.person) {
        std::string who = maskDocNumber(incoming.person.docNumber);
        r.conflict = incomingNewer
                         ? Message{"merge.newer_incoming", who + "：批次中的记录较新，已采用", who + ": the batch's record is newer and was taken", ""}
                         : Message{"merge.newer_kept", who + "：已有记录较新，保留原记录", who + ": the stored record is newer and was kept", ""};
    }
    r.write = !(r.merged == *existing);
    return r;
}

} // namespace gatepass::office
