#!/bin/sh
# fathom verify and fathom package on Helm's provenance fixtures: the outcomes of NOTES.md
# (#11 output, #12-#14 errors, #9/#10 through the command line), exit statuses, JSON, bad
# input (garbage keyring, huge .prov, damaged armor), and packaging + signing round trips.
set -u
: "${FATHOM:?}" "${FATHOM_SHARED:?}" "${PYTHON:=python3}"
fix="$FATHOM_SHARED/fixtures/helm-provenance"
v3="$fix/v3.21.4"
cmd="$fix/cmd-testcharts"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
run() {
    want_status=$1
    shift
    "$@" >"$tmp/out" 2>"$tmp/err"
    status=$?
    [ "$status" = "$want_status" ] || fail "$*: exit $status, want $want_status ($(cat "$tmp/err"))"
}
has() { grep -q -F -- "$2" "$tmp/$1" || fail "'$2' not in $1: $(head -c 600 "$tmp/$1")"; }

# NOTES #11: Helm's three lines exactly, then the hash algorithm.
run 0 "$FATHOM" verify "$cmd/signtest-0.1.0.tgz" --keyring "$v3/helm-test-key.pub"
printf '%s\n' \
    'Signed by: Helm Testing (This key should only be used for testing. DO NOT TRUST.) <helm-testing@helm.sh>' \
    'Using Key With Fingerprint: 5E615389B53CA37F0EE60BD3843BBF981FC18762' \
    'Chart Hash Verified: sha256:e5ef611620fb97704d8751c16bab17fedb68883bfb0edc76f78a70e9173f9b55' \
    'Signature Hash Algorithm: SHA512' >"$tmp/want"
cmp -s "$tmp/out" "$tmp/want" || fail "#11 output: $(cat "$tmp/out")"
[ -s "$tmp/err" ] && fail "#11 stderr not empty: $(cat "$tmp/err")"

# #8 through the CLI: the mixed RSA + ed25519 keyring.
run 0 "$FATHOM" verify "$cmd/signtest-0.1.0.tgz" --keyring "$v3/helm-mixed-keyring.pub"

# JSON
run 0 "$FATHOM" verify "$cmd/signtest-0.1.0.tgz" --keyring "$v3/helm-test-key.pub" --format json
"$PYTHON" - "$tmp/out" <<'PY' || fail "verify json"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["verified"] is True and d["state"] == "verified", d
assert d["fingerprint"] == "5E615389B53CA37F0EE60BD3843BBF981FC18762", d
assert d["signer"].startswith("Helm Testing (This key"), d
assert d["hashAlgorithm"] == "SHA512" and d["keyAlgorithm"] == "RSA", d
assert d["digest"] == "sha256:e5ef611620fb97704d8751c16bab17fedb68883bfb0edc76f78a70e9173f9b55", d
assert d["file"] == "signtest-0.1.0.tgz" and d["name"] == "signtest" and d["version"] == "0.1.0", d
assert d["signedAt"] == "2019-04-01T22:05:19Z", d  # as gpgv reports
PY

# #12, #13, #14 and the extension check: Helm's messages, exit 2 / 1.
run 2 "$FATHOM" verify "$cmd/signtest" --keyring "$v3/helm-test-key.pub"
has err "unpacked charts cannot be verified"
run 1 "$FATHOM" verify "$cmd/compressedchart-0.1.0.tgz" --keyring "$v3/helm-test-key.pub"
has err "could not load provenance file $cmd/compressedchart-0.1.0.tgz.prov: stat $cmd/compressedchart-0.1.0.tgz.prov: No such file or directory"
run 1 "$FATHOM" verify "$cmd/compressedchart-0.1.0.tgz" --keyring "$v3/helm-test-key.pub" -f json
"$PYTHON" -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["state"]=="absent" and d["verified"] is False, d' "$tmp/out" || fail "absent json"
run 2 "$FATHOM" verify no/such/file
has err "stat no/such/file: No such file or directory"
run 2 "$FATHOM" verify "$v3/hashtest/Chart.yaml" --keyring "$v3/helm-test-key.pub"
has err "chart must be a tgz file"

# #9 and #10 through --prov.
run 0 "$FATHOM" verify "$v3/hashtest-1.2.3.tgz" --prov "$v3/msgblock.yaml.asc" --keyring "$v3/helm-test-key.pub"
has out "Chart Hash Verified: sha256:c6841b3a895f1444a6738b5d04564a57e860ce42f8519c3be807fb6d9bee7888"
run 1 "$FATHOM" verify "$v3/hashtest-1.2.3.tgz" --prov "$v3/msgblock.yaml.tampered" --keyring "$v3/helm-test-key.pub"
has err "fathom: verification failed: bad signature from Helm Testing"
run 1 "$FATHOM" verify "$v3/hashtest-1.2.3.tgz" --prov "$v3/msgblock.yaml.tampered" --keyring "$v3/helm-test-key.pub" -f json
"$PYTHON" -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["reason"]=="bad-signature" and d["state"]=="invalid", d' "$tmp/out" || fail "tampered json"

