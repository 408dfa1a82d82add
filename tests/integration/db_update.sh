#!/bin/sh
# fathom db update against a feed server on 127.0.0.1 serving the real archives of the shared
# data: the first update imports them (counts checked against a plain `db import` of the same
# files), the second gets 304s and changes nothing, and a cut download, a corrupt archive,
# 503s and a SIGTERM mid-download each fail with a clear message, leave the old database
# byte-for-byte intact and leave no temporary file behind.
set -u
: "${FATHOM:?}" "${FATHOM_SHARED:?}" "${FATHOM_SOURCE_DIR:?}" "${PYTHON:=python3}"
data="$FATHOM_SHARED/data/vulndata"
tmp=$(mktemp -d)
server_pid=
cleanup() {
    [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
run() {
    want_status=$1
    shift
    "$@" >"$tmp/out" 2>"$tmp/err"
    status=$?
    [ "$status" = "$want_status" ] || fail "$*: exit $status, want $want_status ($(cat "$tmp/err"))"
}
has() { grep -q -- "$2" "$tmp/$1" || fail "'$2' not in $1: $(head -c 800 "$tmp/$1")"; }
hasnt() { ! grep -q -- "$2" "$tmp/$1" || fail "'$2' in $1: $(head -c 800 "$tmp/$1")"; }
sum() { sha256sum "$1" | cut -d' ' -f1; }
# No <db>.new-* database or <db>.dl-* download directory may survive an update.
no_temps() {
    left=$(ls -a "$tmp/db" | grep -E '\.(new|dl)-') && fail "$1: temporary files left: $left"
}
mode() { printf '%s %s\n' "$1" "$2" >"$www/.modes"; }

# The network is never used: every feed URL below is set by the test, and any host but
# 127.0.0.1 is refused before a request is made (checked at the end).
export FATHOM_NET_ALLOW=127.0.0.1
unset FATHOM_DB FATHOM_FEED_MIRROR

# The feeds, laid out as a mirror (FATHOM_FEED_MIRROR) would serve them. The Go vulndb is the
# published tar.gz (the importer goes by content, not by name), PyPA a real zip like OSV's.
www="$tmp/www"
mkdir -p "$www/osv/Go" "$www/osv/PyPI" "$www/alpine/v3.10" "$www/debian" "$tmp/db"
cp "$data/full/go-vulndb-data-osv.tar.gz" "$www/osv/Go/all.zip"
cp "$data/alpine/alpine-secdb/v3.10/main.yaml" "$www/alpine/v3.10/main.json"
cp "$data/format-samples/quay+claircore/alpine/testdata/fetch/v3.10/community.json" \
    "$www/alpine/v3.10/community.json"
samples="$data/format-samples/google+osv.dev/vulnfeeds/test_data"
cp "$samples/debian/debian_security_tracker_mock.json" "$www/debian/json"
"$PYTHON" - "$data/full/pypa-advisory-database-vulns.tar.gz" "$www/osv/PyPI/all.zip" <<'PY'
import sys, tarfile, zipfile
with tarfile.open(sys.argv[1]) as t, zipfile.ZipFile(sys.argv[2], "w", zipfile.ZIP_DEFLATED) as z:
    for m in t:
        if m.isfile():
            z.writestr(m.name, t.extractfile(m).read())
PY
cp "$www/osv/PyPI/all.zip" "$tmp/pypi.zip"

"$PYTHON" "$FATHOM_SOURCE_DIR/tests/servers/feed_server.py" "$www" "$tmp/requests.log" \
    >"$tmp/port" 2>"$tmp/server.err" &
server_pid=$!
for _ in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
    [ -s "$tmp/port" ] && break
    sleep 0.2
done
port=$(head -n1 "$tmp/port")
[ -n "$port" ] || { echo "FAIL: feed server did not start: $(cat "$tmp/server.err")"; exit 1; }
base="http://127.0.0.1:$port"
cat >"$tmp/feeds.yaml" <<EOF
# every feed named: the official defaults are never used
feeds:
  - {name: osv-Go, url: "$base/osv/Go/all.zip", format: osv}
  - {name: osv-PyPI, url: "$base/osv/PyPI/all.zip", format: osv}
  - {name: alpine-v3.10-main, url: "$base/alpine/v3.10/main.json", format: alpine-secdb}
  - {name: alpine-v3.10-community, url: "$base/alpine/v3.10/community.json", format: alpine-secdb}
  - {name: debian-tracker, url: "$base/debian/json", format: debian-tracker}
EOF
db="$tmp/db/vulndb.sqlite"
update() { "$FATHOM" db update --db "$db" --config "$tmp/feeds.yaml" "$@"; }
requests() { wc -l <"$tmp/requests.log" | tr -d ' '; }
info_ecosystems() { "$FATHOM" db info --db "$1" | sed -n '/^ECOSYSTEM/,$p'; }

# The reference: the same files through `db import`.
run 0 "$FATHOM" db import --db "$tmp/ref.sqlite" "$www/osv/Go/all.zip" "$tmp/pypi.zip" \
    "$data/alpine/alpine-secdb/v3.10/main.yaml" "$www/alpine/v3.10/community.json" \
    "$www/debian/json"
has err "imported, 0 updated"
total=$("$FATHOM" db info --db "$tmp/ref.sqlite" | sed -n 's/^advisories: \([0-9]*\).*/\1/p')
[ "$total" -gt 8072 ] || fail "reference import: $total advisories"

# 1. first update: everything downloaded and imported
run 0 update
has err "^fathom: osv-Go: 4291 advisories imported, 0 updated"
has err "^fathom: osv-PyPI: 2661 advisories imported, 0 updated"
has err "^fathom: alpine-v3.10-main: [0-9]* advisories imported, 0 updated"
has err "^fathom: alpine-v3.10-community: [0-9]* advisories imported, 0 updated"
has err "^fathom: debian-tracker: [1-9][0-9]* advisories imported, 0 updated"
has err "^fathom: updated '$db': $total advisories$"
hasnt err "$(printf '\r')" # no progress bar when standard error is not a terminal
no_temps "first update"
run 0 "$FATHOM" db info --db "$db"
has out "^advisories: $total"
has out "^osv-Go .* 4291$"
has out "^osv-PyPI .* 2661$"
[ "$(info_ecosystems "$db")" = "$(info_ecosystems "$tmp/ref.sqlite")" ] ||
    fail "ecosystems differ from the reference import: $(info_ecosystems "$db")"
"$FATHOM" db query --db "$db" -f json pypi Cryptography 38.0.4 >"$tmp/out" 2>&1
has out "PYSEC-2023-254"
before=$(sum "$db")

# 2. second update: five conditional GETs, five 304s, nothing written
: >"$tmp/requests.log"
run 0 update
for f in osv-Go osv-PyPI alpine-v3.10-main alpine-v3.10-community debian-tracker; do
    has err "^fathom: $f: not modified$"
done
has err "^fathom: '$db' is up to date$"
[ "$(grep -c ' 304 conditional$' "$tmp/requests.log")" = 5 ] ||
    fail "want five 304s: $(cat "$tmp/requests.log")"
[ "$(sum "$db")" = "$before" ] || fail "a 304-only update changed the database"
no_temps "second update"

# New PyPI data upstream: one more advisory in the archive.
"$PYTHON" - "$tmp/pypi.zip" "$tmp/pypi2.zip" <<'PY'
import shutil, sys, zipfile
shutil.copy(sys.argv[1], sys.argv[2])
with zipfile.ZipFile(sys.argv[2], "a") as z:
    z.writestr("vulns/fathom-test/FTH-2026-1.yaml",
               "id: FTH-2026-1\nmodified: '2026-11-01T00:00:00Z'\nsummary: feed test\n"
               "affected:\n- package: {ecosystem: PyPI, name: fathom-test}\n"
               "  ranges:\n  - type: ECOSYSTEM\n    events: [{introduced: '0'}, {fixed: '2.0'}]\n")
PY
cp "$tmp/pypi2.zip" "$www/osv/PyPI/all.zip.tmp"
mv "$www/osv/PyPI/all.zip.tmp" "$www/osv/PyPI/all.zip"

# 3. the download is cut in the middle: an error naming the feed, nothing changed
mode /osv/PyPI/all.zip cut
run 2 update
has err "^fathom: feed 'osv-PyPI': '$base/osv/PyPI/all.zip': .*transfer closed"
[ "$(sum "$db")" = "$before" ] || fail "a cut download changed the database"
no_temps "cut download"

# 4. a corrupt archive (4 KiB inverted in the middle), gzip and zip
mode /osv/Go/all.zip corrupt
run 2 update
has err "^fathom: feed 'osv-Go': '$base/osv/Go/all.zip': .*damaged archive: gzip decompression failed"
[ "$(sum "$db")" = "$before" ] || fail "a corrupt tar.gz changed the database"
no_temps "corrupt tar.gz"
mode /osv/PyPI/all.zip corrupt
run 2 update --source osv-PyPI
has err "^fathom: feed 'osv-PyPI': '$base/osv/PyPI/all.zip': '.*PYSEC-.*.yaml': damaged archive: ZIP"
[ "$(sum "$db")" = "$before" ] || fail "a corrupt zip changed the database"
no_temps "corrupt zip"

# 5. the server is down for one feed (503 after the retries)
mode /alpine/v3.10/community.json 503
run 2 update
has err "^fathom: feed 'alpine-v3.10-community': '$base/alpine/.*/community.json': HTTP status 503$"
[ "$(sum "$db")" = "$before" ] || fail "a 503 changed the database"
no_temps "503"

# 6. SIGTERM in the middle of a download
mode /osv/PyPI/all.zip slow
"$FATHOM" db update --db "$db" --config "$tmp/feeds.yaml" --source osv-PyPI \
    >"$tmp/out" 2>"$tmp/err" &
pid=$!
for _ in $(seq 1 100); do
    part=$(ls "$tmp/db"/*.dl-*/osv-PyPI.part 2>/dev/null | head -n1)
    [ -n "$part" ] && [ -s "$part" ] && break
    sleep 0.05
done
[ -n "$part" ] || fail "no download in progress to interrupt"
kill -TERM "$pid"
wait "$pid"
status=$?
[ "$status" = 2 ] || fail "SIGTERM: exit $status, want 2 ($(cat "$tmp/err"))"
has err "update interrupted; the database is unchanged"
[ "$(sum "$db")" = "$before" ] || fail "an interrupted update changed the database"
no_temps "SIGTERM"

# 7. the server recovers: only the changed feed is imported; a reader that opened the old
# database before the swap keeps reading it, new readers see the new one
mode /none normal
"$PYTHON" - "$db" "$FATHOM" "$tmp/feeds.yaml" "$total" <<'PY' || fail "reader across the swap"
import sqlite3, subprocess, sys, time
db, fathom, cfg, total = sys.argv[1:]
total = int(total)
# A WAL left with a committed, never checkpointed transaction (a writer that died): it is part
# of the old database, so the copy must carry it, and it must not be replayed over the new file.
subprocess.run([sys.executable, "-c", """if True:
    import os, sqlite3, sys
    w = sqlite3.connect(sys.argv[1])
    w.execute("PRAGMA wal_autocheckpoint=0")
    w.execute("INSERT INTO source (name, imported_at) VALUES ('stale-wal', '2026-01-01T00:00:00Z')")
    w.commit()
    os._exit(0)
""", db], check=True)
old = sqlite3.connect("file:%s?mode=ro" % db, uri=True)
old.execute("BEGIN")
assert old.execute("SELECT count(*) FROM advisory").fetchone()[0] == total
pypi_at = old.execute("SELECT imported_at FROM source WHERE name = 'osv-PyPI'").fetchone()[0]
time.sleep(1.1)  # so that this update's import time differs from the first one's
r = subprocess.run([fathom, "db", "update", "--db", db, "--config", cfg],
                   capture_output=True, text=True)
assert r.returncode == 0, r.stderr
assert "fathom: osv-PyPI: 1 advisories imported, 0 updated (2661 unchanged, 0 skipped)" \
    in r.stderr, r.stderr
assert r.stderr.count("not modified") == 4, r.stderr
assert old.execute("SELECT count(*) FROM advisory").fetchone()[0] == total
old.execute("COMMIT")
new = sqlite3.connect("file:%s?mode=ro" % db, uri=True)
assert new.execute("SELECT count(*) FROM advisory").fetchone()[0] == total + 1
assert new.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
assert new.execute("SELECT count(*) FROM source WHERE name = 'stale-wal'").fetchone()[0] == 1
# the new file's own pages, not the stale WAL's copy of the old ones
assert new.execute("SELECT imported_at FROM source WHERE name = 'osv-PyPI'").fetchone()[0] \
    > pypi_at, pypi_at
old.close()
new.close()
PY
run 0 "$FATHOM" db query --db "$db" pypi fathom_test 1.0
has out "FTH-2026-1"
run 0 "$FATHOM" db info --db "$db"
has out "^advisories: $((total + 1))"
no_temps "recovered update"
[ "$(sum "$db")" != "$before" ] || fail "the recovered update did not change the database"

# 8. --source narrows the feeds: one request only
: >"$tmp/requests.log"
run 0 update --source alpine-v3.10-community
[ "$(requests)" = 1 ] && grep -q "^GET /alpine/v3.10/community.json 304 conditional$" \
    "$tmp/requests.log" || fail "--source: $(cat "$tmp/requests.log")"
has err "^fathom: alpine-v3.10-community: not modified$"

# 9. a mirror (FATHOM_FEED_MIRROR) with the official layout, a new database, --feed override
cat >"$tmp/mirror.yaml" <<EOF
osv_ecosystems: []
alpine_branches: [v3.10]
alpine_repos: [community]
EOF
: >"$tmp/requests.log"
FATHOM_FEED_MIRROR="$base/" run 0 "$FATHOM" db update --db "$tmp/db/m.sqlite" \
    --config "$tmp/mirror.yaml" --feed "osv-Go=$base/osv/Go/all.zip"
has err "^fathom: alpine-v3.10-community: 9 advisories imported"
has err "^fathom: debian-tracker: [1-9][0-9]* advisories imported"
has err "^fathom: osv-Go: 4291 advisories imported"
grep -q "^GET /debian/json 200$" "$tmp/requests.log" || fail "mirror: $(cat "$tmp/requests.log")"

# 10. the guard: a feed on another host is refused before any request, nothing is written
: >"$tmp/requests.log"
run 2 update --feed osv-Go=https://osv-vulnerabilities.storage.googleapis.com/Go/all.zip
has err "feed 'osv-Go': host 'osv-vulnerabilities.storage.googleapis.com' is not allowed"
[ "$(requests)" = 0 ] || fail "requests made before the refusal: $(cat "$tmp/requests.log")"
run 2 "$FATHOM" db update --db "$tmp/db/none.sqlite"
has err "is not allowed (FATHOM_NET_ALLOW=127.0.0.1)"
[ ! -e "$tmp/db/none.sqlite" ] || fail "a refused update created the database"

# 11. usage and config errors
run 2 update --source nosuch
has err "'nosuch': no such feed"
run 2 update --feed justaname
has err "'justaname': expected NAME=URL"
run 2 update extra
printf 'feeds:\n  - {name: a, url: "%s/x"}\nmirors: x\n' "$base" >"$tmp/bad.yaml"
run 2 "$FATHOM" db update --db "$db" --config "$tmp/bad.yaml"
has err "bad.yaml:3:1: 'mirors': unknown key"
printf 'feeds:\n  - {name: a, url: "%s/x", format: rpm}\n' "$base" >"$tmp/bad.yaml"
run 2 "$FATHOM" db update --db "$db" --config "$tmp/bad.yaml"
has err "bad.yaml:2:5: 'feeds\[0\].format': 'rpm' is not osv, alpine-secdb or debian-tracker"
printf 'feeds:\n  - {name: a, url: "%s/osv/nosuch.zip"}\n' "$base" >"$tmp/bad.yaml"
run 2 "$FATHOM" db update --db "$db" --config "$tmp/bad.yaml"
has err "feed 'a': '$base/osv/nosuch.zip': HTTP status 404"
"$PYTHON" -c '
import sqlite3, sys
c = sqlite3.connect(sys.argv[1]); c.execute("CREATE TABLE t (x)"); c.commit()
c = sqlite3.connect(sys.argv[2]); c.execute("CREATE TABLE t (x)")
c.execute("PRAGMA user_version=999"); c.commit()' "$tmp/other.sqlite" "$tmp/newer.sqlite"
: >"$tmp/requests.log"
run 2 "$FATHOM" db update --db "$tmp/other.sqlite" --config "$tmp/feeds.yaml"
has err "'$tmp/other.sqlite': not a vulnerability database; give another --db"
run 2 "$FATHOM" db update --db "$tmp/newer.sqlite" --config "$tmp/feeds.yaml"
has err "'$tmp/newer.sqlite': a database of schema 999, newer than this fathom's"
[ "$(requests)" = 0 ] || fail "downloads for a database that is refused: $(cat "$tmp/requests.log")"
run 0 "$FATHOM" db update --help
has out "FATHOM_NET_ALLOW"
run 0 "$FATHOM" db --help
has out "fathom db update"

# 12. the progress bar on a terminal (a pseudo-terminal for standard error)
"$PYTHON" - "$FATHOM" "$tmp/db/tty.sqlite" "$tmp/feeds.yaml" <<'PY' || fail "progress bar"
import os, pty, subprocess, sys
fathom, db, cfg = sys.argv[1:]
master, slave = pty.openpty()
p = subprocess.Popen([fathom, "db", "update", "--db", db, "--config", cfg, "--source",
                      "alpine-v3.10-community"],
                     stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=slave)
os.close(slave)
out = b""
while True:
    try:
        chunk = os.read(master, 65536)
    except OSError:
        break
    if not chunk:
        break
    out += chunk
assert p.wait() == 0, out
text = out.decode()
assert "\r" in text and "[##############################] 100%" in text, repr(text[-400:])
assert "fathom: alpine-v3.10-community: 9 advisories imported" in text, repr(text[-400:])
PY

[ "$fails" = 0 ] || { echo "$fails failures"; exit 1; }
echo "ok"
