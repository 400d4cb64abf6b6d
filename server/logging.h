#pragma once

#include <QLoggingCategory>

//! The server's logging categories. They log warnings only unless enabled ("inkroom.server*=true", or
//! inkroom-server --verbose).
namespace inkroom::server {

Q_DECLARE_LOGGING_CATEGORY(lcServer) //!< inkroom.server: start, stop, configuration
Q_DECLARE_LOGGING_CATEGORY(lcNet) //!< inkroom.server.net: connections, closes, protection
Q_DECLARE_LOGGING_CATEGORY(lcRoom) //!< inkroom.server.room: joins, rooms loaded and unloaded, compaction
Q_DECLARE_LOGGING_CATEGORY(lcStore) //!< inkroom.server.store: the database

} // namespace inkroom::server
