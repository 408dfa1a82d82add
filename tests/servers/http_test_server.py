#!/usr/bin/env python3
"""A small HTTP server on 127.0.0.1 for the HTTP client's tests (standard library only).

Prints the port it listens on (a free one) as the first line of standard output, then serves:
  /file               body "hello, fathom\\n" with ETag and Last-Modified; 304 on a matching
                      If-None-Match or an If-Modified-Since at or after Last-Modified
  /redirect/N         302 to /redirect/N-1, and /redirect/0 to /file
  /loop               302 to itself, forever
  /to-file            302 to file:///etc/passwd (must be refused)
  /flaky/KEY/N        503 for the first N requests with this KEY, then 200 "recovered\\n"
  /always503          503 every time, body "down\\n"
  /drop/KEY/N         the first N requests with this KEY get no answer at all (the connection
                      closes), then 200 "answered\\n"
  /close              Content-Length 1000, sends 100 bytes and closes the connection
  /big/N              N bytes of 'x' with a Content-Length
  /stream/N           N bytes of 'y' chunked (no Content-Length)
  /auth               needs basic auth user:secret; else 401 with WWW-Authenticate Basic
  /headers            echoes the request's headers as "name: value" lines (names lower case)
  /digest             body "{}" with Docker-Content-Digest and Content-Type headers
  /slow               waits 5 s before answering
  /count/KEY          how many requests any path containing "/KEY" received so far
  anything else       404
"""
import collections
import http.server
import sys
import threading
import time

LAST_MODIFIED = "Wed, 21 Oct 2015 07:28:00 GMT"
ETAG = '"v1-abc"'
FILE_BODY = b"hello, fathom\n"

counts = collections.Counter()
lock = threading.Lock()


def count(path):
    with lock:
        for part in path.split("/"):
            if part:
                counts[part] += 1


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):  # quiet
        pass

    def send_body(self, code, body, ctype="text/plain", extra=()):
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in extra:
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def redirect(self, where):
        self.send_response(302)
        self.send_header("Location", where)
        self.send_header("Content-Length", "9")
        self.end_headers()
        self.wfile.write(b"redirect\n")

    def do_HEAD(self):
        self.do_GET()

    def do_GET(self):
        path = self.path
        if not path.startswith("/count/"):
            count(path)
        parts = [p for p in path.split("/") if p]
        if path == "/file":
            inm = self.headers.get("If-None-Match")
            ims = self.headers.get("If-Modified-Since")
            if inm == ETAG or (inm is None and ims == LAST_MODIFIED):
                self.send_response(304)
                self.send_header("ETag", ETAG)
                self.end_headers()
                return
            self.send_body(200, FILE_BODY, extra=(("ETag", ETAG), ("Last-Modified", LAST_MODIFIED)))
        elif len(parts) == 2 and parts[0] == "redirect":
            n = int(parts[1])
            self.redirect("/file" if n <= 0 else "/redirect/%d" % (n - 1))
        elif path == "/loop":
            self.redirect("/loop")
        elif path == "/to-file":
            self.redirect("file:///etc/passwd")
        elif len(parts) == 3 and parts[0] == "flaky":
            with lock:
                seen = counts[parts[1]]
            if seen <= int(parts[2]):
                self.send_body(503, b"try again\n")
            else:
                self.send_body(200, b"recovered\n")
        elif len(parts) == 3 and parts[0] == "drop":
            with lock:
                seen = counts[parts[1]]
            if seen <= int(parts[2]):
                self.close_connection = True
                self.connection.shutdown(2)
                return
            self.send_body(200, b"answered\n")
        elif path == "/always503":
            self.send_body(503, b"down\n")
        elif path == "/close":
            self.send_response(200)
            self.send_header("Content-Length", "1000")
            self.end_headers()
            self.wfile.write(b"z" * 100)
            self.wfile.flush()
            self.close_connection = True
            self.connection.shutdown(2)
        elif len(parts) == 2 and parts[0] == "big":
            self.send_body(200, b"x" * int(parts[1]))
        elif len(parts) == 2 and parts[0] == "stream":
            n = int(parts[1])
            self.send_response(200)
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            while n > 0:
                k = min(n, 4096)
                self.wfile.write(b"%x\r\n" % k + b"y" * k + b"\r\n")
                n -= k
            self.wfile.write(b"0\r\n\r\n")
        elif path == "/auth":
            import base64
            want = "Basic " + base64.b64encode(b"user:secret").decode()
            if self.headers.get("Authorization") == want:
                self.send_body(200, b"welcome\n")
            else:
                self.send_body(401, b"who are you\n",
                               extra=(("WWW-Authenticate", 'Basic realm="test"'),))
        elif path == "/headers":
            lines = "".join("%s: %s\n" % (k.lower(), v) for k, v in self.headers.items())
            self.send_body(200, lines.encode())
        elif path == "/digest":
            self.send_body(200, b"{}", ctype="application/vnd.oci.image.manifest.v1+json",
                           extra=(("DOCKER-content-Digest", "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"),))
        elif path == "/slow":
            time.sleep(5)
            self.send_body(200, b"late\n")
        elif len(parts) == 2 and parts[0] == "count":
            with lock:
                n = counts[parts[1]]
            self.send_body(200, b"%d" % n)
        else:
            self.send_body(404, b"not found\n")


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):  # clients that hang up are expected
        pass


def main():
    srv = Server(("127.0.0.1", 0), Handler)
    print(srv.server_address[1], flush=True)
    srv.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
