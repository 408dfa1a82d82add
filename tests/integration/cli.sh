#!/bin/sh
# The command line: help for every command, version, common flags, inputs, exit statuses.
set -u
: "${FATHOM:?}" "${FATHOM_SOURCE_DIR:?}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
# expect STATUS DESCRIPTION -- command...: run, compare the exit status.
expect() {
    want=$1 what=$2
    shift 3
    "$@" >"$tmp/out" 2>"$tmp/err"
    got=$?
    [ "$got" = "$want" ] || fail "$what: exit $got, want $want; stderr: $(head -3 "$tmp/err")"
}
has() { grep -q -- "$2" "$1" || fail "'$2' not in $1: $(head -5 "$1")"; }

# Help and version.
expect 0 "--help" -- "$FATHOM" --help
has "$tmp/out" "scan manifest"
expect 0 "help scan" -- "$FATHOM" help scan
expect 0 "scan manifest --help" -- "$FATHOM" scan manifest --help
for flag in --format --output --quiet --verbose --no-color --fail-on --min-score --pss \
    --no-annotations --threads; do
    has "$tmp/out" -- "$flag"
done
expect 0 "rules list --help" -- "$FATHOM" rules list --help
has "$tmp/out" "--source"
expect 0 "--version" -- "$FATHOM" --version
has "$tmp/out" "^fathom [0-9]"
expect 2 "no command" -- "$FATHOM"
expect 2 "unknown command" -- "$FATHOM" frobnicate
has "$tmp/err" "unknown command 'frobnicate'"
expect 2 "no scan target" -- "$FATHOM" scan
expect 2 "no input" -- "$FATHOM" scan manifest
has "$tmp/err" "no input"
expect 2 "bad format" -- "$FATHOM" scan manifest --format xml -
has "$tmp/err" "unknown format 'xml'"
expect 2 "bad severity" -- "$FATHOM" scan manifest --fail-on severe -
has "$tmp/err" "unknown severity 'severe'"
expect 2 "bad score" -- "$FATHOM" scan manifest --min-score ten -
expect 2 "bad pss" -- "$FATHOM" scan manifest --pss strict -
expect 2 "bad option" -- "$FATHOM" scan manifest --frob -

# A clean object and a flawed one.
cat >"$tmp/ok.yaml" <<'YAML'
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data:
  mode: fast
YAML
cat >"$tmp/priv.yaml" <<'YAML'
apiVersion: v1
kind: Pod
metadata:
  name: priv
spec:
  containers:
  - name: app
    image: nginx:1.25
    securityContext:
      privileged: true
YAML

# Formats: json by default when not a terminal; --output writes the file.
expect 0 "json default" -- "$FATHOM" scan manifest "$tmp/ok.yaml"
"$PYTHON" -c 'import json,sys; json.load(open(sys.argv[1]))' "$tmp/out" || fail "default output is not JSON"
expect 0 "--output" -- "$FATHOM" scan manifest --format json -o "$tmp/report.json" "$tmp/ok.yaml"
[ -s "$tmp/report.json" ] && [ ! -s "$tmp/out" ] || fail "--output did not write the file alone"
expect 2 "--output unwritable" -- "$FATHOM" scan manifest -o "$tmp/no/such/dir/r.json" "$tmp/ok.yaml"
has "$tmp/err" "cannot write"
for f in table json kubesec sarif; do
    expect 0 "format $f" -- "$FATHOM" scan manifest --format "$f" "$tmp/ok.yaml"
    [ -s "$tmp/out" ] || fail "format $f printed nothing"
done
expect 0 "table has no colour off a terminal" -- "$FATHOM" scan manifest --format table "$tmp/priv.yaml" --fail-on none
if grep -q "$(printf '\033')" "$tmp/out"; then fail "colour written to a pipe"; fi

# stdin.
expect 0 "stdin" -- sh -c "\"$FATHOM\" scan manifest --format json - <\"$tmp/ok.yaml\""
has "$tmp/out" "settings"

