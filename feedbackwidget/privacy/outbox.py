"""Personal data in the outbox: mails to a customer, and alerts that quote one."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import ColumnElement, Text, and_, cast, false, or_, select, update
from sqlalchemy.orm import Session

from ..core.models import OutboxMessage
from .core import Person

REDACTED_PAYLOAD: dict[str, Any] = {"redacted": True}
ERASED_RECIPIENT = "erased@invalid"
# A pending message about an erased person is not sent any more.
CANCELLED = "cancelled"


def _about(person: Person) -> ColumnElement[bool]:
    text = cast(OutboxMessage.payload, Text)
    conditions: list[ColumnElement[bool]] = []
    if person.email:
        conditions += [OutboxMessage.recipient == person.email, text.contains(person.email, autoescape=True)]
    if person.customer_id:
        conditions.append(text.contains(person.customer_id, autoescape=True))
    if not conditions:
        return false()
    if person.site_ids is not None:
        return and_(OutboxMessage.site_id.in_(person.site_ids), or_(*conditions))
    return or_(*conditions)


def _redact(session: Session, where: ColumnElement[bool], person_email: str | None) -> int:
    ids = list(session.scalars(select(OutboxMessage.id).where(where)))
    if not ids:
        return 0
    chosen = OutboxMessage.id.in_(ids)
    # The MIME written when the message was queued holds the same text: it goes too.
    session.execute(update(OutboxMessage).where(chosen).values(payload=REDACTED_PAYLOAD, subject="", rendered=None))
    session.execute(update(OutboxMessage).where(chosen, OutboxMessage.status == "pending").values(status=CANCELLED))
    if person_email:
        session.execute(update(OutboxMessage).where(chosen, OutboxMessage.recipient == person_email)
                        .values(recipient=ERASED_RECIPIENT))
    return len(ids)


class OutboxData:
    """Messages: their text goes, the fact that a message was sent stays."""

    name = "messages"

    def export(self, session: Session, person: Person) -> list[dict[str, Any]]:
        rows = session.scalars(select(OutboxMessage).where(_about(person)).order_by(OutboxMessage.id))
        return [{"id": m.id, "kind": m.kind, "recipient": m.recipient, "subject": m.subject, "status": m.status,
                 "created_at": m.created_at.isoformat(), "content": m.payload} for m in rows]

    def correct(self, session: Session, person: Person, email: str | None, customer_id: str | None) -> int:
        if not (person.email and email):
            return 0
        mine = [OutboxMessage.recipient == person.email, OutboxMessage.status == "pending"]
        if person.site_ids is not None:
            mine.append(OutboxMessage.site_id.in_(person.site_ids))
        # Without the MIME written for the old address, the message is built for the new one when sent.
        result = session.execute(update(OutboxMessage).where(*mine).values(recipient=email, rendered=None))
        return int(result.rowcount or 0)  # type: ignore[attr-defined]

    def erase(self, session: Session, person: Person) -> int:
        return _redact(session, _about(person), person.email)

    def purge(self, session: Session, site_id: int, since: dt.datetime | None, before: dt.datetime) -> int:
        window = [OutboxMessage.site_id == site_id, OutboxMessage.created_at < before,
                  OutboxMessage.status != "pending"]
        if since is not None:
            window.append(OutboxMessage.created_at >= since)
        return _redact(session, and_(*window), None)


PROVIDER = OutboxData()
