"""Drive `fathom scan manifest --format json` with hostile inputs; see hostile_inputs.sh."""
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile

FATHOM = sys.argv[1]


def sanitized(path):
    """A sanitizer build reserves terabytes of shadow memory: no address-space limit then."""
    if "asan" in os.path.abspath(path).lower() or os.environ.get("ASAN_OPTIONS"):
        return True
    with open(path, "rb") as f:
        return b"__asan_init" in f.read()


UNDER_ASAN = sanitized(FATHOM)
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL: " + what, file=sys.stderr)


def limit_memory():
    gib = 1024 * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (gib, gib))


def run(path, memory_limit=False, timeout=120):
    env = dict(os.environ)
    env.setdefault("ASAN_OPTIONS", "detect_leaks=1")
    p = subprocess.run([FATHOM, "scan", "manifest", "--format", "json", path],
                       capture_output=True, timeout=timeout, env=env,
                       preexec_fn=limit_memory if memory_limit else None)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


def case(name, path, codes=(2,), line=None, contains=None, objects=None, memory_limit=False,
         errors=1):
    """Run one input; check exit code, no crash, the message(s) and the objects left."""
    if memory_limit and UNDER_ASAN:
        print("skip: %s under a memory limit (sanitizer build)" % name)
        return
    try:
        rc, out, err = run(path, memory_limit)
    except subprocess.TimeoutExpired:
        check(False, "%s: timed out" % name)
        return
    base = os.path.basename(path)
    check(rc < 128 and rc >= 0, "%s: crashed with status %d: %s" % (name, rc, err[-2000:]))
    check("AddressSanitizer" not in err and "runtime error" not in err
          and "LeakSanitizer" not in err, "%s: sanitizer report: %s" % (name, err[-3000:]))
    check(rc in codes, "%s: exit %d, expected one of %s; stderr: %s" % (name, rc, codes, err))
    lines = [l for l in err.splitlines() if l.strip()]
    if errors is not None:
        check(len(lines) == errors, "%s: expected %d message(s), found %d: %r"
              % (name, errors, len(lines), lines))
    for l in lines[:1]:
        check(l.startswith("fathom: ") and base in l, "%s: message does not name the file: %r"
              % (name, l))
        check(l == l.strip() and "\n" not in l, "%s: message is not one line" % name)
        if line is not None:
            check(":%d:" % line in l, "%s: message does not name line %d: %r" % (name, line, l))
        if contains:
            check(contains in l, "%s: expected %r in %r" % (name, contains, l))
    try:
        doc = json.loads(out) if out.strip() else None
    except ValueError as e:
        check(False, "%s: JSON output does not parse: %s" % (name, e))
        doc = None
    if doc is not None and errors:
        check(len(doc.get("errors", [])) >= 1, "%s: no entry in the JSON's errors" % name)
    if objects is not None:
        names = sorted(o.get("name") for o in (doc or {}).get("objects", []))
        check(names == sorted(objects), "%s: objects %r, expected %r" % (name, names, objects))
    print("ok: %s (exit %d)%s" % (name, rc, (" " + lines[0]) if lines else ""))


