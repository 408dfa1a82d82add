#!/bin/sh
# fathom scan image on the Alpine fixture image (../shared/data/images/oci-alpine, tags
# 3.20.3-whiteout and 3.20.3-opaque) with the real advisories of ../shared/data/vulndata
# imported into a temporary database:
#  - the vulnerabilities are exactly vulndata/fixture-image.expected-findings.jsonl (ids,
#    aliases, package, version, declaring file, layer, present_in_final_image: minimist is
#    reported in the layer that added it although a later layer deleted it);
#  - the hygiene findings are exactly what the final root filesystem holds, read independently
#    from the layer tars with Python (whiteouts and opaque directories applied): shells, apk,
#    network tools, root user, end-of-life OS;
#  - every ELF executable and library of every layer is fingerprinted with its SHA-256
#    (computed here with hashlib), and --binary-hashes turns a listed digest into a finding;
#  - SARIF and CycloneDX outputs validate against the official schemas, and each CycloneDX
#    vulnerability's `affects` names an existing component;
#  - the fake AWS secret in /etc/secret-to-delete is found, masked, in the layer that added it
#    (and marked deleted where a later layer removed it);
#  - the table shows a line per severity and the deleted package.
set -u

: "${FATHOM:?FATHOM must name the fathom binary}"
: "${FATHOM_SHARED:?FATHOM_SHARED must name the shared folder}"
: "${FATHOM_SOURCE_DIR:?FATHOM_SOURCE_DIR must name the source tree}"
PYTHON=${PYTHON:-python3}
VD=$FATHOM_SHARED/data/vulndata
A=$FATHOM_SHARED/data/images/oci-alpine
SCHEMAS=$FATHOM_SHARED/fixtures/schemas
AJV=${AJV:-$FATHOM_SOURCE_DIR/.tools/node_modules/.bin/ajv}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
export XDG_CACHE_HOME=$tmp/cache
unset FATHOM_DB
fails=0
fail() {
    echo "FAIL: $*"
    fails=$((fails + 1))
}

if ! "$FATHOM" db import --db "$tmp/db.sqlite" "$VD/ghsa" "$VD/pypi" \
    "$VD/go/osv-stdlib-toolchain" >"$tmp/import.out" 2>&1; then
    fail "db import: $(cat "$tmp/import.out")"
fi

# scan TAG FORMAT [ARGS...]: into $tmp/TAG.FORMAT; the findings make it exit 1
scan() {
    tag=$1 fmt=$2
    shift 2
    "$FATHOM" scan image --db "$tmp/db.sqlite" --format "$fmt" "$@" "oci:$A:$tag" \
        >"$tmp/$tag.$fmt" 2>"$tmp/$tag.$fmt.err"
    st=$?
    [ "$st" -eq 1 ] || fail "$tag $fmt: exit $st, expected 1 (findings): $(head -3 "$tmp/$tag.$fmt.err")"
}

for tag in 3.20.3-whiteout 3.20.3-opaque; do
    scan "$tag" json
    "$PYTHON" - "$A" "$tag" "$tmp/$tag.json" "$VD/fixture-image.expected-findings.jsonl" <<'EOF' || fail "$tag: JSON findings"
import hashlib, json, os, sys, tarfile
layout, tag, report, expected = sys.argv[1:]
d = json.load(open(report))
bad = 0
def check(ok, what):
    global bad
    if not ok:
        print("  not true:", what)
        bad += 1

# -- vulnerabilities: exactly the expectation file (its layers count from 1)
want = set()
for line in open(expected):
    e = json.loads(line)
    want.add((e["id"], tuple(sorted(e["aliases"])), e["name"], e["version"], e["path"],
              e["layer"] - 1, e["present_in_final_image"]))
got = set()
for f in d["findings"]:
    if f["class"] != "vulnerability":
        continue
    p = f["package"]["name"]
    # the expectation names the dist-info directory, Fathom the METADATA file inside it
    path = f["location"]["path"]
    if path.endswith("/METADATA"):
        path = path[: -len("/METADATA")]
    got.add((f["id"], tuple(sorted(f["aliases"])), p, f["package"]["version"], path,
             f["location"]["layer"]["index"], f["present_in_final_image"]))
    check(f["status"] == "fixed" and f["fixed_versions"], "%s has a fixed version" % f["id"])
