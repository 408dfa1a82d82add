#!/bin/sh
# fathom scan image: binary files and files over the size limit are skipped by the secret
# scanner unless asked (--secret-scan-binary, --secret-max-size, --secret-scan-large), and
# whatever the secret scanner reads, every ELF file's fingerprint stays the file's SHA-256
# (computed here with hashlib). A root filesystem written here holds a GitHub token in: a
# text file, a large text file (at its very end), a small and a large binary file, a small and
# a large ELF file.
set -u

: "${FATHOM:?FATHOM must name the fathom binary}"
PYTHON=${PYTHON:-python3}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
export XDG_CACHE_HOME=$tmp/cache
fails=0
fail() {
    echo "FAIL: $*"
    fails=$((fails + 1))
}

"$PYTHON" - "$tmp/root" <<'EOF' || fail "cannot write the root filesystem"
import os, sys
root = sys.argv[1]
tok = b"ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789"
os.makedirs(os.path.join(root, "opt/app"))
def put(name, data):
    with open(os.path.join(root, "opt/app", name), "wb") as f:
        f.write(data)
elf = bytes([0x7F]) + b"ELF" + bytes([2, 1, 1, 0]) + bytes(8) + bytes([2, 0, 0x3E, 0]) + bytes(44)
put("config.txt", b"token = " + tok + b"\n")
put("big.txt", b"# padding line of a large text file\n" * 40000 + b"token = " + tok + b"\n")
put("small.bin", bytes(range(256)) + b"\x00token=" + tok + b"\x00")
put("big.bin", bytes(range(256)) * 2000 + b"\x00token=" + tok + b"\x00")
put("tool", elf + b"\x00" + tok + b"\x00")
put("bigtool", elf + bytes(300000) + tok + b"\x00")
EOF

# scan NAME [ARGS...]: "<path> <line>" of each github-pat finding, sorted, into $tmp/NAME.found
scan() {
    name=$1
    shift
    "$FATHOM" scan image --scanners secret --format json --rootfs "$@" "$tmp/root" \
        >"$tmp/$name.json" 2>"$tmp/$name.err"
    st=$?
    [ "$st" -le 1 ] || fail "$name: exit $st: $(head -3 "$tmp/$name.err")"
    "$PYTHON" - "$tmp/$name.json" "$tmp/root" >"$tmp/$name.found" <<'EOF' || fail "$name: fingerprints"
import hashlib, json, os, sys
d = json.load(open(sys.argv[1]))
for f in d["findings"]:
    if f["id"] == "github-pat":
        print(f["location"]["path"])
# every ELF file fingerprinted with its real digest, whatever the secret scanner read
want = {}
for dp, _, fs in os.walk(sys.argv[2]):
    for n in fs:
        p = os.path.join(dp, n)
        data = open(p, "rb").read()
        if data[:4] == b"\x7fELF":
            want[os.path.relpath(p, sys.argv[2])] = hashlib.sha256(data).hexdigest()
got = {b["path"]: b["sha256"] for b in d["binaries"]}
sys.exit(0 if got == want else (print("binaries", got, want, file=sys.stderr) or 1))
EOF
}

expect() { # NAME WANT...: the paths found, in order
    name=$1
    shift
    want=$(printf '%s\n' "$@")
    got=$(sort "$tmp/$name.found")
    [ "$got" = "$want" ] || fail "$name: found [$(echo $got)], expected [$(echo $want)]"
}

scan default
expect default opt/app/big.txt opt/app/config.txt
scan binary --secret-scan-binary
expect binary opt/app/big.bin opt/app/big.txt opt/app/bigtool opt/app/config.txt \
    opt/app/small.bin opt/app/tool
scan small --secret-max-size 4096
expect small opt/app/config.txt
scan large --secret-max-size 4096 --secret-scan-large
expect large opt/app/big.txt opt/app/config.txt
scan all --secret-max-size 4096 --secret-scan-large --secret-scan-binary
expect all opt/app/big.bin opt/app/big.txt opt/app/bigtool opt/app/config.txt \
    opt/app/small.bin opt/app/tool

"$FATHOM" scan image --scanners secret --secret-max-size -1 --rootfs "$tmp/root" \
    >/dev/null 2>"$tmp/bad.err"
[ $? -eq 2 ] && grep -q "'-1' for --secret-max-size" "$tmp/bad.err" ||
    fail "a bad --secret-max-size: $(cat "$tmp/bad.err")"

if [ "$fails" -ne 0 ]; then
    echo "scan_image_secret_opts: $fails failure(s)"
    exit 1
fi
echo "scan_image_secret_opts: ok"
