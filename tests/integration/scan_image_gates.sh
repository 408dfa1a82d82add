#!/bin/sh
# fathom scan image: hygiene and secrets on an image the test builds (an OCI layout written
# with Python: a shell, curl, a setuid file, a world-writable file and directory, /tmp with
# its sticky bit, credentials in the config's Env, a GitHub token in a file that the second
# layer deletes, a copy of an ELF binary), then the gates: the exit status of each flag
# combination (--exit-code, --severity, --ignore-unfixed, --ignorefile in both forms with an
# expired entry, --scanners), the suppressed findings kept and marked, and bad input
# (missing or too old database, bad flags, bad ignore file, unreadable image) exiting 2 with a
# message that names it.
set -u

: "${FATHOM:?FATHOM must name the fathom binary}"
: "${FATHOM_SHARED:?FATHOM_SHARED must name the shared folder}"
PYTHON=${PYTHON:-python3}
VD=$FATHOM_SHARED/data/vulndata
A=oci:$FATHOM_SHARED/data/images/oci-alpine:3.20.3-whiteout

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
export XDG_CACHE_HOME=$tmp/cache
unset FATHOM_DB
fails=0
fail() {
    echo "FAIL: $*"
    fails=$((fails + 1))
}

# ---- the test image ----
GOBIN=$FATHOM_SHARED/fixtures/image/gobinary/trivy/goexperiment
"$PYTHON" - "$tmp/img" "$GOBIN" <<'EOF' || fail "cannot build the test image"
import hashlib, io, json, os, shutil, sys, tarfile
out = sys.argv[1]
os.makedirs(os.path.join(out, "blobs", "sha256"))
def put(data):
    h = hashlib.sha256(data).hexdigest()
    open(os.path.join(out, "blobs", "sha256", h), "wb").write(data)
    return "sha256:" + h, len(data)
def layer(entries):
    b = io.BytesIO()
    with tarfile.open(fileobj=b, mode="w") as t:
        for name, kind, mode, data in entries:
            ti = tarfile.TarInfo(name)
            ti.mode = mode
            if kind == "dir":
                ti.type = tarfile.DIRTYPE
                t.addfile(ti)
            elif kind == "sym":
                ti.type = tarfile.SYMTYPE
                ti.linkname = data
                t.addfile(ti)
            else:
                ti.size = len(data)
                t.addfile(ti, io.BytesIO(data))
    raw = b.getvalue()
    return raw
elf = open(shutil.which("true") or "/bin/true", "rb").read()
goapp = open(sys.argv[2], "rb").read()
token = b"GITHUB_TOKEN=ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789\n"
l0 = layer([("bin", "dir", 0o755, None), ("bin/sh", "file", 0o755, b"#!shell\n"),
            ("usr", "dir", 0o755, None), ("usr/bin", "dir", 0o755, None),
            ("usr/bin/curl", "file", 0o755, b"curl\n"), ("usr/bin/true", "file", 0o755, elf),
            ("usr/local", "dir", 0o755, None), ("usr/local/bin", "dir", 0o755, None),
            ("usr/local/bin/helper", "file", 0o4755, b"setuid\n"),
            ("usr/local/bin/goapp", "file", 0o755, goapp),
            ("etc", "dir", 0o755, None), ("etc/app.conf", "file", 0o666, b"x=1\n"),
            ("etc/secret.env", "file", 0o600, token),
            ("tmp", "dir", 0o1777, None), ("data", "dir", 0o777, None)])
l1 = layer([("etc", "dir", 0o755, None), ("etc/.wh.secret.env", "file", 0o644, b""),
            ("etc/motd", "file", 0o644, b"hello\n")])
layers = []
for raw in (l0, l1):
    dg, size = put(raw)
    layers.append({"mediaType": "application/vnd.oci.image.layer.v1.tar", "digest": dg, "size": size})
diff_ids = [l["digest"] for l in layers]
config = {"architecture": "amd64", "os": "linux",
          "config": {"Env": ["PATH=/usr/bin:/bin", "DB_PASSWORD=hunter2", "AWS_SECRET_ACCESS_KEY=abc",
                             "EMPTY_TOKEN="]},
          "rootfs": {"type": "layers", "diff_ids": diff_ids},
          "history": [{"created_by": "ADD base /"}, {"created_by": "RUN rm /etc/secret.env"}]}
cdg, csize = put(json.dumps(config).encode())
man = {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
       "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": cdg, "size": csize},
       "layers": layers}
mdg, msize = put(json.dumps(man).encode())
json.dump({"schemaVersion": 2, "manifests": [{"mediaType": "application/vnd.oci.image.manifest.v1+json",
           "digest": mdg, "size": msize, "annotations": {"org.opencontainers.image.ref.name": "t"}}]},
          open(os.path.join(out, "index.json"), "w"))
json.dump({"imageLayoutVersion": "1.0.0"}, open(os.path.join(out, "oci-layout"), "w"))
EOF
T=oci:$tmp/img:t

