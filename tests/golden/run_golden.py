#!/usr/bin/env python3
"""Golden tests: run `fathom` on each *.test case of a directory and compare stdout whole.

Usage: run_golden.py FATHOM_BINARY AREA_DIR [CASE...]

A case file:

    # comments (lines starting with '#') before the first section are ignored
    args: scan manifest --format json -
    exit: 1
    env: COLUMNS=60 FOO=bar          (optional)
    --- input                        (optional: fed to standard input)
    ...
    --- expected
    ...everything to the end of the file is the expected standard output...

In `args:` (split like a shell would) and `env:`, {shared} is FATHOM_SHARED, {src} is
FATHOM_SOURCE_DIR and {dir} the case's own directory. The command runs in the case's directory
with a fixed environment (no COLUMNS, NO_COLOR or FATHOM_LOG from the caller) so the output
depends on nothing but the case. Nothing in the output is normalised.

UPDATE_GOLDEN=1 rewrites each case's expected section (and exit line) from what fathom printed;
review the diff like code before committing it.
"""

import difflib
import os
import shlex
import subprocess
import sys

EXPECTED = "--- expected\n"
INPUT = "--- input\n"
TIMEOUT = 60


class CaseError(Exception):
    pass


def parse(path):
    with open(path, "rb") as f:
        text = f.read().decode("utf-8", "surrogateescape")
    head, sep, expected = text.partition("\n" + EXPECTED)
    if not sep:
        if text.startswith(EXPECTED):
            head, expected = "", text[len(EXPECTED):]
        else:
            raise CaseError("no '--- expected' section")
    head += "\n"
    stdin = None
    if ("\n" + INPUT) in ("\n" + head):
        head, _, stdin = ("\n" + head).partition("\n" + INPUT)
        head = head[1:] + "\n"
    case = {"args": None, "exit": None, "env": [], "input": stdin, "expected": expected,
            "head": head}
    for line in head.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        key, colon, value = line.partition(":")
        if not colon:
            raise CaseError("unexpected line %r" % line)
        key, value = key.strip(), value.strip()
        if key == "args":
            case["args"] = value
        elif key == "exit":
            try:
                case["exit"] = int(value)
            except ValueError:
                raise CaseError("exit: %r is not a number" % value)
        elif key == "env":
            case["env"] = shlex.split(value)
        else:
            raise CaseError("unknown key %r" % key)
    if case["args"] is None or case["exit"] is None:
        raise CaseError("'args:' and 'exit:' are required")
    return case


def expand(s, subst):
    for k, v in subst.items():
        s = s.replace("{" + k + "}", v)
    return s


def run(binary, path, case):
    d = os.path.dirname(os.path.abspath(path))
    subst = {
        "shared": os.environ.get("FATHOM_SHARED", ""),
        "src": os.environ.get("FATHOM_SOURCE_DIR", ""),
        "dir": d,
    }
    argv = [binary] + [expand(a, subst) for a in shlex.split(case["args"])]
    env = {k: v for k, v in os.environ.items()
           if k not in ("COLUMNS", "NO_COLOR", "FATHOM_LOG", "LINES")}
    env["LC_ALL"] = "C.UTF-8"
    for item in case["env"]:
        k, eq, v = item.partition("=")
        if not eq:
            raise CaseError("env: %r is not NAME=VALUE" % item)
        env[k] = expand(v, subst)
    data = case["input"]
    p = subprocess.run(
        argv, cwd=d, env=env, capture_output=True, timeout=TIMEOUT,
        input=data.encode("utf-8", "surrogateescape") if data is not None else b"",
    )
    return p.returncode, p.stdout.decode("utf-8", "surrogateescape"), \
        p.stderr.decode("utf-8", "replace")


def write_case(path, case, code, out):
    head = case["head"]
    lines = []
    for line in head.rstrip("\n").split("\n"):
        if line.partition(":")[0].strip() == "exit":
            line = "exit: %d" % code
        lines.append(line)
    text = "\n".join(lines) + "\n"
    if case["input"] is not None:
        text += INPUT + case["input"]
        if not text.endswith("\n"):
            text += "\n"
    text += EXPECTED + out
    with open(path, "wb") as f:
        f.write(text.encode("utf-8", "surrogateescape"))


def main(argv):
    if len(argv) < 3:
        sys.stderr.write("usage: run_golden.py FATHOM AREA_DIR [CASE...]\n")
        return 2
    binary, area = os.path.abspath(argv[1]), argv[2]
    update = os.environ.get("UPDATE_GOLDEN") == "1"
    names = argv[3:] or sorted(n for n in os.listdir(area) if n.endswith(".test"))
    if not names:
        sys.stderr.write("%s: no *.test cases\n" % area)
        return 1
    passed = failed = 0
    for name in names:
        path = os.path.join(area, name if name.endswith(".test") else name + ".test")
        label = os.path.relpath(path, area)
        try:
            case = parse(path)
            code, out, err = run(binary, path, case)
        except (CaseError, OSError, subprocess.TimeoutExpired) as e:
            print("FAIL %s: %s" % (label, e))
            failed += 1
            continue
        if update:
            if out != case["expected"] or code != case["exit"]:
                write_case(path, case, code, out)
                print("UPDATED %s" % label)
            else:
                print("ok %s" % label)
            passed += 1
            continue
        problems = []
        if code != case["exit"]:
            problems.append("exit status %d, expected %d" % (code, case["exit"]))
        if out != case["expected"]:
            diff = difflib.unified_diff(
                case["expected"].splitlines(True), out.splitlines(True),
                "expected", "actual", n=2)
            problems.append("stdout differs:\n" + "".join(diff))
        if problems:
            print("FAIL %s: %s" % (label, "\n".join(problems)))
            if err:
                print("--- stderr\n" + err)
            failed += 1
        else:
            print("ok %s" % label)
            passed += 1
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
