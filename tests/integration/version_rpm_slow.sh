#!/bin/sh
# Differential test (slow): Fathom's RPM ordering against rpm.vercmp() in rpm's own Lua (Debian
# package rpm), over 12,000 generated pairs with a fixed seed. Fails on any disagreement; skips
# (exit 0, with the reason) when the reference tool cannot run here.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
src=${FATHOM_SOURCE_DIR:-$here/../..}
exec "${PYTHON:-python3}" "$src/tests/integration/version_diff.py" rpm
