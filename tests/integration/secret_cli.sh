#!/bin/sh
# fathom scan secret end to end: Trivy's integration fixture (a repo with a custom rule file)
# against its golden report, field by field; exit statuses; --severity; a bad rule file naming
# the rule; a huge file skipped with a warning (and scanned with --scan-large); a binary file
# skipped; and no secret readable anywhere in the output.
set -u

: "${FATHOM:?FATHOM must name the fathom binary}"
: "${FATHOM_SHARED:?FATHOM_SHARED must name the shared folder}"
PYTHON=${PYTHON:-python3}
FIX=$FATHOM_SHARED/fixtures/image/secrets/trivy-integration

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
fails=0
fail() {
    echo "FAIL: $*"
    fails=$((fails + 1))
}

# run NAME WANT_STATUS ARGS...: stdout to $tmp/NAME.out, stderr to $tmp/NAME.err
run() {
    name=$1
    want=$2
    shift 2
    "$FATHOM" scan secret "$@" >"$tmp/$name.out" 2>"$tmp/$name.err"
    got=$?
    [ "$got" = "$want" ] || fail "$name: exit $got, want $want: $(head -3 "$tmp/$name.err")"
}

# 1. The integration fixture: the same findings as Trivy's golden report. Titles of built-in
# rules are Fathom's own words; everything else is compared.
run golden 1 --config "$FIX/repo/trivy-secret.yaml" --format json "$FIX/repo"
"$PYTHON" - "$tmp/golden.out" "$FIX/secrets.json.golden" <<'EOF' || fail "golden comparison"
import json, sys
got = json.load(open(sys.argv[1]))
want = json.load(open(sys.argv[2]))
def norm(report, titles):
    out = []
    for r in report["Results"]:
        for s in r["Secrets"]:
            out.append((r["Target"], s["RuleID"], s["Category"], s["Severity"],
                        s["Title"] if s["RuleID"] in titles else "", s["StartLine"],
                        s["EndLine"], s["Match"], s["Offset"],
                        tuple((l["Number"], l["Content"], l["IsCause"], l["FirstCause"],
                               l["LastCause"]) for l in s["Code"]["Lines"])))
    return out
custom = {"mysecret"}
g, w = norm(got, custom), norm(want, custom)
if g != w:
    print("got: ", json.dumps(g, indent=1))
    print("want:", json.dumps(w, indent=1))
    sys.exit(1)
assert len(g) == 2, g
EOF

# 2. The table, the summary and the exit status; --exit-code; --severity filtering.
run table 1 --config "$FIX/repo/trivy-secret.yaml" "$FIX/repo"
grep -q '^Secrets: 2 in 1 files (CRITICAL: 1, HIGH: 1, MEDIUM: 0, LOW: 0, UNKNOWN: 0)$' \
    "$tmp/table.out" || fail "table summary: $(head -1 "$tmp/table.out")"
grep -q '^    export AWS_ACCESS_KEY_ID=\*\*\*\*\*\*\*\*\*\*\*\*\*\*\*\*\*\*\*\*$' "$tmp/table.out" ||
    fail "table: masked AWS line missing"
run exitcode 7 --config "$FIX/repo/trivy-secret.yaml" --exit-code 7 "$FIX/repo"
run sevhigh 1 --config "$FIX/repo/trivy-secret.yaml" --severity high "$FIX/repo"
grep -q '^Secrets: 1 in 1 files (CRITICAL: 0, HIGH: 1,' "$tmp/sevhigh.out" ||
    fail "--severity high: $(head -1 "$tmp/sevhigh.out")"
run sevlow 0 --config "$FIX/repo/trivy-secret.yaml" --severity low "$FIX/repo"

# 3. No secret of the fixture appears anywhere in any output.
for f in "$tmp"/*.out; do
    if grep -q -e 'AKIAABCDEFGHI1234567' -e 'echo mysecret' "$f"; then
        fail "$(basename "$f"): a secret is readable"
    fi
done

# 4. Without the config: built-in rules only, so the GitHub token is reported too, and the
# config file (now just a file in the tree) is scanned like any other.
run builtin 1 --format json "$FIX/repo"
"$PYTHON" - "$tmp/builtin.out" <<'EOF' || fail "built-in rules only"
import json, sys
d = json.load(open(sys.argv[1]))
got = sorted((r["Target"], s["RuleID"], s["StartLine"]) for r in d["Results"] for s in r["Secrets"])
want = [("deploy.sh", "aws-access-key-id", 3), ("deploy.sh", "github-pat", 5)]
assert got == want, got
EOF

# 5. Bad input: a rule whose regex does not compile names the rule; a missing path.
printf 'rules:\n  - id: broken-rule\n    regex: "a(b"\n' >"$tmp/bad.yaml"
run badrule 2 --config "$tmp/bad.yaml" "$FIX/repo"
grep -q "rule 'broken-rule': bad regex" "$tmp/badrule.err" ||
    fail "bad rule message: $(cat "$tmp/badrule.err")"
run missing 2 "$tmp/does-not-exist"
run usage 2 --format xml "$FIX/repo"

# 6. A huge file is skipped with a warning; --scan-large reads it in chunks and finds the
# secret at its end. A binary file is skipped; --scan-binary scans it.
mkdir "$tmp/tree"
"$PYTHON" - "$tmp/tree" <<'EOF'
import os, sys
d = sys.argv[1]
with open(os.path.join(d, "huge.txt"), "w") as f:
    line = "x" * 99 + "\n"
    f.write(line * 25000)
    f.write("token=ghp_0123456789abcdefghijABCDEFGHIJ012345\n")
with open(os.path.join(d, "blob.bin"), "wb") as f:
    f.write(b"\x7fELF\x00\x00\x00\x00" + b"\n AKIAZZZZYYYYXXXXWWWW \n")
EOF
run huge 0 --max-size 1000000 "$tmp/tree"
grep -q "'huge.txt': skipped, 2500047 bytes is over the 1000000-byte limit" "$tmp/huge.err" ||
    fail "huge file warning: $(cat "$tmp/huge.err")"
grep -q '^Secrets: 0 in 2 files' "$tmp/huge.out" || fail "huge: $(head -1 "$tmp/huge.out")"
run large 1 --max-size 1000000 --scan-large --scan-binary "$tmp/tree"
grep -q '^Secrets: 2 in 2 files' "$tmp/large.out" || fail "scan-large: $(cat "$tmp/large.out")"
grep -q 'github-pat: .* (line 25001, column 7)' "$tmp/large.out" ||
    fail "scan-large position: $(cat "$tmp/large.out")"

if [ "$fails" -ne 0 ]; then
    echo "$fails failure(s)"
    exit 1
fi
echo "secret_cli: all checks passed"
