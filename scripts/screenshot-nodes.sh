#!/usr/bin/env bash
# Screenshots of a room joined by a link with several addresses (nodes of one room), in light and in dark: the first
# address is down, so Ann's app joins by the second; the connection details name the address in use and the room's
# other one, and the invite dialog gives the whole list.
#
#   scripts/screenshot-nodes.sh [build dir] [out dir]     default build/dev, build/dev/screenshots-nodes
#   ONLY=dark scripts/screenshot-nodes.sh                  one theme only (light or dark)
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
build=$(readlink -f "${1:-build/dev}")
outdir=$(readlink -f "${2:-$build/screenshots-nodes}")
source scripts/screenshot-lib.sh
shot_require Xvfb xdotool python3
mkdir -p "$outdir"

trust_x=${TRUST_X:-1113}
trust_y=${TRUST_Y:-74}
details_x=${DETAILS_X:-1246}
details_y=${DETAILS_Y:-68}

#! A loopback port nothing listens on: the node that is down.
dead_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

pictures() {
    local theme=$1 pid display server_pid
    [ -n "${ONLY:-}" ] && [ "$ONLY" != "$theme" ] && return 0
    shot_display 1320x760 # the window (1280 x 720) and the margin the app keeps from the screen edges
    display=${pids[-1]}
    rm -rf "$tmp/server"
    shot_server
    server_pid=${pids[-1]}
    local link=inkroom://127.0.0.1:$(dead_port),127.0.0.1:$port/workshop
    if [ "$theme" = dark ]; then
        export QT_QPA_PLATFORMTHEME=gtk3 GTK_THEME=Adwaita:dark
    else
        unset QT_QPA_PLATFORMTHEME GTK_THEME
    fi
    start_app "Ann-$theme" 0 "#e53935" "$link"
    pid=${pids[-1]}
    sleep 3
    click "$trust_x" "$trust_y" # the second node's certificate, met for the first time
    sleep 3

    xdotool key ctrl+i
    sleep 0.8
    shot "$outdir/nodes-invite-$theme.png" 1280 720
    xdotool key Escape
    sleep 0.3

    click "$details_x" "$details_y"
    sleep 1.5
    shot "$outdir/nodes-details-$theme.png" 1280 720
    echo "Wrote $outdir/nodes-*-$theme.png"

    kill "$pid" "$server_pid" "$display" 2>/dev/null || true
    sleep 0.5
}

pictures light
pictures dark
