#!/usr/bin/env python3
"""Generate src/license/spdx_ids.c (into the build directory) for the licence module.

Inputs, all read at build time and never committed:
  --licenses   php-composer-spdx-licenses' res/spdx-licenses.json
               ({"id": [name, osi_approved, deprecated], ...})
  --exceptions php-composer-spdx-licenses' res/spdx-exceptions.json ({"id": [name], ...})
  --common     Debian's /usr/share/common-licenses (full licence texts)
  --full       the npm package spdx-license-list's spdx-full.json (optional: newer ids and
               the texts of licences Debian does not ship)
Output: sorted id and exception tables and the reference texts of the classifier, as C.
"""
import argparse
import json
import os
import sys

# Debian common-licenses file -> the SPDX id a full copy of that text means.
COMMON = {
    "Apache-2.0": "Apache-2.0",
    "Artistic": "Artistic-1.0-Perl",
    "BSD": "BSD-3-Clause",
    "CC0-1.0": "CC0-1.0",
    "GFDL-1.2": "GFDL-1.2-only",
    "GFDL-1.3": "GFDL-1.3-only",
    "GPL-1": "GPL-1.0-only",
    "GPL-2": "GPL-2.0-only",
    "GPL-3": "GPL-3.0-only",
    "LGPL-2": "LGPL-2.0-only",
    "LGPL-2.1": "LGPL-2.1-only",
    "LGPL-3": "LGPL-3.0-only",
    "MPL-1.1": "MPL-1.1",
    "MPL-2.0": "MPL-2.0",
}

# Texts taken from spdx-license-list: licences packages often declare that Debian does not ship,
# and BSD-3-Clause in its generic wording (Debian's BSD names the University of California).
FULL = [
    "0BSD", "AGPL-3.0-only", "Apache-1.1", "Artistic-2.0", "BSD-2-Clause", "BSD-3-Clause",
    "BSD-4-Clause",
    "BSL-1.0", "BlueOak-1.0.0", "CC-BY-4.0", "CC-BY-SA-4.0", "CDDL-1.0", "CDDL-1.1", "EPL-1.0",
    "EPL-2.0", "EUPL-1.2", "ISC", "MIT", "MIT-0", "MS-PL", "NCSA", "OFL-1.1", "OpenSSL",
    "PostgreSQL", "PSF-2.0", "Python-2.0", "Ruby", "SSPL-1.0", "UPL-1.0", "Unlicense", "WTFPL",
    "X11", "Zlib", "curl", "BUSL-1.1", "Elastic-2.0", "ZPL-2.1", "Vim", "OLDAP-2.8",
]


# Second wordings of a reference text that projects use as often as the SPDX one: the ISC
# licence as OpenBSD's template words it ("THE AUTHOR" where the SPDX text names ISC). Without
# it an ISC text in that wording is closer to 0BSD, which is ISC minus its notice condition.
VARIANTS = {
    "ISC": ("the author wording", [("AND ISC DISCLAIMS", "AND THE AUTHOR DISCLAIMS"),
                                   ("SHALL ISC BE", "SHALL THE AUTHOR BE")]),
}


def c_bytes(name, text):
    data = text.encode("utf-8")
    out = ["static const char %s[] = {" % name]
    for i in range(0, len(data), 24):
        out.append("    " + ",".join("%d" % (b if b < 128 else b - 256) for b in data[i:i + 24]) + ",")
    out.append("    0};")
    return "\n".join(out)


def c_str(s):
    """A C string literal: printable ASCII as is, everything else (and '?', against
    trigraphs) as octal escapes of its UTF-8 bytes."""
    out = []
    for b in s.encode("utf-8"):
        c = chr(b)
        if c in "\\\"?" or b < 32 or b > 126:
            out.append("\\%03o" % b)
        else:
            out.append(c)
    return '"' + "".join(out) + '"'


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--licenses", required=True)
    ap.add_argument("--exceptions", required=True)
    ap.add_argument("--common", required=True)
    ap.add_argument("--full", default="")
    ap.add_argument("--out", required=True)
    args = ap.parse_args()

    with open(args.licenses, encoding="utf-8") as f:
        lic = json.load(f)
    with open(args.exceptions, encoding="utf-8") as f:
        exc = json.load(f)
    full = {}
    if args.full and os.path.exists(args.full):
        with open(args.full, encoding="utf-8") as f:
            full = json.load(f)

    # id -> (name, osi, deprecated); the Debian package is authoritative, the npm list adds ids
    # published after it
    ids = {}
    for k, v in lic.items():
        ids[k] = (v[0], bool(v[1]), bool(v[2]))
    for k, v in full.items():
        if k.lower() not in {x.lower() for x in ids} and all(c.isalnum() or c in "-." for c in k):
            ids[k] = (v.get("name", k), str(v.get("osiApproved", "")).lower() == "true", False)
    exceptions = {k: v[0] for k, v in exc.items()}

    texts = []
    for fname, spdx in sorted(COMMON.items()):
        p = os.path.join(args.common, fname)
        if os.path.isfile(p) and not os.path.islink(p):
            with open(p, encoding="utf-8", errors="replace") as f:
                texts.append((spdx, "debian:" + fname, f.read()))
    for k in FULL:
        if k in full and full[k].get("licenseText"):
            text = full[k]["licenseText"]
            texts.append((k, "spdx-license-list:" + k, text))
            if k in VARIANTS:
                what, edits = VARIANTS[k]
                for a, b in edits:
                    text = text.replace(a, b)
                texts.append((k, "spdx-license-list:%s (%s)" % (k, what), text))
    if not ids or not exceptions or not texts:
        sys.exit("gen-license-data: empty input")

    out = ["/* Generated by scripts/gen-license-data.py at build time: do not edit. */",
           "#include \"license_int.h\"", ""]
    out.append("const struct lic_id lic_ids[] = {")
    for k in sorted(ids, key=lambda s: s.lower()):
        name, osi, dep = ids[k]
        flags = []
        if osi:
            flags.append("LIC_OSI")
        if dep:
            flags.append("LIC_DEPRECATED")
        out.append("    {%s, %s, %s}," % (c_str(k), c_str(name), "|".join(flags) or "0"))
    out.append("};")
    out.append("const size_t lic_nids = sizeof(lic_ids) / sizeof(lic_ids[0]);")
    out.append("")
    out.append("const struct lic_exception lic_exceptions[] = {")
    for k in sorted(exceptions, key=lambda s: s.lower()):
        out.append("    {%s, %s}," % (c_str(k), c_str(exceptions[k])))
    out.append("};")
    out.append("const size_t lic_nexceptions = sizeof(lic_exceptions) / sizeof(lic_exceptions[0]);")
    out.append("")
    for i, (spdx, src, text) in enumerate(texts):
        out.append(c_bytes("text_%d" % i, text))
    out.append("const struct lic_text lic_texts[] = {")
    for i, (spdx, src, text) in enumerate(texts):
        out.append("    {%s, %s, text_%d, %d}," % (c_str(spdx), c_str(src), i,
                                                   len(text.encode("utf-8"))))
    out.append("};")
    out.append("const size_t lic_ntexts = sizeof(lic_texts) / sizeof(lic_texts[0]);")
    tmp = args.out + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write("\n".join(out) + "\n")
    os.replace(tmp, args.out)


if __name__ == "__main__":
    main()
