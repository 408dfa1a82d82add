#!/bin/sh
# fathom scan image --list-all-pkgs and fathom sbom end to end on the real images in
# ../shared/data/images: the package lists are checked against what the layers' own package
# databases say (read independently with Python's tarfile), the whiteout and opaque tags
# against ../shared/data/README.md, --platform against the multi-arch index, the docker save
# archives as-is, and every SBOM against the official CycloneDX 1.6 and SPDX 2.3 schemas.
set -u

: "${FATHOM:?FATHOM must name the fathom binary}"
: "${FATHOM_SHARED:?FATHOM_SHARED must name the shared folder}"
: "${FATHOM_SOURCE_DIR:?FATHOM_SOURCE_DIR must name the source tree}"
PYTHON=${PYTHON:-python3}
IMAGES=$FATHOM_SHARED/data/images
SCHEMAS=$FATHOM_SHARED/fixtures/schemas
AJV=${AJV:-$FATHOM_SOURCE_DIR/.tools/node_modules/.bin/ajv}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
export XDG_CACHE_HOME=$tmp/cache
export FATHOM_SBOM_TIMESTAMP=2026-01-02T03:04:05Z
export FATHOM_SBOM_UUID=00000000-0000-4000-8000-000000000000
fails=0
fail() {
    echo "FAIL: $*"
    fails=$((fails + 1))
}

# inv NAME ARGS...: the JSON inventory into $tmp/NAME.json; must exit 0
inv() {
    name=$1
    shift
    if ! "$FATHOM" scan image --list-all-pkgs --format json "$@" >"$tmp/$name.json" \
        2>"$tmp/$name.err"; then
        fail "$name: fathom scan image $*: $(head -5 "$tmp/$name.err")"
        return 1
    fi
}

# expect NAME 'python assert expression' ... : evaluated with d, pk, names, layer_of
expect() {
    name=$1
    shift
    "$PYTHON" - "$tmp/$name.json" "$@" <<'EOF' || fail "$name"
import json, sys
d = json.load(open(sys.argv[1]))
pk = {(p["type"], p["name"], p["version"]) for p in d["packages"]}
names = {p["name"] for p in d["packages"]}
def layer_of(n):
    return sorted({p["layer"]["index"] for p in d["packages"] if p["name"] == n})
def of_type(t):
    return {(p["name"], p["version"]) for p in d["packages"] if p["type"] == t}
bad = 0
for e in sys.argv[2:]:
    try:
        ok = eval(e)
    except Exception as x:
        ok = False
        print("  error in", e, ":", x)
    if not ok:
        print("  not true:", e)
        bad += 1
sys.exit(1 if bad else 0)
EOF
}

# The truth of a layout tag: every layer's dpkg status / apk installed, applied in order
# (a later layer's copy of the file replaces the earlier one), read with Python's tarfile.
truth() {
    "$PYTHON" - "$1" "$2" <<'EOF'
import json, sys, tarfile, os
layout, tag = sys.argv[1], sys.argv[2]
idx = json.load(open(os.path.join(layout, "index.json")))
m = [x for x in idx["manifests"] if x.get("annotations", {}).get("org.opencontainers.image.ref.name") == tag][0]
blob = lambda d: os.path.join(layout, "blobs", *d.split(":"))
man = json.load(open(blob(m["digest"])))
files = {}
for l in man["layers"]:
    with tarfile.open(blob(l["digest"])) as t:
        for ti in t:
            p = ti.name.lstrip("./").lstrip("/")
            if p in ("var/lib/dpkg/status", "lib/apk/db/installed") and ti.isfile():
                files[p] = t.extractfile(ti).read().decode()
out = []
if "var/lib/dpkg/status" in files:
    for st in files["var/lib/dpkg/status"].split("\n\n"):
        f = {}
        for line in st.splitlines():
            if line and not line[0].isspace() and ":" in line:
                k, v = line.split(":", 1)
                f[k] = v.strip()
        if f.get("Status", "").endswith(" installed"):
            out.append(("deb", f["Package"], f["Version"]))
if "lib/apk/db/installed" in files:
    for st in files["lib/apk/db/installed"].split("\n\n"):
        f = dict(l.split(":", 1) for l in st.splitlines() if len(l) > 2 and l[1] == ":")
        if "P" in f and "V" in f:
            out.append(("apk", f["P"], f["V"]))
print(json.dumps(sorted(out)))
EOF
}

