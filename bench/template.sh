#!/bin/sh
# bench/template: renders per second of bitnami/postgresql (../shared/data/charts, `common`
# copied under charts/) with default values, in-process (bench_template), then the
# whole-process time of `fathom template` on the same chart, best of $BENCH_RUNS runs.
# Targets (issue 6): one render <= 5 ms on one core, the whole process <= 20 ms.
# Asserts nothing.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
build=${BUILD:-$root/build}
shared=${FATHOM_SHARED:-$root/../shared}
runs=${BENCH_RUNS:-10}
work=$build/bench/work-template
rm -rf "$work"
mkdir -p "$work"
cp -R "$shared/data/charts/postgresql" "$work/postgresql"
mkdir -p "$work/postgresql/charts"
cp -R "$shared/data/charts/common" "$work/postgresql/charts/common"

"$build/bench/bench_template" "$work/postgresql" "${BENCH_SECONDS:-3}"

best=
i=0
while [ $i -lt "$runs" ]; do
    s=$(date +%s.%N)
    "$build/fathom" template "$work/postgresql" >/dev/null
    e=$(date +%s.%N)
    ms=$(echo "$s $e" | awk '{printf "%.2f", ($2 - $1) * 1000}')
    if [ -z "$best" ] || [ "$(echo "$ms $best" | awk '{print ($1 < $2)}')" = 1 ]; then
        best=$ms
    fi
    i=$((i + 1))
done
echo "process chart=postgresql runs=$runs best_ms=$best"
