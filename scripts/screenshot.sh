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
for tool in Xvfb xdotool python3; do
    command -v "$tool" >/dev/null || { echo "screenshot.sh: $tool is missing" >&2; exit 1; }
done

tmp=$(mktemp -d)
pids=()
cleanup() {
    local pid
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$tmp"
}
trap cleanup EXIT

cmake --install "$build" --prefix "$tmp/prefix" >/dev/null
bin=$tmp/prefix/bin

# A screen wide enough for two 1280x720 windows; -fbdir keeps the screen in a file we can read back.
display=:$((90 + RANDOM % 100))
mkdir -p "$tmp/fb"
Xvfb "$display" -screen 0 2580x760x24 -fbdir "$tmp/fb" -nolisten tcp >/dev/null 2>&1 &
pids+=($!)
export DISPLAY=$display QT_QPA_PLATFORM=xcb
for _ in $(seq 50); do [ -e "$tmp/fb/Xvfb_screen0" ] && break; sleep 0.1; done

"$bin/inkroom-server" --bind 127.0.0.1 --port 0 --data-dir "$tmp/server" >"$tmp/server.out" 2>&1 &
pids+=($!)
port=
for _ in $(seq 50); do
    port=$(sed -n 's/^Listening on port \([0-9]*\)\..*/\1/p' "$tmp/server.out")
    [ -n "$port" ] && break
    sleep 0.1
done
link=inkroom://127.0.0.1:$port/lobby

#! start_app NAME X COLOUR: the app as NAME, with a profile of its own, in a 1280x720 window at X.
start_app() {
    local home=$tmp/home-$1 pid window
    mkdir -p "$home/runtime" "$home/.config/Inkroom"
    chmod 700 "$home/runtime"
    # The name as if typed on the start page last time (QGuiApplication takes --name for itself, as X11's -name).
    printf '[profile]\nname=%s\ncolour=%s\n' "$1" "$3" >"$home/.config/Inkroom/inkroom.conf"
    HOME=$home XDG_CONFIG_HOME=$home/.config XDG_DATA_HOME=$home/.local/share XDG_RUNTIME_DIR=$home/runtime \
        "$bin/inkroom" "$link" >"$tmp/$1.out" 2>&1 &
    pid=$!
    pids+=("$pid")
    window=$(xdotool search --sync --pid "$pid" | head -n1)
    xdotool windowsize --sync "$window" 1280 720 windowmove --sync "$window" "$2" 0
}

#! draw X,Y X,Y ...: a stroke with the mouse (press, move through the points, release).
draw() {
    local point
    xdotool mousemove --sync "${1%,*}" "${1#*,}" mousedown 1
    shift
    for point in "$@"; do
        xdotool mousemove --sync "${point%,*}" "${point#*,}"
        sleep 0.01
    done
    xdotool mouseup 1
}

#! click X Y
click() { xdotool mousemove --sync "$1" "$2" click 1; sleep 0.2; }

#! say X Y TEXT: types TEXT into the chat box of the window at X and sends it.
say() {
    click "$1" "$2"
    xdotool type --delay 5 "$3"
    xdotool key Return
    sleep 0.3
}

#! wave X Y LENGTH HEIGHT: points along a hand-drawn wave.
wave() {
    python3 -c 'import math,sys
x,y,l,h=map(int,sys.argv[1:])
print(" ".join("%d,%d" % (x+i*l/40, y+h*math.sin(i/40*3*math.pi)) for i in range(41)))' "$@"
}

start_app Ann 0 "#e53935"
start_app Bo 1300 "#1e88e5"
sleep 3
# Both meet the server's certificate for the first time: "Trust and connect" in the banner (two lines high until then).
click 1113 48
click $((1300 + 1113)) 48
sleep 2
# Cy joins from a terminal and stays while the picture is taken.
mkfifo "$tmp/cy.in"
fingerprint=$(sed -n 's/^Certificate fingerprint (SHA-256): //p' "$tmp/server.out")
"$bin/inkroom-cli" --server "wss://127.0.0.1:$port" --fingerprint "$fingerprint" --room lobby --name Cy --ephemeral \
    <"$tmp/cy.in" >"$tmp/cy.out" 2>&1 &
pids+=($!)
exec 3>"$tmp/cy.in"
sleep 1

# Toolbar positions in a 1280x720 window (x): tools Pen 93, Marker 140, Arrow 231, Box 274, Ellipse 319, Text 365;
# colours black 465, red 487, orange 509, yellow 531, green 553, teal 575, blue 597, indigo 619; sizes 663-765. That
# is the owner's tool bar (Ann joined first), which ends with Clear; Bo's has no Clear and sits 23 pixels further right.
toolbar=85
bo=$((1300 + 23))
chat_x=1120
chat_y=698

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

python3 scripts/xwd2png.py "$tmp/fb/Xvfb_screen0" "$out" 1280 720
echo "/quit" >&3
echo "Wrote $out"
