#!/usr/bin/env bash
# Screenshots of handing a room over, on a simulated LAN (runs itself inside tests/lan/in-lan-namespace.sh: its own
# network namespace, D-Bus and avahi-daemon; nothing reaches the real network). Ann's app hosts "design"; Bo's and
# Cy's apps join it by its link. Ann presses Ctrl+Q: the question offers Bo's computer (handover-dialog.png); she
# hands the room to Bo and leaves: Cy's window says where the room went (handover-member.png), and Bo's that it is
# served there now, with the room's code and link as a host's window has them (handover-new-host.png); Bo presses
# Ctrl+Q and is asked what a host is asked (handover-new-host-leave.png).
#
#   scripts/screenshot-handover.sh [build dir] [out dir]     default build/dev, build/dev/screenshots-handover
#   APPEARANCE=dark scripts/screenshot-handover.sh ...        the same in dark (View > Appearance)
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
build=$(readlink -f "${1:-build/dev}")
outdir=$(readlink -f "${2:-$build/screenshots-handover}")
if [ "${INKROOM_LAN_NS:-}" != 1 ]; then
    exec tests/lan/in-lan-namespace.sh "$0" "$build" "$outdir"
fi
source scripts/screenshot-lib.sh
shot_require Xvfb xdotool python3 openssl
mkdir -p "$outdir"

shot_display 3880x760
#! shot_window NAME X: the window at X (Ann 0, Bo 1300, Cy 2600) as NAME.png.
shot_window() { shot "$outdir/$1.png" 1280 720 "$2"; }

start_app Ann 0 "" --host --room design
sleep 4
cert=$(find "$tmp/home-Ann/.local/share" -name server.crt -path '*hosted*' | head -n1)
port=$(ss -ltnH | awk '{print $4}' | sed 's/.*://' | head -n1) # nothing else listens in this namespace yet
# Bo and Cy trust Ann's certificate already (as if they had compared the fingerprint before): no banner to click.
fingerprint=$(openssl x509 -noout -fingerprint -sha256 -in "$cert" | sed 's/.*=//')
for member in Bo Cy; do
    mkdir -p "$tmp/home-$member/.local/share/Inkroom/inkroom"
    printf '{"servers": {"127.0.0.1:%s": {"sha256": "%s"}}}\n' "$port" "$fingerprint" \
        >"$tmp/home-$member/.local/share/Inkroom/inkroom/known-servers.json"
done
start_app Bo 1300 "" "inkroom://127.0.0.1:$port/design"
sleep 3
start_app Cy 2600 "" "inkroom://127.0.0.1:$port/design"
sleep 6

# Focus by a click on the room's name (windowfocus fails on the windows Qt's gtk3 theme makes).
click 101 38
xdotool key --clearmodifiers ctrl+q
sleep 1.5
shot_window handover-dialog 0
# "Bo's computer" under "Hand it over to…" (HANDOVER_X, HANDOVER_Y give its place in Ann's window).
click "${HANDOVER_X:-640}" "${HANDOVER_Y:-420}"
sleep 6
shot_window handover-member 2600
shot_window handover-new-host 1300
# Bo's computer serves the room now: leaving asks him what a host is asked.
click $((1300 + 101)) 38
xdotool key --clearmodifiers ctrl+q
sleep 1.5
shot_window handover-new-host-leave 1300
echo "Wrote $outdir/handover-dialog.png, handover-member.png, handover-new-host.png, handover-new-host-leave.png"
