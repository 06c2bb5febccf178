"""A real HTTP server on loopback addresses for the link checker's tests and benchmark.

One ``ThreadingHTTPServer`` per address (127.0.0.1, 127.0.0.2, ...: distinct "hosts" to the
checker), each on its own free port. It counts requests per host (in flight, the maximum in
flight, start times, methods, User-Agents) so tests assert the politeness rules from the
server's side. Nothing listens on anything but 127.0.0.0/8.

Run as a script (``python tests/linkserver.py --hosts 50``) it prints its addresses as JSON
and serves ``/__stats`` on each host (the benchmark runs it in another process).
"""

from __future__ import annotations

import gzip
import json
import sys
import threading
import time
import zlib
from collections import defaultdict
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

SLOW_SECONDS = 3.0
DRIP_SECONDS = 0.25  # between two bytes of /drip: never long enough for a read timeout
HOSTILE_SIZE = 256 * 1024  # the checker's max_body: hostile pages are exactly that long


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.inflight = defaultdict(int)
        self.max_inflight = defaultdict(int)
        self.starts = defaultdict(list)  # host -> [monotonic start]
        self.requests = []  # (host, method, path, user_agent)
        self.archive_queries = []  # parsed query strings of /wayback/available
        self.cookies = []  # Cookie headers received (the checker must send none)

    def begin(self, host, method, path, ua):
        with self.lock:
            self.inflight[host] += 1
            self.max_inflight[host] = max(self.max_inflight[host], self.inflight[host])
            self.starts[host].append(time.monotonic())
            self.requests.append((host, method, path, ua))

    def end(self, host):
        with self.lock:
            self.inflight[host] -= 1

    def count(self, path=None, method=None, host=None):
        with self.lock:
            return sum(1 for h, m, p, _ in self.requests if (path is None or p == path)
                       and (method is None or m == method) and (host is None or h == host))

    def min_gap(self, host):
        starts = sorted(self.starts[host])
        return min((b - a for a, b in zip(starts, starts[1:])), default=None)

    def snapshot(self):
        with self.lock:
            return {
                "max_inflight": dict(self.max_inflight),
                "requests": len(self.requests),
                "per_host": {h: len(s) for h, s in self.starts.items()},
                "min_gap": {h: self.min_gap(h) for h in list(self.starts)},
                "gaps": {h: [b - a for a, b in zip(sorted(s), sorted(s)[1:])]
                         for h, s in self.starts.items()},
            }


def html(title, body=""):
    return f"<!doctype html><html><head><title>{title}</title></head><body>{body}</body></html>"


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as real servers
    server_version = "linkserver/1"

    def log_message(self, *args):  # quiet
        pass

    def do_HEAD(self):
        self._serve("HEAD")

    def do_GET(self):
        self._serve("GET")

    def _serve(self, method):
        app = self.server.app
        host = self.server.server_address[0]
        stats = app.stats
        parts = urlsplit(self.path)
        stats.begin(host, method, parts.path, self.headers.get("User-Agent"))
        if self.headers.get("Cookie"):
            stats.cookies.append(self.headers["Cookie"])
        try:
            status, headers, body = app.route(method, host, parts.path, parse_qs(parts.query))
        finally:
            # Out of flight before the answer leaves: a client that got it may start its
            # next request at once, and must not be counted as overlapping this one.
            stats.end(host)
        try:
            self.send_response(status)
            for k, v in headers.items():
                self.send_header(k, v)
            if callable(body):  # a stream of chunks, written as they come, then close
                self.send_header("Connection", "close")
                self.close_connection = True
                self.end_headers()
                if method != "HEAD":
                    for chunk in body():
                        self.wfile.write(chunk)
                        self.wfile.flush()
                return
            data = body.encode() if isinstance(body, str) else body
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            if method != "HEAD":
                self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass


