#!/usr/bin/env bash
# packaging_install: `cmake --install` into a fresh prefix puts the executables in bin/ and the desktop files, icons,
# metainfo and systemd unit where a desktop and systemd look for them. The other install checks use this prefix.
# shellcheck source=tests/packaging/lib.sh
source "$(dirname "$0")/lib.sh"
prefix=$INKROOM_SCRATCH/prefix
rm -rf "$INKROOM_SCRATCH"
mkdir -p "$INKROOM_SCRATCH"
"$CMAKE_COMMAND" --install "$INKROOM_BUILD_DIR" --prefix "$prefix" >"$INKROOM_SCRATCH/install.log" ||
    { cat "$INKROOM_SCRATCH/install.log" >&2; fail "cmake --install failed"; }

id=io.github.inkroom.Inkroom
expected=(
    bin/inkroom bin/inkroom-server bin/inkroom-cli
    "share/applications/$id.desktop"
    "share/metainfo/$id.metainfo.xml"
    "share/icons/hicolor/scalable/apps/$id.svg"
    lib/systemd/system/inkroom-server.service
)
for size in 16 24 32 48 64 128 256; do
    expected+=("share/icons/hicolor/${size}x${size}/apps/$id.png")
done
for file in "${expected[@]}"; do
    [ -f "$prefix/$file" ] || fail "$file is not installed"
done
for exe in inkroom inkroom-server inkroom-cli; do
    [ -x "$prefix/bin/$exe" ] || fail "bin/$exe is not executable"
    if readelf -d "$prefix/bin/$exe" | grep -qE 'RPATH|RUNPATH'; then
        fail "bin/$exe has a RUNPATH: $(readelf -d "$prefix/bin/$exe" | grep -E 'RPATH|RUNPATH')"
    fi
done
# Nothing else needs installing: the QML modules are compiled into inkroom, the Qt ones come from the system.
unexpected=$(find "$prefix" -type f | sed "s|^$prefix/||" |
    grep -vxF -f <(printf '%s\n' "${expected[@]}" share/doc/inkroom/README.md share/doc/inkroom/copyright) || true)
[ -z "$unexpected" ] || fail "installed files nobody checks: $unexpected"
grep -qxF "ExecStart=$prefix/bin/inkroom-server --data-dir /var/lib/inkroom \$INKROOM_SERVER_OPTS" \
    "$prefix/lib/systemd/system/inkroom-server.service" || fail "the unit's ExecStart does not name bin/inkroom-server"
note "installed ${#expected[@]} files into $prefix"
