#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Loopback-only HTTP/HTTPS server for tests/netboot.sh.

serve ROOT PORTFILE [CERT KEY]: binds 127.0.0.1 on a free port, writes the
port to PORTFILE, serves ROOT read-only, plus misbehaving paths:
  /loop/...        302 to itself (a redirect loop)
  /hop/N/...       N redirects, then the file
  /truncated/...   announces 4096 more bytes than it sends, then closes
  /slow/...        sends the headers, then one byte every second
  /stall/...       answers nothing for 60 seconds
Stops by itself after --lifetime seconds (default 600)."""
import http.server
import os
import ssl
import sys
import threading
import time


class Handler(http.server.SimpleHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *a):
        pass

    def _file(self, rel):
        path = os.path.join(self.server.root, rel.lstrip("/"))
        if not os.path.isfile(path):
            return None
        with open(path, "rb") as f:
            return f.read()

    def do_HEAD(self):
        self.do_GET(head=True)

    def do_GET(self, head=False):
        p = self.path
        if p.startswith("/stall/"):
            time.sleep(60)
            return
        if p.startswith("/loop/"):
            self.send_response(302)
            self.send_header("Location", p)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if p.startswith("/hop/"):
            parts = p.split("/", 3)
            n = int(parts[2])
            self.send_response(302)
            nxt = "/hop/%d/%s" % (n - 1, parts[3]) if n > 1 else "/" + parts[3]
            self.send_header("Location", nxt)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        mode = None
        for m in ("truncated", "slow"):
            if p.startswith("/%s/" % m):
                mode, p = m, p[len(m) + 1:]
        data = self._file(p)
        if data is None:
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        extra = 4096 if mode == "truncated" else 0
        self.send_header("Content-Length", str(len(data) + extra))
        self.end_headers()
        if head:
            return
        if mode == "slow":
            for i in range(len(data)):
                self.wfile.write(data[i:i + 1])
                self.wfile.flush()
                time.sleep(1)
            return
        self.wfile.write(data)
        if mode == "truncated":
            self.wfile.flush()
            self.close_connection = True


def main():
    root, portfile = sys.argv[1], sys.argv[2]
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    srv.daemon_threads = True
    srv.handle_error = lambda *a: None  # clients hang up on purpose
    srv.root = root
    if len(sys.argv) > 4:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(sys.argv[3], sys.argv[4])
        srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
    with open(portfile + ".tmp", "w") as f:
        f.write(str(srv.server_address[1]))
    os.rename(portfile + ".tmp", portfile)
    threading.Timer(600, srv.shutdown).start()
    srv.serve_forever()


if __name__ == "__main__":
    main()
