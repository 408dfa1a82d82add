#!/bin/sh
# Differential: Maven ordering against Maven's own ComparableVersion (the maven-artifact jar
# Debian ships, run once per batch of versions) on 12,000 generated pairs, fixed seed.
set -u
: "${FATHOM:?}" "${PYTHON:=python3}"
JAR=${MAVEN_ARTIFACT_JAR:-/usr/share/java/maven-artifact-3.x.jar}
if ! command -v java >/dev/null 2>&1 || [ ! -f "$JAR" ]; then
    echo "SKIP: java or $JAR missing (Debian: libmaven3-core-java, openjdk-17-jre-headless)"
    exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$PYTHON" - "$tmp" "$JAR" "$FATHOM" <<'PY'
import random, subprocess, sys

tmp, jar, fathom = sys.argv[1:4]
rnd = random.Random(20240601)
NUMS = ["0", "1", "2", "3", "10", "00", "01", "007", "2147483648", "9223372036854775808",
        "123456789012345678901234"]
QUALS = ["alpha", "a", "beta", "b", "milestone", "m", "rc", "cr", "RC", "snapshot", "SNAPSHOT",
         "ga", "final", "GA", "Final", "sp", "foo", "abc", "xyz", "jre", "c", "pre", "dev"]


def version():
    out = [rnd.choice(NUMS[:6]) if rnd.random() < 0.9 else rnd.choice(QUALS)]
    digit = out[0][0].isdigit()
    for _ in range(rnd.randint(0, 4)):
        r = rnd.random()
        sep = "." if r < 0.45 else "-" if r < 0.85 else ""
        if sep == "":
            tok = rnd.choice(QUALS) if digit else rnd.choice(NUMS)
        else:
            tok = rnd.choice(NUMS) if rnd.random() < 0.55 else rnd.choice(QUALS)
        out.append(sep + tok)
        digit = tok[0].isdigit()
    return "".join(out)


def variant(v):
    # near neighbours: another separator, another case, a trailing zero
    r = rnd.random()
    if r < 0.3:
        return v.replace("-", ".", 1)
    if r < 0.6:
        return v.replace(".", "-", 1)
    if r < 0.8:
        return v.upper()
    return v + rnd.choice([".0", "-0", "-ga", ".final", "-SNAPSHOT"])


pairs = []
for _ in range(12000):
    a = version()
    pairs.append((a, version() if rnd.random() < 0.6 else variant(a)))

want = []
for i in range(0, len(pairs), 3000):
    args = [x for p in pairs[i:i + 3000] for x in p]
    out = subprocess.run(["java", "-cp", jar,
                          "org.apache.maven.artifact.versioning.ComparableVersion"] + args,
                         capture_output=True, text=True, check=True).stdout
    # "   A op B" lines compare each argument with the next; pairs are arguments 2k, 2k+1
    ops = [line.split()[1] for line in out.splitlines() if line.startswith("   ")]
    want += [{"<": "<", "==": "=", ">": ">"}[ops[2 * k]] for k in range(len(args) // 2)]

text = "".join(a + "\t" + b + "\n" for a, b in pairs)
got = subprocess.run([fathom, "version", "compare", "maven", "--batch"], input=text,
                     capture_output=True, text=True).stdout.split("\n")
bad = [(p, w, g) for p, w, g in zip(pairs, want, got) if w != g]
if len(got) < len(pairs):
    bad.append((("<output>", ""), "%d lines" % len(pairs), "%d lines" % len(got)))
for (a, b), w, g in bad[:20]:
    print("FAIL: %s vs %s: Maven %s, fathom %s" % (a, b, w, g))
print("maven differential: %d pairs, %d differ" % (len(pairs), len(bad)))
sys.exit(1 if bad else 0)
PY
