#!/usr/bin/env bash
# Several inkroom-server nodes on one PostgreSQL (docs/BENCHMARKS.md, "Several nodes"): fan-out in one room of 50
# members all drawing at 60 Hz, on one node and split over two nodes of one database (half of every member's traffic
# crosses nodes through NOTIFY), and the Store's group commits on PostgreSQL for one room and for 50 rooms, with the
# head claim and the notification every commit makes on a shared database. A private PostgreSQL (bench/private-postgres.sh).
#
#   bench/nodes-bench.sh [build dir, default build/dev] [repeats, default 3] [seconds, default 5]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
build=${1:-build/dev}
repeats=${2:-3}
seconds=${3:-5}
bench="$build/bench/inkroom-bench"
store_bench="$build/bench/inkroom-store-bench"
for b in "$bench" "$store_bench"; do
    [ -x "$b" ] || { echo "nodes-bench: build $b first" >&2; exit 2; }
done
source bench/private-postgres.sh
pg_createdb nodes
pg_createdb store
echo "== $(nproc) cores; PostgreSQL $(pg_version), fsync on, synchronous_commit on"
"$bench" --servers inkroom --scenarios fanout,fanout-nodes --sweep 50 --rate 60 --repeat "$repeats" \
    --duration "$seconds" --pg-store "$(printf "$pg" nodes)" --nodes 2
for rooms in 1 50; do
    "$store_bench" --mode store --batch 100 --rooms "$rooms" --duration "$seconds" --store "$(printf "$pg" store)"
done
