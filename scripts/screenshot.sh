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
click 1113 74
click $((1300 + 1113)) 74
sleep 2
# Cy joins from a terminal and stays while the picture is taken.
mkfifo "$tmp/cy.in"
fingerprint=$(server_fingerprint)
"$cli" --server "wss://127.0.0.1:$port" --fingerprint "$fingerprint" --room lobby --name Cy --ephemeral \
    <"$tmp/cy.in" >"$tmp/cy.out" 2>&1 &
pids+=($!)
exec 3>"$tmp/cy.in"
sleep 1

# Toolbar positions in a 1280x720 window (x; y 111, below the menu bar, the header and the banner): tools Pen 93, Marker 140, Arrow 231, Box 274, Ellipse 319, Text 365;
# colours black 465, red 487, orange 509, yellow 531, green 553, teal 575, blue 597, indigo 619; sizes 663-765. That
# is the owner's tool bar (Ann joined first), which ends with Clear; Bo's has no Clear and sits 23 pixels further right.
toolbar=111
bo=$((1300 + 23))
chat_x=1120
chat_y=686

# Ann: a box for the entrance and a title.
click 274 $toolbar; click 597 $toolbar; click 697 $toolbar
draw 120,260 300,380
click 93 $toolbar; click 487 $toolbar; click 731 $toolbar
# shellcheck disable=SC2046
draw $(wave 120 190 240 10)
say $chat_x $chat_y "Let's plan the new lobby: entrance on the left"

# Bo: an arrow from the entrance to the desk, and the desk.
click $((bo + 231)) $toolbar; click $((bo + 465)) $toolbar; click $((bo + 697)) $toolbar
draw $((1300 + 310)),320 $((1300 + 480)),320
click $((bo + 319)) $toolbar; click $((bo + 553)) $toolbar
draw $((1300 + 490)),250 $((1300 + 720)),400
say $((1300 + chat_x)) $chat_y "And the desk goes here, facing the door?"
echo "Yes! Plants along the window, I'll sketch them next" >&3
sleep 0.5

# Ann highlights the path with the marker.
click 140 $toolbar; click 531 $toolbar; click 731 $toolbar
draw 150,460 300,470 450,455 600,470
say $chat_x $chat_y "Perfect. Bo, can you mark the plants?"

# Bo marks the plants along the window, then goes back to the chat.
click $((bo + 93)) $toolbar; click $((bo + 575)) $toolbar; click $((bo + 731)) $toolbar
# shellcheck disable=SC2046
draw $(wave $((1300 + 460)) 600 260 -22)
say $((1300 + chat_x)) $chat_y "Done, plants in teal"
sleep 1

shot "$out" 1280 720
echo "/quit" >&3
echo "Wrote $out"