"$FATHOM" scan image --scanners secret,hygiene --format json "$T" >"$tmp/t.json" 2>"$tmp/t.err"
st=$?
[ "$st" -eq 1 ] || fail "test image: exit $st, expected 1: $(head -3 "$tmp/t.err")"
"$PYTHON" - "$tmp/t.json" <<'EOF' || fail "test image findings"
import json, sys
d = json.load(open(sys.argv[1]))
bad = 0
def check(ok, what):
    global bad
    if not ok:
        print("  not true:", what)
        bad += 1
got = sorted((f["id"], f["location"]["path"], f["location"]["layer"]["index"] if f["location"]["layer"] else -1,
              f["present_in_final_image"]) for f in d["findings"])
want = sorted([
    ("github-pat", "etc/secret.env", 0, False),
    ("HYG-ENV-SECRET", "", -1, True), ("HYG-ENV-SECRET", "", -1, True),
    ("HYG-NET-TOOL", "usr/bin/curl", 0, True),
    ("HYG-ROOT-USER", "", -1, True),
    ("HYG-SETUID", "usr/local/bin/helper", 0, True),
    ("HYG-SHELL", "bin/sh", 0, True),
    ("HYG-WORLD-WRITABLE", "data", 0, True),
    ("HYG-WORLD-WRITABLE", "etc/app.conf", 0, True)])
check(got == want, "findings:\n   got  %s\n   want %s" % (got, want))
text = json.dumps(d)
check("hunter2" not in text and "ghp_aBcDeF" not in text, "secrets never appear unmasked")
env = sorted(f["message"] for f in d["findings"] if f["id"] == "HYG-ENV-SECRET")
check(env == ["Env AWS_SECRET_ACCESS_KEY=******** (3 characters, masked)",
              "Env DB_PASSWORD=******** (7 characters, masked)"], "env messages %s" % env)
sec = [f for f in d["findings"] if f["class"] == "secret"][0]
check(sec["severity"] == "CRITICAL" and sec["location"]["line"] == 1 and "*" in sec["match"]
      and sec["location"]["layer"]["created_by"] == "ADD base /", "the secret's layer, line and mask")
b = [(x["path"], x["kind"]) for x in d["binaries"]]
check(b == [("usr/bin/true", "executable"), ("usr/local/bin/goapp", "executable")], "the ELF files: %s" % b)
sys.exit(1 if bad else 0)
EOF

# ---- a Go binary's standard library (go1.22.1 in the Trivy fixture) against Go's advisories:
# exactly the stdlib records whose SEMVER ranges hold 1.22.1, computed here ----
"$FATHOM" db import --db "$tmp/go.sqlite" "$VD/go/osv-stdlib-toolchain" >/dev/null 2>&1 ||
    fail "db import (go)"
"$FATHOM" scan image --db "$tmp/go.sqlite" --scanners vuln --format json "$T" >"$tmp/go.json" \
    2>"$tmp/go.err"
[ $? -eq 1 ] || fail "Go stdlib: exit 1 expected: $(head -3 "$tmp/go.err")"
"$PYTHON" - "$tmp/go.json" "$VD/go/osv-stdlib-toolchain" <<'EOF' || fail "Go stdlib findings"
import json, os, re, sys
d = json.load(open(sys.argv[1]))
def key(v):
    m = re.match(r"^(\d+)\.(\d+)\.(\d+)(?:-(.*))?$", v)
    pre = m.group(4)
    parts = [] if pre is None else [(0, int(x), "") if x.isdigit() else (1, 0, x) for x in pre.split(".")]
    return (int(m.group(1)), int(m.group(2)), int(m.group(3)), pre is None, parts)
have = key("1.22.1")
want = set()
for name in os.listdir(sys.argv[2]):
    if not name.endswith(".json"):
        continue
    rec = json.load(open(os.path.join(sys.argv[2], name)))
    if rec.get("withdrawn"):
        continue
    for aff in rec.get("affected", []):
        if aff["package"]["name"] != "stdlib" or aff["package"].get("ecosystem") != "Go":
            continue
        for r in aff.get("ranges", []):
            if r["type"] != "SEMVER":
                continue
            lo = None
            for ev in r["events"] + [{}]:
                if "introduced" in ev:
                    lo = key("0.0.0") if ev["introduced"] == "0" else key(ev["introduced"])
                elif lo is not None and ("fixed" in ev or not ev):
                    if have >= lo and (not ev or have < key(ev["fixed"])):
                        want.add(rec["id"])
                    lo = None
got = {f["id"] for f in d["findings"] if f["package"]["name"] == "stdlib"}
others = [f["id"] for f in d["findings"] if f["package"]["name"] != "stdlib"]
ok = got == want and not others and len(want) > 0
ok &= all(f["package"]["version"] == "v1.22.1" and f["location"]["path"] == "usr/local/bin/goapp"
          for f in d["findings"])
if not ok:
    print("  stdlib: missing", sorted(want - got), "unexpected", sorted(got - want), "others", others)
sys.exit(0 if ok else 1)
EOF

# ---- a database for the gates ----
"$FATHOM" db import --db "$tmp/db.sqlite" "$VD/ghsa" "$VD/pypi" >/dev/null 2>&1 ||
    fail "db import"

