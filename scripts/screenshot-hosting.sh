#!/usr/bin/env bash
# Screenshots of leaving a hosted room, on a simulated LAN (runs itself inside tests/lan/in-lan-namespace.sh: its own
# network namespace, D-Bus and avahi-daemon; nothing reaches the real network). Ann's app hosts "design"; Bo's app
# joins it by its link, Cy is inkroom-cli. Ann presses Ctrl+Q: the question (leave-dialog.png); she keeps serving it:
# her start page says it still hosts (still-hosting.png); she stops hosting: Bo's window says who closed the room
# (member-closed.png). Xvfb has no system tray, so this is the window's "still hosting" state.
#
#   scripts/screenshot-hosting.sh [build dir] [out dir]     default build/dev, build/dev/screenshots-hosting
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
build=$(readlink -f "${1:-build/dev}")
outdir=$(readlink -f "${2:-$build/screenshots-hosting}")
if [ "${INKROOM_LAN_NS:-}" != 1 ]; then
    exec tests/lan/in-lan-namespace.sh "$0" "$build" "$outdir"
fi
source scripts/screenshot-lib.sh
shot_require Xvfb xdotool python3
mkdir -p "$outdir"

shot_display 2580x760
#! shot_window NAME X: Ann's (X 0) or Bo's (X 1300) window as NAME.png.
shot_window() { shot "$outdir/$1.png" 1280 720 "$2"; }

start_app Ann 0 "" --host --room design
ann=$window
sleep 4
# The hosted server's certificate, for the others to pin (the app keeps it in its data directory).
cert=$(find "$tmp/home-Ann/.local/share" -name server.crt -path '*hosted*' | head -n1)
fingerprint=$(openssl x509 -in "$cert" -noout -fingerprint -sha256 | sed 's/.*=//')
port=$(ss -ltnH | awk '{print $4}' | sed 's/.*://' | head -n1) # nothing else listens in this namespace
start_app Bo 1300 "" "inkroom://127.0.0.1:$port/design"
sleep 3
click $((1300 + 1113)) 74 # Bo trusts the certificate: "Trust and connect" in the banner
mkfifo "$tmp/cy.in"
"$build/app/cli/inkroom-cli" --server "wss://127.0.0.1:$port" --fingerprint "$fingerprint" --room design --name Cy \
    --ephemeral <"$tmp/cy.in" >"$tmp/cy.out" 2>&1 &
pids+=($!)
exec 3>"$tmp/cy.in"
echo "Hello from the back row" >&3
sleep 2

xdotool windowfocus --sync "$ann" key --clearmodifiers ctrl+q
sleep 1.5
shot_window leave-dialog 0
# "Keep serving it in the background": the dialog's first button (KEEP_X, KEEP_Y give its place in Ann's window).
click "${KEEP_X:-640}" "${KEEP_Y:-315}"
sleep 1.5
shot_window still-hosting 0
# "Stop hosting" on the still-hosting bar.
click "${STOP_X:-947}" "${STOP_Y:-155}"
sleep 2
# Bo writes after the room has gone: his message stays in his chat, marked as not delivered.
click $((1300 + 1120)) 686
xdotool type --delay 5 "Did it just end?"
xdotool key Return
sleep 1
shot_window member-closed 1300
exec 3>&- # Cy's inkroom-cli has ended with the room (writing /quit to it would be SIGPIPE)
echo "Wrote $outdir/leave-dialog.png, still-hosting.png, member-closed.png"
