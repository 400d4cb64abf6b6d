#!/usr/bin/env bash
# Takes the start page in light and dark, at 1x and 2x, with servers on a simulated LAN and with discovery off
# (--no-discover): eight pictures. Runs itself inside tests/lan/in-lan-namespace.sh (its own network namespace,
# D-Bus and avahi-daemon; nothing reaches the real network). Dark is GTK's dark Adwaita through Qt's gtk3 platform
# theme (Debian: qt6-gtk-platformtheme), as on a GNOME desktop set to dark.
#
#   scripts/screenshot-start.sh [build dir] [out dir]     default build/dev, build/dev/start-page
#   ONLY=light-1x-lan scripts/screenshot-start.sh ...     one of them
#   FOCUS=N ...                                           press Tab N times before the picture (see the focus ring)
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
build=$(readlink -f "${1:-build/dev}")
outdir=$(readlink -f "${2:-$build/start-page}")
if [ "${INKROOM_LAN_NS:-}" != 1 ]; then
    exec tests/lan/in-lan-namespace.sh "$0" "$build" "$outdir"
fi
mkdir -p "$outdir"

source scripts/screenshot-lib.sh
shot_require Xvfb xdotool python3

shot_lan_scene

#! close_display: stops the display shot_display started last, so the next one starts afresh (its screen file too).
close_display() {
    kill "$display_pid"
    wait "$display_pid" 2>/dev/null || true
    rm -f "$tmp/fb/Xvfb_screen0"
}

#! The profile every picture starts from: Eve, who chose her name and colour before, and the rooms she opened (the
#! app itself remembers them: one she hosted, one on this network now, one on a server that is not).
base=$tmp/base-home
mkdir -p "$base/config/Inkroom" "$base/runtime" && chmod 700 "$base/runtime"
printf '[profile]\nname=Eve\ncolour=#8e24aa\n' >"$base/config/Inkroom/inkroom.conf"
shot_display 1280x800
display_pid=${pids[-1]}
opened() { # ARGS...: the app opens a room, and is stopped a moment later
    env HOME="$base" XDG_CONFIG_HOME="$base/config" XDG_DATA_HOME="$base/data" XDG_RUNTIME_DIR="$base/runtime" \
        "$build/app/desktop/inkroom" "$@" >>"$tmp/prepare.out" 2>&1 &
    local pid=$!
    sleep 4
    kill "$pid"
    wait "$pid" 2>/dev/null || true
}
opened --join "inkroom://192.0.2.20:7420/Physics"
opened --join "inkroom://$(hostname).local:$(lan_port "$tmp/s1.out")/Design%20review"
opened --no-discover --host --room "Art club"
close_display

#! picture NAME DARK SCALE ARGS...: the app on a fresh display, its start page as NAME.png.
picture() {
    local name=$1 dark=$2 scale=$3 home=$tmp/home-$1 pid win
    shift 3
    [ -n "${ONLY:-}" ] && [ "$ONLY" != "$name" ] && return 0
    shot_display "$((1320 * scale))x$((840 * scale))" # the window and the margin the app keeps from the edges
    display_pid=${pids[-1]}
    rm -rf "$home" && cp -a "$base" "$home"
    env HOME="$home" XDG_CONFIG_HOME="$home/config" XDG_DATA_HOME="$home/data" XDG_RUNTIME_DIR="$home/runtime" \
        QT_SCALE_FACTOR="$scale" ${dark:+QT_QPA_PLATFORMTHEME=gtk3 GTK_THEME=Adwaita:dark} \
        "$build/app/desktop/inkroom" "$@" >"$tmp/$name.out" 2>&1 &
    pid=$!
    pids+=("$pid")
    win=$(xdotool search --sync --pid "$pid" | head -n1)
    xdotool windowsize --sync "$win" $((1280 * scale)) $((800 * scale)) windowmove --sync "$win" 0 0
    sleep 7
    for _ in $(seq "${FOCUS:-0}"); do xdotool key Tab; sleep 0.1; done
    sleep 0.5
    shot "$outdir/start-$name.png" $((1280 * scale)) $((800 * scale))
    echo "Wrote $outdir/start-$name.png"
    kill "$pid"
    wait "$pid" 2>/dev/null || true
    close_display
}

for scale in 1 2; do
    picture "light-${scale}x-lan" "" "$scale"
    picture "dark-${scale}x-lan" 1 "$scale"
    picture "light-${scale}x-off" "" "$scale" --no-discover
    picture "dark-${scale}x-off" 1 "$scale" --no-discover
done
