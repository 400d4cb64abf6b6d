#!/usr/bin/env bash
# Builds the Debian package in one go: installs what is missing and builds (scripts/dev.sh build), then packs that
# build with cpack into build/<preset>/inkroom_<version>_<arch>.deb. Install it with
#   sudo apt install ./build/dev/inkroom_*.deb
# INKROOM_PRESET picks the CMake preset (dev by default). DEBFULLNAME and DEBEMAIL name the package's Maintainer (the
# packager), as dch and dh_make take them: cpack refuses a package without one or with a placeholder address.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
scripts/dev.sh build
cd "build/${INKROOM_PRESET:-dev}"
cpack -G DEB
