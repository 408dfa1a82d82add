#!/bin/sh
# SARIF output is valid SARIF 2.1.0: scan the project's and the shared manifest fixtures (one
# SARIF log per input file, one per directory, plus hostile and broken inputs), validate every
# log against the official schema, and check what the schema cannot: every result has a
# startLine >= 1 and a ruleIndex pointing at its rule.
#
# Validator: ajv-cli as /work/shared/fixtures/schemas/README.md describes it ($AJV, or `ajv` on
# PATH; the draft-04 schema is migrated to a temporary draft-07 copy first), else Python's
# jsonschema (Draft4Validator reads the official schema as it is).
set -u

: "${FATHOM:?FATHOM must name the fathom binary}"
: "${FATHOM_SHARED:?FATHOM_SHARED must name the shared folder}"
: "${FATHOM_SOURCE_DIR:?FATHOM_SOURCE_DIR must name the source tree}"
PYTHON=${PYTHON:-python3}
SCHEMA_DIR="$FATHOM_SHARED/fixtures/schemas"
SCHEMA="$SCHEMA_DIR/sarif-schema-2.1.0.json"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
mkdir "$tmp/out"
fails=0
n=0
fail() {
    echo "FAIL: $*"
    fails=$((fails + 1))
}

# sarif NAME ARGS...: scan into $tmp/out/NAME.json; exit 0, 1 (gate) and 2 (bad input) are fine,
# anything else (a crash, a sanitizer report) is not.
sarif() {
    name=$1
    shift
    n=$((n + 1))
    "$FATHOM" scan manifest --format sarif --fail-on none "$@" >"$tmp/out/$name.json" \
        2>"$tmp/err"
    st=$?
    case $st in
    0 | 1 | 2) ;;
    *) fail "$name: fathom exited $st: $(head -5 "$tmp/err")" ;;
    esac
}

[ -f "$SCHEMA" ] || {
    echo "FAIL: no schema at $SCHEMA"
    exit 1
}

for d in "$FATHOM_SOURCE_DIR/tests/fixtures/manifests" "$FATHOM_SHARED/fixtures/kubesec/asset"; do
    [ -d "$d" ] || continue
    tag=$(printf '%s' "$d" | tr -c 'A-Za-z0-9' '_')
    sarif "dir$tag" "$d"
    for f in "$d"/*; do
        [ -f "$f" ] || continue
        sarif "file$tag-$(basename "$f" | tr -c 'A-Za-z0-9.' '_')" --pss baseline "$f"
    done
done
# Pod Security verdicts: the newest policy version's cases, at both levels (one log each).
for level in baseline restricted; do
    d="$FATHOM_SHARED/fixtures/pss/$level"
    [ -d "$d" ] || continue
    v=$(ls "$d" | sort -t. -k2,2n | tail -n 1)
    sarif "pss-$level" --pss "$level" "$d/$v"
done

# Hostile text (quotes, controls, escapes, astral characters) and an odd file name must still give valid SARIF;
# a broken document becomes a tool execution notification.
printf 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: "q\\"b\\\\s\\n\\u0001\\u001b[31m"\n  annotations:\n    x: "\\uffff \\U0001F600"\nspec:\n  hostNetwork: true\n  containers:\n  - name: "c\\t\\u00e9"\n    image: "nginx:latest"\n    securityContext: {privileged: true}\n---\nkind: [\n' \
    >"$tmp/odd name #1%.yaml"
sarif hostile-stdin - <"$tmp/odd name #1%.yaml"
(cd "$tmp" && sarif hostile-file "odd name #1%.yaml")
sarif missing "$tmp/does-not-exist.yaml"

if [ "$n" -lt 4 ]; then
    fail "only $n SARIF logs produced; are the fixtures there?"
fi

# Checks beyond the schema (plain json module).
"$PYTHON" - "$tmp/out" <<'PY' || fails=$((fails + 1))
import json, os, sys
bad = 0
d = sys.argv[1]
for name in sorted(os.listdir(d)):
    path = os.path.join(d, name)
    try:
        with open(path, "rb") as f:
            log = json.loads(f.read().decode("utf-8"))
    except Exception as e:
        print("FAIL: %s: not JSON: %s" % (name, e)); bad += 1; continue
    for run in log.get("runs", []):
        rules = run["tool"]["driver"].get("rules", [])
        ids = [r["id"] for r in rules]
        if len(set(ids)) != len(ids):
            print("FAIL: %s: duplicate rule ids" % name); bad += 1
        for i, res in enumerate(run.get("results", [])):
            for loc in res.get("locations", []):
                line = loc.get("physicalLocation", {}).get("region", {}).get("startLine", 0)
                if not isinstance(line, int) or line < 1:
                    print("FAIL: %s: result %d has startLine %r" % (name, i, line)); bad += 1
            if not res.get("locations"):
                print("FAIL: %s: result %d has no location" % (name, i)); bad += 1
            idx = res.get("ruleIndex")
            if idx is None or idx >= len(ids) or ids[idx] != res.get("ruleId"):
                print("FAIL: %s: result %d ruleIndex %r does not name %r"
                      % (name, i, idx, res.get("ruleId"))); bad += 1
sys.exit(1 if bad else 0)
PY

AJV=${AJV:-$(command -v ajv 2>/dev/null || true)}
[ -n "$AJV" ] || [ ! -x "$FATHOM_SOURCE_DIR/.tools/node_modules/.bin/ajv" ] || AJV=$FATHOM_SOURCE_DIR/.tools/node_modules/.bin/ajv
if [ -n "$AJV" ] && [ -x "$AJV" ]; then
    echo "sarif_schema: validating $n logs with $AJV"
    if ! (cd "$SCHEMA_DIR" && "$AJV" migrate -s sarif-schema-2.1.0.json \
        -o "$tmp/sarif-schema-2.1.0.draft7.json" >"$tmp/ajv.log" 2>&1); then
        cat "$tmp/ajv.log"
        fail "ajv could not migrate the schema"
    elif ! (cd "$SCHEMA_DIR" && "$AJV" validate --spec=draft7 -c ajv-formats \
        -s "$tmp/sarif-schema-2.1.0.draft7.json" --errors=text \
        -d "$tmp/out/*.json" >"$tmp/ajv.log" 2>&1); then
        grep -v ' valid$' "$tmp/ajv.log" | head -40
        fail "SARIF output does not validate"
    fi
elif "$PYTHON" -c 'import jsonschema' 2>/dev/null; then
    echo "sarif_schema: validating $n logs with Python jsonschema (Draft 4)"
    "$PYTHON" - "$SCHEMA" "$tmp/out" <<'PY' || fail "SARIF output does not validate"
import json, os, sys
import jsonschema
with open(sys.argv[1], "rb") as f:
    schema = json.load(f)
jsonschema.Draft4Validator.check_schema(schema)
v = jsonschema.Draft4Validator(schema, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)
bad = 0
for name in sorted(os.listdir(sys.argv[2])):
    with open(os.path.join(sys.argv[2], name), "rb") as f:
        doc = json.load(f)
    errs = sorted(v.iter_errors(doc), key=lambda e: list(e.absolute_path))
    for e in errs[:5]:
        print("FAIL: %s: %s: %s" % (name, "/".join(map(str, e.absolute_path)), e.message))
    bad += bool(errs)
sys.exit(1 if bad else 0)
PY
else
    fail "no SARIF validator: install ajv-cli and ajv-formats with npm (set AJV), or Python's jsonschema"
fi

if [ "$fails" -ne 0 ]; then
    echo "0 passed, $fails failed"
    exit 1
fi
echo "$n passed, 0 failed"
