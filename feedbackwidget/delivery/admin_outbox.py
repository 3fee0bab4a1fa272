"""The outbox as the admin area shows it: failed messages and retrying them.

The functions work in the caller's session (the admin request's, or the CLI's),
which commits.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Table, func, select, update
from sqlalchemy.orm import Session

from ..core.models import OutboxMessage, utcnow

OUTBOX: Table = OutboxMessage.__table__  # type: ignore[assignment]


@dataclass(frozen=True)
class FailedMessage:
    id: int
    site_id: int | None
    kind: str
    recipient: str
    subject: str
    attempts: int
    last_error: str | None
    created_at: dt.datetime


def list_failed(session: Session, site_ids: Iterable[int] | None = None, limit: int = 200) -> list[FailedMessage]:
    """The newest failed messages of *site_ids* (None: every site), with their last error."""
    query = select(OUTBOX).where(OUTBOX.c.status == "failed").order_by(OUTBOX.c.id.desc()).limit(limit)
    if site_ids is not None:
        query = query.where(OUTBOX.c.site_id.in_(list(site_ids)))
    return [FailedMessage(r.id, r.site_id, r.kind, r.recipient, r.subject, r.attempts, r.last_error, r.created_at)
            for r in session.execute(query)]


def count_by_status(session: Session, site_ids: Iterable[int] | None = None) -> dict[str, int]:
    """How many messages are in each status (pending, sending, sent, failed)."""
    query = select(OUTBOX.c.status, func.count()).group_by(OUTBOX.c.status)
    if site_ids is not None:
        query = query.where(OUTBOX.c.site_id.in_(list(site_ids)))
    return {str(row[0]): int(row[1]) for row in session.execute(query)}


def retry(session: Session, message_id: int, site_ids: Iterable[int] | None = None,
          now: dt.datetime | None = None) -> bool:
    """Send failed message *message_id* again (with a fresh set of attempts); whether it was failed."""
    condition = (OUTBOX.c.id == message_id) & (OUTBOX.c.status == "failed")
    if site_ids is not None:
        condition &= OUTBOX.c.site_id.in_(list(site_ids))
    result = session.execute(
        update(OUTBOX).where(condition).values(status="pending", attempts=0, next_attempt_at=now or utcnow())
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]
