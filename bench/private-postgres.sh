# Sourced by the benchmark scripts: a private PostgreSQL 15 with its default durability (fsync on,
# synchronous_commit on) on a unix socket in a temporary directory (no TCP), stopped and removed when the script
# exits. Sets $pg, a printf pattern of a database's libpq URI (createdb each name first: pg_createdb NAME), and $pg_bin.
pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -x "$pg_bin/pg_ctl" ] || { echo "PostgreSQL is not installed (apt-get install postgresql libqt6sql6-psql)" >&2; exit 2; }
pg_dir=$(mktemp -d /tmp/inkroom-bench-pg-XXXXXX)
pg_as=()
if [ "$(id -u)" = 0 ]; then
    # initdb refuses root: the server runs as the postgres user in directories it owns.
    chmod 755 "$pg_dir"
    pg_as=(runuser -u postgres --)
fi
mkdir -p "$pg_dir/data" "$pg_dir/sock"
[ ${#pg_as[@]} -eq 0 ] || chown postgres: "$pg_dir/data" "$pg_dir/sock"
pg_stop() {
    "${pg_as[@]}" "$pg_bin/pg_ctl" -D "$pg_dir/data" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$pg_dir"
}
trap pg_stop EXIT
trap "exit 1" INT TERM
"${pg_as[@]}" "$pg_bin/initdb" -D "$pg_dir/data" -A trust -U inkroom -E UTF8 --locale=C >/dev/null
"${pg_as[@]}" "$pg_bin/pg_ctl" -D "$pg_dir/data" -w -l "$pg_dir/sock/log" \
    -o "-c listen_addresses='' -k $pg_dir/sock" start >/dev/null
pg="postgresql:///%s?host=$pg_dir/sock&user=inkroom"
pg_createdb() { "$pg_bin/createdb" -h "$pg_dir/sock" -U inkroom "$1"; }
pg_version() { "$pg_bin/postgres" --version | awk '{print $3}'; }
