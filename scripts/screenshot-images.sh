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
source scripts/screenshot-lib.sh
shot_require Xvfb xdotool xclip python3

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

shot_display 2580x760
shot_server --insecure
link="inkroom://127.0.0.1:$port/photos?insecure=1"

start_app Ann 0 "#e53935" "$link"
start_app Bo 1300 "#1e88e5" "$link"
sleep 4

# Ann copies the photo (as a picture, like a screenshot tool or a browser would) and pastes it on her board.
xclip -selection clipboard -t image/png -i "$tmp/photo.png" &
pids+=($!)
sleep 0.5
xdotool mousemove --sync 500 400 click 1
sleep 0.3
xdotool key ctrl+v
sleep 4

shot "$out" 2580 720
echo "Wrote $out"

# A second picture: Bo selects the photo (its outline and the corner handle that resizes it) and Ann opens the
# Board menu (Add image..., Export..., History...).
xdotool mousemove --sync $((1300 + 72)) 110 click 1
sleep 0.3
xdotool mousemove --sync $((1300 + 509)) 300 click 1
sleep 0.5
xdotool mousemove --sync 105 13 click 1 # the menu bar's Board
sleep 1
shot "${out%.png}-menu.png" 2580 720
echo "Wrote ${out%.png}-menu.png"
grep -i "warning\|error" "$tmp/Ann.out" "$tmp/Bo.out" | head -20 || true
