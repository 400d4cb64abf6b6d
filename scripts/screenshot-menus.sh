#!/usr/bin/env bash
# Screenshots of the room's menus and dialogs, in light and in dark (GTK's dark Adwaita through Qt's gtk3 platform
# theme, Debian: qt6-gtk-platformtheme, as on a GNOME desktop set to dark): the Edit menu, the context menu on an
# item, the keyboard-shortcut sheet (F1), the invite dialog (Ctrl+I) and the connection details. Ann's app joins a
# room on inkroom-server on loopback; Bo is inkroom-cli and chats, so the chat and people have someone in them.
#
#   scripts/screenshot-menus.sh [build dir] [out dir]     default build/dev, build/dev/screenshots-menus
#   ONLY=dark scripts/screenshot-menus.sh                  one theme only (light or dark)
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
build=$(readlink -f "${1:-build/dev}")
outdir=$(readlink -f "${2:-$build/screenshots-menus}")
source scripts/screenshot-lib.sh
shot_require Xvfb xdotool python3
mkdir -p "$outdir"

# Where things are in a 1280x720 window (the menu bar on top, then the header, the banner and the board).
menu_y=${MENU_Y:-13}
edit_x=${EDIT_X:-68}
trust_x=${TRUST_X:-1113}
trust_y=${TRUST_Y:-74}
details_x=${DETAILS_X:-1246}
details_y=${DETAILS_Y:-65}

#! pictures THEME: the five pictures, the app themed THEME (light or dark).
pictures() {
    local theme=$1 pid display server_pid
    [ -n "${ONLY:-}" ] && [ "$ONLY" != "$theme" ] && return 0
    shot_display 1320x760 # the window (1280 x 720) and the margin the app keeps from the screen edges
    display=${pids[-1]}
    rm -rf "$tmp/server" # a fresh room each time
    shot_server
    server_pid=${pids[-1]}
    local link=inkroom://127.0.0.1:$port/workshop
    if [ "$theme" = dark ]; then
        export QT_QPA_PLATFORMTHEME=gtk3 GTK_THEME=Adwaita:dark
    else
        unset QT_QPA_PLATFORMTHEME GTK_THEME
    fi
    start_app "Ann-$theme" 0 "#e53935" "$link"
    pid=${pids[-1]}
    sleep 3
    click "$trust_x" "$trust_y" # the server's certificate, met for the first time
    sleep 2
    mkfifo "$tmp/bo-$theme.in"
    "$build/app/cli/inkroom-cli" --server "wss://127.0.0.1:$port" --fingerprint "$(server_fingerprint)" \
        --room workshop --name Bo --ephemeral <"$tmp/bo-$theme.in" >"$tmp/bo-$theme.out" 2>&1 &
    pids+=($!)
    exec 3>"$tmp/bo-$theme.in"
    echo "Morning! I'll take the left half" >&3
    sleep 1
    # Three strokes with the pen (the tool the board starts with).
    draw 260,330 320,300 390,330 460,300 530,330
    # shellcheck disable=SC2046
    draw $(wave 260 440 300 25)
    draw 560,260 700,260 700,420 560,420 560,260
    sleep 1

    click "$edit_x" "$menu_y"
    sleep 0.7
    shot "$outdir/menu-edit-$theme.png" 1280 720
    xdotool key Escape
    sleep 0.3

    xdotool mousemove --sync 700 340 click 3
    sleep 0.7
    shot "$outdir/context-menu-$theme.png" 1280 720
    xdotool key Escape
    sleep 0.3

    xdotool mousemove --sync 900 600 key F1
    sleep 0.8
    shot "$outdir/shortcut-sheet-$theme.png" 1280 720
    xdotool key Escape
    sleep 0.3

    xdotool key ctrl+i
    sleep 0.8
    shot "$outdir/invite-dialog-$theme.png" 1280 720
    xdotool key Escape
    sleep 0.3

    # The connection details, from the banner's Details.
    click "$details_x" "$details_y"
    sleep 1.5
    shot "$outdir/sync-health-$theme.png" 1280 720
    echo "Wrote $outdir/*-$theme.png"

    echo "/quit" >&3
    exec 3>&-
    kill "$pid" "$server_pid" "$display" 2>/dev/null || true
    sleep 0.5
}

pictures light
pictures dark