# Gates.
expect 1 "privileged fails the default gate" -- "$FATHOM" scan manifest "$tmp/priv.yaml"
expect 0 "--fail-on none" -- "$FATHOM" scan manifest --fail-on none "$tmp/priv.yaml"
expect 1 "--min-score" -- "$FATHOM" scan manifest --fail-on none --min-score 1 "$tmp/priv.yaml"
expect 0 "--min-score met" -- "$FATHOM" scan manifest --fail-on none --min-score -1000 "$tmp/priv.yaml"
expect 1 "--pss baseline" -- "$FATHOM" scan manifest --fail-on none --pss baseline "$tmp/priv.yaml"
expect 0 "--pss on a ConfigMap" -- "$FATHOM" scan manifest --pss restricted@v1.25 "$tmp/ok.yaml"

# Suppression: the annotation lifts the gate unless --no-annotations.
sed 's/  name: priv/  name: priv\n  annotations:\n    fathom.dev\/ignore: "*"/' "$tmp/priv.yaml" >"$tmp/ign.yaml"
expect 0 "annotation suppresses" -- "$FATHOM" scan manifest "$tmp/ign.yaml"
expect 1 "--no-annotations" -- "$FATHOM" scan manifest --no-annotations "$tmp/ign.yaml"
has "$tmp/out" "not honoured"
# --pss counts an object only for its unsuppressed PSS findings, object by object
expect 0 "--pss, suppressed" -- "$FATHOM" scan manifest --fail-on none --pss baseline "$tmp/ign.yaml"
{ cat "$tmp/ign.yaml"; echo "---"; sed 's/name: priv/name: priv2/' "$tmp/priv.yaml"; } >"$tmp/two.yaml"
expect 1 "--pss, one of two suppressed" -- "$FATHOM" scan manifest --fail-on none --pss baseline "$tmp/two.yaml"
{ cat "$tmp/ign.yaml"; echo "---"; cat "$tmp/ok.yaml"; } >"$tmp/two.yaml"
expect 0 "--pss, suppressed and clean" -- "$FATHOM" scan manifest --fail-on none --pss baseline "$tmp/two.yaml"

# Unreadable input: exit 2, the readable input is still analysed and reported.
expect 2 "missing file" -- "$FATHOM" scan manifest --format json "$tmp/ok.yaml" "$tmp/missing.yaml"
has "$tmp/out" "settings"
has "$tmp/err" "missing.yaml"
expect 2 "empty file" -- "$FATHOM" scan manifest "$tmp/empty.yaml"
: >"$tmp/empty.yaml"
expect 2 "empty file" -- "$FATHOM" scan manifest "$tmp/empty.yaml"
has "$tmp/err" "no Kubernetes objects"
# Bad input wins over a failing gate.
expect 2 "error beats gate" -- "$FATHOM" scan manifest "$tmp/priv.yaml" "$tmp/empty.yaml"

# A directory: recursive, only manifest extensions.
mkdir -p "$tmp/dir/a/b"
cp "$tmp/ok.yaml" "$tmp/dir/a/b/one.yml"
cp "$tmp/priv.yaml" "$tmp/dir/two.yaml"
echo "not yaml: [" >"$tmp/dir/notes.txt"
expect 1 "directory" -- "$FATHOM" scan manifest --format json "$tmp/dir"
has "$tmp/out" "settings"
has "$tmp/out" "priv"

# rules list.
expect 0 "rules list" -- "$FATHOM" rules list
has "$tmp/out" "Privileged"
expect 0 "rules list json" -- "$FATHOM" rules list --format json --source pss
"$PYTHON" -c '
import json, sys
rules = json.load(open(sys.argv[1]))
rules = rules["rules"] if isinstance(rules, dict) else rules
assert rules and all(r["source"] == "pss" for r in rules), "not only pss rules"
' "$tmp/out" || fail "rules list --source pss --format json"
expect 2 "rules bad source" -- "$FATHOM" rules list --source nope

if [ "$fails" -gt 0 ]; then
    echo "$fails failure(s)"
    exit 1
fi
echo "cli: all checks passed"
