#!/bin/sh
# Licence files beside a wheel's metadata (*.dist-info/LICENSE*, COPYING*, PEP 639's
# licenses/) are classified against the known licence texts, and a match becomes a licence of
# that distribution when its metadata states none the SPDX list knows; a distribution that
# declares a known licence keeps exactly its own. The texts are Debian's
# /usr/share/common-licenses (base-files); the root filesystem is written here and scanned as
# a directory and as an OCI image, twice (the second time from the layer cache).
set -u

: "${FATHOM:?FATHOM must name the fathom binary}"
PYTHON=${PYTHON:-python3}
CL=/usr/share/common-licenses
[ -r "$CL/Apache-2.0" ] && [ -r "$CL/GPL-3" ] || {
    echo "no $CL (Debian's base-files)"
    exit 77
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
export XDG_CACHE_HOME=$tmp/cache
sp=$tmp/root/usr/lib/python3/site-packages
dist() { # DIR METADATA-LINES...
    d=$sp/$1
    shift
    mkdir -p "$d"
    printf '%s\n' "Metadata-Version: 2.1" "$@" >"$d/METADATA"
}
# classifiers only (not guessed): the LICENSE file says Apache-2.0
dist foo-1.0.dist-info "Name: foo" "Version: 1.0" \
    "Classifier: License :: OSI Approved :: Apache Software License"
cp "$CL/Apache-2.0" "$sp/foo-1.0.dist-info/LICENSE"
# a known licence declared: the file is not used (the name differs in case and '-'/'_')
dist Bar_Baz-2.0.dist-info "Name: bar-baz" "Version: 2.0" "License: MIT"
cp "$CL/Apache-2.0" "$sp/Bar_Baz-2.0.dist-info/LICENSE.txt"
# nothing declared; PEP 639 licenses/ with two texts; the name as the directory spells it
dist Qux_Lib-3.0.dist-info "Name: qux.lib" "Version: 3.0"
mkdir -p "$sp/Qux_Lib-3.0.dist-info/licenses/sub"
cp "$CL/GPL-3" "$sp/Qux_Lib-3.0.dist-info/licenses/COPYING"
cp "$CL/MPL-2.0" "$sp/Qux_Lib-3.0.dist-info/licenses/sub/MPL"
# a file that is no licence text adds nothing
dist plain-1.0.dist-info "Name: plain" "Version: 1.0"
echo "see the project's web site" >"$sp/plain-1.0.dist-info/LICENSE"

# the same files as a one-layer OCI image, so the second scan reads the layer cache
"$PYTHON" - "$tmp/root" "$tmp/img" <<'EOF' || exit 1
import hashlib, io, json, os, sys, tarfile
root, out = sys.argv[1:]
os.makedirs(os.path.join(out, "blobs", "sha256"))
def put(raw):
    dg = hashlib.sha256(raw).hexdigest()
    open(os.path.join(out, "blobs", "sha256", dg), "wb").write(raw)
    return "sha256:" + dg, len(raw)
buf = io.BytesIO()
with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as t:
    t.add(root, arcname=".")
ldg, lsize = put(buf.getvalue())
cdg, csize = put(json.dumps({"architecture": "amd64", "os": "linux",
                             "rootfs": {"type": "layers", "diff_ids": [ldg]}}).encode())
mdg, msize = put(json.dumps({"schemaVersion": 2,
    "mediaType": "application/vnd.oci.image.manifest.v1+json",
    "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": cdg, "size": csize},
    "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar", "digest": ldg,
                "size": lsize}]}).encode())
json.dump({"schemaVersion": 2, "manifests": [{"mediaType": "application/vnd.oci.image.manifest.v1+json",
           "digest": mdg, "size": msize, "annotations": {"org.opencontainers.image.ref.name": "t"}}]},
          open(os.path.join(out, "index.json"), "w"))
json.dump({"imageLayoutVersion": "1.0.0"}, open(os.path.join(out, "oci-layout"), "w"))
EOF

fails=0
for round in rootfs cold warm; do
    case $round in
    rootfs) src="--rootfs $tmp/root" ;;
    *) src="oci:$tmp/img:t" ;;
    esac
    # shellcheck disable=SC2086 # $src is an option and a path, or a reference
    "$FATHOM" scan image --list-all-pkgs --format json $src >"$tmp/inv.json" 2>"$tmp/err" || {
        echo "FAIL: $round: $(head -3 "$tmp/err")"
        fails=$((fails + 1))
        continue
    }
    "$PYTHON" - "$tmp/inv.json" <<'EOF' || { echo "FAIL: $round: licences"; fails=$((fails + 1)); }
import json, sys
d = json.load(open(sys.argv[1]))
got = {p["name"]: sorted((l["value"], l["spdx"]) for l in p["licenses"]) for p in d["packages"]}
want = {
    "foo": [("Apache Software License", ""), ("Apache-2.0", "Apache-2.0")],
    "bar-baz": [("MIT", "MIT")],
    "qux.lib": [("GPL-3.0-only", "GPL-3.0-only"), ("MPL-2.0", "MPL-2.0")],
    "plain": [],
}
sys.exit(0 if got == want else (print(got) or 1))
EOF
done
ls "$XDG_CACHE_HOME"/fathom/layers/* >/dev/null 2>&1 || {
    echo "FAIL: the warm round read no layer cache"
    fails=$((fails + 1))
}
if [ "$fails" -ne 0 ]; then
    echo "catalog_license_files: $fails failure(s)"
    exit 1
fi
echo "catalog_license_files: ok"
