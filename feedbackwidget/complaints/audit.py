"""The audit trail: every change to a complaint, who made it, when, from what to what."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from .context import Context
from .models import Complaint, ComplaintEvent


def _json_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.datetime):
        return value.isoformat()
    return value


def record(ctx: Context, complaint: Complaint, action: str, field: str | None, old: Any, new: Any) -> ComplaintEvent:
    """Add one audit entry for *complaint* (written with the caller's transaction)."""
    event = ComplaintEvent(
        complaint_id=complaint.id, actor_id=ctx.actor.id, actor=ctx.actor.label, action=action,
        field=field, old_value=_json_value(old), new_value=_json_value(new), created_at=ctx.now,
    )
    ctx.session.add(event)
    return event


def history(ctx: Context, complaint: Complaint) -> list[ComplaintEvent]:
    """*complaint*'s audit trail, oldest first."""
    return list(ctx.session.scalars(
        select(ComplaintEvent).where(ComplaintEvent.complaint_id == complaint.id)
        .order_by(ComplaintEvent.created_at, ComplaintEvent.id)
    ))
