#!/bin/sh
# Differential: npm versions and ranges against Debian's node-semver (7.3.5, package
# node-semver, under /usr/share/nodejs): 12,000 generated compare pairs (strict and loose)
# and 10,000 (version, range) satisfies cases, fixed seed. The generator avoids the few
# range forms whose meaning changed after 7.3.5 (see docs/versions.md, "npm").
set -u
: "${FATHOM:?}"
here=$(cd "$(dirname "$0")" && pwd)
if ! command -v node >/dev/null 2>&1 || [ ! -d /usr/share/nodejs/semver ]; then
    echo "SKIP: node or node-semver missing (scripts/install-deps.sh installs them)"
    exit 0
fi
NODE_PATH=/usr/share/nodejs node "$here/version_semver_gen.js" "$FATHOM"
