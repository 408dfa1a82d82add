#!/bin/sh
# bench/manifests: Fathom's full manifest analysis against libyaml's bare parse of the same
# bytes, measured in the same run, single-threaded; then a directory of the same documents
# scanned with one thread and with every core. Prints figures; asserts nothing.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
build=${BUILD:-$root/build}
shared=${FATHOM_SHARED:-$root/../shared}
docs=${BENCH_DOCS:-20000}
runs=${BENCH_RUNS:-3}
work=$build/bench/work
mkdir -p "$work"

python3 "$here/gen_corpus.py" "$build/fathom" "$shared" "$root" "$work/corpus.yaml" \
    "$work/corpus.d" "$docs"

best() { # best of $runs: mode file -> the line with the lowest seconds
    i=0
    while [ $i -lt "$runs" ]; do
        "$build/bench/bench_manifests" "$1" "$2" 2>/dev/null
        i=$((i + 1))
    done | sort -t= -k4 -n | awk -F'seconds=' '{split($2, a, " "); print a[1] "\t" $0}' |
        sort -n | head -1 | cut -f2-
}

secs() { echo "$1" | sed 's/.*seconds=\([0-9.]*\).*/\1/'; }
parse=$(best parse "$work/corpus.yaml")
load=$(best load "$work/corpus.yaml")
scan=$(best scan "$work/corpus.yaml")
pss=$(best pss "$work/corpus.yaml")
echo "$parse"
echo "$load"
echo "$scan"
echo "$pss"
awk -v p="$(secs "$parse")" -v l="$(secs "$load")" -v s="$(secs "$scan")" -v q="$(secs "$pss")" 'BEGIN {
    printf "ratio  value-tree load / bare libyaml parse: %.2fx\n", l / p
    printf "ratio  analysis / bare libyaml parse: default rules %.2fx, with --pss restricted %.2fx (target <= 1.5x)\n", s / p, q / p }'

now() { python3 -c 'import time; print(time.monotonic())'; }
cores=$(nproc 2>/dev/null || echo 1)
for t in 1 "$cores"; do
    t0=$(now)
    "$build/fathom" scan manifest --format json --fail-on none --pss restricted -j "$t" \
        "$work/corpus.d" >/dev/null
    t1=$(now)
    awk -v a="$t0" -v b="$t1" -v t="$t" -v n="$docs" \
        'BEGIN { printf "dir    threads=%d seconds=%.3f docs/s=%.0f (CLI, JSON report included)\n", t, b - a, n / (b - a) }'
done
