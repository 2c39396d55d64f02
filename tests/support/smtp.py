"""A real SMTP server for tests (aiosmtpd in a thread, on a free local port) that records what
it accepts and can refuse, fail or go away on demand."""

from __future__ import annotations

import asyncio
import email
import email.policy
import threading
import time
from dataclasses import dataclass
from email.message import EmailMessage

from aiosmtpd.controller import Controller

from tests.support.services import free_port


@dataclass(frozen=True)
class Received:
    mail_from: str
    recipients: tuple[str, ...]
    data: bytes
    accepted_at: float  # time.perf_counter() when the server said 250

    @property
    def message(self) -> EmailMessage:
        return email.message_from_bytes(self.data, policy=email.policy.default)


class RecordingHandler:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.received: list[Received] = []
        self.rcpt_replies: dict[str, str] = {}  # address -> SMTP reply refusing it
        self.data_reply: str | None = None  # refuse every message with this reply
        self.data_replies_left = 0  # … only this many times (0: always)
        self.hang_up_next = False  # answer the next DATA with 421 and close the connection
        self.delay = 0.0  # seconds to take over each message (a slower server)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        reply = self.rcpt_replies.get(address.lower())
        if reply:
            return reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            await asyncio.sleep(self.delay)
        with self.lock:
            if self.hang_up_next:
                self.hang_up_next = False
                server.transport.close()
                return "421 4.3.2 Service shutting down"
            if self.data_reply:
                reply = self.data_reply
                if self.data_replies_left:
                    self.data_replies_left -= 1
                    if not self.data_replies_left:
                        self.data_reply = None
                return reply
            received = Received(envelope.mail_from, tuple(envelope.rcpt_tos), envelope.content, time.perf_counter())
            self.received.append(received)
        return "250 Message accepted for delivery"


class SmtpSink:
    """`start()`/`stop()` it to accept or refuse connections; `messages` is what it accepted."""

    def __init__(self) -> None:
        self.handler = RecordingHandler()
        self.port = free_port()
        self.controller: Controller | None = None

    def start(self) -> SmtpSink:
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port, ready_timeout=10)
        self.controller.start()
        return self

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    @property
    def received(self) -> list[Received]:
        with self.handler.lock:
            return list(self.handler.received)

    @property
    def messages(self) -> list[EmailMessage]:
        return [item.message for item in self.received]

    def to(self, address: str) -> list[EmailMessage]:
        return [item.message for item in self.received if address in item.recipients]

    def refuse_recipient(self, address: str, reply: str = "550 5.1.1 No such user") -> None:
        self.handler.rcpt_replies[address.lower()] = reply

    def hang_up_on_next_message(self) -> None:
        with self.handler.lock:
            self.handler.hang_up_next = True

    def refuse_data(self, reply: str, times: int = 0) -> None:
        with self.handler.lock:
            self.handler.data_reply = reply
            self.handler.data_replies_left = times

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def django_settings(self) -> dict:
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": self.port,
            "EMAIL_USE_TLS": False,
            "EMAIL_USE_SSL": False,
            "EMAIL_HOST_USER": "",
            "EMAIL_HOST_PASSWORD": "",
            "EMAIL_TIMEOUT": 10,
        }
