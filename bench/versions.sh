#!/bin/sh
# bench/versions: version comparisons per second for every ecosystem through the public API
# (fth_version_compare), over pairs drawn from the shared fixtures and cycled to at least
# 1,000,000 comparisons each, single-threaded; for Debian also libdpkg's own comparison of the
# same pairs in the same run (the ratio's target is <= 1.0). Prints figures; asserts nothing.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
build=${BUILD:-$root/build}
shared=${FATHOM_SHARED:-$root/../shared}
min=${BENCH_COMPARISONS:-1000000}

if [ ! -x "$build/bench/bench_versions" ]; then
    echo "bench/versions: $build/bench/bench_versions is missing (build first)" >&2
    exit 1
fi
"$build/bench/bench_versions" "$shared/fixtures/versions" "$min"
