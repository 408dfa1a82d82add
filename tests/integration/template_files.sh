#!/bin/sh
# .Files.Glob in templates behaves like Helm's files map: range visits the files only (not
# the AsConfig/AsSecrets/Get/... methods), len counts files, and an empty glob is false.
set -u
: "${FATHOM:?FATHOM must name the fathom binary}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
mkdir -p "$tmp/c/templates" "$tmp/c/files"
printf 'apiVersion: v2\nname: c\nversion: 0.1.0\n' >"$tmp/c/Chart.yaml"
printf 'a\n' >"$tmp/c/files/a.txt"
printf 'b\n' >"$tmp/c/files/b.txt"
cat >"$tmp/c/templates/cm.yaml" <<'T'
apiVersion: v1
kind: ConfigMap
metadata:
  name: files
data:
  paths: "{{ range $path, $_ := .Files.Glob "files/*" }}{{ $path }} {{ end }}"
  count: "{{ len (.Files.Glob "files/*") }}"
  empty: "{{ if .Files.Glob "nothing/*" }}yes{{ else }}no{{ end }}"
  full: "{{ if .Files.Glob "files/*" }}yes{{ else }}no{{ end }}"
T
if ! "$FATHOM" template "$tmp/c" >"$tmp/out" 2>"$tmp/err"; then
    echo "FAIL: fathom template: $(cat "$tmp/err")"
    exit 1
fi
fails=0
for want in 'paths: "files/a.txt files/b.txt "' 'count: "2"' 'empty: "no"' 'full: "yes"'; do
    grep -qF "$want" "$tmp/out" || { echo "FAIL: no '$want' in:"; cat "$tmp/out"; fails=1; }
done
exit $fails
