#!/bin/bash
# inkroom-server under callgrind, for inkroom-bench --inkroom-server bench/callgrind-server.sh. valgrind runs as a
# child: the bench SIGKILLs a server that has not exited 8 s after SIGTERM, and valgrind takes longer to dump.
#   SERVER_BIN: the inkroom-server (default: build/dev's); CG_OUT: the output file (%p: the pid).
server=${SERVER_BIN:-$(dirname "$0")/../build/dev/server/inkroom-server}
valgrind --tool=callgrind --callgrind-out-file="${CG_OUT:-callgrind.out.%p}" "$server" "$@" &
child=$!
trap 'kill -TERM $child' TERM INT
wait $child || true
wait $child || true
