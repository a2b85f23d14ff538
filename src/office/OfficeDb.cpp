#include "OfficeDb.h"

#include "PostgresOfficeDb.h"
#include "SqliteOfficeDb.h"

#include "PersonJson.h"
#include "SealedBox.h"

namespace gatepass::office {

Result<std::unique_ptr<OfficeDb>> OfficeDb::open(const std::string& target)
{
    if (target.starts_with("postgresql://") || target.starts_with("postgres://"))
        return PostgresOfficeDb::open(target);
    return SqliteOfficeDb::open(target);
}

bool countsAsReturned(std::string_view recordJson, const Clock& now)
{
    Rules rules;
    rules.returnWindowDays = kReturnedWithinDays;
    return returnedWithinWindow(personFromJson(nlohmann::json::parse(recordJson, nullptr, false)).person, now.today(), rules);
}

Result<BatchKeys> officeBatchKeys(OfficeDb& db, const ParsedBatch& batch)
{
    BatchKeys keys{{}, crypto::passCrypto()};
    if (batch.format != kBatchFormatSealed)
        return keys;
    auto c = db.community(batch.header.communityCode);
    if (!c)
        return keys;
    auto held = batchOpeningKeys(c->keyDir);
    if (!held)
        return held.error();
    keys.keys = std::move(*held);
    return keys;
}

} // namespace gatepass::office
