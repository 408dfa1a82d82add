#!/bin/sh
# make demo: Fathom's main job at this stage, on the sample manifests in tests/fixtures/manifests:
# every finding as a table, then the same scan's gate as CI would see it.
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
exit 0
