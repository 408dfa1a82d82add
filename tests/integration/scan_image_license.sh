#!/bin/sh
# fathom scan image --scanners license and --license-deny on the fixture images:
#  - the Alpine fixture (3.20.3-whiteout): exactly one finding per package and declared licence
#    (apk L: fields, npm package.json, PyPI METADATA; minimist deleted by a later layer), graded
#    by category as Trivy does (forbidden CRITICAL, restricted HIGH, reciprocal MEDIUM, notice,
#    permissive and unencumbered LOW, unknown UNKNOWN);
#  - the gate: --license-deny with ids, prefixes and categories reports only what it denies
#    (at least HIGH), and the exit status follows --exit-code, --severity and ignore files,
#    ./.trivyignore included by default;
#  - Debian (oci-bookworm): licences from the copyright files, LGPL-2.1 of libc6 denied;
#  - SARIF and JSON carry the category; a bad deny list is exit 2 naming the entry.
set -u

: "${FATHOM:?FATHOM must name the fathom binary}"
: "${FATHOM_SHARED:?FATHOM_SHARED must name the shared folder}"
PYTHON=${PYTHON:-python3}
A=oci:$FATHOM_SHARED/data/images/oci-alpine:3.20.3-whiteout
B=oci:$FATHOM_SHARED/data/images/oci-bookworm:bookworm

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
export XDG_CACHE_HOME=$tmp/cache
fails=0
fail() {
    echo "FAIL: $*"
    fails=$((fails + 1))
}

# run NAME WANT_STATUS ARGS...: fathom scan image ARGS into $tmp/NAME (stderr $tmp/NAME.err)
run() {
    name=$1 want=$2
    shift 2
    "$FATHOM" scan image "$@" >"$tmp/$name" 2>"$tmp/$name.err"
    st=$?
    [ "$st" -eq "$want" ] || fail "$name: exit $st, expected $want: $(head -3 "$tmp/$name.err")"
}

# ---- every licence, graded ----
run all 1 --scanners license --format json "$A"
"$PYTHON" - "$tmp/all" <<'EOF' || fail "alpine: the licence findings"
import json, sys
d = json.load(open(sys.argv[1]))
want = {
    ("PyYAML", "python", "MIT", "notice", "LOW", True),
    ("alpine-baselayout", "apk", "GPL-2.0-only", "restricted", "HIGH", True),
    ("alpine-baselayout-data", "apk", "GPL-2.0-only", "restricted", "HIGH", True),
    ("alpine-keys", "apk", "MIT", "notice", "LOW", True),
    ("apk-tools", "apk", "GPL-2.0-only", "restricted", "HIGH", True),
    ("busybox", "apk", "GPL-2.0-only", "restricted", "HIGH", True),
    ("busybox-binsh", "apk", "GPL-2.0-only", "restricted", "HIGH", True),
    # L: MPL-2.0 AND MIT
    ("ca-certificates-bundle", "apk", "MIT", "notice", "LOW", True),
    ("ca-certificates-bundle", "apk", "MPL-2.0", "reciprocal", "MEDIUM", True),
    # License: BSD-3-Clause OR Apache-2.0 (the user may pick either: the less encumbering)
    ("cryptography", "python", "BSD-3-Clause OR Apache-2.0", "notice", "LOW", True),
    ("libcrypto3", "apk", "Apache-2.0", "notice", "LOW", True),
    ("libssl3", "apk", "Apache-2.0", "notice", "LOW", True),
    ("lodash", "npm", "MIT", "notice", "LOW", True),
    ("lru-cache", "npm", "ISC", "notice", "LOW", True),
    ("minimist", "npm", "MIT", "notice", "LOW", False),
    ("musl", "apk", "MIT", "notice", "LOW", True),
    # L: MIT AND BSD-2-Clause AND GPL-2.0-or-later
    ("musl-utils", "apk", "BSD-2-Clause", "notice", "LOW", True),
    ("musl-utils", "apk", "GPL-2.0-or-later", "restricted", "HIGH", True),
    ("musl-utils", "apk", "MIT", "notice", "LOW", True),
    # only classifiers, which do not say which Apache or BSD licence: not guessed
    ("packaging", "python", "Apache Software License", "unknown", "UNKNOWN", True),
    ("packaging", "python", "BSD License", "unknown", "UNKNOWN", True),
    ("pip", "python", "MIT", "notice", "LOW", True),
    ("scanelf", "apk", "GPL-2.0-only", "restricted", "HIGH", True),
    ("semver", "npm", "ISC", "notice", "LOW", True),
    ("ssl_client", "apk", "GPL-2.0-only", "restricted", "HIGH", True),
    ("yallist", "npm", "ISC", "notice", "LOW", True),
    ("zlib", "apk", "Zlib", "notice", "LOW", True),
}
got = [(f["package"]["name"], f["package"]["type"], f["id"], f["category"], f["severity"],
        f["present_in_final_image"]) for f in d["findings"]]
bad = 0
if len(got) != len(set(got)) or set(got) != want:
    print("missing", sorted(want - set(got)), "unexpected", sorted(set(got) - want))
    bad = 1
for f in d["findings"]:
    if f["class"] != "license" or f["location"]["layer"] is None or not f["location"]["path"]:
        print("not a located licence finding:", f)
        bad = 1
    if f["id"] == "GPL-2.0-only" and f["references"] != ["https://spdx.org/licenses/GPL-2.0-only.html"]:
        print("no SPDX reference:", f["references"])
        bad = 1
mini = [f for f in d["findings"] if f["package"]["name"] == "minimist"][0]
if mini["location"]["path"] != "app/node_modules/minimist/package.json" or "deleted" not in mini["message"]:
    print("minimist:", mini)
    bad = 1
