#!/usr/bin/env python3
"""Differential test: Fathom's version ordering against the ecosystem's own tool.

    version_diff.py deb|rpm|apk [--pairs N] [--seed S]

Generates N version pairs (fixed seed: the same pairs every run) shaped like the ecosystem's
versions, many of them near misses of each other (one character changed, a '~' appended, an
epoch added), asks `fathom version compare ECO --batch` once for all of them, asks the real
tool, and reports every disagreement. Exit 0 when none, 1 when any, 0 with a message when the
real tool cannot run here (skipped).

  deb  dpkg --compare-versions A lt B (and eq), run in parallel
  rpm  rpm --eval with rpm.vercmp() in rpm's Lua, all pairs in one process
  apk  apk version -t A B inside a chroot of the Alpine 3.20 minirootfs (apk-tools 2.14.4)
"""
import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor

ALNUM = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"


def number(rng, zeros=True):
    n = str(rng.choice([0, 1, 2, 3, 9, 10, 11, 99, 100, rng.randrange(0, 100000)]))
    if zeros and rng.random() < 0.15:
        n = "0" * rng.randrange(1, 3) + n
    return n


def word(rng, alphabet="abcdefghijklmnopqrstuvwxyz"):
    return "".join(rng.choice(alphabet) for _ in range(rng.randrange(1, 4)))


# ---- Debian ----

def deb_part(rng, seps, first_digit):
    out = []
    for i in range(rng.randrange(1, 6)):
        if i:
            out.append(rng.choice(seps))
        r = rng.random()
        if (i == 0 and first_digit) or r < 0.55:
            out.append(number(rng))
        elif r < 0.85:
            out.append(word(rng, "abcdefghijklmnopqrstuvwxyzABZ"))
        else:
            out.append(number(rng) + word(rng))
    return "".join(out)


