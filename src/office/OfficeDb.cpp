#include "OfficeDb.h"

#include "PostgresOfficeDb.h"
#include "SqliteOfficeDb.h"

namespace gatepass::office {

Result<std::unique_ptr<OfficeDb>> OfficeDb::open(const std::string& target)
{
    if (target.starts_with("postgresql://") || target.starts_with("postgres://"))
        return PostgresOfficeDb::open(target);
    return SqliteOfficeDb::open(target);
}

} // namespace gatepass::office
