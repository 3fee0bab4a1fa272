"""Personal data in complaints, for the data-rights operations of :mod:`feedbackwidget.privacy`.

Erasure anonymises: who complained and what they (and staff, in messages) wrote
go; the category, channel, dates, verdict and compensation stay, so the analysis
stays right.  Retention purges only closed complaints: an open one is still being
handled.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import ColumnElement, and_, false, func, or_, select
from sqlalchemy.orm import Session

from ..privacy.core import ERASED, Person
from .models import CLOSED_STATES, Complaint, ComplaintMessage


def _matches(person: Person) -> ColumnElement[bool]:
    conditions = []
    if person.email:
        conditions.append(func.lower(Complaint.customer_email) == person.email)
    if person.customer_id:
        conditions.append(Complaint.customer_id == person.customer_id)
    if not conditions:
        return false()
    if person.site_ids is not None:
        return and_(Complaint.site_id.in_(person.site_ids), or_(*conditions))
    return or_(*conditions)


def _messages(session: Session, complaint: Complaint) -> list[ComplaintMessage]:
    return list(session.scalars(
        select(ComplaintMessage).where(ComplaintMessage.complaint_id == complaint.id).order_by(ComplaintMessage.id)
    ))


def _anonymise(session: Session, complaint: Complaint) -> None:
    complaint.customer_name = ERASED
    complaint.customer_email = complaint.customer_phone = complaint.order_number = complaint.customer_id = None
    complaint.description = complaint.desired_resolution = ERASED
    complaint.escalation_reason = ERASED if complaint.escalation_reason else None
    complaint.idempotency_key = complaint.body_hash = None
    for message in _messages(session, complaint):
        message.body = ERASED


def as_dict(session: Session, complaint: Complaint) -> dict[str, Any]:
    return {
        "reference": complaint.reference, "site_id": complaint.site_id, "status": complaint.status,
        "channel": complaint.channel, "category": complaint.category, "customer_name": complaint.customer_name,
        "customer_email": complaint.customer_email, "customer_phone": complaint.customer_phone,
        "order_number": complaint.order_number, "customer_id": complaint.customer_id,
        "loyalty_tier": complaint.loyalty_tier, "description": complaint.description,
        "desired_resolution": complaint.desired_resolution, "received_at": complaint.received_at.isoformat(),
        "consent_policy_version": complaint.consent_policy_version,
        "replies": [m.body for m in _messages(session, complaint) if m.visibility == "public"],
    }


class ComplaintsData:
    """Complaints: the case and its costs stay; the person and their words go."""

    name = "complaints"

    def export(self, session: Session, person: Person) -> list[dict[str, Any]]:
        rows = session.scalars(select(Complaint).where(_matches(person)).order_by(Complaint.id))
        return [as_dict(session, row) for row in rows]

    def correct(self, session: Session, person: Person, email: str | None, customer_id: str | None) -> int:
        rows = list(session.scalars(select(Complaint).where(_matches(person))))
        for row in rows:
            row.customer_email = email or row.customer_email
            row.customer_id = customer_id or row.customer_id
        return len(rows)

    def erase(self, session: Session, person: Person) -> int:
        rows = list(session.scalars(select(Complaint).where(_matches(person))))
        for row in rows:
            _anonymise(session, row)
        return len(rows)

    def purge(self, session: Session, site_id: int, since: dt.datetime | None, before: dt.datetime) -> int:
        """Anonymise *site_id*'s closed complaints received before *before*.

        *since* is not used: a complaint still open at the previous purge may have closed since.
        """
        rows = list(session.scalars(select(Complaint).where(
            Complaint.site_id == site_id, Complaint.received_at < before, Complaint.status.in_(CLOSED_STATES),
            Complaint.customer_name != ERASED,
        )))
        for row in rows:
            _anonymise(session, row)
        session.flush()
        return len(rows)


PROVIDER = ComplaintsData()