# Tampered archive: a renamed copy with one byte more.
cp "$v3/hashtest-1.2.3.tgz" "$tmp/hashtest-1.2.3.tgz"
printf 'x' >>"$tmp/hashtest-1.2.3.tgz"
cp "$v3/hashtest-1.2.3.tgz.prov" "$tmp/hashtest-1.2.3.tgz.prov"
run 1 "$FATHOM" verify "$tmp/hashtest-1.2.3.tgz" --keyring "$v3/helm-test-key.pub"
has err 'sha256 sum does not match for hashtest-1.2.3.tgz: "sha256:c6841b3a895f1444a6738b5d04564a57e860ce42f8519c3be807fb6d9bee7888" != "sha256:'
# Not among the signed files.
cp "$v3/hashtest-1.2.3.tgz" "$tmp/other-1.2.3.tgz"
cp "$v3/hashtest-1.2.3.tgz.prov" "$tmp/other-1.2.3.tgz.prov"
run 1 "$FATHOM" verify "$tmp/other-1.2.3.tgz" --keyring "$v3/helm-test-key.pub"
has err 'provenance does not contain a SHA for a file named "other-1.2.3.tgz"'
# Wrong keyring (another key only).
run 1 "$FATHOM" verify "$v3/hashtest-1.2.3.tgz" --keyring "$v3/helm-password-key.secret"
has err "signed by key 843BBF981FC18762, which is not in keyring"

# Bad input: garbage keyring (2), damaged armor, two files: blocks, huge .prov (1).
printf 'not a keyring at all\n' >"$tmp/garbage.gpg"
run 2 "$FATHOM" verify "$v3/hashtest-1.2.3.tgz" --keyring "$tmp/garbage.gpg"
has err "is not an OpenPGP keyring (binary, ASCII-armored or GnuPG keybox)"
sed 's/^wsBcBAEBCgAQ/wsBcBAEBCgAR/' "$v3/hashtest-1.2.3.tgz.prov" >"$tmp/damaged.prov"
run 1 "$FATHOM" verify "$v3/hashtest-1.2.3.tgz" --prov "$tmp/damaged.prov" --keyring "$v3/helm-test-key.pub"
has err "malformed provenance: armor 'PGP SIGNATURE': checksum mismatch (damaged data)"
head -n 19 "$v3/hashtest-1.2.3.tgz.prov" >"$tmp/truncated.prov"
run 1 "$FATHOM" verify "$v3/hashtest-1.2.3.tgz" --prov "$tmp/truncated.prov" --keyring "$v3/helm-test-key.pub"
has err "has no '-----END PGP SIGNATURE-----' line (truncated)"
# Valid armor (right CRC-24) around a cut signature packet, and around two signatures.
rearmor() { # MODE N: cut the signature to N bytes, or "double" it
    "$PYTHON" - "$v3/hashtest-1.2.3.tgz.prov" "$1" "$2" <<'PY'
import base64, sys
head, rest = open(sys.argv[1]).read().split("-----BEGIN PGP SIGNATURE-----\n", 1)
lines = [l for l in rest.split("-----END")[0].split("\n") if l and not l.startswith("=")]
data = base64.b64decode("".join(lines))
data = data[: int(sys.argv[3])] if sys.argv[2] == "cut" else data + data
c = 0xB704CE
for b in data:
    c ^= b << 16
    for _ in range(8):
        c <<= 1
        if c & 0x1000000:
            c ^= 0x1864CFB
b64 = base64.b64encode(data).decode()
sys.stdout.write(head + "-----BEGIN PGP SIGNATURE-----\n\n"
                 + "\n".join(b64[i:i + 64] for i in range(0, len(b64), 64))
                 + "\n=" + base64.b64encode((c & 0xFFFFFF).to_bytes(3, "big")).decode()
                 + "\n-----END PGP SIGNATURE-----\n")
PY
}
rearmor cut 200 >"$tmp/cut.prov"
run 1 "$FATHOM" verify "$v3/hashtest-1.2.3.tgz" --prov "$tmp/cut.prov" --keyring "$v3/helm-test-key.pub"
has err "malformed provenance: truncated signature: the packet says 284 bytes, 197 are present"
rearmor double 0 >"$tmp/double.prov"
run 1 "$FATHOM" verify "$v3/hashtest-1.2.3.tgz" --prov "$tmp/double.prov" --keyring "$v3/helm-test-key.pub"
has err "the signature block holds more than one packet (one signature expected)"
sed 's/^files:$/files:\n  a.tgz: sha256:c6841b3a895f1444a6738b5d04564a57e860ce42f8519c3be807fb6d9bee7888\nfiles:/' \
    "$v3/hashtest-1.2.3.tgz.prov" >"$tmp/twofiles.prov"