def deb_version(rng):
    v = ""
    if rng.random() < 0.25:
        v += rng.choice(["0", "1", "2", "10", "00", "3"]) + ":"
    digit_first = rng.random() < 0.93
    up = deb_part(rng, ".......++~~-" + (":" if v else ""), digit_first)
    v += up
    if rng.random() < 0.6:
        v += "-" + deb_part(rng, "..++~", rng.random() < 0.8)
    # A character dpkg warns about (and Fathom refuses); only after a leading digit, because
    # dpkg stops at its first warning and would report only "does not start with digit".
    if digit_first and rng.random() < 0.03:
        v = v[: len(v) // 2] + rng.choice("_!@#=,;") + v[len(v) // 2 :]
    return v


DEB_INVALID = ["1:", ":1", "1.0-", "-1", "a:1", "1 2", "2147483648:1", "1:-1", "-1:2",
               "1:1.0-", "x:y", "1.0 -1"]


def deb_unjudged(v):
    """An upstream not starting with a digit and holding a character dpkg would warn about:
    dpkg reports only its first warning, so it cannot tell us about the character."""
    head, _, rest = v.partition(":")
    up = rest if rest and head.isdigit() else v
    ok = set("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.+~-:")
    return bool(up) and not up[0].isdigit() and any(c not in ok for c in up)


def deb_mutate(rng, v):
    r = rng.random()
    if r < 0.1:
        return v + "~"
    if r < 0.2:
        return v + rng.choice(["a", "+b1", ".0", "~rc1", "-0", "-1", "0"])
    if r < 0.3:
        return ("1:" + v) if ":" not in v else v.split(":", 1)[1]
    if r < 0.4:
        return v.replace(".", ".0", 1)
    if r < 0.5 and "-" in v:
        return v.rsplit("-", 1)[0]
    i = rng.randrange(len(v))
    c = rng.choice("0123456789az~+.A")
    out = v[:i] + c + v[i + 1 :]
    return out if out.strip() else v


# ---- RPM ----

def rpm_part(rng):
    out = []
    for i in range(rng.randrange(1, 6)):
        if i:
            out.append(rng.choice(["."] * 6 + ["_", "+", "~", "^", "..", "%", "#", "\u03b1"]))
        r = rng.random()
        if i == 0 or r < 0.55:
            out.append(number(rng))
        elif r < 0.85:
            out.append(word(rng, "abcdefghijklmnopqrstuvwxyzABZ"))
        else:
            out.append(number(rng) + word(rng))
    if rng.random() < 0.1:
        out.append(rng.choice(["~", "^", "~rc1", "^git1", "."]))
    return "".join(out)


def rpm_version(rng):
    v = ""
    if rng.random() < 0.25:
        v += rng.choice(["0", "1", "2", "10", "00", ""]) + ":"
    v += rpm_part(rng)
    if rng.random() < 0.6:
        v += "-" + rpm_part(rng)
    return v


def rpm_mutate(rng, v):
    r = rng.random()
    if r < 0.1:
        return v + rng.choice(["~", "^", "~1", "^1"])
    if r < 0.2:
        return v + rng.choice(["a", ".0", "-1", ".el9", "_1"])
    if r < 0.3:
        return ("1:" + v) if ":" not in v else v.split(":", 1)[1]
    if r < 0.4 and "-" in v:
        return v.rsplit("-", 1)[0]
    i = rng.randrange(len(v))
    return v[:i] + rng.choice("0123456789az~^.-_") + v[i + 1 :]


# ---- Alpine ----

SUFFIXES = ["alpha", "beta", "pre", "rc", "cvs", "svn", "git", "hg", "p"]


def apk_version(rng):
    v = number(rng, zeros=False)
    for _ in range(rng.randrange(0, 4)):
        v += "." + number(rng)
    if rng.random() < 0.15:
        v += rng.choice("abcxyz")
    for _ in range(rng.choice([0, 0, 0, 1, 1, 2])):
        v += "_" + rng.choice(SUFFIXES)
        if rng.random() < 0.7:
            v += number(rng, zeros=False)
    if rng.random() < 0.05:
        v += "~" + "".join(rng.choice("0123456789abcdef") for _ in range(rng.randrange(1, 9)))
    if rng.random() < 0.6:
        v += "-r" + str(rng.choice([0, 1, 2, 10, rng.randrange(0, 1000)]))
    return v


def apk_mutate(rng, v):
    r = rng.random()
    base, rev = (v.split("-r", 1) + [None])[:2]
    if r < 0.15:
        return base + "_" + rng.choice(SUFFIXES) + ("-r" + rev if rev else "")
    if r < 0.25:
        return base + ".0" + ("-r" + rev if rev else "")
    if r < 0.35:
        return base if rev else v + "-r0"
    if r < 0.45:
        return base.replace(".", ".0", 1) + ("-r" + rev if rev else "")
    if r < 0.5:
        return base + rng.choice("az") + ("-r" + rev if rev else "")
    digits = [i for i, c in enumerate(v) if c.isdigit()]
    i = rng.choice(digits)
    return v[:i] + rng.choice("0123456789") + v[i + 1 :]


def generate(eco, n, seed):
    rng = random.Random(seed)
    make, mutate = {"deb": (deb_version, deb_mutate), "rpm": (rpm_version, rpm_mutate),
                    "apk": (apk_version, apk_mutate)}[eco]
    pairs = []
    while len(pairs) < n:
        a = make(rng)
        r = rng.random()
        if r < 0.45:
            b = mutate(rng, a)
        elif r < 0.55:
            b = a
        else:
            b = make(rng)
        if eco == "deb" and rng.random() < 0.01:
            a = rng.choice(DEB_INVALID)
        if "\t" in a + b or "\n" in a + b or not a or not b:
            continue
        if eco == "deb" and (deb_unjudged(a) or deb_unjudged(b)):
            continue
        pairs.append((a, b) if rng.random() < 0.5 else (b, a))
    return pairs


def fathom_batch(fathom, eco, pairs):
    data = "".join("%s\t%s\n" % p for p in pairs).encode()
    out = subprocess.run([fathom, "version", "compare", eco, "--batch"], input=data,
                         stdout=subprocess.PIPE, check=True).stdout.decode().splitlines()
    if len(out) != len(pairs):
        sys.exit("fathom --batch answered %d lines for %d pairs" % (len(out), len(pairs)))
    return out


# ---- the real tools ----

def dpkg_one(pair):
    a, b = pair

    def rel(op):
        # dpkg refuses (error, exit 2) or warns about an invalid character: Fathom refuses both
        r = subprocess.run(["dpkg", "--compare-versions", a, op, b],
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        if r.returncode == 2 or b"error" in r.stderr or b"invalid character" in r.stderr:
            return None
        return r.returncode == 0

    lt = rel("lt")
    if lt is None:
        return "invalid"
    if lt:
        return "<"
    return "=" if rel("eq") else ">"


def run_dpkg(pairs):
    if not shutil.which("dpkg"):
        return None, "dpkg is not installed"
    with ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2)) as ex:
        return list(ex.map(dpkg_one, pairs, chunksize=64)), None


