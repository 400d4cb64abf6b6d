# shellcheck shell=bash
# Shared by the packaging checks (sourced): failing, scratch directories, and starting what was installed the way a
# user would, with nothing from the build tree.
set -euo pipefail

fail() {
    echo "FAIL: $*" >&2
    exit 1
}
note() { echo "-- $*"; }

background_pids=()
stop_background() {
    local pid
    for pid in "${background_pids[@]}"; do
        kill "$pid" 2>/dev/null || true
    done
}
trap stop_background EXIT

#! fresh_scratch DIR: an empty DIR with a home of its own, so no check reads or writes the real user's settings.
fresh_scratch() {
    rm -rf "$1"
    mkdir -p "$1/home" "$1/runtime"
    chmod 700 "$1/runtime"
    export HOME="$1/home" XDG_CONFIG_HOME="$1/home/.config" XDG_DATA_HOME="$1/home/.local/share"
    export XDG_CACHE_HOME="$1/home/.cache" XDG_RUNTIME_DIR="$1/runtime"
    unset QML_IMPORT_PATH QML2_IMPORT_PATH QT_PLUGIN_PATH
}

#! check_versions BINDIR: each executable prints "<name> <project version>", without a display.
check_versions() {
    local exe out
    for exe in inkroom inkroom-server inkroom-cli; do
        out=$(env -u DISPLAY -u WAYLAND_DISPLAY "$1/$exe" --version) || fail "$1/$exe --version failed"
        [ "$out" = "$exe $INKROOM_VERSION" ] || fail "$exe --version printed '$out', not '$exe $INKROOM_VERSION'"
        "$1/$exe" --help >/dev/null || fail "$1/$exe --help failed"
    done
    note "inkroom, inkroom-server and inkroom-cli --version print $INKROOM_VERSION; --help works"
}

#! start_server BINDIR DATADIR: starts inkroom-server on a free loopback port; sets server_pid, server_port and
#! server_fingerprint (the SHA-256 fingerprint of its certificate, which it prints).
start_server() {
    local out=$2.out
    mkdir -p "$2"
    : >"$out" # exists before the server opens it, for the sed below
    "$1/inkroom-server" --bind 127.0.0.1 --port 0 --data-dir "$2" >"$out" 2>&1 &
    server_pid=$!
    background_pids+=("$server_pid")
    server_port=
    for _ in $(seq 100); do
        server_port=$(sed -n 's/^Listening on port \([0-9]*\)\..*/\1/p' "$out")
        [ -n "$server_port" ] && break
        kill -0 "$server_pid" 2>/dev/null || { cat "$out" >&2; fail "inkroom-server exited at start"; }
        sleep 0.1
    done
    [ -n "$server_port" ] || { cat "$out" >&2; fail "inkroom-server did not say which port it listens on"; }
    server_fingerprint=$(sed -n 's/^Certificate fingerprint (SHA-256): \([0-9A-F:]*\)$/\1/p' "$out")
    [ -n "$server_fingerprint" ] || { cat "$out" >&2; fail "inkroom-server did not print its certificate's fingerprint"; }
}

#! stop_server: SIGTERM, and the server must stop cleanly.
stop_server() {
    kill -TERM "$server_pid"
    local status=0
    wait "$server_pid" || status=$?
    [ "$status" -eq 0 ] || fail "inkroom-server exited with $status after SIGTERM"
}

#! check_server_and_cli BINDIR SCRATCH: the server listens, and inkroom-cli joins it, says hello and is acknowledged.
check_server_and_cli() {
    start_server "$1" "$2/server-data"
    local out=$2/cli.out status=0
    echo "hello from the package" | timeout 30 "$1/inkroom-cli" --server "wss://127.0.0.1:$server_port" \
        --fingerprint "$server_fingerprint" --room packaging --name Packager --ephemeral >"$out" 2>&1 || status=$?
    [ "$status" -eq 0 ] || { cat "$out" >&2; fail "inkroom-cli exited with $status"; }
    grep -q '"type":"welcome"' "$out" || { cat "$out" >&2; fail "inkroom-cli got no welcome"; }
    grep -q '"type":"ack"' "$out" || { cat "$out" >&2; fail "the server did not acknowledge the message"; }
    grep -q '"text":"hello from the package"' "$out" || { cat "$out" >&2; fail "the message did not come back"; }
    stop_server
    [ -n "$(ls -A "$2/server-data")" ] || fail "the server stored nothing in its data directory"
    note "inkroom-server listened on port $server_port (TLS); inkroom-cli joined, sent a message and got its ack"
}

#! start_app BINDIR SCRATCH: starts the desktop app (off the local network: --no-discover) joining a room nobody
#! serves (it shows its room page and keeps retrying); sets app_pid. Extra environment comes from the caller. The
#! scene graph's log says when the window exists, which is after Main.qml and the room page have loaded.
start_app() {
    : >"$2/app.out"
    QT_LOGGING_RULES=qt.scenegraph.general=true \
        "$1/inkroom" --no-discover --join inkroom://127.0.0.1:1/packaging >"$2/app.out" 2>&1 &
    app_pid=$!
    background_pids+=("$app_pid")
}

#! check_app_loads SCRATCH: the app's window appears, a second later the app still runs, and Qt reported no QML it
#! could not load. (app/desktop/main.cpp exits with 1 when Main.qml fails to load; the engine prints why.)
check_app_loads() {
    local status=0
    for _ in $(seq 300); do
        grep -q 'qt.scenegraph.general: .*render loop' "$1/app.out" && break
        kill -0 "$app_pid" 2>/dev/null || break
        sleep 0.1
    done
    grep -q 'qt.scenegraph.general: .*render loop' "$1/app.out" || ! kill -0 "$app_pid" 2>/dev/null ||
        fail "inkroom showed no window within 30 s"
    sleep 1
    if ! kill -0 "$app_pid" 2>/dev/null; then
        wait "$app_pid" || status=$?
        cat "$1/app.out" >&2
        fail "inkroom exited with $status while loading its QML"
    fi
    if grep -E 'failed to load component|is not installed|plugin cannot be loaded|Cannot load library|is not a type' \
        "$1/app.out" >&2; then
        fail "inkroom reported QML it could not load (above)"
    fi
}

#! stop_app: the app is still running and stops on SIGTERM.
stop_app() {
    kill -TERM "$app_pid"
    wait "$app_pid" || true
}
