"""A real webhook receiver on 127.0.0.1 (threaded http.server, HTTP/1.1 keep-alive), for the tests,
the drills and bench/bench_webhooks.py.

It verifies each Standard Webhooks signature on its own (written from the specification, not
with the code under test), records every POST, and answers as told per path: a list of planned
answers (a status code, or "timeout" to stall past the sender's timeout), then 200.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import time
from collections import Counter
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler

from tests.support.http_server import QuietServer


def signature_valid(secret: str, headers: dict[str, str], body: bytes, *, tolerance: int = 300) -> bool:
    """The receiver's side of the specification: any `v1,` signature matching, timestamp recent."""
    msg_id, timestamp = headers.get("webhook-id", ""), headers.get("webhook-timestamp", "")
    if not msg_id or not timestamp.isdigit() or abs(time.time() - int(timestamp)) > tolerance:
        return False
    key = base64.b64decode(secret.split("_", 1)[1])
    expected = base64.b64encode(hmac.new(key, f"{msg_id}.{timestamp}.".encode() + body, hashlib.sha256).digest())
    for candidate in headers.get("webhook-signature", "").split():
        version, _, value = candidate.partition(",")
        if version == "v1" and hmac.compare_digest(value.encode(), expected):
            return True
    return False


@dataclass(frozen=True)
class Received:
    path: str
    headers: dict[str, str]
    body: bytes
    answered: int | str  # the status code, or "timeout"
    valid: bool | None  # the signature checked against the path's secret (None: no secret known)

    @property
    def id(self) -> str:
        return self.headers.get("webhook-id", "")

    @property
    def json(self) -> dict:
        return json.loads(self.body)


class WebhookReceiver:
    def __init__(self, *, stall_seconds: float = 3.0, delay: float = 0.0) -> None:
        self.stall_seconds = stall_seconds
        self.delay = delay  # seconds every answer takes (a receiver slower than loopback)
        self.secrets: dict[str, str] = {}  # path -> whsec_ secret
        self.plans: dict[str, list[int | str]] = {}
        self.received: list[Received] = []
        self.cut_off = 0  # requests whose body ended early (the sender killed mid-send): not received
        self.lock = threading.Lock()
        self.server = QuietServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        # A short poll interval: stopping the server waits for it (half a second by default).
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    def start(self) -> WebhookReceiver:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}{path}"

    def plan(self, path: str, *answers: int | str) -> None:
        with self.lock:
            self.plans[path] = list(answers)

    def to(self, path: str) -> list[Received]:
        with self.lock:
            return [item for item in self.received if item.path == path]

    def accepted(self) -> list[Received]:
        with self.lock:
            return [item for item in self.received if item.answered == 200]

    def copies_accepted(self) -> Counter:
        """How many times each (path, webhook-id) was accepted: more than 1 is a duplicate."""
        return Counter((item.path, item.id) for item in self.accepted())

    def _next_answer(self, path: str) -> int | str:
        with self.lock:
            planned = self.plans.get(path)
            return planned.pop(0) if planned else 200

    def _record_cut_off(self) -> None:
        with self.lock:
            self.cut_off += 1

    def _record(self, item: Received) -> None:
        with self.lock:
            self.received.append(item)

    def _handler(self):
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # Headers and body in one segment, flushed at the end of each request: written
            # separately, they meet the client's delayed ACK and every answer takes 40 ms.
            wbufsize = 64 * 1024
            disable_nagle_algorithm = True

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                if len(body) < length:
                    # The sender died mid-request (a drill's kill -9): nothing was delivered, and
                    # a real receiver drops the cut-off body rather than checking its signature.
                    receiver._record_cut_off()
                    self.close_connection = True
                    return
                headers = {name.lower(): value for name, value in self.headers.items()}
                answer = receiver._next_answer(self.path)
                secret = receiver.secrets.get(self.path)
                valid = signature_valid(secret, headers, body) if secret else None
                receiver._record(Received(self.path, headers, body, answer, valid))
                if receiver.delay:
                    time.sleep(receiver.delay)
                if answer == "timeout":
                    time.sleep(receiver.stall_seconds)
                    answer = 200  # too late: the sender has given up
                self.send_response(int(answer))
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, format: str, *args: object) -> None:
                pass

        return Handler
