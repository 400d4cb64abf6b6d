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

"$build/server/inkroom-server" --port 0 --data-dir "$tmp/s1" --name "Room 214 projector" >"$tmp/s1.out" 2>&1 &
pids+=($!)
"$build/server/inkroom-server" --port 0 --data-dir "$tmp/s2" --name "Library" >"$tmp/s2.out" 2>&1 &
pids+=($!)
sleep 1
port() { sed -n 's/^Listening on port \([0-9]*\).*/\1/p' "$1"; }
fp() { sed -n 's/^Certificate fingerprint (SHA-256): //p' "$1"; }
member() { # server-output room name [password]
    mkfifo "$tmp/in-$3"
    INKROOM_PASSWORD=${4:-} "$build/app/cli/inkroom-cli" --server "wss://127.0.0.1:$(port "$1")" --room "$2" \
        --name "$3" --fingerprint "$(fp "$1")" --ephemeral <"$tmp/in-$3" >/dev/null 2>&1 &
    pids+=($!)
    exec {fd}>"$tmp/in-$3"
}
member "$tmp/s1.out" "Design review" Ann
member "$tmp/s1.out" "Design review" Bo
member "$tmp/s1.out" "Maths 3B" Cy
member "$tmp/s2.out" "Reading group" Di "a long enough password"

shot_display 1280x900
HOME=$tmp/home XDG_CONFIG_HOME=$tmp/home/config XDG_DATA_HOME=$tmp/home/data \
    "$build/app/desktop/inkroom" --name Eve ${HOST:+--host --room "Art club"} >"$tmp/app.out" 2>&1 &
pids+=($!)
sleep 8

shot "$out"
echo "Wrote $out"
