"""Survey fatigue across channels: whom the site asked, or heard from, lately.

A customer is the same person by e-mail address or by the shop's customer id.  A
contact is an invitation mailed to them or an answer they gave through any channel
(the widget with an identified customer, a survey link, an earlier invitation).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import false, or_, select
from sqlalchemy.orm import QueryableAttribute, Session
from sqlalchemy.sql.elements import ColumnElement

from ..core.models import Response
from .models import Invitation


def _same_customer(email_column: QueryableAttribute[str | None], id_column: QueryableAttribute[str | None],
                   email: str | None, customer_id: str | None) -> ColumnElement[bool]:
    matches = [email_column == email] if email else []
    if customer_id:
        matches.append(id_column == customer_id)
    return or_(*matches) if matches else false()


def contacted_since(session: Session, site_id: int, email: str | None, customer_id: str | None,
                    since: dt.datetime, excluding: int | None = None) -> bool:
    """Whether the site mailed this customer an invitation, or got an answer from them, at or after *since*."""
    invited = select(Invitation.id).where(
        Invitation.site_id == site_id, Invitation.mailed_at >= since,
        _same_customer(Invitation.customer_email, Invitation.customer_id, email, customer_id))
    if excluding is not None:
        invited = invited.where(Invitation.id != excluding)
    if session.scalar(invited.limit(1)) is not None:
        return True
    answered = select(Response.id).where(
        Response.site_id == site_id, Response.created_at >= since,
        _same_customer(Response.customer_email, Response.customer_id, email, customer_id))
    return session.scalar(answered.limit(1)) is not None
