#!/usr/bin/env bash
# Screenshots of the tool bar and the properties panel in the real app, in a narrow window with the chat open: Ann
# hosts a room (on a virtual X display; nobody else joins), draws a box and an arrow, and selects the box.
#   tools-900.png      a window 900 px wide
#   tools-2x.png       the same at twice the scale (QT_SCALE_FACTOR=2), a window 800 px wide in its own units
#
#   scripts/screenshot-tools.sh [build dir] [out dir]     default build/dev, build/dev/screenshots-tools
#                                                         needs Xvfb, xdotool and python3
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
build=$(readlink -f "${1:-build/dev}")
outdir=$(readlink -f "${2:-$build/screenshots-tools}")
source scripts/screenshot-lib.sh
shot_require Xvfb xdotool python3
mkdir -p "$outdir"

shot_display 1700x1500

#! take NAME SCALE WIDTH HEIGHT: Ann's window at that scale and size (in pixels), after drawing and selecting.
take() {
    local name=$1 scale=$2 width=$3 height=$4
    QT_SCALE_FACTOR=$scale start_app "Ann$scale" 0 "" --host --room "tools$scale"
    xdotool windowsize --sync "$window" "$width" "$height"
    sleep 4
    # Board coordinates are in the window's own units: the left part of the window, under the tool bar.
    local s=$scale
    xdotool key r
    draw $((260 * s)),$((250 * s)) $((330 * s)),$((300 * s)) $((420 * s)),$((360 * s))
    xdotool key a
    draw $((300 * s)),$((460 * s)) $((380 * s)),$((430 * s)) $((480 * s)),$((400 * s))
    xdotool key v
    click $((260 * s)) $((300 * s))
    sleep 1
    shot "$outdir/$name.png" "$width" "$height"
    kill "${pids[-1]}"
    wait "${pids[-1]}" 2>/dev/null || true
}

take tools-900 1 900 700
take tools-2x 2 1600 1400
echo "Screenshots in $outdir"
