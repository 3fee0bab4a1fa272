"""Sending one outbox e-mail through Flask-Mail, with a timeout on every network step.

Messages are built and sent with Flask-Mail: the host's ``Mail`` when it has one (so its
``MAIL_SUPPRESS_SEND``, ``record_messages()`` and the ``email_dispatched`` signal see our
mail too), else one made from the same ``MAIL_*`` settings when the extension is registered.  Flask-Mail's connection has no timeout, so a silent mail server
would block a worker forever: :class:`TimeoutConnection` gives every step one.  Replies
5xx are permanent failures (the message is not retried); timeouts, refused connections
and 4xx are temporary.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
import time
from collections.abc import Mapping, Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formataddr, parseaddr
from typing import Any

from flask import Flask
from flask_mail import BadHeaderError, Connection, Mail, Message

from ..core.models import utcnow
from .errors import DeliveryError
from .mail import checked_recipient
from .mime import from_header, header_safe, mime_message, safe_headers

log = logging.getLogger(__name__)
MAIL_EXTENSION_KEY = "mail"
FALLBACK_SENDER = "feedbackwidget@localhost"


class TimeoutConnection(Connection):
    """Flask-Mail's connection with a timeout on connecting, TLS, login and every reply."""

    def __init__(self, mail: Any, timeout: float) -> None:
        super().__init__(mail)
        self.timeout = timeout

    def configure_host(self) -> smtplib.SMTP:
        mail = self.mail
        host: smtplib.SMTP
        if mail.use_ssl:
            host = smtplib.SMTP_SSL(mail.server, mail.port, timeout=self.timeout,
                                    context=ssl.create_default_context())
        else:
            host = smtplib.SMTP(mail.server, mail.port, timeout=self.timeout)
        if mail.use_tls:
            host.starttls(context=ssl.create_default_context())
        if mail.username and mail.password:
            host.login(mail.username, mail.password)
        return host

    def __exit__(self, *exc_info: Any) -> None:
        """Say goodbye, but never let a dead connection's QUIT hide what went wrong."""
        if self.host is None:
            return
        try:
            self.host.quit()
        except (OSError, smtplib.SMTPException):
            self.host.close()


class OutboxMail(Message):
    """Flask-Mail's message, written out by the standard library's ``email`` package (see
    :mod:`feedbackwidget.delivery.mime`): the bytes written when it was queued, when it has them,
    after the ``From`` line of its sender."""

    rendered: bytes | None = None

    def as_email(self) -> EmailMessage:
        return mime_message(subject=self.subject, to=", ".join(str(recipient) for recipient in self.recipients),
                            message_id=self.msgId, date=self.date or time.time(), text=self.body or "",
                            html=self.html, headers=self.extra_headers or {}, sender=str(self.sender),
                            reply_to=str(self.reply_to) if self.reply_to else None)

    def as_bytes(self) -> bytes:
        if self.rendered is not None:
            return from_header(str(self.sender)) + self.rendered
        return self.as_email().as_bytes()

    def as_string(self) -> str:
        return self.as_bytes().decode("utf-8", "surrogateescape")


@dataclass(frozen=True)
class Mailer:
    """Where outbox e-mails go: the app (for its context), Flask-Mail's state, the sender."""

    app: Flask
    mail: Any
    sender: str
    timeout: float

    @classmethod
    def for_app(cls, app: Flask, timeout: float) -> Mailer:
        """The app's Flask-Mail state (see :func:`feedbackwidget.delivery.install_mail`)."""
        mail = app.extensions.get(MAIL_EXTENSION_KEY) or Mail().init_app(app)
        sender = app.config.get("MAIL_DEFAULT_SENDER") or mail.default_sender or FALLBACK_SENDER
        if isinstance(sender, (tuple, list)):
            sender = formataddr((sender[0], sender[1]))
        return cls(app=app, mail=mail, sender=str(sender), timeout=timeout)

    @property
    def server(self) -> str:
        return f"{self.mail.server}:{self.mail.port}"


def build_message(mailer: Mailer, row: Mapping[str, Any], recipient: str) -> OutboxMail:
    """The e-mail of outbox *row* (text and, when it has one, HTML), with its fixed Message-ID; sent as the
    bytes written when it was queued when the row has them (and they are for *recipient*)."""
    payload = row["payload"] or {}
    message = OutboxMail(
        subject=header_safe(row["subject"] or ""), recipients=[recipient], sender=header_safe(mailer.sender),
        body=payload.get("text") or "", html=payload.get("html") or None,
        date=(row.get("created_at") or utcnow()).timestamp(),
    )
    message.msgId = row["message_id"]
    # Headers the cause chose (List-Unsubscribe of an invitation); never a line break in them.
    message.extra_headers = safe_headers(payload.get("headers"))
    if recipient == row["recipient"]:
        message.rendered = row.get("rendered")
    return message