check(got == want, "vulnerabilities: missing %s, unexpected %s" % (sorted(want - got), sorted(got - want)))
mini = [f for f in d["findings"] if f["id"] == "GHSA-xvch-5gv4-984h"]
check(len(mini) == 1 and mini[0]["severity"] == "CRITICAL" and mini[0]["cvss"]["score"] == 9.8
      and mini[0]["fixed_versions"] == ["1.2.6"], "minimist: CRITICAL 9.8, fixed in 1.2.6")
check(d["summary"]["deleted_packages"] == 1, "one deleted package")

# -- the final root filesystem, read from the tars
idx = json.load(open(os.path.join(layout, "index.json")))
m = [x for x in idx["manifests"] if x["annotations"]["org.opencontainers.image.ref.name"] == tag][0]
blob = lambda dg: os.path.join(layout, "blobs", *dg.split(":"))
man = json.load(open(blob(m["digest"])))
norm = lambda n: os.path.normpath(n.lstrip("/")).lstrip("./") if n not in (".", "./", "/") else ""
fs = {}  # path -> (layer, TarInfo)
elf = {}  # (path, layer) -> (kind, sha256)
secret_in = []  # (path, layer, value) of the fixture's fake AWS secret
for li, l in enumerate(man["layers"]):
    with tarfile.open(blob(l["digest"])) as t:
        for ti in t:
            p = norm(ti.name)
            base = os.path.basename(p)
            d_ = os.path.dirname(p)
            if base == ".wh..wh..opq":
                for k in [k for k in fs if k.startswith(d_ + "/")]:
                    del fs[k]
                continue
            if base.startswith(".wh."):
                gone = os.path.join(d_, base[4:])
                for k in [k for k in fs if k == gone or k.startswith(gone + "/")]:
                    del fs[k]
                continue
            fs[p] = (li, ti)
            if ti.isfile():
                data = t.extractfile(ti).read()
                if b"AWS_SECRET_ACCESS_KEY=" in data:
                    secret_in.append((p, li, data.split(b"=", 1)[1].strip().decode()))
                if data[:4] == b"\x7fELF" and len(data) >= 18:
                    et = int.from_bytes(data[16:18], "little" if data[5] == 1 else "big")
                    if et in (2, 3):
                        kind = "shared-library" if et == 3 and ".so" in base else "executable"
                        elf[(p, li)] = (kind, hashlib.sha256(data).hexdigest())

# -- hygiene: exactly what the final filesystem and the config give
shells = {"sh", "bash", "ash", "dash", "zsh", "ksh", "csh", "tcsh"}
pms = {"apt", "apt-get", "dpkg", "apk", "yum", "dnf", "microdnf", "rpm", "zypper", "pip", "pip3", "npm"}
nets = {"curl", "wget", "nc", "netcat", "ncat", "ssh", "telnet", "socat"}
dirs = ("bin", "sbin", "usr/bin", "usr/sbin", "usr/local/bin", "usr/local/sbin")
want = {("HYG-ROOT-USER", ""), ("HYG-OS-EOL", "etc/os-release")}
for p, (li, ti) in fs.items():
    dn, bn = os.path.dirname(p), os.path.basename(p)
    if dn in dirs and (ti.isfile() or ti.issym() or ti.islnk()):
        for rid, names in (("HYG-SHELL", shells), ("HYG-PKG-MANAGER", pms), ("HYG-NET-TOOL", nets)):
            if bn in names:
                want.add((rid, p))
    if ti.isfile() and ti.mode & 0o6000:
        want.add(("HYG-SETUID", p))
    if (ti.isfile() and ti.mode & 0o002) or (ti.isdir() and ti.mode & 0o002 and not ti.mode & 0o1000):
        want.add(("HYG-WORLD-WRITABLE", p))
got = {(f["id"], f["location"]["path"]) for f in d["findings"] if f["class"] == "hygiene"}
check(got == want, "hygiene: missing %s, unexpected %s" % (sorted(want - got), sorted(got - want)))
check(("HYG-SHELL", "bin/sh") in got and ("HYG-PKG-MANAGER", "sbin/apk") in got, "the shell and apk")

