#pragma once

#include "serverconfig.h"

#include <QStringList>

#include <optional>

namespace inkroom::server {

//! The server's version (the project version).
[[nodiscard]] QString serverVersion();

/** @brief Turn inkroom-server's command line into a configuration.
 *
 * Handles --help and --version itself (printing, then exiting the process). On a bad value returns nullopt and
 * says why in *error. *verbose tells whether --verbose was given.
 */
[[nodiscard]] std::optional<ServerConfig> configFromArguments(const QStringList &arguments, bool *verbose,
                                                              QString *error);

//! inkroom-server: parse the command line, start the server, print where to join, run until SIGINT or SIGTERM.
int runServerApp(int argc, char **argv);

} // namespace inkroom::server
