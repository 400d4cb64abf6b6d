#!/usr/bin/env bash
# Takes resources/screenshots/history.png: the real app's timeline (Board -> History...) at a moment in the middle of
# a room's history, fetched from the server. Bo draws the plan of a lobby in his app; Ann joins afterwards, so all she
# sees of how it was drawn comes from the server's log; she opens the timeline and goes back to the middle. The picture
# is Ann's window.
#
#   scripts/screenshot-history.sh [build dir]   default build/dev; needs Xvfb, xdotool and python3
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
build=${1:-build/dev}
out=${INKROOM_SCREENSHOT_OUT:-resources/screenshots/history.png}
source scripts/screenshot-lib.sh
shot_require Xvfb xdotool python3

cmake --install "$build" --prefix "$tmp/prefix" >/dev/null
server=$tmp/prefix/bin/inkroom-server
app=$tmp/prefix/bin/inkroom

shot_display 2580x760
shot_server
link=inkroom://127.0.0.1:$port/lobby

# Bo, alone in the room first (he owns it: his tool bar ends with Clear).
start_app Bo 1300 "#1e88e5" "$link"
sleep 3
click $((1300 + 1113)) 74 # "Trust and connect": the server's certificate, met for the first time
sleep 2
toolbar=111
b=1300
chat_x=1120
chat_y=698
click $((b + 274)) $toolbar; click $((b + 597)) $toolbar; click $((b + 697)) $toolbar
draw $((b + 120)),260 $((b + 300)),380
click $((b + 93)) $toolbar; click $((b + 487)) $toolbar; click $((b + 731)) $toolbar
# shellcheck disable=SC2046
draw $(wave $((b + 120)) 190 240 10)
say $((b + chat_x)) $chat_y "Lobby plan: entrance on the left"
click $((b + 231)) $toolbar; click $((b + 465)) $toolbar; click $((b + 697)) $toolbar
draw $((b + 310)),320 $((b + 480)),320
click $((b + 319)) $toolbar; click $((b + 553)) $toolbar
draw $((b + 490)),250 $((b + 720)),400
click $((b + 140)) $toolbar; click $((b + 531)) $toolbar; click $((b + 731)) $toolbar
draw $((b + 150)),460 $((b + 300)),470 $((b + 450)),455 $((b + 600)),470
click $((b + 93)) $toolbar; click $((b + 575)) $toolbar; click $((b + 731)) $toolbar
# shellcheck disable=SC2046
draw $(wave $((b + 460)) 600 260 -22)
say $((b + chat_x)) $chat_y "Plants along the window, in teal"
sleep 1

# Ann joins now and opens the timeline: everything in it comes from the server.
start_app Ann 0 "#e53935" "$link"
sleep 3
click 1113 74
sleep 3
xdotool mousemove --sync 640 400 key ctrl+shift+h
sleep 3
# The slider runs along the bottom of the timeline: back to its middle (a click there moves it there).
slider_y=${INKROOM_SLIDER_Y:-698}
click "${INKROOM_SLIDER_X:-380}" "$slider_y"
sleep 1

shot "$out" 1280 720
echo "Wrote $out"
