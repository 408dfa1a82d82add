#!/bin/sh
# Install every Debian package the build, the tests, the benchmarks and the demo use.
# Idempotent: packages already present are not reinstalled, and nothing runs when all are there.
set -eu

PKGS="build-essential cmake pkg-config git python3
libyaml-dev libjansson-dev libcmocka-dev
clang llvm libclang-rt-dev clang-format clang-tidy cppcheck"

missing=""
for p in $PKGS; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $p"
    fi
done

if [ -z "$missing" ]; then
    echo "install-deps: all packages present"
    exit 0
fi

echo "install-deps: installing$missing"
SUDO=""
if [ "$(id -u)" != 0 ]; then
    SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
# shellcheck disable=SC2086
$SUDO apt-get install -y -q --no-install-recommends $missing
