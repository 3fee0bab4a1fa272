"""A real SMTP server on loopback for the tests, built on aiosmtpd."""

from __future__ import annotations

import email
import email.policy
import socket
import threading
import time
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class _Handler:
    def __init__(self, server: SmtpServer) -> None:
        self.server = server

    async def handle_RCPT(self, smtp_server: Any, session: Any, envelope: Any, address: str,
                          rcpt_options: list[str]) -> str:
        refusal = self.server.refused_recipients.get(address.lower())
        if refusal is not None:
            return refusal
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, smtp_server: Any, session: Any, envelope: Any) -> str:
        with self.server.lock:
            self.server.peers.add(session.peer)
        if self.server.reply_code is not None:
            return self.server.reply_code
        if self.server.delay_seconds:
            import asyncio

            await asyncio.sleep(self.server.delay_seconds)
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.server.lock:
            self.server.messages.append(message)  # type: ignore[arg-type]
            self.server.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 Message accepted for delivery"


class SmtpServer:
    """Start/stop/restart on a fixed port; set ``reply_code`` (e.g. "550 No such user")
    to refuse messages, ``refused_recipients`` (address -> reply) to refuse addresses at RCPT TO,
    or ``delay_seconds`` to answer slowly.  ``peers`` are the client ends (one per connection) that sent data."""

    def __init__(self, port: int | None = None) -> None:
        self.host = "127.0.0.1"
        self.port = port or free_port()
        self.messages: list[EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self.reply_code: str | None = None
        self.refused_recipients: dict[str, str] = {}
        self.peers: set[tuple[str, int]] = set()
        self.delay_seconds = 0.0
        self.lock = threading.Lock()
        self._controller: Controller | None = None

    def start(self) -> None:
        self._controller = Controller(_Handler(self), hostname=self.host, port=self.port, ready_timeout=10)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def config(self) -> dict[str, Any]:
        """Flask-Mail settings that point at this server (and send for real, though TESTING is on)."""
        return {"MAIL_SERVER": self.host, "MAIL_PORT": self.port, "MAIL_USE_TLS": False, "MAIL_USE_SSL": False,
                "MAIL_SUPPRESS_SEND": False}

    def wait_for(self, count: int, timeout: float = 10.0) -> list[EmailMessage]:
        """Wait until *count* messages arrived; return them."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if len(self.messages) >= count:
                    return list(self.messages)
            time.sleep(0.05)
        raise AssertionError(f"expected {count} messages, got {len(self.messages)}")
