#!/bin/sh
# Run every fuzz target for a while: fuzz/run.sh BUILD_DIR [SECONDS] (default 30 s each).
# The corpus starts from tests/fixtures/fuzz-seeds/ and a few shared Kubernetes fixtures; any
# crash, leak, sanitizer report or trap fails the run.
set -eu
build=${1:?usage: fuzz/run.sh BUILD_DIR [SECONDS]}
build=$(cd "$build" && pwd)
seconds=${2:-30}
[ -n "$seconds" ] || seconds=30
here=$(cd "$(dirname "$0")/.." && pwd)
shared=${FATHOM_SHARED:-$here/../shared}
work=$(mktemp -d "${TMPDIR:-/tmp}/fathom-fuzz.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM

status=0
for bin in "$build"/fuzz/fuzz_*; do
    [ -x "$bin" ] || continue
    name=$(basename "$bin")
    corpus=$work/$name
    mkdir -p "$corpus"
    # seeds: each gets a mode byte in front ('y' = YAML, '{' has bit 0 set = JSON)
    for f in "$here"/tests/fixtures/fuzz-seeds/*; do
        [ -f "$f" ] || continue
        case $f in
        *.json) mode='{' ;;
        *) mode='y' ;;
        esac
        { printf '%s' "$mode"; cat "$f"; } >"$corpus/seed-$(basename "$f")"
    done
    n=0
    for f in $(find "$shared/fixtures/kubesec" "$shared/fixtures/pss" -type f \
        \( -name '*.yaml' -o -name '*.yml' -o -name '*.json' \) 2>/dev/null | sort | head -40); do
        n=$((n + 1))
        [ "$(wc -c <"$f")" -le 65535 ] || continue
        { printf 'y'; cat "$f"; } >"$corpus/shared-$n"
    done
    echo "fuzz: $name for ${seconds}s ($(ls "$corpus" | wc -l) seeds)"
    if ! (cd "$work" && ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1} \
        "$bin" -max_total_time="$seconds" -max_len=65536 -rss_limit_mb=2048 -timeout=25 \
            -print_final_stats=1 "$corpus" 2>"$work/$name.log"); then
        tail -n 60 "$work/$name.log" >&2
        for c in "$work"/crash-* "$work"/timeout-* "$work"/leak-* "$work"/oom-*; do
            [ -f "$c" ] && cp "$c" "$build/" && echo "fuzz: kept $build/$(basename "$c")" >&2
        done
        status=1
        continue
    fi
    grep -E '^stat::(number_of_executed_units|average_exec_per_sec)|^Done' "$work/$name.log" || true
done
exit $status
