#!/usr/bin/env python3
"""A Bearer-token front for a real registry on 127.0.0.1, with faults on demand (stdlib only).

    registry_proxy.py UPSTREAM_PORT [TOKEN_USER:TOKEN_PASS]

Prints its own port (a free one) as the first line of standard output. Every /v2/ request
must carry "Authorization: Bearer <token>"; without one it answers 401 with
    WWW-Authenticate: Bearer realm="http://127.0.0.1:PORT/token",service="fathom-proxy",
                      scope="repository:<repo>:pull"
GET /token?service=fathom-proxy&scope=... hands out a token (as "token", or "access_token"
when the mode says so), demanding basic auth TOKEN_USER:TOKEN_PASS when given. Valid
requests are forwarded to the registry.

Faults, set with GET /_control?key=value&... (they apply to the requests that follow):
    fail503=N          the next N /v2/ requests get 503
    lie=MODE           the next blob GET: "more" (100 extra bytes, Content-Length says so),
                       "chunked-more" (100 extra bytes, chunked), "fewer" (10 bytes short,
                       Content-Length says so), "cut" (full Content-Length, half the bytes,
                       then the connection closes)
    redirect=1         blob GETs answer 307 to /_storage/... which serves them without auth
    access_token=1     the token endpoint answers {"access_token": ...}
    bad_digest=1       manifests get a wrong Docker-Content-Digest header
    reset=1            clear every fault and counter
GET /_count answers "v2=N token=N manifests=N blobs=N storage=N": requests seen.
"""
import base64
import http.client
import http.server
import re
import secrets
import sys
import threading
import urllib.parse

UPSTREAM = int(sys.argv[1])
TOKEN_CREDS = sys.argv[2] if len(sys.argv) > 2 else ""
SERVICE = "fathom-proxy"

lock = threading.Lock()
state = {}
tokens = set()


def reset():
    with lock:
        state.clear()
        state.update(fail503=0, lie="", redirect=0, access_token=0, bad_digest=0,
                     v2=0, token=0, manifests=0, blobs=0, storage=0)


reset()


def bump(key):
    with lock:
        state[key] += 1


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def reply(self, code, body=b"", headers=()):
        self.send_response(code)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def do_HEAD(self):
        self.do_GET()

    def do_GET(self):
        url = urllib.parse.urlsplit(self.path)
        q = dict(urllib.parse.parse_qsl(url.query))
        if url.path == "/_control":
            if q.get("reset"):
                reset()
            with lock:
                for k, v in q.items():
                    if k in ("fail503", "redirect", "access_token", "bad_digest"):
                        state[k] = int(v)
                    elif k == "lie":
                        state[k] = v
            return self.reply(200, b"ok\n")
        if url.path == "/_count":
            with lock:
                s = "v2=%d token=%d manifests=%d blobs=%d storage=%d" % (
                    state["v2"], state["token"], state["manifests"], state["blobs"],
                    state["storage"])
            return self.reply(200, s.encode())
        if url.path == "/token":
            return self.token(q)
        if url.path.startswith("/_storage/"):
            bump("storage")
            return self.forward(url.path[len("/_storage"):], blob=True)
        if url.path.startswith("/v2/"):
            return self.v2(url.path)
        self.reply(404, b"not found\n")

    def token(self, q):
        bump("token")
        if TOKEN_CREDS:
            want = "Basic " + base64.b64encode(TOKEN_CREDS.encode()).decode()
            if self.headers.get("Authorization") != want:
                return self.reply(401, b'{"details":"bad credentials"}',
                                  (("WWW-Authenticate", 'Basic realm="token"'),))
        if q.get("service") != SERVICE or not q.get("scope", "").startswith("repository:"):
            return self.reply(400, b'{"details":"service and scope expected"}')
        tok = "tok-" + secrets.token_hex(8)
        with lock:
            tokens.add(tok)
            key = "access_token" if state["access_token"] else "token"
        body = ('{"%s": "%s", "expires_in": 300}' % (key, tok)).encode()
        self.reply(200, body, (("Content-Type", "application/json"),))

    def v2(self, path):
        bump("v2")
        auth = self.headers.get("Authorization", "")
        with lock:
            ok = auth.startswith("Bearer ") and auth[7:] in tokens
        if not ok:
            m = re.match(r"^/v2/(.+)/(manifests|blobs)/", path)
            scope = "repository:%s:pull" % m.group(1) if m else "registry:catalog:*"
            challenge = 'Bearer realm="http://127.0.0.1:%d/token",service="%s",scope="%s"' % (
                self.server.server_address[1], SERVICE, scope)
            return self.reply(401, b'{"errors":[{"code":"UNAUTHORIZED"}]}',
                              (("WWW-Authenticate", challenge),
                               ("Content-Type", "application/json")))
        with lock:
            fail = state["fail503"] > 0
            if fail:
                state["fail503"] -= 1
        if fail:
            return self.reply(503, b"injected\n")
        blob = "/blobs/" in path
        bump("blobs" if blob else "manifests")
        if blob:
            with lock:
                redirect = state["redirect"]
            if redirect:
                return self.reply(307, b"", (("Location", "/_storage" + path),))
        return self.forward(path, blob=blob)

    def forward(self, path, blob):
        conn = http.client.HTTPConnection("127.0.0.1", UPSTREAM, timeout=30)
        headers = {}
        if self.headers.get("Accept"):
            headers["Accept"] = self.headers["Accept"]
        conn.request(self.command, path, headers=headers)
        up = conn.getresponse()
        body = up.read()
        conn.close()
        lie = ""
        bad_digest = False
        with lock:
            if blob and up.status == 200 and state["lie"]:
                lie, state["lie"] = state["lie"], ""
            bad_digest = not blob and state["bad_digest"]
        hdrs = []
        for k in ("Content-Type", "Docker-Content-Digest", "Etag"):
            v = up.getheader(k)
            if v is not None:
                if k == "Docker-Content-Digest" and bad_digest:
                    v = "sha256:" + "0" * 64
                hdrs.append((k, v))
        self.send_response(up.status)
        for k, v in hdrs:
            self.send_header(k, v)
        if lie == "chunked-more":
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            data = body + b"E" * 100
            for i in range(0, len(data), 65536):
                chunk = data[i:i + 65536]
                self.wfile.write(b"%x\r\n" % len(chunk) + chunk + b"\r\n")
            self.wfile.write(b"0\r\n\r\n")
            return
        if lie == "more":
            body = body + b"E" * 100
        elif lie == "fewer":
            body = body[:-10]
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command == "HEAD":
            return
        if lie == "cut":
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            self.close_connection = True
            self.connection.shutdown(2)
            return
        self.wfile.write(body)


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass


def main():
    srv = Server(("127.0.0.1", 0), Handler)
    print(srv.server_address[1], flush=True)
    srv.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
