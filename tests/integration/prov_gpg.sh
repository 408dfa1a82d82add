#!/bin/sh
# Round trips with GnuPG, keys generated here in a scratch GNUPGHOME: Fathom signs and
# `gpg --verify` accepts (RSA and ed25519); `gpg --clearsign` of a Helm-format body verifies
# in Fathom with every keyring format (binary export, armored export, the pubring.kbx itself,
# the default $GNUPGHOME) and every key type (RSA, DSA, ECDSA, EdDSA, a signing subkey); and
# each failure has its own message: tampered archive, tampered body, wrong keyring, expired
# key, revoked key.
set -u
: "${FATHOM:?}" "${FATHOM_SHARED:?}"
command -v gpg >/dev/null || { echo "gpg not installed: skipped"; exit 0; }
v3="$FATHOM_SHARED/fixtures/helm-provenance/v3.21.4"
tmp=$(mktemp -d)
GNUPGHOME="$tmp/gnupg"
export GNUPGHOME
mkdir -m 700 "$GNUPGHOME"
trap 'gpgconf --kill all >/dev/null 2>&1; rm -rf "$tmp"' EXIT
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
g() { gpg --batch --quiet --no-tty --pinentry-mode loopback --passphrase '' "$@"; }
fpr() { gpg --batch --with-colons --list-keys "$1" | awk -F: '$1 == "fpr" { print $10; exit }'; }

g --quick-gen-key 'Test <t@example.com>' rsa3072 || fail "gen rsa"
g --quick-gen-key 'Ed <e@example.com>' ed25519 || fail "gen ed25519"
g --quick-gen-key 'Dsa <d@example.com>' dsa2048 sign || fail "gen dsa"
g --quick-gen-key 'Ec <c@example.com>' nistp256 sign || fail "gen ecdsa"
# A primary that certifies only, with an ed25519 signing subkey.
g --quick-gen-key 'Sub <s@example.com>' ed25519 cert || fail "gen cert-only"
SUBPRI=$(fpr s@example.com)
g --quick-add-key "$SUBPRI" ed25519 sign || fail "add signing subkey"
RSA=$(fpr t@example.com)
ED=$(fpr e@example.com)

gpg --batch --export >"$tmp/pub.gpg"
gpg --batch --export --armor >"$tmp/pub.asc"
gpg --batch --export t@example.com >"$tmp/rsa-only.gpg"
gpg --batch --export e@example.com >"$tmp/ed-only.gpg"
g --export-secret-keys >"$tmp/sec.gpg"
g --export-secret-keys --armor >"$tmp/sec.asc"

# The chart, packaged by Fathom.
mkdir "$tmp/pkg"
run 0 "$FATHOM" package "$v3/hashtest" -d "$tmp/pkg"
tgz="$tmp/pkg/hashtest-1.2.3.tgz"
sum=$(sha256sum "$tgz" | cut -d' ' -f1)

