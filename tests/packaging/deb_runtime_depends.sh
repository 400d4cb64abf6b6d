#!/usr/bin/env bash
# packaging_deb_runtime_depends: what Qt loads at run time (QML modules with their plugins, the SQLite driver, the
# platform plugin), which dpkg-shlibdeps cannot see, comes from packages the .deb names in Depends. Runs the unpacked
# app and server, and asks dpkg which package owns every Qt plugin and qmldir they loaded.
# shellcheck source=tests/packaging/lib.sh
source "$(dirname "$0")/lib.sh"
deb=$INKROOM_DEB_DIR/inkroom_${INKROOM_VERSION}_$(dpkg --print-architecture).deb
[ -f "$deb" ] || fail "no $deb (packaging_deb_build makes it)"
fresh_scratch "$INKROOM_SCRATCH"
cd "$INKROOM_SCRATCH" || exit
root=$INKROOM_SCRATCH/root
dpkg-deb -x "$deb" "$root"
depends=$(dpkg-deb --field "$deb" Depends | tr ',|' '\n' | sed 's/(.*)//; s/ //g' | sort -u)

loaded=$INKROOM_SCRATCH/loaded
QML_IMPORT_TRACE=1 start_app "$root/usr/bin" "$INKROOM_SCRATCH"
check_app_loads "$INKROOM_SCRATCH"
awk '{print $6}' "/proc/$app_pid/maps" >"$loaded"
stop_app
grep -o '/[^" ]*/qmldir' "$INKROOM_SCRATCH/app.out" >>"$loaded" || fail "QML_IMPORT_TRACE showed no qmldir"
start_server "$root/usr/bin" "$INKROOM_SCRATCH/server-data"
awk '{print $6}' "/proc/$server_pid/maps" >>"$loaded"
stop_server

# Image format and icon engine plugins are left out: Qt loads every one it finds to learn the formats, and the app
# needs none of them (its images are PNG, which Qt Gui reads itself).
files=$(grep -E '/qt6/(plugins|qml)/' "$loaded" | grep -vE '/plugins/(imageformats|iconengines)/' | sort -u)
[ -n "$files" ] || fail "the app loaded no Qt plugins or QML modules from the system"
owners=
for file in $files; do
    owner=$(dpkg -S "$file" 2>/dev/null || dpkg -S "$(readlink -f "$file")" 2>/dev/null) ||
        fail "no package owns $file"
    owners+="${owner%%:*}"$'\n'
done
while read -r owner; do
    grep -qxF "$owner" <<<"$depends" || fail "the app loads files of $owner, which Depends does not name"
done < <(sort -u <<<"$owners" | sed '/^$/d')
note "$(wc -l <<<"$files") Qt plugins and qmldirs loaded, from: $(sort -u <<<"$owners" | tr '\n' ' ')"