RPM_LUA = """
local f = io.open("%s", "r")
local out = {}
for line in f:lines() do
  local a, b = line:match("^(.-)\\t(.*)$")
  local ok, r = pcall(rpm.vercmp, a, b)
  if not ok then out[#out + 1] = "invalid"
  elseif r < 0 then out[#out + 1] = "<"
  elseif r > 0 then out[#out + 1] = ">"
  else out[#out + 1] = "=" end
end
f:close()
local o = io.open("%s", "w")
o:write(table.concat(out, "\\n"), "\\n")
o:close()
"""


def run_rpm(pairs):
    if not shutil.which("rpm"):
        return None, "rpm is not installed (Debian package rpm)"
    with tempfile.TemporaryDirectory() as tmp:
        src, dst = os.path.join(tmp, "pairs"), os.path.join(tmp, "out")
        with open(src, "w", encoding="utf-8") as f:
            f.writelines("%s\t%s\n" % p for p in pairs)
        lua = RPM_LUA % (src, dst)
        r = subprocess.run(["rpm", "--eval", "%%{lua:%s}" % lua], capture_output=True, text=True)
        if not os.path.exists(dst):
            return None, "rpm's Lua did not run: " + r.stderr.strip()[:200]
        with open(dst, encoding="utf-8") as f:
            return f.read().split(), None


APK_REJECTED = set()

APK_LOOP = """
while IFS='\t' read -r a b; do
  apk version -t "$a" "$b" || echo invalid
done < "$1" > "$2"
"""


