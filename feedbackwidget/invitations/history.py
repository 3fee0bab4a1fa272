"""The invitations of one order or one customer, as a manager reads them beside a response or a complaint.

Each :class:`InvitationEntry` says where the invitation stands in words a page can show
(:data:`STANDINGS`): waiting to go, not sent and why, in the outbox, sent, refused, answered,
expired unanswered, or sent to an address that has unsubscribed since.  Like the funnel, it
reads the outbox message and the survey link instead of keeping a copy.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.orm import Session

from ..surveys.models import SurveyLink
from .funnel import OUTBOX, invitation_message
from .models import Invitation, Suppression

#: Where an invitation stands, most final first.
STANDINGS: tuple[str, ...] = ("answered", "unsubscribed", "refused", "failed", "expired", "sent", "queued",
                              "scheduled", "not_sent", "cancelled")
#: The suppression reasons that mean the customer asked for no more mail, or their server refused it.
UNSUBSCRIBED, BOUNCED = "unsubscribed", "bounced"
SHOWN = 20


@dataclass(frozen=True)
class InvitationEntry:
    """One invitation as a page shows it; ``standing`` is one of :data:`STANDINGS`."""

    id: int
    survey_slug: str
    order_id: str
    standing: str
    reason: str | None
    channel: str
    due_at: dt.datetime
    mailed_at: dt.datetime | None
    reminder_due_at: dt.datetime | None
    reminded_at: dt.datetime | None
    answered_at: dt.datetime | None
    expires_at: dt.datetime | None
    response_id: int | None


def standing(status: str, outbox_status: str | None, link: SurveyLink | None, suppressed: str | None,
             now: dt.datetime) -> str:
    """Where an invitation stands (see :data:`STANDINGS`)."""
    if status in ("scheduled", "cancelled"):
        return status
    if status != "mailed":
        return "not_sent"
    if link is not None and link.response_id is not None:
        return "answered"
    if suppressed in (UNSUBSCRIBED, BOUNCED):
        return "unsubscribed" if suppressed == UNSUBSCRIBED else "refused"
    if outbox_status == "failed":
        return "failed"
    if link is not None and now >= link.expires_at:
        return "expired"
    return "sent" if outbox_status == "sent" else "queued"


def _about(site_id: int, order_id: str | None, email: str | None) -> ColumnElement[bool] | None:
    conditions: list[ColumnElement[bool]] = []
    if order_id:
        conditions.append(Invitation.order_id == order_id)
    if email:
        conditions.append(Invitation.customer_email.in_(sorted({email.strip(), email.strip().lower()})))
    return (Invitation.site_id == site_id) & or_(*conditions) if conditions else None


def _suppressions(session: Session, site_id: int, emails: Sequence[str]) -> dict[str, str]:
    """The suppression reason of each of *emails* (lower-cased) that is on the site's list."""
    if not emails:
        return {}
    query = select(Suppression.email, Suppression.reason).where(Suppression.site_id == site_id,
                                                                 Suppression.email.in_(sorted(set(emails))))
    return {str(address): str(reason) for address, reason in session.execute(query)}


def invitations_about(session: Session, site_id: int, order_id: str | None, email: str | None,
                      now: dt.datetime, limit: int = SHOWN) -> list[InvitationEntry]:
    """The newest *limit* invitations of the site about order *order_id* or to address *email*."""
    where = _about(site_id, order_id, email)
    if where is None:
        return []
    query = (select(Invitation, OUTBOX.c.status, SurveyLink)
             .outerjoin(OUTBOX, invitation_message())
             .outerjoin(SurveyLink, SurveyLink.id == Invitation.link_id)
             .where(where).order_by(Invitation.due_at.desc(), Invitation.id.desc()).limit(limit))
    rows = session.execute(query).all()
    suppressed = _suppressions(session, site_id, [i.customer_email.lower() for i, _, _ in rows if i.customer_email])
    return [_entry(invitation, outbox_status, link, suppressed, now) for invitation, outbox_status, link in rows]


def _entry(invitation: Invitation, outbox_status: str | None, link: SurveyLink | None, suppressed: dict[str, str],
           now: dt.datetime) -> InvitationEntry:
    reason = suppressed.get((invitation.customer_email or "").lower())
    return InvitationEntry(
        id=invitation.id, survey_slug=invitation.survey_slug, order_id=invitation.order_id,
        standing=standing(invitation.status, outbox_status, link, reason, now), reason=invitation.reason,
        channel=link.channel if link is not None else "email", due_at=invitation.due_at,
        mailed_at=invitation.mailed_at, reminder_due_at=invitation.reminder_due_at,
        reminded_at=invitation.reminded_at, answered_at=link.answered_at if link is not None else None,
        expires_at=link.expires_at if link is not None else None,
        response_id=link.response_id if link is not None else None)