same_as_truth() { # NAME LAYOUT TAG TYPE
    truth "$2" "$3" >"$tmp/$1.truth" || { fail "$1: truth"; return; }
    "$PYTHON" - "$tmp/$1.json" "$tmp/$1.truth" "$4" <<'EOF' || fail "$1: packages differ from the layer's own database"
import json, sys
d = json.load(open(sys.argv[1]))
got = sorted([p["type"], p["name"], p["version"]] for p in d["packages"] if p["type"] == sys.argv[3])
want = sorted(json.load(open(sys.argv[2])))
want = [w for w in want if w[0] == sys.argv[3]]
if got != want:
    print("  only in fathom:", [g for g in got if g not in want][:10])
    print("  only in truth:", [w for w in want if w not in got][:10])
    sys.exit(1)
print("  %s: %d %s packages match" % (sys.argv[1].rsplit("/", 1)[-1], len(got), sys.argv[3]))
EOF
}

# ---- Debian bookworm: exactly the 88 packages dpkg lists ----
if inv bookworm "oci:$IMAGES/oci-bookworm:bookworm"; then
    same_as_truth bookworm "$IMAGES/oci-bookworm" bookworm deb
    expect bookworm 'len(of_type("deb")) == 88' 'd["os"]["id"] == "debian"' \
        'd["os"]["codename"] == "bookworm"' 'd["os"]["release"] in ("bookworm", "12")' \
        'len(d["layers"]) == 1' 'all(p["layer"]["index"] == 0 for p in d["packages"])' \
        'all(p["purl"].startswith("pkg:deb/debian/") for p in d["packages"] if p["type"] == "deb")' \
        'any(p["name"] == "libc6" and p["src_name"] == "glibc" for p in d["packages"])'
fi

# ---- Alpine: base, second layer, whiteouts, opaque ----
A=$IMAGES/oci-alpine
if inv alpine "oci:$A:3.20.3"; then
    same_as_truth alpine "$A" 3.20.3 apk
    expect alpine 'len(of_type("apk")) == 14' 'd["os"]["id"] == "alpine"' \
        'd["os"]["release"] == "v3.20"' 'd["os"]["version_id"] == "3.20.3"'
fi
if inv l2 "oci:$A:3.20.3-l2"; then
    expect l2 'len(of_type("apk")) == 14' \
        '("semver", "7.3.5") in of_type("npm")' '("lodash", "4.17.20") in of_type("npm")' \
        '("minimist", "1.2.5") in of_type("npm")' \
        '{"lru-cache", "yallist"} <= {n for n, v in of_type("npm")}' \
        '{("cryptography", "38.0.4"), ("PyYAML", "6.0"), ("packaging", "23.0"), ("pip", "23.0.1")} <= of_type("python")' \
        '("commons-io:commons-io", "2.11.0") in of_type("java-archive")' \
        'layer_of("semver") == [1]' 'layer_of("musl") == [0]' 'layer_of("commons-io:commons-io") == [1]'
fi
if inv whiteout "oci:$A:3.20.3-whiteout"; then
    expect whiteout '"minimist" not in names' '("semver", "7.3.5") in of_type("npm")' \
        'len(of_type("apk")) == 14' 'len(d["layers"]) == 3'
fi
if inv opaque "oci:$A:3.20.3-opaque"; then
    expect opaque '("semver", "7.3.5") in of_type("npm")' 'len(of_type("apk")) == 14'
fi
# the same tag as a legacy docker save archive gives the same packages
if inv whiteout_archive "docker-archive:$IMAGES/alpine-3.20.3-whiteout-docker-archive.tar"; then
    "$PYTHON" - "$tmp/whiteout.json" "$tmp/whiteout_archive.json" <<'EOF' || fail "docker-archive and OCI layout disagree"
import json, sys
a, b = (json.load(open(f)) for f in sys.argv[1:])
key = lambda d: sorted((p["type"], p["name"], p["version"], p["layer"]["index"], p["path"]) for p in d["packages"])
sys.exit(0 if key(a) == key(b) and len(a["layers"]) == len(b["layers"]) else 1)
EOF
fi

# ---- multi-arch index: --platform picks the manifest ----
if inv amd64 "oci:$IMAGES/oci-alpine-multi:3.20.3" && inv arm64 --platform linux/arm64/v8 \
    "oci:$IMAGES/oci-alpine-multi:3.20.3"; then
    expect amd64 'd["image"]["architecture"] == "amd64"' \
        'all(p["arch"] in ("x86_64", "noarch", "") for p in d["packages"])'
    expect arm64 'd["image"]["architecture"] == "arm64"' \
        'all(p["arch"] in ("aarch64", "noarch", "") for p in d["packages"])' \
        'len(d["packages"]) > 0'
fi
if "$FATHOM" scan image --platform linux/s390x "oci:$IMAGES/oci-alpine-multi:3.20.3" \
    >/dev/null 2>"$tmp/s390x.err"; then
    fail "an absent platform was accepted"
