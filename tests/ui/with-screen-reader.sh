#!/usr/bin/env bash
# Run a command as if a screen reader were running: a private session D-Bus (dbus-run-session) whose accessibility bus
# (at-spi2-core's at-spi-bus-launcher, started on demand) says ScreenReaderEnabled, as Orca makes it say. Qt's AT-SPI
# bridge then turns accessibility on, and Qt Quick Controls expose their names and roles, as they do for Orca.
#
#   tests/ui/with-screen-reader.sh COMMAND [ARGS...]
#
# Exits 77 (ctest's SKIP_RETURN_CODE), saying why, when a tool is missing.
set -euo pipefail

if [ "${1:-}" != --inside ]; then
    for tool in dbus-run-session dbus-send; do
        if ! command -v "$tool" >/dev/null 2>&1; then
            echo "SKIP: $tool is not installed (Debian: dbus-daemon dbus-bin at-spi2-core)"
            exit 77
        fi
    done
    if [ ! -x /usr/libexec/at-spi-bus-launcher ]; then
        echo "SKIP: at-spi-bus-launcher is not installed (Debian: at-spi2-core)"
        exit 77
    fi
    exec dbus-run-session -- "$0" --inside "$@"
fi
shift
dbus-send --session --print-reply=literal --dest=org.a11y.Bus /org/a11y/bus org.freedesktop.DBus.Properties.Set \
    string:org.a11y.Status string:ScreenReaderEnabled variant:boolean:true >/dev/null
exec "$@"
