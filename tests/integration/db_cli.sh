#!/bin/sh
# fathom db: import the shared OSV data, info, query (table and JSON), the database location
# and the errors, through the command line.
set -u
: "${FATHOM:?}" "${FATHOM_SHARED:?}" "${PYTHON:=python3}"
data="$FATHOM_SHARED/data/vulndata"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
# run WANT_STATUS command...: stdout in $tmp/out, stderr in $tmp/err
run() {
    want_status=$1
    shift
    "$@" >"$tmp/out" 2>"$tmp/err"
    status=$?
    [ "$status" = "$want_status" ] || fail "$*: exit $status, want $want_status ($(cat "$tmp/err"))"
}
has() { grep -q -- "$2" "$tmp/$1" || fail "'$2' not in $1: $(head -c 600 "$tmp/$1")"; }

db="$tmp/sub/dir/v.sqlite"
unset FATHOM_DB
run 0 "$FATHOM" db import --db "$db" --source shared "$data/ghsa" "$data/pypi/vulns" \
    "$data/go/osv-stdlib-toolchain"
has err "222 files: 222 imported, 0 updated, 0 unchanged, 0 skipped"
run 0 "$FATHOM" db import --db "$db" --source shared "$data/ghsa"
has err "5 files: 0 imported, 0 updated, 5 unchanged, 0 skipped"

run 0 "$FATHOM" db info --db "$db"
has out "advisories: 222"
has out "^shared .* 222$"
has out "^Go  *199  *6$"
has out "^PyPI  *18  *3$"
run 0 "$FATHOM" db info --db "$db" --format json
"$PYTHON" -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["advisories"]==222, d' \
    "$tmp/out" || fail "info json"

# The fixture image's expected findings, each package through the CLI in JSON.
"$PYTHON" - "$data" "$FATHOM" "$db" <<'PY' || fail "fixture findings"
import json, subprocess, sys
data, fathom, db = sys.argv[1:]
pkgs = json.load(open(data + "/fixture-image-language-packages.json"))
want = {}
for line in open(data + "/fixture-image.expected-findings.jsonl"):
    f = json.loads(line)
    want.setdefault((f["ecosystem"], f["name"], f["version"]), set()).add(f["id"])
total = 0
for p in pkgs:
    key = (p["ecosystem"], p["name"], p["version"])
    out = subprocess.run([fathom, "db", "query", "--db", db, "-f", "json", *key],
                         check=True, capture_output=True, text=True).stdout
    got = {m["id"] for m in json.loads(out)}
    if got != want.get(key, set()):
        sys.exit(f"{key}: {sorted(got)} != {sorted(want.get(key, set()))}")
    total += len(got)
assert total == 8, total
PY

# FATHOM_DB, then XDG_CACHE_HOME, name the database
FATHOM_DB="$db" run 0 "$FATHOM" db query npm lodash 4.17.20
has out "GHSA-29mw-wpgm-hmr9  CVE-2020-28500"
has out "7.2 HIGH     CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H"
mkdir -p "$tmp/cache/fathom" && cp "$db" "$tmp/cache/fathom/vulndb.sqlite"
XDG_CACHE_HOME="$tmp/cache" run 0 "$FATHOM" db query pypi Cryptography 38.0.4
has out "PYSEC-2023-254"
run 0 "$FATHOM" db query --db "$db" npm lodash 4.17.21
has out "no advisories for npm lodash 4.17.21"
run 0 "$FATHOM" db query --db "$db" --format json PyPI pip 23.3
[ "$(cat "$tmp/out")" = "[]" ] || fail "empty json: $(cat "$tmp/out")"

# a malformed advisory is skipped with a warning, the import goes on
mkdir "$tmp/adv"
printf 'id: 7\nmodified: "2024-01-01T00:00:00Z"\n' >"$tmp/adv/bad.yaml"
printf '{"id": "OK-1", "modified": "2024-01-01T00:00:00Z"}' >"$tmp/adv/ok.json"
run 0 "$FATHOM" db import --db "$tmp/m.sqlite" "$tmp/adv"
has err "bad.yaml:1:5: 'id': expected a string, found an integer; advisory skipped"
has err "2 files: 1 imported, 0 updated, 0 unchanged, 1 skipped"

# archives: the whole Go vulndb as published (tar.gz); a truncated copy fails and changes nothing
run 0 "$FATHOM" db import --db "$tmp/a.sqlite" "$data/full/go-vulndb-data-osv.tar.gz"
has err "4291 files: 4291 imported, 0 updated, 0 unchanged, 0 skipped"
head -c 400000 "$data/full/go-vulndb-data-osv.tar.gz" >"$tmp/trunc.tar.gz"
run 2 "$FATHOM" db import --db "$tmp/a.sqlite" --source trunc "$data/ghsa" "$tmp/trunc.tar.gz"
has err "trunc.tar.gz: .*damaged archive"
run 0 "$FATHOM" db info --db "$tmp/a.sqlite"
has out "advisories: 4291"

