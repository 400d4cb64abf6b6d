#!/usr/bin/env bash
# Run a command on a private simulated LAN, where mDNS is allowed: a new network namespace (and mount namespace) made
# for this run alone, with a veth pair lan0 <-> lan1 inside it (IPv6 link-local addresses only), a private system
# D-Bus and an avahi-daemon restricted to lan0 and lan1. Multicast never leaves the namespace: the machine's real
# interfaces are not in it. The namespace, the bus and the daemon end with the command.
#
#   tests/lan/in-lan-namespace.sh COMMAND [ARGS...]
#
# Exits 77 (ctest's SKIP_RETURN_CODE), saying why, when namespaces are not allowed here or a tool is missing.
# Inside, INKROOM_LAN_NS=1 is set, and `avahi-daemon -k` / start-avahi (a function of this script, run as
# "$INKROOM_LAN_NS_SCRIPT start-avahi") stop and start the responder, for the no-responder case.
set -euo pipefail

script=$(readlink -f "${BASH_SOURCE[0]}")

start_avahi() {
    local conf=/run/inkroom-lan/avahi-daemon.conf
    avahi-daemon --no-drop-root --no-chroot --no-rlimits -f "$conf" -D
    for _ in $(seq 100); do
        avahi-daemon -c && return 0
        sleep 0.1
    done
    echo "avahi-daemon did not start" >&2
    return 1
}

if [ "${1:-}" = start-avahi ]; then
    start_avahi
    exit
fi

if [ "${INKROOM_LAN_NS:-}" != 1 ]; then
    for tool in unshare ip dbus-daemon avahi-daemon; do
        if ! command -v "$tool" >/dev/null 2>&1; then
            echo "SKIP: $tool is not installed (Debian: iproute2 dbus-daemon avahi-daemon)"
            exit 77
        fi
    done
    # avahi-daemon does not start inside a user namespace (tried: it never reports back), so this needs root.
    if ! unshare -n -m true 2>/dev/null; then
        echo "SKIP: network namespaces are not allowed here (unshare -n -m failed; it needs root); mDNS tests" \
            "never run on real interfaces"
        exit 77
    fi
    exec env INKROOM_LAN_NS=1 INKROOM_LAN_NS_SCRIPT="$script" unshare -n -m --propagation private "$script" "$@"
fi

# ---- inside the namespaces ----
# A private /run: the bus socket, avahi's pid file and socket are ours, and the machine's own are out of sight.
mount -t tmpfs -o mode=0755 inkroom-lan-run /run
mkdir -p /run/dbus /run/avahi-daemon /run/inkroom-lan

ip link set lo up
ip link add lan0 type veth peer name lan1
for dev in lan0 lan1; do
    # No duplicate address detection: the link-local addresses are usable at once.
    sysctl -qw "net.ipv6.conf.$dev.accept_dad=0" 2>/dev/null || true
    ip link set "$dev" up
done
for _ in $(seq 50); do
    [ "$(ip -6 addr show scope link | grep -c 'inet6 fe80')" -ge 2 ] && break
    sleep 0.1
done

cat > /run/inkroom-lan/system-bus.conf <<'CONF'
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>system</type>
  <listen>unix:path=/run/dbus/system_bus_socket</listen>
  <pidfile>/run/dbus/pid</pidfile>
  <policy context="default">
    <allow user="*"/>
    <allow own="*"/>
    <allow send_destination="*"/>
    <allow receive_sender="*"/>
  </policy>
</busconfig>
CONF
dbus_pid=$(dbus-daemon --config-file=/run/inkroom-lan/system-bus.conf --fork --nopidfile --print-pid)
# Whatever happens, the daemons started here end with this script.
trap 'avahi-daemon -k 2>/dev/null || true; kill "$dbus_pid" 2>/dev/null || true' EXIT
export DBUS_SYSTEM_BUS_ADDRESS=unix:path=/run/dbus/system_bus_socket

cat > /run/inkroom-lan/avahi-daemon.conf <<'CONF'
[server]
use-ipv4=no
use-ipv6=yes
allow-interfaces=lan0,lan1
enable-dbus=yes
ratelimit-interval-usec=1000000
ratelimit-burst=1000
[wide-area]
enable-wide-area=no
[publish]
publish-hinfo=no
publish-workstation=no
[reflector]
[rlimits]
CONF
start_avahi

"$@"
