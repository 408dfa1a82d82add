#!/bin/sh
# bench/image: the cold inventory of oci-bookworm (one thread, no layer cache) next to the time
# to merely gunzip its layer in-process, and the tar walk alone, all in the same run; then the
# warm run (layer cache filled) and the CLI's whole-process time, cold and warm. Modes are
# interleaved over $BENCH_RUNS rounds and each mode's best round is kept. Asserts nothing.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
build=${BUILD:-$root/build}
shared=${FATHOM_SHARED:-$root/../shared}
runs=${BENCH_RUNS:-5}
image=${BENCH_IMAGE:-oci:$shared/data/images/oci-bookworm:bookworm}
work=$build/bench/work-image
rm -rf "$work"
mkdir -p "$work"
export XDG_CACHE_HOME="$work/cache"

: >"$work/runs.txt"
i=0
while [ $i -lt "$runs" ]; do
    "$build/bench/bench_image" decompress "$image" >>"$work/runs.txt"
    "$build/bench/bench_image" walk "$image" >>"$work/runs.txt"
    rm -rf "$XDG_CACHE_HOME"
    "$build/bench/bench_image" inventory "$image" 1 | sed 's/^inventory /cold /' >>"$work/runs.txt"
    "$build/bench/bench_image" inventory "$image" 1 | sed 's/^inventory /warm /' >>"$work/runs.txt"
    i=$((i + 1))
done
best() {
    grep "^$1 " "$work/runs.txt" | awk -F'seconds=' '{split($2, a, " "); print a[1] "\t" $0}' |
        sort -n | head -1 | cut -f2-
}
secs() { echo "$1" | sed 's/.*seconds=\([0-9.]*\).*/\1/'; }
d=$(best decompress)
w=$(best walk)
c=$(best cold)
h=$(best warm)
echo "$d"
echo "$w"
echo "$c"
echo "$h"
awk -v d="$(secs "$d")" -v w="$(secs "$w")" -v c="$(secs "$c")" -v h="$(secs "$h")" 'BEGIN {
    printf "ratio  tar walk / gunzip: %.2fx\n", w / d
    printf "ratio  cold inventory / gunzip: %.2fx (target <= 1.3x)\n", c / d
    printf "warm   inventory with cached layers: %.1f ms (target <= 50 ms)\n", h * 1000 }'

now() { python3 -c 'import time; print(time.monotonic())'; }
for mode in cold warm; do
    [ $mode = cold ] && rm -rf "$XDG_CACHE_HOME"
    t0=$(now)
    "$build/fathom" scan image --list-all-pkgs --format json -j 1 "$image" >/dev/null
    t1=$(now)
    awk -v a="$t0" -v b="$t1" -v m="$mode" \
        'BEGIN { printf "cli    %s seconds=%.3f (whole process, JSON inventory)\n", m, b - a }'
done
