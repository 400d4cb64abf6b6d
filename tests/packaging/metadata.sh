#!/usr/bin/env bash
# packaging_metadata: the installed desktop entry, icon and AppStream metainfo pass the freedesktop and AppStream
# validators, agree on one id with each other and with the app, and carry the project version.
# shellcheck source=tests/packaging/lib.sh
source "$(dirname "$0")/lib.sh"
id=io.github.inkroom.Inkroom
share=$INKROOM_INSTALL_PREFIX/share
desktop=$share/applications/$id.desktop
metainfo=$share/metainfo/$id.metainfo.xml

out=$(desktop-file-validate "$desktop" 2>&1) || fail "desktop-file-validate: $out"
[ -z "$out" ] || fail "desktop-file-validate has remarks: $out"
for line in 'Exec=inkroom %u' 'MimeType=x-scheme-handler/inkroom;' "Icon=$id" 'Type=Application'; do
    grep -qxF "$line" "$desktop" || fail "the desktop entry lacks '$line'"
done
note "desktop-file-validate: no remarks; Exec=inkroom %u handles x-scheme-handler/inkroom"

out=$(appstreamcli validate --no-net --strict "$metainfo" 2>&1) || fail "appstreamcli validate: $out"
note "appstreamcli validate --no-net --strict: passed"
grep -qF "<id>$id</id>" "$metainfo" || fail "the metainfo id is not $id"
grep -qF "<launchable type=\"desktop-id\">$id.desktop</launchable>" "$metainfo" || fail "the launchable is not $id.desktop"
newest=$(grep -o '<release version="[^"]*"' "$metainfo" | head -n1 | cut -d'"' -f2)
[ "$newest" = "$INKROOM_VERSION" ] || fail "the newest release in the metainfo is $newest, the project is $INKROOM_VERSION"
# The app tells the desktop which entry its windows belong to (Wayland app id, taskbar icon).
grep -qF "setDesktopFileName(u\"$id\"_s)" "$INKROOM_SOURCE_DIR/app/ui/startupoptions.cpp" ||
    fail "app/ui/startupoptions.cpp does not set the desktop file name $id"

#! png_size FILE: WIDTHxHEIGHT from the PNG header.
png_size() {
    [ "$(head -c 8 "$1" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] || fail "$1 is not a PNG"
    local w h
    w=$(od -An -tu1 -j16 -N4 "$1" | awk '{print $1*16777216 + $2*65536 + $3*256 + $4}')
    h=$(od -An -tu1 -j20 -N4 "$1" | awk '{print $1*16777216 + $2*65536 + $3*256 + $4}')
    echo "${w}x${h}"
}

# Every screenshot the metainfo names is one committed under resources/screenshots, at the size it claims.
shots=0
while read -r size url; do
    shot=$INKROOM_SOURCE_DIR/resources/screenshots/${url##*/}
    [[ $url == https://*/resources/screenshots/* ]] || fail "the screenshot URL $url is not https://.../resources/screenshots/"
    [ -f "$shot" ] || fail "$shot is missing"
    [ "$(png_size "$shot")" = "$size" ] || fail "$shot is $(png_size "$shot"), the metainfo says $size"
    shots=$((shots + 1))
done < <(sed -n 's|.*<image type="source" width="\([0-9]*\)" height="\([0-9]*\)">\(.*\)</image>.*|\1x\2 \3|p' "$metainfo")
[ "$shots" -gt 0 ] || fail "the metainfo names no screenshot"
for n in 16 24 32 48 64 128 256; do
    icon=$share/icons/hicolor/${n}x${n}/apps/$id.png
    [ "$(png_size "$icon")" = "${n}x${n}" ] || fail "$icon is $(png_size "$icon")"
done
grep -q '<svg' "$share/icons/hicolor/scalable/apps/$id.svg" || fail "the scalable icon is not an SVG"
note "one id ($id) for the entry, icon, metainfo and app; icons and $shots screenshots are the sizes they claim"

# The licence: GPL-3.0-or-later in full beside the code, in the metainfo, and as a machine-readable (DEP-5) copyright
# file with the documentation; no placeholder address or URL anywhere a user or a software centre reads.
grep -q 'GNU GENERAL PUBLIC LICENSE' "$INKROOM_SOURCE_DIR/LICENSE" && grep -q 'Version 3, 29 June 2007' \
    "$INKROOM_SOURCE_DIR/LICENSE" || fail "LICENSE is not the GPL, version 3"
grep -qF '<project_license>GPL-3.0-or-later</project_license>' "$metainfo" || fail "the metainfo names no GPL-3.0-or-later"
copyright=$share/doc/inkroom/copyright
[ -f "$copyright" ] || fail "no $copyright"
head -n1 "$copyright" | grep -qxF 'Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/' ||
    fail "$copyright is not in the machine-readable format"
for line in 'Files: *' 'License: GPL-3+' 'Upstream-Name: Inkroom'; do
    grep -qxF "$line" "$copyright" || fail "$copyright lacks '$line'"
done
grep -q '^Source: https://' "$copyright" || fail "$copyright names no Source URL"
for file in "$metainfo" "$copyright" "$desktop" "$INKROOM_SOURCE_DIR/cmake/Packaging.cmake" "$INKROOM_SOURCE_DIR/CMakeLists.txt"; do
    if grep -inE 'noreply|no-reply|example\.(com|org|net)|\.example\b|\.invalid\b|changeme|todo' "$file"; then
        fail "$file holds a placeholder (above)"
    fi
done
note "LICENSE (GPL-3), the metainfo and a DEP-5 copyright file agree on GPL-3.0-or-later; no placeholders"
