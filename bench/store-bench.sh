#!/usr/bin/env bash
# Ops committed per second for one room, SQLite against PostgreSQL (docs/BENCHMARKS.md, "The store").
# Starts a private PostgreSQL 15 with its default durability (fsync on, synchronous_commit on) on a unix socket in a
# temporary directory (no TCP), runs inkroom-store-bench against it and against an SQLite file on the same disk,
# and stops it again.
#
#   bench/store-bench.sh [build dir, default build/dev] [seconds, default 5]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
build=${1:-build/dev}
seconds=${2:-5}
bench="$build/bench/inkroom-store-bench"
[ -x "$bench" ] || { echo "store-bench: build $bench first (cmake --build $build --target inkroom-store-bench)" >&2; exit 2; }
source bench/private-postgres.sh
pg_createdb store
pg_createdb server
echo "== $(nproc) cores; PostgreSQL $(pg_version), fsync on, synchronous_commit on"
for batch in 1 10 100; do
    "$bench" --mode store --batch "$batch" --duration "$seconds" --store "sqlite:$pg_dir/store-$batch.sqlite"
    "$bench" --mode store --batch "$batch" --duration "$seconds" --store "$(printf "$pg" store)"
done
"$bench" --mode server --window 200 --duration "$seconds" --store "sqlite:$pg_dir/server.sqlite"
"$bench" --mode server --window 200 --duration "$seconds" --store "$(printf "$pg" server)"
