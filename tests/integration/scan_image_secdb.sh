#!/bin/sh
# fathom scan image: Alpine packages by branch and origin. With the whole (frozen) alpine-secdb
# repository imported, Trivy's real `docker save` archives of Alpine 3.10.4 and 3.11.5 give no
# vulnerability, as vulndata/alpine/trivy-alpine-31*.expected-findings.jsonl say (every
# installed version is at or past the newest fix). Then a secdb document the test writes for
# branch v3.10 (a fix one release past the installed busybox, under the ORIGIN busybox) must
# give exactly that advisory on busybox and on ssl_client (a subpackage of busybox), and the
# same document for v3.11 nothing on the 3.10 image.
set -u

: "${FATHOM:?FATHOM must name the fathom binary}"
: "${FATHOM_SHARED:?FATHOM_SHARED must name the shared folder}"
PYTHON=${PYTHON:-python3}
VD=$FATHOM_SHARED/data/vulndata/alpine
R=$FATHOM_SHARED/data/images/real-docker-save

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
export XDG_CACHE_HOME=$tmp/cache
unset FATHOM_DB
fails=0
fail() {
    echo "FAIL: $*"
    fails=$((fails + 1))
}

"$FATHOM" db import --db "$tmp/db.sqlite" "$VD/alpine-secdb" >"$tmp/import.out" 2>&1 ||
    fail "db import: $(cat "$tmp/import.out")"
for vv in 310:3.10.4 311:3.11.5; do
    v=${vv%%:*}
    n=$(wc -l <"$VD/trivy-alpine-$v-${vv#*:}.expected-findings.jsonl")
    "$FATHOM" scan image --db "$tmp/db.sqlite" --scanners vuln --format json \
        "docker-archive:$R/alpine-$v.tar.gz" >"$tmp/$v.json" 2>"$tmp/$v.err"
    st=$?
    [ "$st" -eq 0 ] || fail "alpine-$v: exit $st, expected 0: $(head -3 "$tmp/$v.err")"
    "$PYTHON" -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if len(d["findings"]) == int(sys.argv[2]) and d["summary"]["packages"] >= 10 else 1)' \
        "$tmp/$v.json" "$n" || fail "alpine-$v: expected $n findings"
done

for branch in v3.10 v3.11; do
    "$PYTHON" - "$branch" "$tmp/$branch.json" <<'EOF' || fail "cannot write the secdb document"
import json, sys
json.dump({"distroversion": sys.argv[1], "reponame": "main", "urlprefix": "x", "apkurl": "x",
           "archs": ["x86_64"],
           "packages": [{"pkg": {"name": "busybox", "secfixes": {"1.30.1-r4": ["CVE-2099-0001"]}}}]},
          open(sys.argv[2], "w"))
EOF
    "$FATHOM" db import --db "$tmp/$branch.sqlite" "$tmp/$branch.json" >/dev/null 2>&1 ||
        fail "db import $branch"
    "$FATHOM" scan image --db "$tmp/$branch.sqlite" --scanners vuln --format json \
        "docker-archive:$R/alpine-310.tar.gz" >"$tmp/$branch.out" 2>/dev/null
    echo $? >"$tmp/$branch.st"
done
[ "$(cat "$tmp/v3.10.st")" = 1 ] || fail "v3.10 advisory: exit 1 expected"
[ "$(cat "$tmp/v3.11.st")" = 0 ] || fail "v3.11 advisory on a 3.10 image: exit 0 expected"
"$PYTHON" - "$tmp/v3.10.out" <<'EOF' || fail "v3.10 findings"
import json, sys
d = json.load(open(sys.argv[1]))
got = sorted((f["id"], f["package"]["name"], f["package"]["version"], tuple(f["fixed_versions"]),
              f["status"]) for f in d["findings"])
want = [("ALPINE-CVE-2099-0001", "busybox", "1.30.1-r3", ("1.30.1-r4",), "fixed"),
        ("ALPINE-CVE-2099-0001", "ssl_client", "1.30.1-r3", ("1.30.1-r4",), "fixed")]
sys.exit(0 if got == want else (print(got) or 1))
EOF

echo "scan_image_secdb: $fails failure(s)"
[ "$fails" -eq 0 ]
