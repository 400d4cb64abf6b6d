# shellcheck shell=bash
# What the screenshot scripts share: a temporary directory cleaned up on exit, a virtual X display whose screen can be
# read back, inkroom-server on loopback, the real app with a profile of its own per person, and the mouse and keyboard
# driven with xdotool. Sourced, never run:
#
#   source "$(dirname "${BASH_SOURCE[0]}")/screenshot-lib.sh"
#   shot_require Xvfb xdotool python3         # exits with a message naming the first tool that is missing
#   shot_display 2580x760                     # Xvfb on a free display number; sets DISPLAY, QT_QPA_PLATFORM
#   shot_server ARGS...                       # inkroom-server on 127.0.0.1 (port 0); sets port, server_out
#   app=PATH start_app NAME X COLOUR ARGS...  # the app in a 1280x720 window at X; sets window
#   shot NAME.png [WIDTH HEIGHT [LEFT]]       # the screen (or part of it) as a PNG
#
# The caller sets `build` (a build directory) first; `app` and `server` default to the binaries in it.

shot_name=$(basename "$0")
tmp=$(mktemp -d)
pids=()
shot_cleanup() {
    local pid
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$tmp"
}
trap shot_cleanup EXIT

#! shot_require TOOL...: stops the script when one of the tools is not installed.
shot_require() {
    local tool
    for tool in "$@"; do
        command -v "$tool" >/dev/null || { echo "$shot_name: $tool is missing" >&2; exit 1; }
    done
}

#! shot_display WIDTHxHEIGHT: a virtual screen that keeps its pixels in a file (-fbdir), for shot to read back.
shot_display() {
    local display=:$((90 + RANDOM % 100))
    mkdir -p "$tmp/fb"
    Xvfb "$display" -screen 0 "$1x24" -fbdir "$tmp/fb" -nolisten tcp >/dev/null 2>&1 &
    pids+=($!)
    export DISPLAY=$display QT_QPA_PLATFORM=xcb
    for _ in $(seq 50); do [ -e "$tmp/fb/Xvfb_screen0" ] && break; sleep 0.1; done
}

#! shot_server ARGS...: inkroom-server on loopback with a data directory of its own; sets port and server_out.
shot_server() {
    server_out=$tmp/server.out
    "${server:-$build/server/inkroom-server}" --bind 127.0.0.1 --port 0 --data-dir "$tmp/server" "$@" \
        >"$server_out" 2>&1 &
    pids+=($!)
    port=
    for _ in $(seq 50); do
        port=$(sed -n 's/^Listening on port \([0-9]*\)\..*/\1/p' "$server_out")
        [ -n "$port" ] && return 0
        sleep 0.1
    done
    echo "$shot_name: the server did not start" >&2
    cat "$server_out" >&2
    exit 1
}

#! server_fingerprint: the certificate fingerprint the server printed.
server_fingerprint() { sed -n 's/^Certificate fingerprint (SHA-256): //p' "$server_out"; }

#! start_app NAME X COLOUR ARGS...: the app as NAME (COLOUR may be empty), with a profile of its own, in a 1280x720
#! window at X. The name is set as if typed on the start page last time (Qt takes --name for itself, as X11's -name).
start_app() {
    local name=$1 x=$2 colour=$3 home=$tmp/home-$1 pid
    shift 3
    mkdir -p "$home/runtime" "$home/.config/Inkroom"
    chmod 700 "$home/runtime"
    printf '[profile]\nname=%s\n' "$name" >"$home/.config/Inkroom/inkroom.conf"
    [ -n "$colour" ] && printf 'colour=%s\n' "$colour" >>"$home/.config/Inkroom/inkroom.conf"
    # APPEARANCE=dark (or light): the app's View > Appearance, as if chosen last time.
    [ -n "${APPEARANCE:-}" ] && printf '[appearance]\nmode=%s\n' "$APPEARANCE" >>"$home/.config/Inkroom/inkroom.conf"
    HOME=$home XDG_CONFIG_HOME=$home/.config XDG_DATA_HOME=$home/.local/share XDG_RUNTIME_DIR=$home/runtime \
        "${app:-$build/app/desktop/inkroom}" "$@" >"$tmp/$name.out" 2>&1 &
    pid=$!
    pids+=("$pid")
    window=$(xdotool search --sync --pid "$pid" | head -n1)
    xdotool windowsize --sync "$window" 1280 720 windowmove --sync "$window" "$x" 0
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
click() { xdotool mousemove --sync "$1" "$2" click 1; sleep 0.3; }

#! say X Y TEXT: types TEXT into the chat box at X Y and sends it.
say() {
    click "$1" "$2"
    xdotool type --delay 5 "$3"
    xdotool key Return
    sleep 0.3
}

#! wave X Y LENGTH HEIGHT: points along a hand-drawn wave, for draw.
wave() {
    python3 -c 'import math,sys
x,y,l,h=map(int,sys.argv[1:])
print(" ".join("%d,%d" % (x+i*l/40, y+h*math.sin(i/40*3*math.pi)) for i in range(41)))' "$@"
}

#! shot OUT.png [WIDTH HEIGHT [LEFT]]: the screen, or its top-left WIDTHxHEIGHT (LEFT pixels in), as a PNG.
shot() {
    python3 "$(dirname "${BASH_SOURCE[0]}")/xwd2png.py" "$tmp/fb/Xvfb_screen0" "$@"
}

#! shot_lan_scene: the network the LAN pictures show (inside the test namespace): two announced servers, "Room 214
#! projector" with "Design review" (Ann, Bo) and "Maths 3B" (Cy), and "Library" with a password-protected
#! "Reading group" (Di); the members are inkroom-cli instances that stay until shot_cleanup.
lan_port() { sed -n 's/^Listening on port \([0-9]*\).*/\1/p' "$1"; }
lan_fingerprint() { sed -n 's/^Certificate fingerprint (SHA-256): //p' "$1"; }
lan_member() { # server-output room name [password]
    mkfifo "$tmp/in-$3"
    INKROOM_PASSWORD=${4:-} "$build/app/cli/inkroom-cli" --server "wss://127.0.0.1:$(lan_port "$1")" --room "$2" \
        --name "$3" --fingerprint "$(lan_fingerprint "$1")" --ephemeral <"$tmp/in-$3" >/dev/null 2>&1 &
    pids+=($!)
    exec {fd}>"$tmp/in-$3"
}
shot_lan_scene() {
    "$build/server/inkroom-server" --port 0 --data-dir "$tmp/s1" --name "Room 214 projector" >"$tmp/s1.out" 2>&1 &
    pids+=($!)
    "$build/server/inkroom-server" --port 0 --data-dir "$tmp/s2" --name "Library" >"$tmp/s2.out" 2>&1 &
    pids+=($!)
    sleep 1
    lan_member "$tmp/s1.out" "Design review" Ann
    lan_member "$tmp/s1.out" "Design review" Bo
    lan_member "$tmp/s1.out" "Maths 3B" Cy
    lan_member "$tmp/s2.out" "Reading group" Di "a long enough password"
}
