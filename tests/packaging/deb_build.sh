#!/usr/bin/env bash
# packaging_deb_build: `cpack -G DEB` packs this build into inkroom_<version>_<arch>.deb (the other deb checks use it).
# shellcheck source=tests/packaging/lib.sh
source "$(dirname "$0")/lib.sh"
rm -rf "$INKROOM_SCRATCH"
mkdir -p "$INKROOM_SCRATCH"
# The Maintainer is the packager's (DEBFULLNAME, DEBEMAIL): without one, or with a placeholder, cpack refuses.
# (cmake wraps its messages: read them as one line.)
pack() {
    "$CPACK_COMMAND" --config "$INKROOM_BUILD_DIR/CPackConfig.cmake" -G DEB -B "$INKROOM_SCRATCH/refused" 2>&1 |
        tr -s '\n ' '  '
    return "${PIPESTATUS[0]}"
}
if out=$(env -u DEBEMAIL -u DEBFULLNAME bash -c "$(declare -f pack); pack"); then
    fail "cpack made a package without a maintainer"
fi
grep -q 'needs a maintainer' <<<"$out" || fail "cpack without a maintainer did not say why: $out"
for placeholder in inkroom@users.noreply.github.com maintainers@example.org someone@mail.invalid; do
    if out=$(DEBFULLNAME="Someone" DEBEMAIL=$placeholder pack); then
        fail "cpack made a package maintained by the placeholder $placeholder"
    fi
    grep -q 'is a placeholder' <<<"$out" || fail "cpack did not call $placeholder a placeholder: $out"
done
note "cpack refuses a package without a maintainer, or with a placeholder address"
export DEBFULLNAME="Pat Packager" DEBEMAIL="pat@packaging-check.inkroom.test"
"$CPACK_COMMAND" --config "$INKROOM_BUILD_DIR/CPackConfig.cmake" -G DEB -B "$INKROOM_SCRATCH" \
    >"$INKROOM_SCRATCH/cpack.log" 2>&1 || { cat "$INKROOM_SCRATCH/cpack.log" >&2; fail "cpack -G DEB failed"; }
deb=$INKROOM_SCRATCH/inkroom_${INKROOM_VERSION}_$(dpkg --print-architecture).deb
[ -f "$deb" ] || fail "cpack made no $deb: $(ls "$INKROOM_SCRATCH")"
maintainer=$(dpkg-deb --field "$deb" Maintainer)
[ "$maintainer" = "$DEBFULLNAME <$DEBEMAIL>" ] || fail "the Maintainer is '$maintainer', not the packager's"
note "$(basename "$deb"): $(du -k "$deb" | cut -f1) KiB"
