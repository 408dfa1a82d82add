#!/bin/sh
# fathom version: compare, --batch and satisfies through the command line, with their errors.
set -u
: "${FATHOM:?}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
# out WANT_STATUS WANT_STDOUT -- command...
out() {
    want_status=$1 want=$2
    shift 3
    got=$("$@" 2>"$tmp/err")
    status=$?
    [ "$status" = "$want_status" ] || fail "$*: exit $status, want $want_status ($(cat "$tmp/err"))"
    [ "$got" = "$want" ] || fail "$*: printed '$got', want '$want'"
}

out 0 "<" -- "$FATHOM" version compare deb 1.0-1 1.0-2
out 0 ">" -- "$FATHOM" version compare Debian 1:0.1 9.9
out 0 "=" -- "$FATHOM" version compare npm 1.2.3+build.1 1.2.3
out 0 "<" -- "$FATHOM" version compare PyPI 1.0rc1 1.0
out 0 "<" -- "$FATHOM" version compare Maven 1.0-alpha 1.0
out 0 ">" -- "$FATHOM" version compare "Red Hat" 1.0^git1 1.0
out 0 "<" -- "$FATHOM" version compare apk 1.0_rc1 1.0
out 0 "<" -- "$FATHOM" version compare Go v1.2.3-0.20230101000000-abcdefabcdef v1.2.3
out 0 "true" -- "$FATHOM" version satisfies npm 1.2.3 "^1.0.0"
out 0 "false" -- "$FATHOM" version satisfies npm 2.0.0 "^1.0.0"
out 0 "true" -- "$FATHOM" version satisfies pypi 1.4.2 "~=1.4"
out 0 "true" -- "$FATHOM" version satisfies deb 1.5-1 ">= 1.2, << 2.0"
out 0 "false" -- "$FATHOM" version satisfies npm 1.2.4-beta.1 "^1.2.3"
out 0 "true" -- "$FATHOM" version satisfies --include-prerelease npm 1.2.4-beta.1 "^1.2.3"

out 2 "" -- "$FATHOM" version compare npm 1.2 1.2.3
grep -q "'1.2' is not a valid npm version" "$tmp/err" || fail "invalid npm version message: $(cat "$tmp/err")"
out 0 "<" -- "$FATHOM" version compare --loose npm 1.2.3beta 1.2.3
out 2 "" -- "$FATHOM" version compare npm 1.2.3beta 1.2.3
out 2 "" -- "$FATHOM" version compare nosuch 1 2
grep -q "unknown ecosystem 'nosuch'" "$tmp/err" || fail "unknown ecosystem message"
out 2 "" -- "$FATHOM" version compare deb 1.0
out 2 "" -- "$FATHOM" version frobnicate
out 2 "" -- "$FATHOM" version satisfies npm 1.0.0 ">=1.0.0 <"
out 0 "$(printf '<\n=\ninvalid\ninvalid\n>')" -- sh -c \
    "printf '1.0\t1.1\n2:1\t2:1\nno-tab\n1.0\t\n1.0-2\t1.0-1\n' | \"$FATHOM\" version compare deb --batch"
"$FATHOM" version --help | grep -q -- "--batch" || fail "help lacks --batch"

if [ "$fails" -gt 0 ]; then
    echo "$fails failure(s)"
    exit 1
fi
echo "version_cli: all checks passed"
