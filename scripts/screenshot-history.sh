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
click $((1300 + 1113)) 48 # "Trust and connect": the server's certificate, met for the first time
sleep 2
b=1300
chat_x=1120
chat_y=698
# Tools in the tool bar at y 85 (box 336, ellipse 372, arrow 408, pen 480, marker 516: an owner's bar); colours and
# widths in the properties panel (see screenshot.sh): stroke colours at y 160 (black 30, red 88, orange 117, green
# 146, teal 175) and 190 (blue 30); widths (medium 79, bold 121) at y 249, or 336 for boxes and ellipses.
click $((b + 336)) 85; click $((b + 30)) 190; click $((b + 79)) 336
draw $((b + 250)),520 $((b + 420)),640
click $((b + 480)) 85; click $((b + 88)) 160; click $((b + 121)) 249
# shellcheck disable=SC2046
draw $(wave $((b + 300)) 190 240 10)
say $((b + chat_x)) $chat_y "Lobby plan: entrance on the left"
click $((b + 408)) 85; click $((b + 30)) 160; click $((b + 79)) 249
draw $((b + 310)),320 $((b + 480)),320
click $((b + 372)) 85; click $((b + 146)) 160
draw $((b + 490)),250 $((b + 720)),400
click $((b + 516)) 85; click $((b + 117)) 160; click $((b + 121)) 249
draw $((b + 250)),470 $((b + 400)),480 $((b + 550)),465 $((b + 700)),480
click $((b + 480)) 85; click $((b + 175)) 160; click $((b + 121)) 249
# shellcheck disable=SC2046
draw $(wave $((b + 460)) 600 260 -22)
say $((b + chat_x)) $chat_y "Plants along the window, in teal"
sleep 1

# Ann joins now and opens the timeline: everything in it comes from the server.
start_app Ann 0 "#e53935" "$link"
sleep 3
click 1113 48
sleep 3
xdotool mousemove --sync 640 400 key ctrl+shift+h
sleep 3
# The slider runs along the bottom of the timeline: back to its middle (a click there moves it there).
slider_y=${INKROOM_SLIDER_Y:-698}
click "${INKROOM_SLIDER_X:-380}" "$slider_y"
sleep 1

shot "$out" 1280 720
echo "Wrote $out"
