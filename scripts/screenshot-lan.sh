#!/usr/bin/env bash
# Takes a screenshot of the start page's "On this network" list with real servers on a simulated LAN: runs itself
# inside tests/lan/in-lan-namespace.sh (its own network namespace, D-Bus and avahi-daemon; nothing reaches the real
# network), starts two announced inkroom-servers with people in rooms (inkroom-cli), and the app on Xvfb.
#
#   scripts/screenshot-lan.sh [build dir] [out.png]     default build/dev, build/dev/start-page-lan.png
#   NO_RESPONDER=1 scripts/screenshot-lan.sh ...        the same without avahi-daemon (the one plain line)
#   HOST=1 scripts/screenshot-lan.sh ...                the app hosting a room instead (its link and join code)
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
build=$(readlink -f "${1:-build/dev}")
out=$(readlink -f "${2:-$build/start-page-lan.png}")
if [ "${INKROOM_LAN_NS:-}" != 1 ]; then
    exec tests/lan/in-lan-namespace.sh "$0" "$build" "$out"
fi

source scripts/screenshot-lib.sh
[ "${NO_RESPONDER:-}" = 1 ] && avahi-daemon -k

shot_lan_scene

shot_display 1280x900
HOME=$tmp/home XDG_CONFIG_HOME=$tmp/home/config XDG_DATA_HOME=$tmp/home/data \
    "$build/app/desktop/inkroom" --name Eve ${HOST:+--host --room "Art club"} >"$tmp/app.out" 2>&1 &
pids+=($!)
sleep 8

shot "$out"
echo "Wrote $out"
