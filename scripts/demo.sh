#!/bin/sh
# make demo: Fathom's main jobs at this stage: the sample manifests in tests/fixtures/manifests
# (every finding as a table, then the same scan's gate as CI would see it), then the
# inventory of a real image from ../shared/data/images.
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
fathom=${FATHOM:-$root/build/fathom}
samples=$root/tests/fixtures/manifests

echo "\$ fathom scan manifest --format table --pss restricted tests/fixtures/manifests"
cd "$root" && "$fathom" scan manifest --format table --pss restricted tests/fixtures/manifests
status=$?
echo
case $status in
0) echo "exit 0: nothing reached the gate" ;;
1) echo "exit 1: findings at or over the gate (--fail-on high), or pods violating restricted" ;;
*) echo "exit $status: some input could not be read"; exit "$status" ;;
esac
echo "(the sample is deliberately flawed: see $samples/README.md)"

# What a real image holds, layer by layer: the Alpine fixture image whose third layer deletes
# an npm package with a whiteout (../shared/data/images, read-only).
image=${FATHOM_SHARED:-$root/../shared}/data/images/oci-alpine
if [ -d "$image" ]; then
    echo
    echo "\$ fathom scan image --list-all-pkgs --format table oci:../shared/data/images/oci-alpine:3.20.3-whiteout"
    "$fathom" scan image --list-all-pkgs --format table "oci:$image:3.20.3-whiteout" || exit $?
fi
exit 0
