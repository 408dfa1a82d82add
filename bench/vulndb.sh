#!/bin/sh
# bench/vulndb: the vulnerability database through the public API, single-threaded. Imports the
# whole Go vulndb and PyPA database archives from the shared data into a new database (records
# per second, size per 10,000 advisories), then times fth_vulndb_match over one lookup per
# affected package drawn from that database (a version named by its ranges) plus as many
# lookups of packages it does not hold. Prints figures; asserts nothing.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
build=${BUILD:-$root/build}
shared=${FATHOM_SHARED:-$root/../shared}
full=$shared/data/vulndata/full
min=${BENCH_LOOKUPS:-200000}

if [ ! -x "$build/bench/bench_vulndb" ]; then
    echo "bench/vulndb: $build/bench/bench_vulndb is missing (build first)" >&2
    exit 1
fi
if ! command -v sqlite3 >/dev/null 2>&1; then
    echo "bench/vulndb: sqlite3 is missing (scripts/install-deps.sh)" >&2
    exit 1
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/fathom-bench-vulndb.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM

"$build/bench/bench_vulndb" import "$tmp/db.sqlite" "$full/go-vulndb-data-osv.tar.gz" \
    "$full/pypa-advisory-database-vulns.tar.gz"
# hits: each distinct (ecosystem, package) with a version its first range names; misses: the
# same ecosystems and versions with a package name nobody publishes
sqlite3 -separator '	' "$tmp/db.sqlite" >"$tmp/hits" <<'SQL'
SELECT ecosystem, package,
       coalesce(json_extract(ranges, '$[0].events[1].fixed'),
                json_extract(ranges, '$[0].events[1].last_affected'),
                json_extract(versions, '$[0]'), '1.0.0')
FROM affected GROUP BY ecosystem, package_key;
SQL
awk -F '	' '{ print $1 "\tno-such-package-" NR "\t" $3 }' "$tmp/hits" >"$tmp/misses"
cat "$tmp/hits" "$tmp/misses" >"$tmp/list"
"$build/bench/bench_vulndb" match "$tmp/db.sqlite" "$tmp/list" "$min"
