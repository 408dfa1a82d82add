#!/bin/sh
# kubesec compatibility: every line of kubesec's fixture expectations
# ($FATHOM_SHARED/fixtures/kubesec/expectations.jsonl) checked against
# `fathom scan manifest --format kubesec` (and --format json for findings).
# The fixtures are read where they are; nothing is copied into the repository.
set -eu

: "${FATHOM:?set FATHOM to the fathom binary}"
: "${FATHOM_SHARED:?set FATHOM_SHARED to the shared fixtures directory}"

here=$(dirname "$0")
exec "${PYTHON:-python3}" "$here/kubesec_check.py" \
    "$FATHOM" "$FATHOM_SHARED/fixtures/kubesec"
