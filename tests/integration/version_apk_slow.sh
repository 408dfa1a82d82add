#!/bin/sh
# Differential test (slow): Fathom's Alpine ordering against `apk version -t` (apk-tools 2.14.4)
# in a chroot of the Alpine 3.20 minirootfs, over 12,000 generated pairs with a fixed seed.
# Fails on any disagreement; skips (exit 0, with the reason) when the chroot cannot run here.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
src=${FATHOM_SOURCE_DIR:-$here/../..}
exec "${PYTHON:-python3}" "$src/tests/integration/version_diff.py" apk