class App:
    """The routes. ``snapshots``: URL -> (archive url, timestamp) for the fake availability API."""

    def __init__(self, server: "LinkServer"):
        self.server = server
        self.stats = Stats()
        self.snapshots: dict[str, tuple[str, str]] = {}
        self._throttled: set[str] = set()
        self.latency = 0.0  # seconds every response takes (the benchmark sets a little)
        self.snapshot_everything = False  # the fake archive has a copy of any URL asked

    def route(self, method, host, path, query):
        H = {"Content-Type": "text/html; charset=utf-8"}
        if self.latency:
            time.sleep(self.latency)
        if path == "/__stats":
            return 200, {"Content-Type": "application/json"}, json.dumps(self.stats.snapshot())
        if path in ("/ok", "/new", "/landing", "/trail/", "/"):
            titles = {"/": "Home", "/new": "New home of the report", "/landing": "Elsewhere"}
            return 200, {**H, "Set-Cookie": "session=tracking; Path=/"}, html(titles.get(path, "A report"), "<h1>Report</h1><p>Text.</p>" * 20)
        if path.startswith("/doc/"):  # the benchmark's pages: small, non-HTML, HEAD suffices
            return 200, {"Content-Type": "application/pdf"}, b"%PDF-1.4 fake"
        if path == "/pdf":
            return 200, {"Content-Type": "application/pdf"}, b"%PDF-1.4 fake"
        if path == "/old":
            return 301, {"Location": "/middle"}, ""
        if path == "/middle":
            return 302, {"Location": f"http://{host}:{self.server.port(host)}/new"}, ""
        if path == "/trail":
            return 301, {"Location": "/trail/"}, ""
        if path == "/moved":
            other = self.server.hosts[1]
            return 301, {"Location": f"http://{other}:{self.server.port(other)}/landing"}, ""
        if path == "/deep/page":
            return 302, {"Location": "/"}, ""
        if path == "/missing":
            return 404, H, html("Not Found")
        if path == "/gone":
            return 410, H, html("Gone")
        if path == "/soft":
            return 200, H, html("Page not found | Ministry of Water", "<p>Try the search.</p>")
        if path == "/soft-body":
            return 200, H, html("Ministry of Water",
                                "<p>Sorry, the page you are looking for has moved.</p>")
        if path == "/slow":
            time.sleep(SLOW_SECONDS)
            return 200, H, html("Slow")
        if path == "/throttle":
            key = f"{host}{path}"
            if key not in self._throttled:
                self._throttled.add(key)
                return 429, {"Retry-After": "1", **H}, html("Too many requests")
            return 200, {"Content-Type": "application/pdf"}, b"%PDF-1.4"
        if path == "/busy":
            return 503, {"Retry-After": "0", **H}, html("Service unavailable")
        if path == "/head405":
            if method == "HEAD":
                return 405, {"Allow": "GET"}, ""
            return 200, H, html("Only GET here")
        if path == "/forbidden":
            return 403, H, html("Forbidden")
        if path == "/loop":
            return 302, {"Location": "/loop2"}, ""
        if path == "/loop2":
            return 302, {"Location": "/loop"}, ""
        if path in HOSTILE:
            return HOSTILE[path]()
        if path in ("/wayback/available", "/wayback-gzip/available"):
            self.stats.archive_queries.append({k: v[0] for k, v in query.items()})
            url = query.get("url", [""])[0]
            if url not in self.snapshots and self.snapshot_everything:
                ts = query.get("timestamp", ["2020"])[0][:8].ljust(8, "0") + "120000"
                self.snapshots[url] = (f"http://web.archive.org/web/{ts}/{url}", ts)
            if url in self.snapshots:
                snap_url, ts = self.snapshots[url]
                closest = {"status": "200", "available": True, "url": snap_url, "timestamp": ts}
                payload = {"url": url, "archived_snapshots": {"closest": closest}}
            else:
                payload = {"url": url, "archived_snapshots": {}}
            if path.startswith("/wayback-gzip/"):  # as archive.org answers: compressed
                return 200, {"Content-Type": "application/json", "Content-Encoding": "gzip"}, \
                    gzip.compress(json.dumps(payload).encode())
            return 200, {"Content-Type": "application/json"}, json.dumps(payload)
        return 404, H, html("Not Found")


# --- hostile servers (issue 19): each answer is what a server out there could send --------