# gate NAME EXPECTED ARGS...: the exit status of a scan of the Alpine fixture
gate() {
    name=$1 want=$2
    shift 2
    "$FATHOM" scan image "$@" >"$tmp/$name.out" 2>"$tmp/$name.err"
    st=$?
    [ "$st" -eq "$want" ] || fail "$name: exit $st, expected $want: $(head -3 "$tmp/$name.err")"
}
V="--db $tmp/db.sqlite --scanners vuln --format json"
gate default 1 $V "$A"
gate exit7 7 $V --exit-code 7 "$A"
gate exit0 0 $V --exit-code 0 "$A"
gate critical 1 $V --severity CRITICAL "$A"
gate low_only 1 $V --severity LOW "$A"              # PYSEC-2023-228 (pip) is LOW
gate info_only 0 $V --severity INFO "$A"
gate unfixed 1 $V --ignore-unfixed "$A"
gate hygiene_low 1 --scanners hygiene --severity LOW --format json "$A"
gate hygiene_crit 0 --scanners hygiene --severity CRITICAL --format json "$A"
gate none 0 --scanners none --format json "$A"

# the ignore file: the critical one waived until far in the future -> clean at CRITICAL;
# expired -> it suppresses nothing (and says so); a package that does not match -> nothing
printf '# waived\nCVE-2021-44906 exp:2999-12-31 pkg:minimist  # deleted in layer 3 anyway\n' >"$tmp/ok.ignore"
gate ignored 0 $V --severity CRITICAL --ignorefile "$tmp/ok.ignore" "$A"
"$PYTHON" - "$tmp/ignored.out" "$tmp/ok.ignore" <<'EOF' || fail "suppressed finding not kept and marked"
import json, sys
d = json.load(open(sys.argv[1]))
f = d["findings"]
ok = (len(f) == 1 and f[0]["id"] == "GHSA-xvch-5gv4-984h" and
      f[0]["suppressed"] == "ignore file %s:2: deleted in layer 3 anyway" % sys.argv[2]
      and d["summary"]["findings"] == 0 and d["summary"]["suppressed"] == 1)
sys.exit(0 if ok else (print(f) or 1))
EOF
printf 'GHSA-xvch-5gv4-984h exp:2020-01-01\n' >"$tmp/expired.ignore"
gate expired 1 $V --severity CRITICAL --ignorefile "$tmp/expired.ignore" "$A"
grep -q "expired on 2020-01-01" "$tmp/expired.err" || fail "no warning for the expired entry"
printf 'GHSA-xvch-5gv4-984h pkg:lodash\n' >"$tmp/other.ignore"
gate otherpkg 1 $V --severity CRITICAL --ignorefile "$tmp/other.ignore" "$A"
cat >"$tmp/ignore.yaml" <<'EOF'
vulnerabilities:
  - id: GHSA-xvch-5gv4-984h
    purls: [pkg:npm/minimist]
    statement: not shipped
  - id: GHSA-35jh-r3h4-6jhm
    expired_at: 2021-01-01
EOF
gate yaml 0 $V --severity CRITICAL --ignorefile "$tmp/ignore.yaml" "$A"
gate yaml_high 1 $V --severity HIGH --ignorefile "$tmp/ignore.yaml" "$A"
grep -q "GHSA-35jh-r3h4-6jhm' expired on 2021-01-01" "$tmp/yaml_high.err" ||
    fail "no warning for the expired YAML entry"

# ---- bad input: exit 2, with a message naming it ----
gate nodb 2 --db "$tmp/missing.sqlite" "$A"
grep -q "no vulnerability database at '$tmp/missing.sqlite'" "$tmp/nodb.err" ||
    fail "missing database message: $(cat "$tmp/nodb.err")"
gate fresh 1 $V --db-max-age 1h "$A"
sleep 2
gate stale 2 $V --db-max-age 1s "$A"
grep -q "longer ago than --db-max-age 1s" "$tmp/stale.err" || fail "stale database message"
gate badage 2 $V --db-max-age soon "$A"
gate badsev 2 $V --severity SEVERE "$A"
gate badscanner 2 --scanners vuln,magic "$A"
gate badexit 2 $V --exit-code 300 "$A"
gate badformat 2 $V --format xml "$A"
printf 'CVE-1 exp:2024-13-45\n' >"$tmp/bad.ignore"
gate badignore 2 $V --ignorefile "$tmp/bad.ignore" "$A"
grep -q "bad.ignore:1" "$tmp/badignore.err" || fail "bad ignore file message: $(cat "$tmp/badignore.err")"
gate noignore 2 $V --ignorefile "$tmp/none.ignore" "$A"
printf 'not-a-digest\n' >"$tmp/bad.hashes"
gate badhashes 2 --scanners none --binary-hashes "$tmp/bad.hashes" "$A"
gate noimage 2 $V "oci:$tmp/nothing:here"

echo "scan_image_gates: $fails failure(s)"
[ "$fails" -eq 0 ]