# errors
run 2 "$FATHOM" db query --db "$db" nosuch x 1
has err "'nosuch': unknown ecosystem"
run 2 "$FATHOM" db query --db "$db" npm lodash not-a-version
run 2 "$FATHOM" db query --db "$db" npm lodash
run 2 "$FATHOM" db query --db "$tmp/none.sqlite" npm lodash 1.0.0
has err "no vulnerability database"
run 2 "$FATHOM" db import --db "$db" "$tmp/does-not-exist"
run 0 "$FATHOM" db info --db "$db"
has out "advisories: 222"
run 2 "$FATHOM" db info --db "$db" --format xml
run 2 "$FATHOM" db frobnicate
run 2 "$FATHOM" db
run 0 "$FATHOM" db --help
has out "fathom db query \[options\] ECOSYSTEM PACKAGE VERSION"
run 0 "$FATHOM" help db
has out "FATHOM_DB"
run 0 "$FATHOM" --help
has out "db import|info|query"

# RustSec, Debian DSA/DLA lists and tracker JSON, Alpine secdb; distro queries (--distro)
ddb="$tmp/distro.sqlite"
run 0 "$FATHOM" db import --db "$ddb" "$data/full/rustsec-advisory-db-crates.tar.gz"
has err "1205 files: 1205 imported, 0 updated, 0 unchanged, 0 skipped"
run 0 "$FATHOM" db import --db "$ddb" "$data/rust"
has err "29 files: 0 imported, 0 updated, 29 unchanged, 0 skipped"
run 0 "$FATHOM" db query --db "$ddb" cargo openssl 0.10.54
has out "^RUSTSEC-2023-0044 .*CVE-2023-53159,GHSA-xcf7-rvmh-g6q4 0.10.55 "
run 0 "$FATHOM" db import --db "$ddb" "$data/debian/security-tracker-2023-04/DSA-list" \
    "$data/debian/security-tracker-2023-04/DLA-list" \
    "$data/format-samples/google+osv.dev/vulnfeeds/test_data/debian/debian_security_tracker_mock.json"
has err "3 files: 8943 imported, 0 updated, 0 unchanged, 0 skipped"
run 0 "$FATHOM" db import --db "$ddb" --source alpine "$data/alpine/alpine-secdb"
run 0 "$FATHOM" db info --db "$ddb"
has out "^advisories: 12622 (13 withdrawn)$"
has out "^Debian  *8916  *2110$"
has out "^Alpine  *2474  *323$"
has out "^rustsec .* 1205$"
has out "^debian .* 8943$"
has out "^crates.io  *1205  *908$"
run 0 "$FATHOM" db query --db "$ddb" Debian apparmor 2.11.0-2 --distro debian:bookworm
has out "^ID  *STATUS  *FIXED  *RELEASE  *SEVERITY  *ALIASES$"
has out "^DEBIAN-CVE-2016-1585  *unfixed  *-  *bookworm  *unimportant  *CVE-2016-1585$"
has out "^DEBIAN-CVE-2017-6507  *fixed  *2.11.0-3  *bookworm  *not yet assigned  *CVE-2017-6507$"
run 0 "$FATHOM" db query --db "$ddb" --format json deb xorg-server 2:1.20.11-1+deb11u5 \
    --distro debian:11
"$PYTHON" - "$tmp/out" <<'PY' || fail "distro json"
import json, sys
m = json.load(open(sys.argv[1]))
assert [x["id"] for x in m] == ["DSA-5380-1"], m
assert m[0]["status"] == "fixed" and m[0]["release"] == "bullseye", m
assert m[0]["fixed"] == ["2:1.20.11-1+deb11u6"] and m[0]["aliases"] == ["CVE-2023-1393"], m
PY
run 0 "$FATHOM" db query --db "$ddb" Debian xorg-server 2:1.20.11-1+deb11u6 --distro debian:bullseye
has out "^no advisories for Debian xorg-server 2:1.20.11-1+deb11u6 in debian:bullseye$"
run 0 "$FATHOM" db query --db "$ddb" Alpine musl 1.1.22-r2 --distro alpine:3.10.3
has out "^ALPINE-CVE-2019-14697  *fixed  *1.1.22-r3  *v3.10 "
run 0 "$FATHOM" db query --db "$ddb" apk musl 1.1.22-r3 --distro alpine:v3.11
has out "^ALPINE-CVE-2019-14697  *fixed  *1.1.23-r2  *v3.11 "
run 2 "$FATHOM" db query --db "$ddb" Debian apparmor 1.0 --distro ubuntu:jammy
has err "'ubuntu': unknown distro"
run 2 "$FATHOM" db query --db "$ddb" Debian apparmor 1.0 --distro debian
has err "expected --distro NAME:RELEASE"
run 2 "$FATHOM" db query --db "$ddb" npm apparmor 1.0 --distro debian:12
has err "'npm' is not the ecosystem of --distro 'debian:12'"
run 2 "$FATHOM" db query --db "$ddb" Debian:12 apparmor 1.0 --distro debian:12
run 2 "$FATHOM" db import --db "$ddb" --distro debian:12 "$data/rust"
has err "--distro goes with 'db query'"

[ "$fails" = 0 ] || { echo "$fails failures"; exit 1; }
echo "ok"
