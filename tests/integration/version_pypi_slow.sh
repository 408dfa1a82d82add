#!/bin/sh
# Differential: PEP 440 ordering and validity against pypa/packaging (Debian's python3-packaging
# under /usr/bin/python3) on 12,000 generated pairs, fixed seed; invalid versions included.
set -u
: "${FATHOM:?}"
PY=/usr/bin/python3
if ! "$PY" -c 'import packaging.version' 2>/dev/null; then
    echo "SKIP: python3-packaging missing (scripts/install-deps.sh installs it)"
    exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$PY" - "$FATHOM" <<'PY'
import random, subprocess, sys
from packaging.version import InvalidVersion, Version

fathom = sys.argv[1]
rnd = random.Random(20240601)
NUMS = ["0", "1", "2", "10", "00", "01", "007", "99999999999999999999999"]
SEPS = ["", ".", "-", "_"]
PRE = ["a", "alpha", "b", "beta", "c", "rc", "pre", "preview", "A", "RC", "Beta"]
POST = ["post", "rev", "r", "POST"]
LOCAL = ["ubuntu", "1", "01", "abc", "deadbeef", "Local", "7"]


def version():
    s = rnd.choice(["", "", "", "v", "V", " "])
    if rnd.random() < 0.1:
        s += rnd.choice(NUMS) + "!"
    s += ".".join(rnd.choice(NUMS) for _ in range(rnd.randint(1, 4)))
    if rnd.random() < 0.35:
        s += rnd.choice(SEPS) + rnd.choice(PRE) + rnd.choice(SEPS[:2]) + rnd.choice(NUMS + [""])
    r = rnd.random()
    if r < 0.15:
        s += "-" + rnd.choice(NUMS)
    elif r < 0.35:
        s += rnd.choice(SEPS) + rnd.choice(POST) + rnd.choice(SEPS) + rnd.choice(NUMS + [""])
    if rnd.random() < 0.25:
        s += rnd.choice(SEPS) + rnd.choice(["dev", "DEV"]) + rnd.choice(SEPS[:2]) + \
            rnd.choice(NUMS + [""])
    if rnd.random() < 0.2:
        s += "+" + rnd.choice(SEPS[1:]).join(rnd.choice(LOCAL) for _ in range(rnd.randint(1, 3)))
    if rnd.random() < 0.05:
        # damage: a stray character somewhere
        i = rnd.randint(0, len(s))
        s = s[:i] + rnd.choice(["+", "..", "-", "x", " ", "!", "*"]) + s[i:]
    return s


def variant(v):
    r = rnd.random()
    if r < 0.3:
        return v.upper()
    if r < 0.6:
        return v + ".0"
    if r < 0.8:
        return v.replace(".", "-", 1)
    return v.replace("0", "00", 1)


def parse(v):
    try:
        return Version(v)
    except InvalidVersion:
        return None


pairs = []
for _ in range(12000):
    a = version()
    pairs.append((a, version() if rnd.random() < 0.6 else variant(a)))
want = []
for a, b in pairs:
    va, vb = parse(a), parse(b)
    if va is None or vb is None:
        want.append("invalid")
    else:
        want.append("<" if va < vb else ">" if va > vb else "=")
text = "".join(a + "\t" + b + "\n" for a, b in pairs)
got = subprocess.run([fathom, "version", "compare", "pypi", "--batch"], input=text,
                     capture_output=True, text=True).stdout.split("\n")
bad = [(p, w, g) for p, w, g in zip(pairs, want, got) if w != g]
if len(got) < len(pairs):
    bad.append((("<output>", ""), "%d lines" % len(pairs), "%d lines" % len(got)))
for (a, b), w, g in bad[:20]:
    print("FAIL: %r vs %r: packaging %s, fathom %s" % (a, b, w, g))
invalid = sum(w == "invalid" for w in want)
print("pypi differential: %d pairs (%d with an invalid version), %d differ"
      % (len(pairs), invalid, len(bad)))
sys.exit(1 if bad else 0)
PY
