#!/usr/bin/env bash
# Renders the hicolor PNG sizes of the app icon from its SVG. The PNGs are committed, so building Inkroom needs no
# SVG tool; run this after changing resources/icons/io.github.inkroom.Inkroom.svg and commit the result.
#
#   scripts/render-icons.sh      needs rsvg-convert (Debian: apt-get install librsvg2-bin)
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
id=io.github.inkroom.Inkroom
svg=resources/icons/$id.svg

if ! command -v rsvg-convert >/dev/null; then
    echo "render-icons.sh: rsvg-convert is missing (apt-get install librsvg2-bin)" >&2
    exit 1
fi
for size in 16 24 32 48 64 128 256; do
    mkdir -p "resources/icons/${size}x${size}"
    rsvg-convert --width "$size" --height "$size" --output "resources/icons/${size}x${size}/$id.png" "$svg"
done
echo "Rendered $svg at 16 24 32 48 64 128 256 px into resources/icons/<size>/"
