#!/usr/bin/env bash
# packaging_deb_build: `cpack -G DEB` packs this build into inkroom_<version>_<arch>.deb (the other deb checks use it).
# shellcheck source=tests/packaging/lib.sh
source "$(dirname "$0")/lib.sh"
rm -rf "$INKROOM_SCRATCH"
mkdir -p "$INKROOM_SCRATCH"
"$CPACK_COMMAND" --config "$INKROOM_BUILD_DIR/CPackConfig.cmake" -G DEB -B "$INKROOM_SCRATCH" \
    >"$INKROOM_SCRATCH/cpack.log" 2>&1 || { cat "$INKROOM_SCRATCH/cpack.log" >&2; fail "cpack -G DEB failed"; }
deb=$INKROOM_SCRATCH/inkroom_${INKROOM_VERSION}_$(dpkg --print-architecture).deb
[ -f "$deb" ] || fail "cpack made no $deb: $(ls "$INKROOM_SCRATCH")"
note "$(basename "$deb"): $(du -k "$deb" | cut -f1) KiB"
