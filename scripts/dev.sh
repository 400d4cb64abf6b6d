#!/usr/bin/env bash
# One entry point for people and CI: installs what is missing, builds, and then hosts, tests or formats.
#
#   scripts/dev.sh host [app args]   install + build, then start the app hosting a room
#   scripts/dev.sh test              install + build, then run the whole test suite (ctest)
#   scripts/dev.sh build             install + build only
#   scripts/dev.sh format            apply .clang-format to every C++ file
#
# INKROOM_PRESET picks the CMake preset (dev by default; CI uses ci, the sanitizer run asan, built with clang).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
preset=${INKROOM_PRESET:-dev}

# Debian 12 packages: the Qt 6.4 stack, SQLite driver, OpenSSL, the build tools and what the tests use (the
# packaging tests: dpkg-shlibdeps, desktop-file-validate, appstreamcli, systemd-analyze; the foreign-client test:
# python3-websockets; the export tests: poppler-utils' pdftoppm renders exported PDFs), and DNS-SD: Avahi's client
# library, and for the LAN tests (in a network namespace of their own) avahi-daemon, avahi-browse, a D-Bus and `ip`.
# The PostgreSQL store: its tests start a private server (postgresql) and the server reaches it through Qt's QPSQL
# driver (libqt6sql6-psql); several servers on one database listen to each other with libpq (libpq-dev).
# Board text is drawn in DejaVu Sans everywhere (fonts-dejavu-core), so it takes the same room on every machine.
# Images: qt6-image-formats-plugins lets Qt read WebP pictures (PNG and JPEG are built in); the "Add image" file dialog
# is QtQuick.Dialogs' own, which lists folders with Qt.labs.folderlistmodel. Translations: Qt's LinguistTools (lupdate,
# lrelease; qt6-tools-dev, qt6-l10n-tools) build resources/translations into the app. The accessibility test reads
# the app as a screen reader does, over AT-SPI: a session D-Bus with the accessibility bus (at-spi2-core, dbus-bin).
packages=(
    build-essential cmake ninja-build pkg-config git clang-format
    qt6-base-dev qt6-websockets-dev qt6-declarative-dev qt6-declarative-dev-tools qt6-svg-dev
    qml6-module-qtquick qml6-module-qtquick-controls qml6-module-qtquick-layouts qml6-module-qtquick-window
    qml6-module-qtquick-templates qml6-module-qtquick-shapes qml6-module-qtquick-dialogs
    qml6-module-qtqml-workerscript qml6-module-qttest qml6-module-qtcore qml6-module-qt-labs-settings
    qt6-qpa-plugins libqt6sql6-sqlite libssl-dev openssl libgl-dev libgl1-mesa-dri libglx-mesa0 xvfb xauth
    dpkg-dev desktop-file-utils appstream systemd python3-websockets fonts-dejavu-core poppler-utils
    libavahi-client-dev avahi-daemon avahi-utils dbus-daemon iproute2
    qt6-image-formats-plugins qml6-module-qt-labs-folderlistmodel
    qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools
    postgresql libqt6sql6-psql libpq-dev
    at-spi2-core dbus-bin
)

# The asan preset builds with clang, whose runtime libraries carry the sanitizers and libFuzzer.
[ "$preset" = asan ] && packages+=(clang libclang-rt-14-dev)

install_missing() {
    local missing=()
    for p in "${packages[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    echo "Installing: ${missing[*]}"
    local sudo=()
    [ "$(id -u)" -eq 0 ] || sudo=(sudo)
    "${sudo[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

build() {
    if [ ! -f "build/$preset/CMakeCache.txt" ]; then
        cmake --preset "$preset"
    fi
    cmake --build --preset "$preset"
}

command=${1:-}
[ $# -gt 0 ] && shift
case "$command" in
    host)
        install_missing
        build
        exec "build/$preset/app/desktop/inkroom" --host "$@"
        ;;
    test)
        install_missing
        build
        exec ctest --preset "$preset" -j "$(nproc)"
        ;;
    build)
        install_missing
        build
        ;;
    format)
        git ls-files '*.cpp' '*.h' | xargs clang-format -i
        ;;
    *)
        sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'
        exit 2
        ;;
esac
