#!/bin/sh
# bench/scan: the full scan of oci-bookworm (vulnerabilities, secrets, hygiene; one thread,
# no layer cache) next to its inventory alone, in the same run, the same with SHA-256
# fingerprints of every ELF file, then the secret scanner's throughput in MB/s of file content
# and vulnerability matching in packages/s. The database is built here from ../shared/data/vulndata: the GitHub, PyPA and Go
# advisories and a Debian tracker document written from the bookworm pending-updates file.
# Modes are interleaved over $BENCH_RUNS rounds and each mode's best round is kept.
# Asserts nothing.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
build=${BUILD:-$root/build}
shared=${FATHOM_SHARED:-$root/../shared}
runs=${BENCH_RUNS:-5}
image=${BENCH_IMAGE:-oci:$shared/data/images/oci-bookworm:bookworm}
vd=$shared/data/vulndata
work=$build/bench/work-scan
rm -rf "$work"
mkdir -p "$work"
export XDG_CACHE_HOME="$work/cache"

python3 - "$vd/debian/bookworm-minbase.pending-security-updates.jsonl" "$work/tracker.json" <<'EOF'
import json, sys
doc = {}
for line in open(sys.argv[1]):
    if line.strip():
        r = json.loads(line)
        for c in r["cves_fixed_after_installed"]:
            doc.setdefault(r["source"], {})[c["id"]] = {"releases": {"bookworm": {
                "status": "resolved", "urgency": "medium", "fixed_version": c["fixed_in"]}}}
json.dump(doc, open(sys.argv[2], "w"))
EOF
"$build/fathom" db import --db "$work/db.sqlite" "$vd/ghsa" "$vd/pypi" "$vd/go" \
    "$work/tracker.json" >/dev/null

: >"$work/runs.txt"
i=0
while [ $i -lt "$runs" ]; do
    "$build/bench/bench_scan" inventory "$image" >>"$work/runs.txt"
    "$build/bench/bench_scan" full "$image" "$work/db.sqlite" >>"$work/runs.txt"
    "$build/bench/bench_scan" fingerprint "$image" "$work/db.sqlite" >>"$work/runs.txt"
    "$build/bench/bench_scan" secret "$image" >>"$work/runs.txt"
    i=$((i + 1))
done
"$build/bench/bench_scan" match "$image" "$work/db.sqlite" >>"$work/runs.txt"
best() {
    grep "^$1 " "$work/runs.txt" | awk -F'seconds=' '{split($2, a, " "); print a[1] "\t" $0}' |
        sort -n | head -1 | cut -f2-
}
field() { echo "$1" | sed "s/.*$2=\([0-9.]*\).*/\1/"; }
inv=$(best inventory)
full=$(best full)
fp=$(best fingerprint)
sec=$(best secret)
match=$(best match)
echo "$inv"
echo "$full"
echo "$fp"
echo "$sec"
echo "$match"
awk -v i="$(field "$inv" seconds)" -v f="$(field "$full" seconds)" -v g="$(field "$fp" seconds)" \
    -v s="$(field "$sec" seconds)" -v b="$(field "$sec" secret_bytes)" \
    -v p="$(field "$match" packages_per_second)" 'BEGIN {
    printf "ratio  full scan / inventory: %.2fx (+%.0f%%, target <= +30%%)\n", f / i, (f / i - 1) * 100
    printf "ratio  full scan with ELF fingerprints / inventory: %.2fx\n", g / i
    if (s > i)
        printf "secret scan: %.1f MB/s of file content (%.1f MB in %.3f s over the walk)\n", b / (s - i) / 1e6, b / 1e6, s - i
    else
        printf "secret scan: %.1f MB within the walk time\n", b / 1e6
    printf "vulnerability matching: %.0f packages/s\n", p }'