def _drip():
    """Headers at once, then a byte every DRIP_SECONDS for a minute: each read is quick,
    the whole answer is not."""
    yield b"<!doctype html><html><head><title>Drip"
    for _ in range(int(60 / DRIP_SECONDS)):
        time.sleep(DRIP_SECONDS)
        yield b"."


def _raw_deflate(data: bytes) -> bytes:
    z = zlib.compressobj(wbits=-zlib.MAX_WBITS)  # "deflate" as many servers send it: no header
    return z.compress(data) + z.flush()


_BOMB = None


def _bomb() -> bytes:
    """64 MiB of an HTML page in 64 KiB of gzip, made once."""
    global _BOMB
    if _BOMB is None:
        z = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
        head = b"<html><head><title>Bomb</title></head><body>"
        block = b" " * (1 << 20)
        _BOMB = z.compress(head) + b"".join(z.compress(block) for _ in range(64)) + z.flush()
    return _BOMB


H = {"Content-Type": "text/html; charset=utf-8"}
SOFT_404 = html("Page not found | Ministry of Water", "<p>Try the search.</p>")
HOSTILE = {
    # a title made of '<': quadratic for a backtracking tag regex (48 s of CPU in the loop)
    "/hostile-title": lambda: (200, H, "<title>" + "<" * (HOSTILE_SIZE - 15) + "</title>"),
    "/drip": lambda: (200, H, _drip),
    "/bad-charset": lambda: (200, {"Content-Type": "text/html; charset=x-no-such-charset"},
                             html("Charset unknown")),
    "/codec-charset": lambda: (200, {"Content-Type": "text/html; charset=rot13"},
                               html("Charset not text")),
    "/retry-superscript": lambda: (503, {**H, "Retry-After": "\u00b2"}, html("Busy")),
    "/gzip-soft": lambda: (200, {**H, "Content-Encoding": "gzip"}, gzip.compress(SOFT_404.encode())),
    "/deflate-soft": lambda: (200, {**H, "Content-Encoding": "deflate"},
                              _raw_deflate(SOFT_404.encode())),
    "/zlib-ok": lambda: (200, {**H, "Content-Encoding": "deflate"},
                         zlib.compress(html("Compressed report", "<p>Text.</p>").encode())),
    "/gzip-bomb": lambda: (200, {**H, "Content-Encoding": "gzip"}, _bomb()),
    "/endless": lambda: (200, H, lambda: iter(lambda: b"<p>more</p>" * 1000, None)),
}


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256

    def handle_error(self, request, client_address):  # a client hung up (timeouts): fine
        if not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            super().handle_error(request, client_address)


class LinkServer:
    def __init__(self, n_hosts: int = 2):
        self.hosts = [f"127.0.0.{i + 1}" for i in range(n_hosts)]
        self.app = App(self)
        self._servers: dict[str, ThreadingHTTPServer] = {}
        self._threads = []

    @property
    def stats(self) -> Stats:
        return self.app.stats

    def port(self, host: str) -> int:
        return self._servers[host].server_address[1]

    def url(self, path: str, host: int = 0) -> str:
        h = self.hosts[host]
        return f"http://{h}:{self.port(h)}{path}"

    def start(self) -> "LinkServer":
        for host in self.hosts:
            srv = _Server((host, 0), Handler)
            srv.app = self.app
            self._servers[host] = srv
            t = threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.05},
                                 daemon=True)
            t.start()
            self._threads.append(t)
        return self

    def stop(self) -> None:
        for srv in self._servers.values():
            srv.shutdown()
            srv.server_close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


def main(argv=None) -> None:
    import argparse

    ap = argparse.ArgumentParser()
    ap.add_argument("--hosts", type=int, default=50)
    ap.add_argument("--latency", type=float, default=0.0)
    ap.add_argument("--snapshot-everything", action="store_true")
    args = ap.parse_args(argv)
    server = LinkServer(args.hosts).start()
    server.app.latency = args.latency
    server.app.snapshot_everything = args.snapshot_everything
    print(json.dumps({h: server.port(h) for h in server.hosts}), flush=True)
    try:
        sys.stdin.read()  # serve until the parent closes our stdin
    finally:
        server.stop()


if __name__ == "__main__":
    main()
