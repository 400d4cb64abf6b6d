#!/usr/bin/env bash
# Runs every benchmark of docs/BENCHMARKS.md and keeps the results in bench/results/<date>/ (not versioned).
#
#   bench/run.sh                  everything, each scenario REPEAT (3) times, medians reported
#   REPEAT=1 bench/run.sh         one run of each (quicker, noisier)
#   bench/run.sh --scenarios fanout --sweep 50,100   extra arguments go to inkroom-bench
#
# Builds what is missing (Release, in build/bench), installs the reference relays with npm ci (Node's ws package, and
# Bun, whose npm package ships its binary), then runs inkroom-bench (which starts each server itself, on loopback, one
# process per run, Inkroom standalone and embedded in a GUI process as the app hosts it, ws and Bun interleaved, over plain ws:// and then over wss:// within every repeat) and
# inkroom-canvas-bench under xvfb-run. Every run stops by itself. Takes about 70 minutes with REPEAT=3 on a quiet 2-core machine (four servers, two schemes).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD_DIR:-$ROOT/build/bench}
REPEAT=${REPEAT:-3}
STAMP=$(date +%Y%m%d-%H%M%S)
RESULTS=$ROOT/bench/results/$STAMP
mkdir -p "$RESULTS"

echo "== building in $BUILD"
if [ ! -f "$BUILD/build.ninja" ]; then
    nice cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DINKROOM_WERROR=ON >/dev/null
fi
nice ninja -C "$BUILD" -j2 inkroom-server inkroom-embedded-host inkroom-bench inkroom-canvas-bench >/dev/null

echo "== the reference relays, ws and Bun (npm ci in bench/reference)"
if command -v npm >/dev/null && command -v node >/dev/null; then
    (cd "$ROOT/bench/reference" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
else
    echo "   node or npm is missing: the ws and Bun references are skipped"
fi

{
    echo "date: $(date -Iseconds)"
    echo "commit: $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
    echo "cores: $(nproc)"
    echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')"
    echo "memory: $(free -h | awk '/^Mem:/ {print $2}')"
    echo "kernel: $(uname -sr)"
    echo "node: $(node --version 2>/dev/null || echo none), ws: $(node -p "require('$ROOT/bench/reference/node_modules/ws/package.json').version" 2>/dev/null || echo none), bun: $("$ROOT/bench/reference/node_modules/.bin/bun" --version 2>/dev/null || echo none)"
    echo "load at start: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$RESULTS/machine.txt"

echo "== inkroom-bench (repeat $REPEAT)"
"$BUILD/bench/inkroom-bench" --repeat "$REPEAT" --servers inkroom,embedded,ws,bun --security plain,tls --json "$RESULTS/load.json" --markdown "$RESULTS/load.md" "$@" \
    | tee "$RESULTS/load.log"

echo "== inkroom-canvas-bench (repeat $REPEAT)"
if command -v xvfb-run >/dev/null; then
    QT_QPA_PLATFORM=xcb xvfb-run -a -s "-screen 0 1600x1000x24" \
        "$BUILD/bench/inkroom-canvas-bench" --repeat "$REPEAT" --json "$RESULTS/canvas.json" 2>&1 \
        | grep -v XDG_RUNTIME_DIR | tee "$RESULTS/canvas.log"
else
    echo "   xvfb-run is missing: the canvas benchmark is skipped" | tee "$RESULTS/canvas.log"
fi

echo "load at end: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$RESULTS/machine.txt"
echo
echo "== results in $RESULTS"
cat "$RESULTS/load.md"
echo
sed -n '/^== medians/,$p' "$RESULTS/canvas.log"