sys.exit(bad)
EOF

# ---- the gate ----
run deny 1 --scanners hygiene --license-deny 'GPL-*,mpl-2.0' --format json "$A"
"$PYTHON" - "$tmp/deny" <<'EOF' || fail "--license-deny GPL-*,mpl-2.0: the denied licences only"
import json, sys
d = json.load(open(sys.argv[1]))
lic = [f for f in d["findings"] if f["class"] == "license"]
got = sorted((f["package"]["name"], f["id"], f["severity"]) for f in lic)
want = sorted([(p, "GPL-2.0-only", "HIGH") for p in ("alpine-baselayout", "alpine-baselayout-data",
        "apk-tools", "busybox", "busybox-binsh", "scanelf", "ssl_client")] +
        [("musl-utils", "GPL-2.0-or-later", "HIGH"), ("ca-certificates-bundle", "MPL-2.0", "HIGH")])
ok = got == want and all("denied by '" in f["message"] for f in lic)
# --license-deny adds the licence scanner to the ones asked for
ok = ok and sorted(d["scanners"]) == ["hygiene", "license"]
sys.exit(0 if ok else (print(got) or 1))
EOF
run deny-none 0 --scanners license --license-deny 'network-copyleft,forbidden,AGPL-3.0-only' "$A"
run deny-code 3 --scanners license --license-deny GPL-2.0-or-later --exit-code 3 "$A"
run deny-code0 0 --scanners license --license-deny GPL-2.0-only --exit-code 0 "$A"
run deny-sev 0 --scanners license --license-deny GPL-2.0 --severity CRITICAL "$A"
run deny-sev2 1 --scanners license --license-deny GPL-2.0 --severity HIGH "$A"
run bad-list 2 --scanners license --license-deny 'MIT,frobnicate' "$A"
grep -q "'frobnicate' is neither an SPDX licence id nor a category" "$tmp/bad-list.err" ||
    fail "bad deny list: $(cat "$tmp/bad-list.err")"
grep -q '"category": "restricted"' "$tmp/deny" || fail "JSON: no licence category"

# an ignore file suppresses by licence and package; ./.trivyignore is read by default (six
# stay open: five GPL-2.0-only packages and musl-utils, GPL-2.0-or-later)
mkdir "$tmp/cwd"
printf 'GPL-2.0-only pkg:busybox  # approved\nGPL-2.0-only pkg:busybox-binsh\n' >"$tmp/ignore.txt"
run ign 1 --scanners license --license-deny GPL-2.0-only --ignorefile "$tmp/ignore.txt" \
    --format json "$A"
cp "$tmp/ignore.txt" "$tmp/cwd/.trivyignore"
(cd "$tmp/cwd" && "$FATHOM" scan image --scanners license --license-deny GPL-2.0-only \
    --format json "$A" >"$tmp/ign-default" 2>"$tmp/ign-default.err")
[ $? -eq 1 ] || fail "default .trivyignore: exit 1 expected (other GPL packages)"
for f in ign ign-default; do
    "$PYTHON" - "$tmp/$f" <<'EOF' || fail "$f: busybox and busybox-binsh suppressed, the rest not"
import json, sys
d = json.load(open(sys.argv[1]))
sup = sorted(f["package"]["name"] for f in d["findings"] if f["suppressed"])
opn = [f for f in d["findings"] if not f["suppressed"]]
sys.exit(0 if sup == ["busybox", "busybox-binsh"] and len(opn) == 6 else (print(sup, len(opn)) or 1))
EOF
done
printf 'GPL-2.0-only\nGPL-2.0-or-later\n' >"$tmp/cwd/.trivyignore"
(cd "$tmp/cwd" && "$FATHOM" scan image --scanners license --license-deny GPL-2.0-only "$A" \
    >/dev/null 2>&1)
[ $? -eq 0 ] || fail "default .trivyignore suppressing every denied licence: exit 0 expected"

# ---- SARIF: a rule per licence, tagged, with the category ----
run sarif 1 --scanners license --license-deny 'GPL-*' --format sarif "$A"
"$PYTHON" - "$tmp/sarif" <<'EOF' || fail "SARIF licence results"
import json, sys
d = json.load(open(sys.argv[1]))
run = d["runs"][0]
rules = {r["id"]: r for r in run["tool"]["driver"]["rules"]}
res = run["results"]
ok = set(rules) == {"GPL-2.0-only", "GPL-2.0-or-later"} and len(res) == 8
ok = ok and all("license" in r["properties"]["tags"] for r in rules.values())
ok = ok and all(r["properties"]["licenseCategory"] == "restricted" for r in res)
sys.exit(0 if ok else (print(rules.keys(), len(res)) or 1))
EOF

# ---- Debian: licences from the copyright files ----
# a deny entry names a licence and version, -only and -or-later alike
run bw 1 --scanners license --license-deny 'LGPL-2.1-only' --format json "$B"
"$PYTHON" - "$tmp/bw" <<'EOF' || fail "bookworm: LGPL-2.1 denied in libc6"
import json, sys
d = json.load(open(sys.argv[1]))
names = {f["package"]["name"] for f in d["findings"]}
ok = "libc6" in names and all(f["id"] in ("LGPL-2.1-only", "LGPL-2.1-or-later")
                              for f in d["findings"])
ok = ok and all(f["location"]["path"].startswith("usr/share/doc/") or
                f["location"]["path"].startswith("var/lib/dpkg/") for f in d["findings"])
sys.exit(0 if ok else (print(sorted(names)) or 1))
EOF
run bw-net 0 --scanners license --license-deny network-copyleft "$B"

if [ "$fails" -ne 0 ]; then
    echo "scan_image_license: $fails failure(s)"
    exit 1
fi
echo "scan_image_license: ok"
