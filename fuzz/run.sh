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
    if [ "$name" = fuzz_version ]; then
        # version pairs from the shared vectors: ecosystem byte, then "A<TAB>B"
        python3 - "$shared/fixtures/versions" "$corpus" <<'PY' || true
import json, os, sys
src, out = sys.argv[1], sys.argv[2]
ecos = {"deb": 1, "apk": 2, "rpm": 3, "npm": 4, "pypi": 6, "maven": 7}
n = 0
for name in sorted(os.listdir(src)):
    eco = ecos.get(name.split(".")[0])
    if not eco or not name.endswith(".jsonl"):
        continue
    for i, line in enumerate(open(os.path.join(src, name), encoding="utf-8")):
        if i >= 40:
            break
        r = json.loads(line)
        a = r.get("a") or r.get("version") or ""
        b = r.get("b") or r.get("range") or ""
        with open(os.path.join(out, "v-%d" % n), "wb") as f:
            f.write(bytes([eco]) + ("%s\t%s" % (a, b)).encode())
        n += 1
PY
    fi
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