# -- secrets: the fake AWS secret in the layer that added it, deleted or not, and nothing else
want = {("credential-variable", p, li, p in fs and fs[p][0] == li) for p, li, _ in secret_in}
got = {(f["id"], f["location"]["path"], f["location"]["layer"]["index"], f["present_in_final_image"])
       for f in d["findings"] if f["class"] == "secret"}
check(len(secret_in) == 1 and secret_in[0][0] == "etc/secret-to-delete", "the fixture holds the secret")
check(got == want, "secrets: missing %s, unexpected %s" % (sorted(want - got), sorted(got - want)))
check(all(v not in json.dumps(d) for _, _, v in secret_in), "the secret is masked everywhere")

# -- binaries: every ELF of every layer, with the final image's view
got = {(b["path"], b["layer"]["index"]): (b["kind"], b["sha256"]) for b in d["binaries"]}
check(got == elf, "binaries: %d reported, %d in the tars; differ on %s" % (
    len(got), len(elf), sorted(set(got.items()) ^ set(elf.items()))[:5]))
for b in d["binaries"]:
    p, li = b["path"], b["layer"]["index"]
    check(b["present_in_final_image"] == (p in fs and fs[p][0] == li), "present flag of " + p)
sys.exit(1 if bad else 0)
EOF
done

# ---- --binary-hashes: busybox's digest (from the JSON above) is a finding ----
bb=$("$PYTHON" -c 'import json,sys; print([b["sha256"] for b in json.load(open(sys.argv[1]))["binaries"] if b["path"] == "bin/busybox"][0])' "$tmp/3.20.3-whiteout.json")
printf '# known bad\n%s  bin/busybox (test)\n' "$bb" >"$tmp/bad.txt"
"$FATHOM" scan image --scanners none --binary-hashes "$tmp/bad.txt" --format json \
    "oci:$A:3.20.3-whiteout" >"$tmp/bad.json" 2>"$tmp/bad.err"
st=$?
[ "$st" -eq 1 ] || fail "--binary-hashes: exit $st, expected 1: $(head -3 "$tmp/bad.err")"
"$PYTHON" - "$tmp/bad.json" <<'EOF' || fail "--binary-hashes finding"
import json, sys
d = json.load(open(sys.argv[1]))
f = [(x["id"], x["location"]["path"], x["severity"]) for x in d["findings"]]
sys.exit(0 if f == [("HYG-BAD-BINARY", "bin/busybox", "CRITICAL")] else (print(f) or 1))
EOF

# ---- SARIF and CycloneDX, schema-valid ----
scan 3.20.3-whiteout sarif
scan 3.20.3-whiteout cyclonedx
cp "$tmp/3.20.3-whiteout.sarif" "$tmp/out.sarif.json"
cp "$tmp/3.20.3-whiteout.cyclonedx" "$tmp/out.cdx.json"
"$PYTHON" - "$tmp/out.sarif.json" "$tmp/out.cdx.json" <<'EOF' || fail "SARIF/CycloneDX content"
import json, sys
s = json.load(open(sys.argv[1]))
c = json.load(open(sys.argv[2]))
bad = 0
run = s["runs"][0]
ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
for r in run["results"]:
    if ids[r["ruleIndex"]] != r["ruleId"]:
        print("ruleIndex does not name", r["ruleId"]); bad += 1
mini = [r for r in run["results"] if r["ruleId"] == "GHSA-xvch-5gv4-984h"]
if len(mini) != 1 or mini[0]["properties"]["presentInFinalImage"] is not False or mini[0]["level"] != "error":
    print("SARIF minimist result", mini); bad += 1
refs = {x["bom-ref"] for x in c["components"]}
vul = c["vulnerabilities"]
if sorted(v["id"] for v in vul) != sorted(["GHSA-29mw-wpgm-hmr9", "GHSA-35jh-r3h4-6jhm", "GHSA-78wr-2p64-hpwj",
        "GHSA-c2qf-rxjj-qqgw", "GHSA-xvch-5gv4-984h", "PYSEC-2023-11", "PYSEC-2023-254", "PYSEC-2023-228"]):
    print("CycloneDX vulnerabilities", [v["id"] for v in vul]); bad += 1
