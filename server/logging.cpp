#include "logging.h"

namespace inkroom::server {

Q_LOGGING_CATEGORY(lcServer, "inkroom.server", QtWarningMsg)
Q_LOGGING_CATEGORY(lcNet, "inkroom.server.net", QtWarningMsg)
Q_LOGGING_CATEGORY(lcRoom, "inkroom.server.room", QtWarningMsg)
Q_LOGGING_CATEGORY(lcStore, "inkroom.server.store", QtWarningMsg)

} // namespace inkroom::server
