"""Survey fatigue across channels: whom the site asked, or heard from, lately.

A customer is the same person by e-mail address or by the shop's customer id.  A
contact is an invitation mailed to them, a survey link made for their address by another
channel (printed by ``survey-link`` for the shop to send, the survey after a complaint), or an
answer they gave through any channel (the widget with an identified customer, a survey
link, an earlier invitation).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import exists, false, or_, select
from sqlalchemy.orm import QueryableAttribute, Session
from sqlalchemy.sql.elements import ColumnElement

from ..core.models import Response
from ..surveys.models import SurveyLink
from .models import Invitation


def _same_customer(email_column: QueryableAttribute[str | None], id_column: QueryableAttribute[str | None],
                   email: str | None, customer_id: str | None) -> ColumnElement[bool]:
    matches = [email_column == email] if email else []
    if customer_id:
        matches.append(id_column == customer_id)
    return or_(*matches) if matches else false()


def contacted_since(session: Session, site_id: int, email: str | None, customer_id: str | None,
                    since: dt.datetime, excluding: int | None = None) -> bool:
    """Whether the site mailed this customer an invitation, made them a survey link another way, or got an
    answer from them, at or after *since*."""
    invited = select(Invitation.id).where(
        Invitation.site_id == site_id, Invitation.mailed_at >= since,
        _same_customer(Invitation.customer_email, Invitation.customer_id, email, customer_id))
    if excluding is not None:
        invited = invited.where(Invitation.id != excluding)
    if session.scalar(invited.limit(1)) is not None:
        return True
    if email and _linked_since(session, site_id, email, since):
        return True
    answered = select(Response.id).where(
        Response.site_id == site_id, Response.created_at >= since,
        _same_customer(Response.customer_email, Response.customer_id, email, customer_id))
    return session.scalar(answered.limit(1)) is not None


def _linked_since(session: Session, site_id: int, email: str, since: dt.datetime) -> bool:
    """Whether a survey link was made for *email* at or after *since* by another channel than invitations.

    Matched by address only: the links' address is indexed, their customer id is not (a scan per check).
    """
    linked = select(SurveyLink.id).where(
        SurveyLink.customer_email == email, SurveyLink.site_id == site_id, SurveyLink.created_at >= since,
        # An invitation's own link is counted as the invitation, when it was mailed (found by its order's index).
        ~exists().where(Invitation.site_id == SurveyLink.site_id, Invitation.order_id == SurveyLink.order_reference,
                        Invitation.link_id == SurveyLink.id))
    return session.scalar(linked.limit(1)) is not None