# 1. Fathom signs (binary and armored secret keyrings, RSA and ed25519) -> gpg --verify.
for spec in "t@example.com:$tmp/sec.gpg:$RSA" "Ed <e@example.com>:$tmp/sec.asc:$ED"; do
    key=${spec%%:*}
    rest=${spec#*:}
    ring=${rest%%:*}
    want=${rest#*:}
    run 0 "$FATHOM" package "$v3/hashtest" -d "$tmp/pkg" --sign --key "$key" --keyring "$ring"
    gpg --batch --status-fd 1 --verify "$tgz.prov" >"$tmp/gv" 2>/dev/null || fail "gpg --verify ($key)"
    grep -q "VALIDSIG $want" "$tmp/gv" || fail "gpg: no VALIDSIG by $want: $(cat "$tmp/gv")"
    run 0 "$FATHOM" verify "$tgz" --keyring "$tmp/pub.gpg"
    has out "Using Key With Fingerprint: $want"
    has out "Chart Hash Verified: sha256:$sum"
done
has out "Signed by: Ed <e@example.com>"

# 2. gpg --clearsign of a Helm-format body -> Fathom, with each keyring format.
printf 'apiVersion: v1\ndescription: Test chart versioning\nname: hashtest\nversion: 1.2.3\n\n...\nfiles:\n  hashtest-1.2.3.tgz: sha256:%s\n' \
    "$sum" >"$tmp/body"
clearsign() { # KEY OUT [extra gpg args]
    k=$1
    o=$2
    shift 2
    rm -f "$o"
    g "$@" --local-user "$k" --output "$o" --clearsign "$tmp/body" || fail "clearsign with $k"
}
clearsign t@example.com "$tgz.prov"
for ring in "$tmp/pub.gpg" "$tmp/pub.asc" "$GNUPGHOME/pubring.kbx"; do
    run 0 "$FATHOM" verify "$tgz" --keyring "$ring"
    has out "Signed by: Test <t@example.com>"
    has out "Using Key With Fingerprint: $RSA"
    has out "Signature Hash Algorithm: SHA"
done
# The default keyring: $GNUPGHOME/pubring.kbx.
run 0 "$FATHOM" verify "$tgz"
has out "Signed by: Test <t@example.com>"
# Every key type.
for k in e@example.com d@example.com c@example.com s@example.com; do
    clearsign "$k" "$tgz.prov"
    run 0 "$FATHOM" verify "$tgz" --keyring "$tmp/pub.asc" --format json
    has out "\"fingerprint\":\"$(fpr "$k")\""
done
has out '"keyAlgorithm":"EDDSA"'
# The subkey signed; the primary is the fingerprint reported, the subkey the signing key.
SUBKEY=$(gpg --batch --with-colons --list-keys s@example.com | awk -F: '$1 == "fpr" { n++; if (n == 2) print $10 }')
has out "\"fingerprint\":\"$SUBPRI\""
has out "\"signingKey\":\"$SUBKEY\""
[ "$SUBKEY" != "$SUBPRI" ] || fail "no subkey"
clearsign c@example.com "$tgz.prov"
run 0 "$FATHOM" verify "$tgz" --keyring "$tmp/pub.gpg" --format json
has out '"keyAlgorithm":"ECDSA"'
clearsign d@example.com "$tgz.prov"
run 0 "$FATHOM" verify "$tgz" --keyring "$tmp/pub.gpg" --format json
has out '"keyAlgorithm":"DSA"'

# Concatenated armored blocks, one key each.
gpg --batch --export --armor t@example.com >"$tmp/two.asc"
gpg --batch --export --armor e@example.com >>"$tmp/two.asc"
clearsign e@example.com "$tgz.prov"
run 0 "$FATHOM" verify "$tgz" --keyring "$tmp/two.asc"
has out "Using Key With Fingerprint: $ED"
# Fathom signs with the signing subkey of a certify-only primary; gpg agrees.
run 0 "$FATHOM" package "$v3/hashtest" -d "$tmp/pkg" --sign --key s@example.com --keyring "$tmp/sec.gpg"
gpg --batch --status-fd 1 --verify "$tgz.prov" >"$tmp/gv" 2>/dev/null || fail "gpg --verify (subkey)"
grep -q "VALIDSIG $SUBKEY .* $SUBPRI\$" "$tmp/gv" || fail "gpg: not by subkey $SUBKEY: $(cat "$tmp/gv")"

# 3. Failures, each with its own message.
clearsign t@example.com "$tgz.prov"
cp "$tgz" "$tmp/orig.tgz"
printf 'x' >>"$tgz"
run 1 "$FATHOM" verify "$tgz" --keyring "$tmp/pub.gpg"
has err "sha256 sum does not match for hashtest-1.2.3.tgz: \"sha256:$sum\" != \"sha256:"
cp "$tmp/orig.tgz" "$tgz"
sed 's/^description: Test chart versioning$/description: Test chart versioninG/' "$tgz.prov" >"$tmp/t.prov"
run 1 "$FATHOM" verify "$tgz" --prov "$tmp/t.prov" --keyring "$tmp/pub.gpg"
has err "verification failed: bad signature from Test <t@example.com> ($RSA)"
run 1 "$FATHOM" verify "$tgz" --keyring "$tmp/ed-only.gpg"
has err "which is not in keyring '$tmp/ed-only.gpg'"
run 0 "$FATHOM" verify "$tgz" --keyring "$tmp/rsa-only.gpg"

# Expired: made in 2020 with a one-day life, signed then.
g --faked-system-time 20200101T000000 --quick-gen-key 'Old <o@example.com>' ed25519 default 1d ||
    fail "gen expiring key"
clearsign o@example.com "$tgz.prov" --faked-system-time 20200101T010000
gpg --batch --export o@example.com >"$tmp/old.gpg"
run 1 "$FATHOM" verify "$tgz" --keyring "$tmp/old.gpg"
has err "verification failed: signing key $(fpr o@example.com) (Old <o@example.com>) has expired"

# Revoked: GnuPG's own revocation certificate, imported.
g --quick-gen-key 'Rev <r@example.com>' ed25519 || fail "gen key to revoke"
REV=$(fpr r@example.com)
clearsign r@example.com "$tgz.prov"
gpg --batch --export r@example.com >"$tmp/rev-before.gpg"
run 0 "$FATHOM" verify "$tgz" --keyring "$tmp/rev-before.gpg"
sed 's/^:-----BEGIN/-----BEGIN/' "$GNUPGHOME/openpgp-revocs.d/$REV.rev" >"$tmp/rev.asc"
g --import "$tmp/rev.asc" || fail "import revocation"
gpg --batch --export r@example.com >"$tmp/rev.gpg"
run 1 "$FATHOM" verify "$tgz" --keyring "$tmp/rev.gpg"
has err "verification failed: signing key $REV (Rev <r@example.com>) is revoked"
run 1 "$FATHOM" verify "$tgz" --keyring "$GNUPGHOME/pubring.kbx" --format json
grep -q '"reason":"key-revoked"' "$tmp/out" || fail "revoked json: $(cat "$tmp/out")"

# Fathom refuses to sign with the revoked key.
g --export-secret-keys r@example.com >"$tmp/rev-sec.gpg"
run 2 "$FATHOM" package "$v3/hashtest" -d "$tmp/pkg" --sign --key r@example.com --keyring "$tmp/rev-sec.gpg"
has err "key 'r@example.com' is revoked and cannot sign"

[ "$fails" = 0 ] || { echo "$fails failure(s)"; exit 1; }
echo "prov_gpg: all passed"
