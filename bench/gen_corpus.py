#!/usr/bin/env python3
"""Build the manifest benchmark corpus: real manifests from the shared fixtures (kubesec,
Pod Security Admission) and this repository's samples, each document repeated with a
different object name, until the corpus holds at least N documents.

usage: gen_corpus.py FATHOM SHARED SOURCE_DIR OUT_FILE OUT_DIR N

Only files Fathom reads without errors are used, so that libyaml alone can parse the whole
stream too (the baseline). OUT_FILE gets one stream; OUT_DIR the same documents spread over
files of 200 documents, for the parallel directory figure."""
import os
import re
import subprocess
import sys


def candidates(shared, src):
    roots = [os.path.join(shared, "fixtures", "kubesec"), os.path.join(shared, "fixtures", "pss"),
             os.path.join(src, "tests", "fixtures", "manifests")]
    for root in roots:
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames.sort()
            for name in sorted(filenames):
                if name.endswith((".yaml", ".yml")):
                    yield os.path.join(dirpath, name)


def documents(text):
    """Split at column-0 '---' lines; keep documents with content."""
    docs, cur = [], []
    for line in text.splitlines():
        if line.startswith("---") or line.startswith("..."):
            docs.append("\n".join(cur))
            cur = []
            continue
        cur.append(line)
    docs.append("\n".join(cur))
    return [d for d in docs if re.search(r"^\s*kind:", d, re.M)]


def main():
    fathom, shared, src, out_file, out_dir, want = sys.argv[1:7]
    want = int(want)
    pool = []
    for path in candidates(shared, src):
        r = subprocess.run([fathom, "scan", "manifest", "--format", "json", "--fail-on", "none",
                            path], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if r.returncode != 0:
            continue
        with open(path, encoding="utf-8", errors="strict") as f:
            pool.extend(documents(f.read()))
    if not pool:
        sys.exit("gen_corpus: no usable fixtures found")
    out = []
    i = 0
    while len(out) < want:
        doc = pool[i % len(pool)]
        # A different name per copy, so objects are distinct.
        doc = re.sub(r"^(  name:\s*)(\S+)", lambda m: "%s%s-%d" % (m.group(1), m.group(2), i),
                     doc, count=1, flags=re.M)
        out.append(doc)
        i += 1
    with open(out_file, "w", encoding="utf-8") as f:
        f.write("\n---\n".join(out) + "\n")
    os.makedirs(out_dir, exist_ok=True)
    for n in range(0, len(out), 200):
        with open(os.path.join(out_dir, "part-%05d.yaml" % (n // 200)), "w",
                  encoding="utf-8") as f:
            f.write("\n---\n".join(out[n:n + 200]) + "\n")
    print("corpus: %d documents from %d distinct fixture documents, %d bytes"
          % (len(out), len(pool), os.path.getsize(out_file)))


if __name__ == "__main__":
    main()
