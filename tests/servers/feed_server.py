#!/usr/bin/env python3
"""An advisory feed server on 127.0.0.1 for `fathom db update` tests (standard library only).

usage: feed_server.py ROOT LOG

Serves the files under ROOT (symbolic links followed) on a free port of 127.0.0.1 and prints
the port as the first line of standard output. Each response carries an ETag (a digest of the
bytes served) and a Last-Modified (the file's mtime); a GET whose If-None-Match names the ETag,
or whose If-Modified-Since is at or after the mtime, gets 304. One line per request is appended
to LOG: "METHOD PATH STATUS" plus " conditional" when the request had a validator.

How a path is served comes from ROOT/.modes (read on every request; "PATH MODE" lines):
  normal    the file
  cut       Content-Length of the whole file, half of it sent, then the connection closed
  corrupt   the whole file with 4 KiB in the middle inverted (so a different ETag)
  503       503 Service Unavailable, every time
  slow      the file in 8 KiB pieces, 50 ms apart (time to interrupt the client)
"""
import email.utils
import hashlib
import http.server
import os
import sys
import time

ROOT = os.path.abspath(sys.argv[1])
LOG = sys.argv[2]


def modes():
    out = {}
    try:
        with open(os.path.join(ROOT, ".modes")) as f:
            for line in f:
                parts = line.split()
                if len(parts) == 2:
                    out[parts[0]] = parts[1]
    except FileNotFoundError:
        pass
    return out


def corrupt(data):
    mid = len(data) // 2
    n = min(4096, len(data) - mid)
    return data[:mid] + bytes(b ^ 0xFF for b in data[mid:mid + n]) + data[mid + n:]


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def log(self, status):
        cond = self.headers.get("If-None-Match") or self.headers.get("If-Modified-Since")
        with open(LOG, "a") as f:
            f.write("%s %s %d%s\n" % (self.command, self.path, status,
                                      " conditional" if cond else ""))

    def plain(self, status, text):
        body = text.encode()
        self.log(status)
        self.send_response(status)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def do_HEAD(self):
        self.do_GET()

    def do_GET(self):
        path = self.path.split("?", 1)[0]
        mode = modes().get(path, "normal")
        full = os.path.realpath(os.path.join(ROOT, path.lstrip("/")))
        if mode == "503":
            self.plain(503, "down for maintenance\n")
            return
        if "/." in path or not os.path.isfile(full):
            self.plain(404, "not found\n")
            return
        with open(full, "rb") as f:
            data = f.read()
        if mode == "corrupt":
            data = corrupt(data)
        mtime = int(os.stat(full).st_mtime)
        etag = '"%s"' % hashlib.sha256(data).hexdigest()[:32]
        last_modified = email.utils.formatdate(mtime, usegmt=True)
        inm = self.headers.get("If-None-Match")
        ims = self.headers.get("If-Modified-Since")
        not_modified = False
        if inm is not None:
            not_modified = etag in [t.strip() for t in inm.split(",")] or inm.strip() == "*"
        elif ims is not None:
            try:
                not_modified = mtime <= email.utils.parsedate_to_datetime(ims).timestamp()
            except (TypeError, ValueError):
                pass
        if not_modified:
            self.log(304)
            self.send_response(304)
            self.send_header("ETag", etag)
            self.send_header("Last-Modified", last_modified)
            self.end_headers()
            return
        self.log(200)
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("ETag", etag)
        self.send_header("Last-Modified", last_modified)
        if mode == "cut":
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command == "HEAD":
            return
        try:
            if mode == "cut":
                self.wfile.write(data[:len(data) // 2])
                self.wfile.flush()
                self.close_connection = True
            elif mode == "slow":
                for i in range(0, len(data), 8192):
                    self.wfile.write(data[i:i + 8192])
                    self.wfile.flush()
                    time.sleep(0.05)
            else:
                self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True


def main():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    print(server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
