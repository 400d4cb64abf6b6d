#pragma once

#include "serverconfig.h"

#include <QStringList>
#include <QTextStream>

#include <optional>

namespace inkroom::server {

//! The server's version (the project version).
[[nodiscard]] QString serverVersion();

/** @brief Turn inkroom-server's command line into a configuration.
 *
 * Handles --help and --version itself (printing, then exiting the process). On a bad value returns nullopt and
 * says why in *error. *verbose tells whether --verbose was given, *checkOnly whether --check was (check the
 * database and exit, see checkDatabase()).
 */
[[nodiscard]] std::optional<ServerConfig> configFromArguments(const QStringList &arguments, bool *verbose,
                                                              QString *error, bool *checkOnly = nullptr);

/** inkroom-server --check: SQLite's integrity_check on the data directory's database, without starting a server
 *  (a running one may keep running). Writes the verdict to out; returns the exit status: 0 sound, 1 damaged or
 *  unreadable. */
int checkDatabase(const ServerConfig &config, QTextStream &out);

//! inkroom-server: parse the command line, start the server, print where to join, run until SIGINT or SIGTERM.
int runServerApp(int argc, char **argv);

} // namespace inkroom::server
