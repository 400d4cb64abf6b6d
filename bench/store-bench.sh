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
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -x "$bin/pg_ctl" ] || { echo "store-bench: PostgreSQL is not installed (apt-get install postgresql libqt6sql6-psql)" >&2; exit 2; }

dir=$(mktemp -d /tmp/inkroom-store-bench-XXXXXX)
as=()
if [ "$(id -u)" = 0 ]; then
    # initdb refuses root: the server runs as the postgres user in directories it owns.
    chmod 755 "$dir"
    as=(runuser -u postgres --)
fi
mkdir -p "$dir/data" "$dir/sock"
[ ${#as[@]} -eq 0 ] || chown postgres: "$dir/data" "$dir/sock"
stop() {
    "${as[@]}" "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$dir"
}
trap stop EXIT
trap "exit 1" INT TERM
"${as[@]}" "$bin/initdb" -D "$dir/data" -A trust -U inkroom -E UTF8 --locale=C >/dev/null
"${as[@]}" "$bin/pg_ctl" -D "$dir/data" -w -l "$dir/sock/log" -o "-c listen_addresses='' -k $dir/sock" start >/dev/null
"$bin/createdb" -h "$dir/sock" -U inkroom store
"$bin/createdb" -h "$dir/sock" -U inkroom server
pg="postgresql:///%s?host=$dir/sock&user=inkroom"

echo "== $(nproc) cores; PostgreSQL $("$bin/postgres" --version | awk '{print $3}'), fsync on, synchronous_commit on"
for batch in 1 10 100; do
    "$bench" --mode store --batch "$batch" --duration "$seconds" --store "sqlite:$dir/store-$batch.sqlite"
    "$bench" --mode store --batch "$batch" --duration "$seconds" --store "$(printf "$pg" store)"
done
"$bench" --mode server --window 200 --duration "$seconds" --store "sqlite:$dir/server.sqlite"
"$bench" --mode server --window 200 --duration "$seconds" --store "$(printf "$pg" server)"