elif ! grep -q "linux/arm64" "$tmp/s390x.err"; then
    fail "the platform error does not list the platforms there are: $(cat "$tmp/s390x.err")"
fi

# ---- real docker save archives, as Docker wrote them ----
for v in 310 311; do
    if inv "real$v" "docker-archive:$IMAGES/real-docker-save/alpine-$v.tar.gz"; then
        expect "real$v" 'len(of_type("apk")) >= 10' 'd["os"]["id"] == "alpine"' \
            "d['os']['release'] == 'v3.${v#3}'"
    fi
done

# ---- the layer cache: a warm run gives the same inventory; a damaged cache file is a miss ----
cached=$(ls "$XDG_CACHE_HOME"/fathom/layers/*.v[0-9]* 2>/dev/null | wc -l)
[ "$cached" -ge 5 ] || fail "expected cached layers under $XDG_CACHE_HOME/fathom/layers, found $cached"
if inv l2_warm "oci:$A:3.20.3-l2"; then
    cmp -s "$tmp/l2.json" "$tmp/l2_warm.json" || fail "warm inventory differs from the cold one"
fi
for f in "$XDG_CACHE_HOME"/fathom/layers/*.v[0-9]*; do
    head -c 100 "$f" >"$f.cut" && mv "$f.cut" "$f" # truncated: must read as a miss
done
if inv l2_damaged "oci:$A:3.20.3-l2"; then
    cmp -s "$tmp/l2.json" "$tmp/l2_damaged.json" || fail "a damaged cache changed the inventory"
fi
if inv l2_nocache --no-cache "oci:$A:3.20.3-l2"; then
    cmp -s "$tmp/l2.json" "$tmp/l2_nocache.json" || fail "--no-cache changed the inventory"
fi

# ---- a real registry on 127.0.0.1: by tag and by digest, same packages as the layout ----
port=$("$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
if bash "$FATHOM_SHARED/tools/registry.sh" start "$tmp/registry" "$port" >/dev/null 2>"$tmp/reg.err" &&
    bash "$FATHOM_SHARED/tools/registry.sh" push "$A:3.20.3-l2" "$port" fx/alpine:l2 2>>"$tmp/reg.err"; then
    if inv reg_tag --insecure "127.0.0.1:$port/fx/alpine:l2"; then
        "$PYTHON" - "$tmp/l2.json" "$tmp/reg_tag.json" <<'EOF2' || fail "registry pull differs from the OCI layout"
import json, sys
a, b = (json.load(open(f)) for f in sys.argv[1:])
key = lambda d: sorted((p["type"], p["name"], p["version"], p["layer"]["index"]) for p in d["packages"])
sys.exit(0 if key(a) == key(b) and a["image"]["digest"] == b["image"]["digest"] else 1)
EOF2
        digest=$("$PYTHON" -c 'import json, sys; print(json.load(open(sys.argv[1]))["image"]["digest"])' "$tmp/reg_tag.json")
        inv reg_digest --insecure "docker://127.0.0.1:$port/fx/alpine@$digest" &&
            expect reg_digest '("semver", "7.3.5") in of_type("npm")'
    fi
else
    fail "could not start a registry: $(head -3 "$tmp/reg.err")"
fi
bash "$FATHOM_SHARED/tools/registry.sh" stop "$tmp/registry" 2>/dev/null

# ---- table output names the OS, layers and packages ----
"$FATHOM" scan image --list-all-pkgs --format table --no-color "oci:$A:3.20.3-l2" \
    >"$tmp/table.txt" 2>&1 || fail "table output failed"
grep -q "Alpine Linux v3.20" "$tmp/table.txt" || fail "table: no OS line"
grep -q "semver *7.3.5 *npm *1 *app/" "$tmp/table.txt" || fail "table: no semver row"

# ---- unreadable input: exit 2 with the reason ----
"$FATHOM" scan image "oci:$tmp/nothing-here" >/dev/null 2>"$tmp/missing.err"
[ $? -eq 2 ] || fail "a missing image did not exit 2"

# ---- SBOMs: both formats, every image above, valid against the official schemas ----
for spec in "oci:$IMAGES/oci-bookworm:bookworm" "oci:$A:3.20.3-l2" \
    "docker-archive:$IMAGES/real-docker-save/alpine-310.tar.gz"; do
    n=$(echo "$spec" | tr -c 'a-z0-9\n' _)
    "$FATHOM" sbom --format cyclonedx -o "$tmp/$n.cdx.json" "$spec" 2>"$tmp/sbom.err" ||
        fail "sbom cyclonedx $spec: $(head -3 "$tmp/sbom.err")"
    "$FATHOM" sbom --format spdx -o "$tmp/$n.spdx.json" "$spec" 2>"$tmp/sbom.err" ||
        fail "sbom spdx $spec: $(head -3 "$tmp/sbom.err")"
    if [ -x "$AJV" ]; then
        (cd "$SCHEMAS" && "$AJV" validate --spec=draft7 --strict=false -c ajv-formats \
            -s bom-1.6.SNAPSHOT.schema.json -r spdx.SNAPSHOT.schema.json \
            -r jsf-0.82.SNAPSHOT.schema.json -r local/cdx-snapshot-alias-spdx.schema.json \
            -r local/cdx-snapshot-alias-jsf.schema.json --errors=text \
            -d "$tmp/$n.cdx.json") >"$tmp/ajv.out" 2>&1 ||
            fail "CycloneDX invalid for $spec: $(grep -v 'unknown format' "$tmp/ajv.out" | head -5)"
        (cd "$SCHEMAS" && "$AJV" validate --spec=draft7 -c ajv-formats -s spdx-schema-2-3.json \
            --errors=text -d "$tmp/$n.spdx.json") >"$tmp/ajv.out" 2>&1 ||
            fail "SPDX invalid for $spec: $(head -5 "$tmp/ajv.out")"
    else
        fail "no schema validator at $AJV (scripts/install-deps.sh installs it)"
    fi
done
"$PYTHON" - "$tmp"/oci_*oci_alpine*_l2.cdx.json "$tmp"/oci_*oci_alpine*_l2.spdx.json <<'EOF' || fail "SBOM content"
import json, sys
cdx, spdx = (json.load(open(f)) for f in sys.argv[1:3])
purls = {c.get("purl") for c in cdx["components"]}
assert "pkg:npm/semver@7.3.5" in purls, "semver purl missing"
assert any(p and p.startswith("pkg:apk/alpine/musl@") for p in purls), "musl purl missing"
assert cdx["metadata"]["component"]["type"] == "container"
assert any(c["type"] == "operating-system" for c in cdx["components"])
deps = {d["ref"]: d["dependsOn"] for d in cdx["dependencies"]}
assert any(deps.get(r) for r in deps if r != "image"), "no package dependency edges"
names = {p["name"] for p in spdx["packages"]}
assert "semver" in names and "musl" in names
rel = {(r["spdxElementId"], r["relationshipType"]) for r in spdx["relationships"]}
assert ("SPDXRef-DOCUMENT", "DESCRIBES") in rel
assert any(t == "DEPENDS_ON" for _, t in rel)
EOF
# SPDX files: every ELF executable and library of every layer, with SHA-1 and SHA-256 computed
# here from the layer tars, contained by the image and by the package that lists it
"$PYTHON" - "$A" 3.20.3-l2 "$tmp"/oci_*oci_alpine*_l2.spdx.json <<'EOF' || fail "SPDX files"
import hashlib, json, os, sys, tarfile
layout, tag, doc = sys.argv[1:]
spdx = json.load(open(doc))
idx = json.load(open(os.path.join(layout, "index.json")))
m = [x for x in idx["manifests"] if x["annotations"]["org.opencontainers.image.ref.name"] == tag][0]
blob = lambda dg: os.path.join(layout, "blobs", *dg.split(":"))
want = set()
for l in json.load(open(blob(m["digest"])))["layers"]:
    with tarfile.open(blob(l["digest"])) as t:
        for ti in t:
            if not ti.isfile():
                continue
            data = t.extractfile(ti).read()
            if data[:4] == b"\x7fELF" and len(data) >= 18 and \
                    int.from_bytes(data[16:18], "little" if data[5] == 1 else "big") in (2, 3):
                p = os.path.normpath(ti.name.lstrip("/")).lstrip("./")
                want.add(("./" + p, hashlib.sha1(data).hexdigest(), hashlib.sha256(data).hexdigest()))
got = set()
for f in spdx["files"]:
    sums = {c["algorithm"]: c["checksumValue"] for c in f["checksums"]}
    got.add((f["fileName"], sums["SHA1"], sums["SHA256"]))
    assert f["fileTypes"] == ["BINARY"], f
assert got == want, (sorted(got ^ want)[:4], len(got), len(want))
ids = {f["fileName"]: f["SPDXID"] for f in spdx["files"]}
pkg = {p["name"]: p["SPDXID"] for p in spdx["packages"]}
rels = {(r["spdxElementId"], r["relationshipType"], r["relatedSpdxElement"]) for r in spdx["relationships"]}
assert all(("SPDXRef-Image", "CONTAINS", i) in rels for i in ids.values())
assert (pkg["busybox"], "CONTAINS", ids["./bin/busybox"]) in rels, "busybox owns /bin/busybox"
EOF

if [ "$fails" -ne 0 ]; then
    echo "image_cli: $fails failure(s)"
    exit 1
fi
echo "image_cli: all checks passed"
