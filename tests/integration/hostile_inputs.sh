#!/bin/sh
# Hostile inputs against `fathom scan manifest`: generated at test time into a temp dir (see
# tests/fixtures/hostile/README.md for what each proves). Env: FATHOM (binary), PYTHON.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
: "${FATHOM:?set FATHOM to the fathom binary}"
exec "${PYTHON:-python3}" "$here/hostile_inputs.py" "$FATHOM"
