#!/bin/sh
# docs/manifest-rules.md is generated from `fathom rules list --format json`: fail when the
# committed copy is stale. Fix with:
#   python3 scripts/gen-rules-doc.py --fathom build/fathom --output docs/manifest-rules.md
set -eu

: "${FATHOM:?FATHOM must name the fathom binary}"
: "${FATHOM_SOURCE_DIR:?FATHOM_SOURCE_DIR must name the source tree}"
PYTHON=${PYTHON:-python3}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

"$PYTHON" "$FATHOM_SOURCE_DIR/scripts/gen-rules-doc.py" --fathom "$FATHOM" \
    --output "$tmp/manifest-rules.md"

if ! diff -u "$FATHOM_SOURCE_DIR/docs/manifest-rules.md" "$tmp/manifest-rules.md" \
    >"$tmp/diff"; then
    head -n 60 "$tmp/diff"
    echo "rules_doc: docs/manifest-rules.md is stale; regenerate it with" >&2
    echo "  python3 scripts/gen-rules-doc.py --fathom build/fathom --output docs/manifest-rules.md" >&2
    echo "0 passed, 1 failed"
    exit 1
fi
echo "rules_doc: docs/manifest-rules.md matches \`fathom rules list\`"
echo "1 passed, 0 failed"
