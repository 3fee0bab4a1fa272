"""Sending one outbox e-mail over SMTP, with a timeout on every network step.

Flask-Mail's connection has no timeout, so a silent mail server would block a
worker forever: this module talks to the server with :mod:`smtplib` directly,
using the same ``MAIL_*`` settings.  Replies 5xx are permanent failures (the
message is not retried); timeouts, refused connections and 4xx are temporary.
"""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Mapping
from dataclasses import dataclass
from email.message import EmailMessage
from email.policy import SMTP as SMTP_POLICY
from email.utils import format_datetime, formataddr, parseaddr
from typing import Any

from ..models import utcnow
from .mail import checked_recipient, header_safe
from .errors import DeliveryError


# RFC 5322 allows 998 characters a line; folding at 78 makes Python move a whole
# subject to a continuation line, which some readers then show with a leading space.
MAIL_POLICY = SMTP_POLICY.clone(max_line_length=998)


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    use_tls: bool
    use_ssl: bool
    username: str | None
    password: str | None
    sender: str
    timeout: float

    @classmethod
    def from_config(cls, config: Mapping[str, Any], timeout: float) -> SmtpSettings:
        sender = config.get("MAIL_DEFAULT_SENDER") or "feedbackwidget@localhost"
        if isinstance(sender, (tuple, list)):
            sender = formataddr((sender[0], sender[1]))
        return cls(
            host=config.get("MAIL_SERVER") or "localhost", port=int(config.get("MAIL_PORT") or 25),
            use_tls=bool(config.get("MAIL_USE_TLS")), use_ssl=bool(config.get("MAIL_USE_SSL")),
            username=config.get("MAIL_USERNAME"), password=config.get("MAIL_PASSWORD"),
            sender=str(sender), timeout=timeout,
        )


def build_message(settings: SmtpSettings, row: Mapping[str, Any]) -> EmailMessage:
    """The e-mail of outbox *row*, with the row's fixed Message-ID."""
    payload = row["payload"] or {}
    message = EmailMessage(policy=MAIL_POLICY)
    message["Subject"] = header_safe(row["subject"] or "")
    message["From"] = header_safe(settings.sender)
    message["To"] = header_safe(row["recipient"])
    message["Message-ID"] = row["message_id"]
    message["Date"] = format_datetime(row.get("created_at") or utcnow())
    message.set_content(payload.get("text") or "")
    if payload.get("html"):
        message.add_alternative(payload["html"], subtype="html")
    return message


def send_mail(settings: SmtpSettings, row: Mapping[str, Any]) -> None:
    """Hand outbox *row* to the mail server.

    :raises DeliveryError: permanent on a 5xx reply, else temporary.
    """
    recipient, refusal = checked_recipient(row["recipient"])
    if refusal is not None:  # a row retried from the outbox page, its address still refused
        raise DeliveryError(refusal, permanent=True)
    message = build_message(settings, row)
    try:
        with _connect(settings) as server:
            server.send_message(message, from_addr=parseaddr(settings.sender)[1], to_addrs=[recipient])
    except smtplib.SMTPRecipientsRefused as err:
        codes = [code for code, _ in err.recipients.values()]
        raise DeliveryError(f"recipient refused: {err.recipients}", permanent=all(c >= 500 for c in codes)) from err
    except smtplib.SMTPResponseException as err:
        text = err.smtp_error.decode("utf-8", "replace") if isinstance(err.smtp_error, bytes) else str(err.smtp_error)
        raise DeliveryError(f"{err.smtp_code} {text}", permanent=err.smtp_code >= 500) from err
    except (OSError, smtplib.SMTPException) as err:
        raise DeliveryError(f"mail server {settings.host}:{settings.port} unavailable: {err!r}",
                            permanent=False) from err


def _connect(settings: SmtpSettings) -> smtplib.SMTP:
    if settings.use_ssl:
        server: smtplib.SMTP = smtplib.SMTP_SSL(settings.host, settings.port, timeout=settings.timeout,
                                                context=ssl.create_default_context())
    else:
        server = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
    if settings.use_tls:
        server.starttls(context=ssl.create_default_context())
    if settings.username:
        server.login(settings.username, settings.password or "")
    return server
