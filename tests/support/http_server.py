"""A programmable HTTP server on 127.0.0.1 that stands in for the UN Treaty Collection.

Scripted path by path ("500 then 200"), recording every request and its headers; used by the
fetch tests, the poll replay tests and the fault drills.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

Handler = Callable[[BaseHTTPRequestHandler], None]


@dataclass
class LocalServer:
    """A threaded HTTP server whose answers the test scripts, path by path.

    `routes[path]` is a list of handlers used in turn (the last one repeats), so "500 then
    200" is `[error(500), ok(body)]`. Every request is recorded with its headers.
    """

    routes: dict[str, list[Handler]] = field(default_factory=dict)
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    release: threading.Event = field(default_factory=threading.Event)
    port: int = 0

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str) -> str:
        return self.base_url + path

    def hits(self, path: str) -> int:
        return sum(1 for seen, _ in self.requests if seen == path)

    def answer(self, request: BaseHTTPRequestHandler) -> None:
        self.requests.append((request.path, dict(request.headers.items())))
        handlers = self.routes.get(request.path) or [status(404)]
        index = min(self.hits(request.path) - 1, len(handlers) - 1)
        handlers[index](request)


class QuietServer(ThreadingHTTPServer):
    def handle_error(self, request, client_address) -> None:
        """A client that gives up mid-request (a fetch past its deadline; a worker the drills kill on
        purpose) is no error of the server's: its handler thread, which may outlive the test,
        printed the reset over the run's output."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@contextmanager
def local_server() -> Iterator[LocalServer]:
    """Run a LocalServer on an ephemeral port for the duration of a test."""
    state = LocalServer()

    class _Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            state.answer(self)

        def log_message(self, format: str, *args: object) -> None:
            pass  # keep test output clean

    server = QuietServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    state.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.daemon = True
    thread.start()
    try:
        yield state
    finally:
        state.release.set()  # let hanging handlers finish
        server.shutdown()
        server.server_close()


# ---- handlers ---------------------------------------------------------------------------


def ok(body: bytes, **headers: str) -> Handler:
    def handle(request: BaseHTTPRequestHandler) -> None:
        request.send_response(200)
        for name, value in headers.items():
            request.send_header(name.replace("_", "-"), value)
        request.send_header("Content-Length", str(len(body)))
        request.end_headers()
        try:
            request.wfile.write(body)
        except OSError:
            request.close_connection = True  # the client gave up first, as a capped one does

    return handle


def status(code: int, **headers: str) -> Handler:
    def handle(request: BaseHTTPRequestHandler) -> None:
        request.send_response(code)
        for name, value in headers.items():
            request.send_header(name.replace("_", "-"), value)
        request.send_header("Content-Length", "0")
        request.end_headers()

    return handle


def conditional(body: bytes, etag: str, last_modified: str) -> Handler:
    """200 with validators, or 304 when the client sends the current ETag."""

    def handle(request: BaseHTTPRequestHandler) -> None:
        if request.headers.get("If-None-Match") == etag:
            status(304, ETag=etag)(request)
        else:
            ok(body, ETag=etag, Last_Modified=last_modified)(request)

    return handle


def streamed(chunks: Iterator[bytes] | Callable[[], Iterator[bytes]], **headers: str) -> Handler:
    """200 with a body of unknown length, written chunk by chunk until the connection closes."""

    def handle(request: BaseHTTPRequestHandler) -> None:
        request.send_response(200)
        for name, value in headers.items():
            request.send_header(name.replace("_", "-"), value)
        request.send_header("Connection", "close")
        request.end_headers()
        try:
            for chunk in chunks() if callable(chunks) else chunks:
                request.wfile.write(chunk)
                request.wfile.flush()
        except OSError:
            pass  # the client hung up, as it should
        request.close_connection = True

    return handle
