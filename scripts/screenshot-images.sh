#!/usr/bin/env bash
# Takes a screenshot of a picture on the board in two apps: Ann pastes a photo (Ctrl+V, from the X clipboard) into
# her board; Bo's app, beside hers, fetches and shows it. Both are the real app from a build, on a virtual X display,
# driven with xdotool; the server is inkroom-server on loopback.
#
#   scripts/screenshot-images.sh [build dir] [out.png]   default build/dev, build/dev/images-two-apps.png
#                                                        needs Xvfb, xdotool, xclip and python3
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
build=$(readlink -f "${1:-build/dev}")
out=$(readlink -f "${2:-$build/images-two-apps.png}")
for tool in Xvfb xdotool xclip python3; do
    command -v "$tool" >/dev/null || { echo "screenshot-images.sh: $tool is missing" >&2; exit 1; }
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

# A "photo": sky, sun, hills, written as a PNG by hand (python3 without extra modules).
python3 - "$tmp/photo.png" <<'PY'
import math, struct, sys, zlib
w, h = 480, 320
rows = []
for y in range(h):
    row = bytearray([0])
    for x in range(w):
        hill = 220 + 40 * math.sin(x / 70.0) + 20 * math.sin(x / 23.0)
        sun = (x - 360) ** 2 + (y - 80) ** 2 < 45 ** 2
        if sun:
            c = (255, 214, 64)
        elif y > hill:
            g = int(120 + 60 * (y - hill) / h)
            c = (40, g, 60)
        else:
            t = y / h
            c = (int(90 + 100 * t), int(150 + 70 * t), 235)
        row += bytes(c)
    rows.append(bytes(row))
def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xffffffff)
png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)) \
    + chunk(b"IDAT", zlib.compress(b"".join(rows), 9)) + chunk(b"IEND", b"")
open(sys.argv[1], "wb").write(png)
PY

display=:$((90 + RANDOM % 100))
mkdir -p "$tmp/fb"
Xvfb "$display" -screen 0 2580x760x24 -fbdir "$tmp/fb" -nolisten tcp >/dev/null 2>&1 &
pids+=($!)
export DISPLAY=$display QT_QPA_PLATFORM=xcb
for _ in $(seq 50); do [ -e "$tmp/fb/Xvfb_screen0" ] && break; sleep 0.1; done

"$build/server/inkroom-server" --bind 127.0.0.1 --port 0 --insecure --data-dir "$tmp/server" >"$tmp/server.out" 2>&1 &
pids+=($!)
port=
for _ in $(seq 50); do
    port=$(sed -n 's/^Listening on port \([0-9]*\)\..*/\1/p' "$tmp/server.out")
    [ -n "$port" ] && break
    sleep 0.1
done
link="inkroom://127.0.0.1:$port/photos?insecure=1"

#! start_app NAME X COLOUR: the app as NAME, with a profile of its own, in a 1280x720 window at X.
start_app() {
    local home=$tmp/home-$1 pid window
    mkdir -p "$home/runtime" "$home/.config/Inkroom"
    chmod 700 "$home/runtime"
    printf '[profile]\nname=%s\ncolour=%s\n' "$1" "$3" >"$home/.config/Inkroom/inkroom.conf"
    HOME=$home XDG_CONFIG_HOME=$home/.config XDG_DATA_HOME=$home/.local/share XDG_RUNTIME_DIR=$home/runtime \
        "$build/app/desktop/inkroom" "$link" >"$tmp/$1.out" 2>&1 &
    pid=$!
    pids+=("$pid")
    window=$(xdotool search --sync --pid "$pid" | head -n1)
    xdotool windowsize --sync "$window" 1280 720 windowmove --sync "$window" "$2" 0
}

start_app Ann 0 "#e53935"
start_app Bo 1300 "#1e88e5"
sleep 4

# Ann copies the photo (as a picture, like a screenshot tool or a browser would) and pastes it on her board.
xclip -selection clipboard -t image/png -i "$tmp/photo.png" &
pids+=($!)
sleep 0.5
xdotool mousemove --sync 500 400 click 1
sleep 0.3
xdotool key ctrl+v
sleep 4

python3 scripts/xwd2png.py "$tmp/fb/Xvfb_screen0" "$out" 2580 720
echo "Wrote $out"

# A second picture: Bo selects the photo (its outline and the corner handle that resizes it) and Ann opens the
# Board menu (Add image..., Paste image).
xdotool mousemove --sync $((1300 + 72)) 84 click 1
sleep 0.3
xdotool mousemove --sync $((1300 + 509)) 300 click 1
sleep 0.5
xdotool mousemove --sync 1163 12 click 1
sleep 1
python3 scripts/xwd2png.py "$tmp/fb/Xvfb_screen0" "${out%.png}-menu.png" 2580 720
echo "Wrote ${out%.png}-menu.png"
grep -i "warning\|error" "$tmp/Ann.out" "$tmp/Bo.out" | head -20 || true
