#!/bin/sh
# A fresh Debian image, built in the test from Debian's archive (../shared/tools/
# build-debian-image.sh: debootstrap, umoci, skopeo), catalogued by Fathom as an OCI layout and
# as a docker save archive: the packages must be exactly the ones dpkg-query lists inside the
# root filesystem (name, version, source name and source version). Needs root and the Debian
# mirror apt uses; labelled slow.
set -u

: "${FATHOM:?FATHOM must name the fathom binary}"
: "${FATHOM_SHARED:?FATHOM_SHARED must name the shared folder}"
PYTHON=${PYTHON:-python3}

if [ "$(id -u)" != 0 ]; then
    echo "image_debian_slow: needs root for debootstrap; skipped"
    exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
export XDG_CACHE_HOME=$tmp/cache
if ! bash "$FATHOM_SHARED/tools/build-debian-image.sh" "$tmp/img" bookworm >"$tmp/build.log" 2>&1; then
    echo "FAIL: build-debian-image.sh failed:"
    tail -20 "$tmp/build.log"
    exit 1
fi
fails=0
for ref in "oci:$tmp/img/oci:bookworm" "docker-archive:$tmp/img/bookworm-docker-archive.tar"; do
    if ! "$FATHOM" scan image --list-all-pkgs --format json "$ref" >"$tmp/inv.json" 2>"$tmp/err"; then
        echo "FAIL: $ref: $(head -5 "$tmp/err")"
        fails=$((fails + 1))
        continue
    fi
    "$PYTHON" - "$tmp/inv.json" "$tmp/img/dpkg-truth.tsv" "$ref" <<'PY' || fails=$((fails + 1))
import json, sys
d = json.load(open(sys.argv[1]))
got = sorted((p["name"], p["version"], p["src_name"] or p["name"], p["src_version"] or p["version"])
             for p in d["packages"] if p["type"] == "deb")
want = []
for line in open(sys.argv[2]):
    name, version, src, srcver = line.rstrip("\n").split("\t")
    want.append((name, version, src or name, srcver or version))
want.sort()
if got != want:
    print("FAIL: %s: %d packages, dpkg-query lists %d" % (sys.argv[3], len(got), len(want)))
    print("  only in fathom:", [g for g in got if g not in want][:5])
    print("  only in dpkg-query:", [w for w in want if w not in got][:5])
    sys.exit(1)
print("%s: %d packages, exactly dpkg-query's" % (sys.argv[3], len(got)))
PY
done
[ "$fails" -eq 0 ] || exit 1
