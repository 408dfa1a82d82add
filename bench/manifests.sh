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
runs=${BENCH_RUNS:-5}
work=$build/bench/work
mkdir -p "$work"

python3 "$here/gen_corpus.py" "$build/fathom" "$shared" "$root" "$work/corpus.yaml" \
    "$work/corpus.d" "$docs"

# Modes run interleaved, $runs rounds, so that noise from other work on the machine falls on
# every mode alike; each mode's best round is kept.
i=0
: >"$work/runs.txt"
while [ $i -lt "$runs" ]; do
    for mode in parse load scan pss; do
        "$build/bench/bench_manifests" "$mode" "$work/corpus.yaml" 2>/dev/null >>"$work/runs.txt"
    done
    i=$((i + 1))
done
best() { # the line of mode $1 with the lowest seconds
    grep "^$1 " "$work/runs.txt" | awk -F'seconds=' '{split($2, a, " "); print a[1] "\t" $0}' |
        sort -n | head -1 | cut -f2-
}
secs() { echo "$1" | sed 's/.*seconds=\([0-9.]*\).*/\1/'; }
parse=$(best parse)
load=$(best load)
scan=$(best scan)
pss=$(best pss)
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
    # exit 1 is the --pss gate (the corpus has violating pods); 2 would be unreadable input
    status=0
    "$build/fathom" scan manifest --format json --fail-on none --pss restricted -j "$t" \
        "$work/corpus.d" >/dev/null || status=$?
    t1=$(now)
    [ "$status" -le 1 ] || { echo "bench: fathom failed ($status)" >&2; exit 1; }
    awk -v a="$t0" -v b="$t1" -v t="$t" -v n="$docs" \
        'BEGIN { printf "dir    threads=%d seconds=%.3f docs/s=%.0f (CLI, JSON report included)\n", t, b - a, n / (b - a) }'
done