def write(d, name, data):
    path = os.path.join(d, name)
    with open(path, "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())
    return path


POD = ("apiVersion: v1\nkind: Pod\nmetadata:\n  name: %s\nspec:\n  containers:\n"
       "  - name: c\n    image: nginx:1.25\n")


def main():
    d = tempfile.mkdtemp(prefix="fathom-hostile-")
    try:
        # billion laughs: 9 levels of 9 aliases each
        text = "a0: &a0 lol\n"
        for i in range(1, 10):
            text += "a%d: &a%d [%s]\n" % (i, i, ", ".join(["*a%d" % (i - 1)] * 9))
        bomb = write(d, "bomb.yaml", text)
        case("alias bomb", bomb, contains="alias")
        case("alias bomb (1 GiB)", bomb, contains="alias", memory_limit=True)

        deep_seq = write(d, "deep-seq.yaml", "[" * 100000 + "]" * 100000)
        case("deep [[[", deep_seq, line=1, contains="nesting deeper")
        case("deep [[[ (1 GiB)", deep_seq, line=1, memory_limit=True)
        deep_map = write(d, "deep-map.yaml", "{a: " * 100000 + "}" * 100000)
        case("deep {a: {a:", deep_map, line=1, contains="nesting deeper")
        case("deep {a: (1 GiB)", deep_map, line=1, memory_limit=True)
        deep_json = write(d, "deep.json", "[" * 100000 + "]" * 100000)
        case("deep JSON", deep_json, line=1)
        deep_block = write(d, "deep-block.yaml",
                           "".join(" " * i + "a:\n" for i in range(2000)) + " " * 2000 + "x\n")
        case("deep block nesting", deep_block, contains="nesting deeper")

        rnd = random.Random(7)
        case("random bytes", write(d, "random.yaml", bytes(rnd.getrandbits(8)
                                                             for _ in range(65536))),
             contains="binary")
        case("ELF header", write(d, "elf.yaml", b"\x7fELF\x02\x01\x01" + b"\0" * 57),
             contains="binary")
        case("gzip header", write(d, "gz.yaml", b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03abc"),
             contains="binary")
        case("invalid UTF-8", write(d, "latin1.yaml", POD % "caf\xe9".encode("latin-1")
                                    .decode("latin-1") if False else
                                    (POD % "x").encode() + b"    args: [caf\xe9]\n"),
             line=9, contains="UTF-8")

        pod = POD % "p"
        case("truncated YAML", write(d, "trunc.yaml", pod[:pod.index("image") + 3] +
                                     "\n  - {name: [\n"), line=9,
             contains="expected ':'")
        case("truncated JSON", write(d, "trunc.json",
                                     '{"apiVersion": "v1", "kind": "Pod",\n "spec": {"containers": [')
             , line=2, contains="expected")
        case("not YAML", write(d, "prose.yaml", "This is not YAML: it has: colons: everywhere\n"
                               "and {unbalanced [brackets\n"), line=1)
        case("a scalar", write(d, "scalar.yaml", "just some words\n"), errors=1)

        big = os.path.join(d, "big.yaml")
        with open(big, "wb") as f:
            f.truncate(300 * 1024 * 1024)
        case("300 MB sparse file", big, contains="limit")
        huge = os.path.join(d, "huge.yaml")
        with open(huge, "wb") as f:
            f.truncate(1024 * 1024 * 1024)
        case("1 GB sparse file", huge, contains="limit")

        case("hostNetwork: \"yes\"", write(d, "types.yaml", (POD % "t").replace(
            "spec:\n", "spec:\n  hostNetwork: \"yes\"\n")), line=6,
             contains="'spec.hostNetwork': expected a boolean, found a string", objects=["t"])
        case("containers as a map", write(d, "map.yaml",
                                          "apiVersion: v1\nkind: Pod\nmetadata:\n  name: m\n"
                                          "spec:\n  containers:\n    name: c\n"),
             line=7, contains="expected a sequence, found a mapping", objects=["m"])

        stream = (POD % "one") + "---\n" + (POD % "two").replace("name: two", "name: [two") + \
            "---\n" + (POD % "three")
        case("document 2 of 3 broken", write(d, "stream.yaml", stream), codes=(2,),
             objects=["one", "three"])
        dup = (POD % "d").replace("kind: Pod\n", "kind: Pod\nkind: Deployment\n")
        case("duplicate key", write(d, "dup.yaml", dup), line=3, contains="duplicate key 'kind'")
        case("valid stream", write(d, "good.yaml", (POD % "g1") + "---\n" + (POD % "g2")),
             codes=(0, 1), errors=None, objects=["g1", "g2"])
        case("UTF-16", write(d, "utf16.yaml", (POD % "u16").encode("utf-16")), codes=(0, 1),
             errors=None, objects=["u16"])
        case("BOM and CRLF", write(d, "crlf.yaml", b"\xef\xbb\xbf" +
                                   (POD % "crlf").replace("\n", "\r\n").encode()),
             codes=(0, 1), errors=None, objects=["crlf"])
        many = write(d, "many.yaml", "---\n{\n" * 5000 + POD % "last")
        case("5000 broken documents", many, errors=None)
    finally:
        shutil.rmtree(d, ignore_errors=True)
    if failures:
        print("%d failure(s)" % len(failures), file=sys.stderr)
        sys.exit(1)
    print("all hostile inputs handled")


main()