def run_apk(pairs, rootfs_tgz):
    if os.geteuid() != 0:
        return None, "not root: cannot chroot into the Alpine rootfs"
    if not os.path.exists(rootfs_tgz):
        return None, "no Alpine rootfs at " + rootfs_tgz
    tmp = tempfile.mkdtemp(prefix="fathom-apk-")
    try:
        r = subprocess.run(["tar", "-xzf", rootfs_tgz, "-C", tmp], capture_output=True,
                           text=True)
        if r.returncode != 0:
            return None, "cannot extract the rootfs: " + r.stderr.strip()[:200]
        try:
            probe = subprocess.run(["chroot", tmp, "/sbin/apk", "--version"],
                                   capture_output=True, text=True, timeout=30)
        except OSError as e:
            return None, "chroot failed: %s" % e
        if probe.returncode != 0:
            return None, "chroot failed: " + probe.stderr.strip()[:200]
        print("reference:", probe.stdout.strip())
        jobs = max(2, os.cpu_count() or 2)
        chunks = [pairs[i::jobs] for i in range(jobs)]
        procs = []
        for i, chunk in enumerate(chunks):
            with open(os.path.join(tmp, "tmp", "pairs%d" % i), "w") as f:
                f.writelines("%s\t%s\n" % p for p in chunk)
            procs.append(subprocess.Popen(["chroot", tmp, "/bin/sh", "-c", APK_LOOP, "sh",
                                           "/tmp/pairs%d" % i, "/tmp/out%d" % i]))
        for p in procs:
            p.wait()
        outs = []
        for i in range(jobs):
            with open(os.path.join(tmp, "tmp", "out%d" % i)) as f:
                outs.append(f.read().split())
            if len(outs[i]) != len(chunks[i]):
                return None, "apk answered %d of %d pairs" % (len(outs[i]), len(chunks[i]))
        res = [None] * len(pairs)
        for i in range(jobs):
            res[i::jobs] = outs[i]
        # Which versions does apk 2.14.4 itself call invalid (`apk version -c` prints them)?
        versions = sorted({v for p in pairs for v in p})
        rejected = set()
        for i in range(0, len(versions), 500):
            r = subprocess.run(["chroot", tmp, "/sbin/apk", "version", "-c"] + versions[i:i + 500],
                               capture_output=True, text=True)
            rejected.update(r.stdout.split())
        APK_REJECTED.update(rejected)
        return res, None
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def fathom_invalid(fathom, eco, versions):
    """The versions Fathom refuses, asked in one --batch run."""
    versions = sorted(versions)
    out = fathom_batch(fathom, eco, [(v, v) for v in versions])
    return {v for v, o in zip(versions, out) if o == "invalid"}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("eco", choices=["deb", "rpm", "apk"])
    ap.add_argument("--pairs", type=int, default=12000)
    ap.add_argument("--seed", type=int, default=20240923)
    args = ap.parse_args()
    fathom = os.environ.get("FATHOM", "build/fathom")
    shared = os.environ.get("FATHOM_SHARED", "../shared")

    pairs = generate(args.eco, args.pairs, args.seed)
    if args.eco == "deb":
        ref, why = run_dpkg(pairs)
    elif args.eco == "rpm":
        ref, why = run_rpm(pairs)
    else:
        ref, why = run_apk(pairs, os.path.join(
            shared, "data/rootfs/alpine-minirootfs-3.20.3-x86_64.tar.gz"))
    if ref is None:
        print("SKIP %s differential test: %s" % (args.eco, why))
        return 0
    if len(ref) != len(pairs):
        print("reference answered %d of %d pairs" % (len(ref), len(pairs)))
        return 1
    ours = fathom_batch(fathom, args.eco, pairs)
    mismatches, skipped = [], 0
    for (a, b), o, r in zip(pairs, ours, ref):
        if args.eco == "apk" and o == "invalid":
            skipped += 1  # apk 2.14.4 compares what it cannot parse; we refuse it
            continue
        if o != r:
            mismatches.append((a, b, o, r))
    if args.eco == "apk":
        refused = sorted(fathom_invalid(fathom, "apk", {v for p, o in zip(pairs, ours)
                                                        if o == "invalid" for v in p}))
        lax = [v for v in refused if v not in APK_REJECTED]
        print("apk: %d distinct versions we refuse; apk 2.14.4 `version -c` accepts %d of them"
              " (its looser grammar, see docs/versions.md)%s" % (
                  len(refused), len(lax), ": " + " ".join(lax[:8]) if lax else ""))
        ours_valid_apk_rejects = sorted({v for p, o in zip(pairs, ours) if o != "invalid"
                                         for v in p if v in APK_REJECTED})
        no_hash = [v for v in ours_valid_apk_rejects if "~" not in v]
        print("apk: %d distinct versions we accept that `apk version -c` refuses, %d of them "
              "without a ~hash (the 3.x form 2.14.4 does not know)%s" % (
                  len(ours_valid_apk_rejects), len(no_hash),
                  ": " + " ".join(no_hash[:8]) if no_hash else ""))
    counts = {k: ours.count(k) for k in ("<", "=", ">", "invalid")}
    print("%s: %d pairs (%s), %d mismatches%s" % (
        args.eco, len(pairs), ", ".join("%s %d" % kv for kv in counts.items()),
        len(mismatches), ", %d refused as invalid not compared" % skipped if skipped else ""))
    for a, b, o, r in mismatches[:30]:
        print("MISMATCH %r vs %r: fathom %s, reference %s" % (a, b, o, r))
    return 1 if mismatches else 0


if __name__ == "__main__":
    sys.exit(main())