run 1 "$FATHOM" verify "$v3/hashtest-1.2.3.tgz" --prov "$tmp/twofiles.prov" --keyring "$v3/helm-test-key.pub"
has err "malformed provenance: more than one 'files:' block"
"$PYTHON" -c 'import sys; sys.stdout.write(open(sys.argv[1]).read().replace("description:", "description: " + "a" * 2000000, 1))' \
    "$v3/hashtest-1.2.3.tgz.prov" >"$tmp/huge.prov"
run 1 "$FATHOM" verify "$v3/hashtest-1.2.3.tgz" --prov "$tmp/huge.prov" --keyring "$v3/helm-test-key.pub"
has err "is larger than 1048576 bytes (limit)"

# Package: the fixture chart gives the fixture's Chart.yaml; signing verifies.
mkdir "$tmp/pkg"
run 0 "$FATHOM" package "$v3/hashtest" -d "$tmp/pkg"
has out "Successfully packaged chart and saved it to: $tmp/pkg/hashtest-1.2.3.tgz"
[ -f "$tmp/pkg/hashtest-1.2.3.tgz.prov" ] && fail "prov written without --sign"
tar xzf "$tmp/pkg/hashtest-1.2.3.tgz" -C "$tmp/pkg" || fail "tar"
mkdir "$tmp/fixture" && tar xzf "$v3/hashtest-1.2.3.tgz" -C "$tmp/fixture"
cmp -s "$tmp/pkg/hashtest/Chart.yaml" "$tmp/fixture/hashtest/Chart.yaml" || fail "Chart.yaml differs"
cmp -s "$tmp/pkg/hashtest/.helmignore" "$tmp/fixture/hashtest/.helmignore" || fail ".helmignore differs"
[ "$(tar tzf "$tmp/pkg/hashtest-1.2.3.tgz" | tr '\n' ' ')" = "hashtest/Chart.yaml hashtest/values.yaml hashtest/.helmignore " ] ||
    fail "entries: $(tar tzf "$tmp/pkg/hashtest-1.2.3.tgz")"
cp "$tmp/pkg/hashtest-1.2.3.tgz" "$tmp/first.tgz"
run 0 "$FATHOM" package "$v3/hashtest" -d "$tmp/pkg" --sign --key helm-test --keyring "$v3/helm-test-key.secret"
cmp -s "$tmp/pkg/hashtest-1.2.3.tgz" "$tmp/first.tgz" || fail "package is not deterministic"
has out "Signed provenance saved to: $tmp/pkg/hashtest-1.2.3.tgz.prov"
grep -q -F "$(sed -n 4,11p "$v3/hashtest-1.2.3.tgz.prov" | sed 's/c6841b3a.*$//')" "$tmp/pkg/hashtest-1.2.3.tgz.prov" ||
    fail "prov body"
run 0 "$FATHOM" verify "$tmp/pkg/hashtest-1.2.3.tgz" --keyring "$v3/helm-test-key.pub"
has out "Chart Hash Verified: sha256:$(sha256sum "$tmp/pkg/hashtest-1.2.3.tgz" | cut -d' ' -f1)"
# The protected key: passphrase file right and wrong.
printf 'secret\n' >"$tmp/pass"
printf 'secrets_and_lies\n' >"$tmp/badpass"
run 0 "$FATHOM" package "$v3/hashtest" -d "$tmp/pkg" --sign --key 'password key' \
    --keyring "$v3/helm-password-key.secret" --passphrase-file "$tmp/pass" --format json
"$PYTHON" -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["chart"]=="hashtest" and d["provenance"].endswith(".prov"), d' "$tmp/out" || fail "package json"
run 2 "$FATHOM" package "$v3/hashtest" -d "$tmp/pkg" --sign --key 'password key' \
    --keyring "$v3/helm-password-key.secret" --passphrase-file "$tmp/badpass"
has err "cannot unlock key 'password key': wrong passphrase"
run 2 "$FATHOM" package "$v3/hashtest" -d "$tmp/pkg" --sign --key 'password key' \
    --keyring "$v3/helm-password-key.secret"
has err "is protected by a passphrase; give it with --passphrase-file"
run 2 "$FATHOM" package "$v3/hashtest" -d "$tmp/pkg" --sign --key nobody --keyring "$v3/helm-test-key.secret"
has err "private key 'nobody' not found"
run 2 "$FATHOM" package "$v3/hashtest" --sign
has err "--sign needs --key NAME"
run 2 "$FATHOM" package "$v3/hashtest-1.2.3.tgz"
has err "is not a chart directory"
# An invalid chart: Helm's validation message.
mkdir -p "$tmp/bad"
printf 'apiVersion: v2\nname: bad\nversion: 1.0.0\ntype: Application\n' >"$tmp/bad/Chart.yaml"
run 2 "$FATHOM" package "$tmp/bad" -d "$tmp"
has err "validation: chart.metadata.type must be application or library"

run 0 "$FATHOM" verify --help
has out "usage: fathom verify"
run 0 "$FATHOM" help package
has out "usage: fathom package"

[ "$fails" = 0 ] || { echo "$fails failure(s)"; exit 1; }
echo "prov_cli: all passed"
