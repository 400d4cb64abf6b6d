#!/bin/bash
# Interleaved A/B fan-out runs of two inkroom-server binaries: A B, A B, ... so that a busy minute falls on both.
#   bench/ab-fanout.sh A_SERVER B_SERVER [REPEAT] [SWEEP] > ab.txt
# Prints each run's line from inkroom-bench (with the load it started at). INKROOM_BENCH: the inkroom-bench to use.
set -euo pipefail
a=$1; b=$2; repeat=${3:-3}; sweep=${4:-50,100,150}
bench=${INKROOM_BENCH:-$(dirname "$0")/../build/dev/bench/inkroom-bench}
for i in $(seq 1 "$repeat"); do
    for server in "$a" "$b"; do
        echo "== run $i $server $(date -u +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg)"
        "$bench" --servers inkroom --scenarios fanout --sweep "$sweep" --repeat 1 --inkroom-server "$server" 2>&1 \
            | grep -A1 "fanout-.*\[inkroom\]" | grep -v '^--' || true
    done
done
