#!/usr/bin/env python3
"""A tiny PEP 691 index on 127.0.0.1 for agora's benchmarks (standard library only).

Serves DIR/<name>.json at /simple/<name>/ (and at /simple/<name>, without a redirect) as
application/vnd.pypi.simple.v1+json, with an ETag (answers If-None-Match with 304) and PyPI's
`Cache-Control: max-age=600, public`, so HTTP caches behave as they would against pypi.org.
/simple/ lists the projects.

    python3 bench/fake_index.py DIR PORT_FILE

binds a free port, writes it to PORT_FILE and serves until killed.
"""

import hashlib
import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

CONTENT_TYPE = "application/vnd.pypi.simple.v1+json"


def load(root):
    pages = {}
    for path in sorted(Path(root).glob("*.json")):
        body = path.read_bytes()
        pages[path.stem] = (body, '"%s"' % hashlib.sha256(body).hexdigest()[:32])
    index = json.dumps(
        {
            "meta": {"api-version": "1.1"},
            "projects": [{"name": name} for name in pages],
        }
    ).encode()
    return pages, index


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    pages = {}
    index = b""

    def log_message(self, *args):  # quiet
        pass

    def do_GET(self):
        path = self.path.split("?", 1)[0]
        parts = [p for p in path.split("/") if p]
        if parts == ["simple"]:
            return self.send(200, self.index, '"index"')
        if len(parts) == 2 and parts[0] == "simple" and parts[1] in self.pages:
            body, etag = self.pages[parts[1]]
            if self.headers.get("If-None-Match") == etag:
                return self.send(304, b"", etag)
            return self.send(200, body, etag)
        self.send(404, b"not found\n", None, "text/plain")

    def send(self, status, body, etag, content_type=CONTENT_TYPE):
        self.send_response(status)
        if status != 304:
            self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        if etag:
            self.send_header("ETag", etag)
            self.send_header("Cache-Control", "max-age=600, public")
        self.end_headers()
        if status != 304:
            self.wfile.write(body)


def main():
    root, port_file = sys.argv[1], sys.argv[2]
    Handler.pages, Handler.index = load(root)
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    Path(port_file).write_text(str(server.server_address[1]))
    server.serve_forever()


if __name__ == "__main__":
    main()
