#!/usr/bin/env bash
# packaging_install_runs: the executables installed by packaging_install run from that prefix alone: they print the
# project version, the server serves inkroom-cli, and the desktop app loads its QML (on the test's X display).
# shellcheck source=tests/packaging/lib.sh
source "$(dirname "$0")/lib.sh"
bindir=$INKROOM_INSTALL_PREFIX/bin
fresh_scratch "$INKROOM_SCRATCH"
cd "$INKROOM_SCRATCH" || exit # not the build tree

check_versions "$bindir"
check_server_and_cli "$bindir" "$INKROOM_SCRATCH"
start_app "$bindir" "$INKROOM_SCRATCH"
check_app_loads "$INKROOM_SCRATCH"
stop_app
note "the installed inkroom loaded its QML and ran"
