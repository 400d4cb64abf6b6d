#!/usr/bin/env bash
# Fuzzing: builds the libFuzzer targets with clang and runs each for a bounded time from the seed corpus in
# fuzz/corpus/<target>. Exits non-zero when a target crashes, leaks past its limits or fails an assertion; the input
# that did it is in build/<preset>/artifacts/.
#
#   scripts/fuzz.sh [SECONDS]    run every target SECONDS seconds (default 60)
#   scripts/fuzz.sh SECONDS T    run target T only (decode, server, image or wsframes)
#
# INKROOM_FUZZ_PRESET picks the build: fuzz (the default: the targets alone, optimised, for long runs) or asan (the
# sanitizer build of the tests, which makes the same targets unoptimised; CI uses it, so it builds the code once).
#
# Reproduce a crash with: build/<preset>/fuzz/fuzz_<target> build/<preset>/artifacts/<target>-crash-...
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
seconds=${1:-60}
targets=("${@:2}")
[ ${#targets[@]} -eq 0 ] && targets=(decode server image wsframes)

# libFuzzer comes with clang's runtime libraries; the rest is what scripts/dev.sh installs.
packages=(clang libclang-rt-14-dev build-essential cmake ninja-build qt6-base-dev qt6-websockets-dev libssl-dev
    libqt6sql6-sqlite qt6-svg-dev qt6-image-formats-plugins libpq-dev pkgconf)
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "Installing: ${missing[*]}"
    sudo=()
    [ "$(id -u)" -eq 0 ] || sudo=(sudo)
    "${sudo[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

preset=${INKROOM_FUZZ_PRESET:-fuzz}
build=build/$preset
[ -f "$build/CMakeCache.txt" ] || cmake --preset "$preset"
cmake --build --preset "$preset" --target "${targets[@]/#/fuzz_}"

mkdir -p "$build/artifacts"
for target in "${targets[@]}"; do
    # New inputs go to a scratch corpus in the build tree; the seeds in the repository are only read.
    work=$build/corpus/$target
    mkdir -p "$work"
    echo "== fuzz_$target for ${seconds}s"
    # The protocol's words help the message targets; pictures have no dictionary.
    dict=()
    [ "$target" = image ] || dict=(-dict=fuzz/protocol.dict)
    ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
        "$build/fuzz/fuzz_$target" "$work" "fuzz/corpus/$target" \
        "${dict[@]}" -max_total_time="$seconds" -timeout=20 -rss_limit_mb=2048 -max_len=65536 \
        -print_final_stats=1 -artifact_prefix="$build/artifacts/$target-" 2>&1 \
        | grep -v -e '^#[0-9]*[[:space:]]*\(NEW\|REDUCE\|pulse\)' -e '^[[:space:]]*NEW_FUNC' \
        || { echo "fuzz_$target failed"; exit 1; }
done
