#!/usr/bin/env bash
# Takes resources/screenshots/room.png, the screenshot in the AppStream metainfo: the real app, installed from a
# build, in a room with two other people. Ann's and Bo's apps run side by side on a virtual X display, driven with
# the mouse and keyboard (xdotool); Cy is inkroom-cli. The picture is Ann's window.
#
#   scripts/screenshot.sh [build dir]      default build/dev; needs Xvfb, xdotool and python3
#                                          (Debian: apt-get install xvfb xdotool python3)
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
build=${1:-build/dev}
out=resources/screenshots/room.png
source scripts/screenshot-lib.sh
shot_require Xvfb xdotool python3

cmake --install "$build" --prefix "$tmp/prefix" >/dev/null
server=$tmp/prefix/bin/inkroom-server
app=$tmp/prefix/bin/inkroom
cli=$tmp/prefix/bin/inkroom-cli

# A screen wide enough for two 1280x720 windows.
shot_display 2580x760
shot_server
link=inkroom://127.0.0.1:$port/lobby

start_app Ann 0 "#e53935" "$link"
start_app Bo 1300 "#1e88e5" "$link"
sleep 3
# Both meet the server's certificate for the first time: "Trust and connect" in the banner (two lines high until then).
click 1113 48
click $((1300 + 1113)) 48
sleep 2
# Cy joins from a terminal and stays while the picture is taken.
mkfifo "$tmp/cy.in"
fingerprint=$(server_fingerprint)
"$cli" --server "wss://127.0.0.1:$port" --fingerprint "$fingerprint" --room lobby --name Cy --ephemeral \
    <"$tmp/cy.in" >"$tmp/cy.out" 2>&1 &
pids+=($!)
exec 3>"$tmp/cy.in"
sleep 1

# Tools are chosen in the tool bar at y 85 (x in Ann's window: box 336, ellipse 372, arrow 408, pen 480, marker 516;
# Bo is no owner, so his bar has no Clear and sits 18 pixels further right); colours and widths in the properties
# panel on the board's left, in a 1280x720 window (x, y): stroke colours in two rows, y 160 (black 30,
# grey 59, red 88, orange 117, green 146, teal 175) and y 190 (blue 30, violet 59, pink 88); the widths (thin 37,
# medium 79, bold 121, extra bold 163) at y 249 for the pen, marker, line and arrow, and at y 336 for boxes and
# ellipses (their fill comes between).
bo=1300
chat_x=1120
chat_y=698
#! tool X NAME: choose a tool in the window at X (0 for Ann's, $bo for Bo's).
tool() {
    local at
    case $2 in box) at=336 ;; ellipse) at=372 ;; arrow) at=408 ;; pen) at=480 ;; marker) at=516 ;; esac
    [ "$1" = 0 ] || at=$((at + 18))
    click $(($1 + at)) 85
}

# Ann: a box for the entrance and a title.
tool 0 box; click 30 190; click 79 336
draw 250,520 420,640
tool 0 pen; click 88 160; click 121 249
# shellcheck disable=SC2046
draw $(wave 300 190 240 10)
say $chat_x $chat_y "Let's plan the new lobby: entrance on the left"

# Bo: an arrow from the entrance to the desk, and the desk.
tool $bo arrow; click $((bo + 30)) 160; click $((bo + 79)) 249
draw $((bo + 310)),320 $((bo + 480)),320
tool $bo ellipse; click $((bo + 146)) 160
draw $((bo + 490)),250 $((bo + 720)),400
say $((bo + chat_x)) $chat_y "And the desk goes here, facing the door?"
echo "Yes! Plants along the window, I'll sketch them next" >&3
sleep 0.5

# Ann highlights the path with the marker.
tool 0 marker; click 117 160; click 121 249
draw 250,470 400,480 550,465 700,480
say $chat_x $chat_y "Perfect. Bo, can you mark the plants?"

# Bo marks the plants along the window, then goes back to the chat.
tool $bo pen; click $((bo + 175)) 160; click $((bo + 121)) 249
# shellcheck disable=SC2046
draw $(wave $((bo + 460)) 600 260 -22)
say $((bo + chat_x)) $chat_y "Done, plants in teal"
sleep 1

shot "$out" 1280 720
echo "/quit" >&3
echo "Wrote $out"
