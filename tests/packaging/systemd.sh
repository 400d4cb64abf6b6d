#!/usr/bin/env bash
# packaging_systemd: the installed inkroom-server unit passes systemd-analyze verify, runs the server as its own
# user with its data in /var/lib/inkroom, restarts on failure and is hardened (systemd's own exposure score).
# shellcheck source=tests/packaging/lib.sh
source "$(dirname "$0")/lib.sh"
unit=$INKROOM_INSTALL_PREFIX/lib/systemd/system/inkroom-server.service
if ! command -v systemd-analyze >/dev/null; then
    echo "systemd-analyze is missing (Debian package systemd): skipped"
    exit 77
fi

out=$(systemd-analyze verify "$unit" 2>&1) || fail "systemd-analyze verify: $out"
[ -z "$out" ] || fail "systemd-analyze verify has remarks: $out"
note "systemd-analyze verify: no remarks"
for line in DynamicUser=yes User=inkroom StateDirectory=inkroom Restart=on-failure NoNewPrivileges=yes \
    ProtectSystem=strict ProtectHome=yes PrivateTmp=yes PrivateDevices=yes CapabilityBoundingSet= \
    SystemCallFilter=@system-service 'RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX AF_NETLINK' \
    WantedBy=multi-user.target; do
    grep -qxF "$line" "$unit" || fail "the unit lacks '$line'"
done
grep -q '^ExecStart=.*/inkroom-server --data-dir /var/lib/inkroom ' "$unit" || fail "the server does not use /var/lib/inkroom"

# systemd's exposure score runs from 0 (locked down) to 10 (unprotected); a plain unit scores 9.6.
out=$(systemd-analyze security --offline=yes --threshold=20 "$unit" 2>&1) ||
    fail "the unit is exposed more than 2.0: $(echo "$out" | tail -n 3)"
note "$(echo "$out" | grep -o 'Overall exposure level.*')"
