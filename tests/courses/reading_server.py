"""A local HTTP server for the URL-import tests: article pages, redirects (to itself, to
private and metadata addresses, in chains), oversized and slow bodies, other content types.

It listens on 127.0.0.1 only, on a free port, in a thread, for one test module at a time;
requests are bounded by the tests themselves and the server stops with the fixture.
"""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ARTICLE = b"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>Bridges of the North | The Example Review</title>
<meta property="og:site_name" content="The Example Review">
<meta name="description" content="A short history of the bridges that changed the towns.">
</head><body><nav><a href="/">Home</a></nav><main><article>
<h1>The Bridges That Moved the Towns</h1>
<p class="standfirst">A short history of the bridges that changed the northern towns.</p>
<p>For most of the century the river was the only road, and the towns along it grew up
facing the water, with their markets on the quays and their backs to the hills.</p>
<p>The first stone bridge changed that within a generation. Trade moved to the roads, the
quays emptied, and the new high streets ran inland towards the railway station.</p>
<p>Historians still argue about whether the bridges caused the change or only hurried it
along, but nobody disputes that the towns look different because of them.</p>
</article></main><footer>FOOTER-TEXT</footer></body></html>"""

TEXT = (b"The Quiet Valley\n\nThe valley was quiet in the winter, and the farms along the "
        b"river kept to themselves until the thaw.\n\nIn spring the roads opened again and the "
        b"markets filled with people who had not seen each other for months.\n")


class _Handler(BaseHTTPRequestHandler):
    server_version = "ReadingTestServer/1"

    def log_message(self, *args) -> None:  # keep test output clean
        pass

    def _send(self, status: int, body: bytes = b"", content_type: str = "text/html",
              headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        path, _, query = self.path.partition("?")
        self.server.requests.append(self.path)
        if path == "/article":
            self._send(200, ARTICLE, "text/html; charset=utf-8")
        elif path == "/text":
            self._send(200, TEXT, "text/plain")
        elif path.startswith("/to/"):
            # /to/<n>: a chain of n redirects ending at the article.
            left = int(path.removeprefix("/to/"))
            target = "/article" if left <= 1 else f"/to/{left - 1}"
            self._send(302, b"", "", {"Location": target})
        elif path == "/loop":
            self._send(301, b"", "", {"Location": "/loop"})
        elif path == "/redirect":
            self._send(302, b"", "", {"Location": query.removeprefix("where=")})
        elif path == "/big":
            self._send(200, b"<p>" + b"word " * 400_000 + b"</p>", "text/html")
        elif path == "/big-undeclared":
            # No Content-Length: the size is only known while reading.
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Connection", "close")
            self.end_headers()
            for _ in range(40):
                self.wfile.write(b"<p>" + b"word " * 10_000 + b"</p>")
        elif path == "/slow":
            time.sleep(float(query.removeprefix("s=") or 2))
            self._send(200, ARTICLE)
        elif path == "/image":
            self._send(200, b"\x89PNG\r\n\x1a\n" + bytes(64), "image/png")
        elif path == "/json":
            self._send(200, b'{"title": "not a reading"}', "application/json")
        elif path == "/gzip":
            self._send(200, b"\x1f\x8b\x08\x00", "text/html", {"Content-Encoding": "gzip"})
        else:
            self._send(404, b"<p>Not found</p>")


class ReadingServer:
    """``tls`` is an ssl.SSLContext for serving https instead of http."""

    def __init__(self, tls=None) -> None:
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.httpd.daemon_threads = True
        self.httpd.requests = []
        self.scheme = "http"
        if tls is not None:
            self.httpd.socket = tls.wrap_socket(self.httpd.socket, server_side=True)
            self.scheme = "https"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def requests(self) -> list[str]:
        return self.httpd.requests

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"{self.scheme}://{host}:{self.httpd.server_port}{path}"

    def __enter__(self) -> ReadingServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)
