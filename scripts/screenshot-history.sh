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
for tool in Xvfb xdotool python3; do
    command -v "$tool" >/dev/null || { echo "screenshot-history.sh: $tool is missing" >&2; exit 1; }
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
    printf '[profile]\nname=%s\ncolour=%s\n' "$1" "$3" >"$home/.config/Inkroom/inkroom.conf"
    HOME=$home XDG_CONFIG_HOME=$home/.config XDG_DATA_HOME=$home/.local/share XDG_RUNTIME_DIR=$home/runtime \
        "$bin/inkroom" "$link" >"$tmp/$1.out" 2>&1 &
    pid=$!
    pids+=("$pid")
    window=$(xdotool search --sync --pid "$pid" | head -n1)
    xdotool windowsize --sync "$window" 1280 720 windowmove --sync "$window" "$2" 0
}

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
click() { xdotool mousemove --sync "$1" "$2" click 1; sleep 0.2; }
say() {
    click "$1" "$2"
    xdotool type --delay 5 "$3"
    xdotool key Return
    sleep 0.3
}
wave() {
    python3 -c 'import math,sys
x,y,l,h=map(int,sys.argv[1:])
print(" ".join("%d,%d" % (x+i*l/40, y+h*math.sin(i/40*3*math.pi)) for i in range(41)))' "$@"
}

# Bo, alone in the room first (he owns it: his tool bar ends with Clear).
start_app Bo 1300 "#1e88e5"
sleep 3
click $((1300 + 1113)) 48 # "Trust and connect": the server's certificate, met for the first time
sleep 2
toolbar=85
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
start_app Ann 0 "#e53935"
sleep 3
click 1113 48
sleep 3
xdotool mousemove --sync 640 400 key ctrl+shift+h
sleep 3
# The slider runs along the bottom of the timeline: back to its middle (a click there moves it there).
slider_y=${INKROOM_SLIDER_Y:-698}
click ${INKROOM_SLIDER_X:-380} "$slider_y"
sleep 1

python3 scripts/xwd2png.py "$tmp/fb/Xvfb_screen0" "$out" 1280 720
echo "Wrote $out"
