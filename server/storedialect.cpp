#include "storedialect.h"

#include "postgresdialect.h"
#include "sqlitedialect.h"

namespace inkroom::server {

std::unique_ptr<StoreDialect> StoreDialect::create(const StoreLocation &location, int busyTimeoutMs)
{
    if (location.kind == StoreLocation::Kind::Postgres)
        return std::make_unique<PostgresDialect>(location);
    return std::make_unique<SqliteDialect>(location.path, busyTimeoutMs);
}

} // namespace inkroom::server
