"""The transactional outbox: messages are rows written in the transaction of their cause.

Code that wants an e-mail or a webhook sent never talks to SMTP or HTTP: it adds
an :class:`OutboxDraft` with :func:`enqueue` on the connection of its own
transaction, and a worker delivers it later.  A draft's ``dedupe_key`` makes
enqueueing idempotent; its Message-ID is fixed here, once.  An e-mail is also written
out as MIME here, once (see :mod:`feedbackwidget.delivery.mime`), so that sending it
is only handing those bytes to the mail server, and a resend sends the same bytes.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Insert, Table
from sqlalchemy.dialects import postgresql, sqlite

from ..core.addresses import AddressError, parse_address
from ..core.models import OutboxMessage, utcnow
from .mime import rendered_mail

MESSAGE_ID_DOMAIN = "feedbackwidget"
OUTBOX: Table = OutboxMessage.__table__  # type: ignore[assignment]
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class OutboxDraft:
    """A message to write into the outbox.

    ``dedupe_key`` and the top-level string values of ``payload`` may hold
    ``{response_id}`` (or another field passed to :func:`enqueue`), filled once
    the cause's id is known.  Only those exact tokens are replaced, so text from
    customers needs no escaping.

    A mail payload is ``{"text": str, "html": str | None, "locale": str}``
    (see :func:`feedbackwidget.delivery.mail.mail_draft`).
    """

    kind: str  # "mail" or "webhook"
    recipient: str
    dedupe_key: str
    subject: str = ""
    payload: dict[str, Any] = field(default_factory=dict)
    site_id: int | None = None
    # Why the message cannot be sent (e.g. a refused recipient): it is written as failed, with this reason.
    error: str | None = None


def new_message_id() -> str:
    """A globally unique RFC 5322 Message-ID."""
    return f"<{uuid.uuid4().hex}@{MESSAGE_ID_DOMAIN}>"


def _fill(value: Any, fields: dict[str, Any]) -> Any:
    if not isinstance(value, str):
        return value
    for name, field_value in fields.items():
        value = value.replace("{" + name + "}", str(field_value))
    return value


def outbox_row(draft: OutboxDraft, **fields: Any) -> dict[str, Any]:
    """The ``fw_outbox`` row of *draft*, with ``{name}`` placeholders filled from *fields*."""
    now = utcnow()
    row = {
        "site_id": draft.site_id,
        "kind": draft.kind,
        "dedupe_key": _fill(draft.dedupe_key, fields),
        "message_id": new_message_id(),
        "recipient": draft.recipient,
        "subject": draft.subject,
        "payload": {**{k: _fill(v, fields) for k, v in draft.payload.items()}, **fields},
        "status": "pending" if draft.error is None else "failed",
        "last_error": draft.error,
        "attempts": 0,
        "next_attempt_at": now,
        "created_at": now,
    }
    row["rendered"] = mail_bytes(row) if draft.kind == "mail" and draft.error is None else None
    return row


def mail_bytes(row: dict[str, Any]) -> bytes | None:
    """The MIME of mail *row* without ``From``; None (the sender builds it then, and says what is wrong)
    when the recipient is not a normalised address or the message cannot be written."""
    try:
        if parse_address(row["recipient"]) != row["recipient"]:
            return None
        payload = row["payload"]
        return rendered_mail(subject=row["subject"] or "", to=row["recipient"], message_id=row["message_id"],
                             date=row["created_at"].timestamp(), text=payload.get("text") or "",
                             html=payload.get("html") or None, headers=payload.get("headers"))
    except AddressError:
        return None
    except Exception:  # the cause (a response, a complaint) is stored whatever its mail holds
        log.exception("feedbackwidget: could not write out outbox mail %s", row["dedupe_key"])
        return None


def _insert_new(connection: Connection) -> Insert:
    """INSERT that skips a row whose ``dedupe_key`` is already stored."""
    if connection.dialect.name == "postgresql":
        return postgresql.insert(OUTBOX).on_conflict_do_nothing(index_elements=["dedupe_key"]).returning(OUTBOX.c.id)
    return sqlite.insert(OUTBOX).on_conflict_do_nothing(index_elements=["dedupe_key"]).returning(OUTBOX.c.id)


def enqueue(connection: Connection, drafts: Iterable[OutboxDraft], **fields: Any) -> int:
    """Write *drafts* on *connection* (inside the caller's transaction); return how many were new.

    A draft whose dedupe key is already in the outbox is skipped, so causes
    that may run twice (a digest, a retried job) still send once.
    """
    return enqueue_rows(connection, [outbox_row(draft, **fields) for draft in drafts])


def enqueue_rows(connection: Connection, rows: list[dict[str, Any]]) -> int:
    """Write rows made beforehand with :func:`outbox_row` (their MIME written outside the transaction, which
    then holds SQLite's write lock for less); return how many were new.  Skips stored dedupe keys as
    :func:`enqueue` does."""
    if not rows:
        return 0
    return len(connection.execute(_insert_new(connection), rows).all())
