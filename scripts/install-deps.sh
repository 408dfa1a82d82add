#!/bin/sh
# Install every Debian package the build, the tests, the benchmarks and the demo use.
# Idempotent: packages already present are not reinstalled, and nothing runs when all are there.
set -eu

PKGS="build-essential cmake pkg-config git python3
libyaml-dev libjansson-dev libcmocka-dev libsqlite3-dev sqlite3 libarchive-dev
clang llvm libclang-rt-dev clang-format clang-tidy cppcheck
python3-packaging libmaven3-core-java openjdk-17-jre-headless
libdpkg-dev rpm
nodejs node-semver php-composer-spdx-licenses
libcurl4-openssl-dev libssl-dev libzstd-dev zlib1g-dev librnp-dev gnupg
libvectorscan-dev libpcre2-dev
docker-registry skopeo apache2-utils curl umoci debootstrap"

missing=""
for p in $PKGS; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $p"
    fi
done

SUDO=""
if [ "$(id -u)" != 0 ]; then
    SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
if [ -z "$missing" ]; then
    echo "install-deps: all Debian packages present"
else
    echo "install-deps: installing$missing"
    $SUDO apt-get update -q
    # shellcheck disable=SC2086
    $SUDO apt-get install -y -q --no-install-recommends $missing
fi

# The offline JSON Schema validator the shared fixtures name (ajv-cli + ajv-formats), from npm,
# into .tools/ (ignored by git); the schema tests find it there.
tools="$(cd "$(dirname "$0")/.." && pwd)/.tools"
if [ ! -x "$tools/node_modules/.bin/ajv" ]; then
    if ! command -v npm >/dev/null 2>&1; then
        $SUDO apt-get install -y -q --no-install-recommends nodejs npm
    fi
    mkdir -p "$tools"
    (cd "$tools" && npm install --silent --no-audit --no-fund ajv-cli@5 ajv-formats@3)
fi
# Full licence texts for the licence classifier (src/license), read at build time.
if [ ! -f "$tools/node_modules/spdx-license-list/full.json" ]; then
    mkdir -p "$tools"
    (cd "$tools" && npm install --silent --no-audit --no-fund spdx-license-list@6)
fi
