# `cpack -G DEB` in a build directory makes inkroom_<version>_<arch>.deb: the three executables, the desktop entry,
# icon and AppStream metainfo, and the (disabled) systemd unit for inkroom-server. Everything comes from the install
# rules, so what the package holds is what `cmake --install` puts in a prefix.

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME inkroom)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION}) # the version --version prints (cmake/CompilerSettings.cmake)
set(CPACK_PACKAGE_VENDOR "The Inkroom developers")
# The Maintainer is whoever builds the package, as Debian's own tools take it: DEBFULLNAME and DEBEMAIL when cpack
# runs (cmake/PackagingMaintainer.cmake refuses a missing or placeholder address), or INKROOM_MAINTAINER here.
set(INKROOM_MAINTAINER "" CACHE STRING "The package's Maintainer, \"Name <address>\" (default: DEBFULLNAME <DEBEMAIL>)")
set(CPACK_PACKAGE_CONTACT "${INKROOM_MAINTAINER}")
set(CPACK_PROJECT_CONFIG_FILE ${PROJECT_SOURCE_DIR}/cmake/PackagingMaintainer.cmake)
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "shared whiteboard and chat for the local network")
# The control file's long description: lines of at most 79 characters, "." separates paragraphs.
set(CPACK_PACKAGE_DESCRIPTION [[
Inkroom is a desktop app for drawing and chatting together, live, on a local
network: a meeting room, a classroom, a workshop. One person hosts a room and
the others join it; everyone draws on one shared whiteboard and talks in the
room's chat. Changes made while the network is down wait on disk and are sent
when it comes back.
.
The package also holds inkroom-server, the standalone server, with a systemd
unit that is not enabled by default, and inkroom-cli, a command-line client.]])
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)

set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION graphics)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE ${PROJECT_HOMEPAGE_URL})
# The shared libraries (Qt, OpenSSL, the C++ runtime) come from dpkg-shlibdeps; what Qt loads at run time does not
# show up there: the QML modules the UI imports, with the modules those import in turn (see
# tests/packaging/check_runtime_depends.sh, which finds them by running the app), and the SQLite driver.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(INKROOM_DEB_RUNTIME_DEPENDS
    qml6-module-qtquick
    qml6-module-qtquick-controls
    qml6-module-qtquick-templates
    qml6-module-qtquick-layouts
    qml6-module-qtquick-shapes
    qml6-module-qtquick-window
    qml6-module-qtqml-workerscript
    # "Add image…": QtQuick.Dialogs' file dialog, which lists folders with Qt.labs.folderlistmodel.
    qml6-module-qtquick-dialogs
    qml6-module-qt-labs-folderlistmodel
    # Pictures on the board: WebP (PNG and JPEG are built into Qt).
    qt6-image-formats-plugins
    # The tool bar's own icons are SVG (Qt's SVG image format plugin draws them crisp at every scale).
    libqt6svg6
    libqt6sql6-sqlite
    # Board text is laid out and drawn in DejaVu Sans (app/render/textlayout.cpp), the same on every machine.
    fonts-dejavu-core)
string(JOIN ", " CPACK_DEBIAN_PACKAGE_DEPENDS ${INKROOM_DEB_RUNTIME_DEPENDS})
# Native Wayland windows; without it Qt uses XWayland. avahi-daemon: the mDNS responder that announces hosted rooms
# and finds others on the network (libavahi-client3, which talks to it, comes from dpkg-shlibdeps); without it
# Inkroom says so on the start page and joining by address works as before. qt6-translations-l10n: Qt's own texts
# (standard buttons, file dialogs) in the user's language next to Inkroom's (app/i18n loads qtbase_<lang>.qm).
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "qt6-wayland, avahi-daemon, qt6-translations-l10n")
# inkroom-server --store postgresql://...: Qt's PostgreSQL driver (libqt6sql6-psql, with libpq), and PostgreSQL itself
# for a database on the same machine. Suggested, not recommended: Recommends are installed by default, and a classroom
# laptop or a LAN server keeps its rooms in SQLite; an administrator who points a server at PostgreSQL is told by name
# which package is missing.
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "libqt6sql6-psql, postgresql")
# Stop the service when the package goes away and tell systemd; nothing enables it.
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${PROJECT_SOURCE_DIR}/resources/debian/prerm ${PROJECT_SOURCE_DIR}/resources/debian/postrm)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)

include(CPack)