for v in vul:
    for a in v["affects"]:
        if a["ref"] not in refs:
            print("affects names no component:", a["ref"]); bad += 1
    if not any(x.get("status") == "unaffected" for x in v["affects"][0]["versions"]):
        print("no fixed version in", v["id"]); bad += 1
m = [x for x in c["components"] if x.get("name") == "minimist"]
if len(m) != 1 or {"name": "fathom:present-in-final-image", "value": "false"} not in m[0]["properties"]:
    print("minimist component not marked deleted"); bad += 1
files = [x for x in c["components"] if x["type"] == "file"]
if not any(x["name"] == "bin/busybox" and x["hashes"][0]["alg"] == "SHA-256" for x in files):
    print("no busybox file component with its SHA-256"); bad += 1
sys.exit(1 if bad else 0)
EOF
if [ -x "$AJV" ]; then
    (cd "$SCHEMAS" && "$AJV" validate --spec=draft7 --strict=false -c ajv-formats \
        -s bom-1.6.SNAPSHOT.schema.json -r spdx.SNAPSHOT.schema.json \
        -r jsf-0.82.SNAPSHOT.schema.json -r local/cdx-snapshot-alias-spdx.schema.json \
        -r local/cdx-snapshot-alias-jsf.schema.json --errors=text \
        -d "$tmp/out.cdx.json") >"$tmp/ajv.out" 2>&1 ||
        fail "CycloneDX invalid: $(grep -v 'unknown format' "$tmp/ajv.out" | head -5)"
    if (cd "$SCHEMAS" && "$AJV" migrate -s sarif-schema-2.1.0.json \
        -o "$tmp/sarif7.json") >"$tmp/ajv.out" 2>&1; then
        (cd "$SCHEMAS" && "$AJV" validate --spec=draft7 -c ajv-formats -s "$tmp/sarif7.json" \
            --errors=text -d "$tmp/out.sarif.json") >"$tmp/ajv.out" 2>&1 ||
            fail "SARIF invalid: $(head -5 "$tmp/ajv.out")"
    else
        fail "ajv could not migrate the SARIF schema"
    fi
else
    fail "no schema validator at $AJV (scripts/install-deps.sh installs it)"
fi

# ---- the table: a line per severity, packages grouped, the deleted one marked ----
scan 3.20.3-whiteout table
for want in "  CRITICAL 1" "  HIGH     5" "  MEDIUM   3" "  LOW      6" "  UNKNOWN  1" \
    "minimist 1.2.5 (npm)  /app/node_modules/minimist/package.json" \
    "DELETED by a later layer" "layer 1 7dbf73c83d7a umoci repack" "Vulnerabilities (8)"; do
    grep -qF -- "$want" "$tmp/3.20.3-whiteout.table" || fail "table lacks '$want'"
done

# ---- inventory-only and sbom still as before (no database needed) ----
"$FATHOM" scan image --list-all-pkgs --format json "oci:$A:3.20.3-whiteout" >"$tmp/inv.json" ||
    fail "--list-all-pkgs without a database"
"$PYTHON" -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if "findings" not in d and len(d["packages"]) == 23 else 1)' \
    "$tmp/inv.json" || fail "--list-all-pkgs: the inventory of 23 packages, no findings"

# the scan's JSON opens with exactly the inventory's document; deleted packages listed apart
"$FATHOM" scan image --db "$tmp/db.sqlite" --scanners vuln --list-all-pkgs --format json \
    "oci:$A:3.20.3-whiteout" >"$tmp/full.json" 2>/dev/null
[ $? -eq 1 ] || fail "--scanners vuln --list-all-pkgs: exit 1 expected"
"$PYTHON" - "$tmp/inv.json" "$tmp/full.json" <<'EOF' || fail "the scan's inventory part differs from the inventory"
import json, sys
inv, full = (json.load(open(f)) for f in sys.argv[1:])
ok = all(inv[k] == full[k] for k in ("image", "os", "layers", "packages"))
ok &= [(p["name"], p["version"], p["layer"]["index"]) for p in full["deleted_packages"]] == [("minimist", "1.2.5", 1)]
ok &= inv["summary"]["packages"] == full["summary"]["packages"] == 23
sys.exit(0 if ok else 1)
EOF

echo "scan_image_alpine: $fails failure(s)"
[ "$fails" -eq 0 ]