def send_mail(mailer: Mailer, row: Mapping[str, Any]) -> None:
    """Hand outbox *row* to the mail server (or, with ``MAIL_SUPPRESS_SEND``, only to Flask-Mail's signal).

    :raises DeliveryError: permanent on a 5xx reply or a message that cannot be built, else temporary.
    """
    error = send_batch(mailer, [row])[0]
    if error is not None:
        raise error


class ConnectionLost(DeliveryError):
    """The mail server went away in the middle of a message: the next one needs a new connection."""

    def __init__(self, message: str) -> None:
        super().__init__(message, permanent=False)


class NotAttempted(DeliveryError):
    """The batch's lease was running out before this message's turn: it was not sent, and goes back to the queue."""

    def __init__(self) -> None:
        super().__init__("not attempted: the batch's lease was running out", permanent=False)


def send_batch(mailer: Mailer, rows: Sequence[Mapping[str, Any]],
               deadline: float | None = None) -> list[DeliveryError | None]:
    """Hand outbox *rows* to the mail server over one connection; for each, None (sent) or why not.

    A refused message does not end the connection (smtplib resets the transaction); a lost
    connection is opened again for the next message, and when it cannot be, the rest of the
    batch fails temporarily with the reason.  No message but the first starts after *deadline*
    (a :func:`time.monotonic` value): those left are :class:`NotAttempted`.
    """
    outcomes: list[DeliveryError | None] = []
    with mailer.app.app_context(), ExitStack() as stack:
        connection: TimeoutConnection | None = None
        for row in rows:
            if deadline is not None and outcomes and time.monotonic() >= deadline:
                return outcomes + [NotAttempted()] * (len(rows) - len(outcomes))
            if connection is None:
                try:
                    connection = stack.enter_context(TimeoutConnection(mailer.mail, mailer.timeout))
                except (OSError, smtplib.SMTPException) as err:
                    unavailable = DeliveryError(f"mail server {mailer.server} unavailable: {err!r}", permanent=False)
                    return outcomes + [unavailable] * (len(rows) - len(outcomes))
            try:
                send_over(connection, mailer, row)
                outcomes.append(None)
            except ConnectionLost as err:
                outcomes.append(err)
                connection = None
            except DeliveryError as err:
                outcomes.append(err)
            except Exception as err:  # a bad row must not stop the batch; it fails after its attempts
                log.exception("feedbackwidget: could not deliver outbox message %s", row.get("id"))
                outcomes.append(DeliveryError(repr(err), permanent=False))
    return outcomes


def send_over(connection: Connection, mailer: Mailer, row: Mapping[str, Any]) -> None:
    """Send outbox *row* over an open *connection* (inside an app context).

    :raises DeliveryError: :class:`ConnectionLost` when the connection died on the way.
    """
    recipient, refusal = checked_recipient(row["recipient"])
    if refusal is not None:  # a row retried from the outbox page, its address still refused
        raise DeliveryError(refusal, permanent=True)
    try:
        connection.send(build_message(mailer, row, recipient), envelope_from=parseaddr(mailer.sender)[1])
    except BadHeaderError as err:
        raise DeliveryError("a header of this message has a line break", permanent=True) from err
    except smtplib.SMTPRecipientsRefused as err:
        permanent = all(code >= 500 for code, _ in err.recipients.values())
        raise DeliveryError(f"recipient refused: {err.recipients}", permanent=permanent,
                            refused_address=recipient if permanent else None) from err
    except smtplib.SMTPResponseException as err:
        reply = _reply_text(err.smtp_error)
        # A 5.1.x status after DATA names the mailbox itself (RFC 3463), as a RCPT TO refusal does.
        about_address = isinstance(err, smtplib.SMTPDataError) and reply.startswith("5.1.")
        raise DeliveryError(f"{err.smtp_code} {reply}", permanent=err.smtp_code >= 500,
                            refused_address=recipient if err.smtp_code >= 500 and about_address else None) from err
    except (OSError, smtplib.SMTPException) as err:
        raise ConnectionLost(f"mail server {mailer.server} unavailable: {err!r}") from err


def _reply_text(reply: bytes | str) -> str:
    return reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)
