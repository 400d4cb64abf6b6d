#!/usr/bin/env bash
# packaging_deb: the .deb from packaging_deb_build names the Qt libraries and the QML modules the app imports in its
# Depends, carries the project version, installs the systemd unit without enabling it, and what it holds runs:
# unpacked with dpkg-deb -x into a scratch directory, the executables start from there.
# shellcheck source=tests/packaging/lib.sh
source "$(dirname "$0")/lib.sh"
deb=$INKROOM_DEB_DIR/inkroom_${INKROOM_VERSION}_$(dpkg --print-architecture).deb
[ -f "$deb" ] || fail "no $deb (packaging_deb_build makes it)"
fresh_scratch "$INKROOM_SCRATCH"
cd "$INKROOM_SCRATCH" || exit

field() { dpkg-deb --field "$deb" "$1"; }
[ "$(field Package)" = inkroom ] || fail "Package is $(field Package)"
[ "$(field Version)" = "$INKROOM_VERSION" ] || fail "Version is $(field Version), the project is $INKROOM_VERSION"
for name in Maintainer Description Homepage Section; do
    [ -n "$(field "$name")" ] || fail "the $name field is empty"
done
# Package names in Depends, without versions or alternatives.
depends=$(field Depends | tr ',|' '\n' | sed 's/(.*)//; s/ //g' | sort -u)
needs() { grep -qxF "$1" <<<"$depends" || fail "Depends lacks $1 ($2): $(field Depends)"; }
# Each Qt module a QML file imports is Debian's qml6-module-<name in lower case, dots as dashes>.
imports=$(sed -n 's/^import \(Qt[A-Za-z.]*\).*/\1/p' "$INKROOM_SOURCE_DIR"/qml/*.qml | sort -u)
[ -n "$imports" ] || fail "found no Qt imports in qml/*.qml"
for module in $imports; do
    needs "qml6-module-$(tr 'A-Z.' 'a-z-' <<<"$module")" "qml/ imports $module"
done
for package in libqt6core6 libqt6gui6 libqt6widgets6 libqt6network6 libqt6websockets6 libqt6sql6 libqt6qml6 \
    libqt6quick6 libc6 libstdc++6 libavahi-client3; do
    needs "$package" "a shared library the executables link"
done
needs libqt6sql6-sqlite "the SQLite driver the server and the outbox load"
field Recommends | grep -q 'avahi-daemon' || fail "Recommends lacks avahi-daemon (the mDNS responder): $(field Recommends)"
field Recommends | grep -q 'qt6-translations-l10n' || fail "Recommends lacks qt6-translations-l10n (Qt's own texts translated): $(field Recommends)"
field Suggests | grep -q 'libqt6sql6-psql' || fail "Suggests lacks libqt6sql6-psql (the PostgreSQL store's driver): $(field Suggests)"
note "Version $INKROOM_VERSION; Depends: $(field Depends)"

# Nothing enables or starts the service: no postinst, no link in /etc.
control=$(dpkg-deb --ctrl-tarfile "$deb" | tar -t | sed -n 's|^\./\(.\)|\1|p' | sort | xargs)
[ "$control" = "control md5sums postrm prerm" ] || fail "unexpected control files: $control"
scripts=$(dpkg-deb --ctrl-tarfile "$deb" | tar -xO ./prerm ./postrm | grep -v '^ *#')
if grep -E 'systemctl .*(enable|start)|deb-systemd-(helper|invoke) .*(enable|start|unmask)' <<<"$scripts"; then
    fail "a maintainer script enables or starts the service (above)"
fi
contents=$(dpkg-deb --contents "$deb" | awk '{print $6}')
grep -qxF ./usr/share/doc/inkroom/copyright <<<"$contents" || fail "the package has no /usr/share/doc/inkroom/copyright"
grep -qxF ./usr/lib/systemd/system/inkroom-server.service <<<"$contents" || fail "the systemd unit is not packaged"
if grep -q '^\./etc/' <<<"$contents"; then
    fail "the package ships files in /etc: $(grep '^\./etc/' <<<"$contents")"
fi

root=$INKROOM_SCRATCH/root
dpkg-deb -x "$deb" "$root"
# shellcheck disable=SC2016 # $INKROOM_SERVER_OPTS is for systemd to expand
grep -qxF 'ExecStart=/usr/bin/inkroom-server --data-dir /var/lib/inkroom $INKROOM_SERVER_OPTS' \
    "$root/usr/lib/systemd/system/inkroom-server.service" || fail "the unit does not start /usr/bin/inkroom-server"
out=$(appstreamcli validate-tree --no-net --strict "$root" 2>&1) || fail "appstreamcli validate-tree: $out"
note "appstreamcli validate-tree: the metainfo, desktop entry and icon in the package agree"

check_versions "$root/usr/bin"
check_server_and_cli "$root/usr/bin" "$INKROOM_SCRATCH"
start_app "$root/usr/bin" "$INKROOM_SCRATCH"
check_app_loads "$INKROOM_SCRATCH"
stop_app
note "the unpacked inkroom loaded its QML and ran"
