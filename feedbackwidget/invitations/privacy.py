"""Personal data in invitations and on the suppression list, for the data-rights operations of
:mod:`feedbackwidget.privacy`.

- Invitations name their customer (id, e-mail, name).  Erasure and retention clear those fields and
  keep the invitation (its survey, order, dates and status), so the funnel's counts stay right; one
  still waiting to go is cancelled (it has no one to go to).
- The suppression list holds addresses.  The export says whether the person's address is on it, why
  and since when.  Erasure keeps the entry, as the SHA-256 of the address
  (:func:`.suppressions.erased_form`): an erased customer who unsubscribed must not be mailed again when
  their next order arrives, and the hash still matches their address while no longer showing it.
  Retention leaves the list alone for the same reason.  A correction moves the entry to the new address.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import ColumnElement, and_, false, select, update
from sqlalchemy.orm import Session

from ..privacy.core import Person, about_person, changed_rows
from .models import Invitation, Suppression
from .suppressions import erased_form

CUSTOMER_FIELDS_CLEARED = {"customer_id": None, "customer_email": None, "customer_name": None}


def _within(person: Person, site_id: Any, condition: ColumnElement[bool]) -> ColumnElement[bool]:
    return and_(site_id.in_(person.site_ids), condition) if person.site_ids is not None else condition


def _invitations_of(person: Person) -> ColumnElement[bool]:
    return about_person(person, Invitation.site_id, Invitation.customer_email, Invitation.customer_id)


def _suppressions_of(person: Person) -> ColumnElement[bool]:
    if not person.email:
        return false()
    forms = [person.email, erased_form(person.email)]
    return _within(person, Suppression.site_id, Suppression.email.in_(forms))


def invitation_dict(invitation: Invitation) -> dict[str, Any]:
    """An invitation as a data export shows it."""
    def when(moment: dt.datetime | None) -> str | None:
        return moment.isoformat() if moment is not None else None

    return {
        "id": invitation.id, "site_id": invitation.site_id, "survey": invitation.survey_slug,
        "order": invitation.order_id, "customer_id": invitation.customer_id,
        "customer_email": invitation.customer_email, "customer_name": invitation.customer_name,
        "language": invitation.locale, "status": invitation.status, "reason": invitation.reason,
        "due_at": when(invitation.due_at), "mailed_at": when(invitation.mailed_at),
        "reminder_due_at": when(invitation.reminder_due_at), "reminded_at": when(invitation.reminded_at),
    }


class InvitationsData:
    """Invitations: who they were for goes; that they were made, sent and answered stays."""

    name = "invitations"

    def export(self, session: Session, person: Person) -> list[dict[str, Any]]:
        rows = session.scalars(select(Invitation).where(_invitations_of(person)).order_by(Invitation.id))
        return [invitation_dict(row) for row in rows]

    def correct(self, session: Session, person: Person, email: str | None, customer_id: str | None) -> int:
        values = {key: value for key, value in (("customer_email", email), ("customer_id", customer_id)) if value}
        return changed_rows(session, update(Invitation).where(_invitations_of(person)).values(values))

    def erase(self, session: Session, person: Person) -> int:
        mine = _invitations_of(person)
        session.execute(update(Invitation).where(mine, Invitation.status == "scheduled")
                        .values(status="cancelled").execution_options(synchronize_session=False))
        return changed_rows(session, update(Invitation).where(mine).values({**CUSTOMER_FIELDS_CLEARED,
                                                                           "reminder_due_at": None}))

    def purge(self, session: Session, site_id: int, since: dt.datetime | None, before: dt.datetime) -> int:
        window = [Invitation.site_id == site_id, Invitation.created_at < before, Invitation.status != "scheduled",
                  Invitation.customer_email.is_not(None) | Invitation.customer_id.is_not(None)
                  | Invitation.customer_name.is_not(None)]
        if since is not None:
            window.append(Invitation.created_at >= since)
        return changed_rows(session, update(Invitation).where(*window).values(CUSTOMER_FIELDS_CLEARED))


class SuppressionsData:
    """The suppression list: an erased person's entry stays as a hash of the address, so mail stays stopped."""

    name = "suppressions"

    def export(self, session: Session, person: Person) -> list[dict[str, Any]]:
        rows = session.scalars(select(Suppression).where(_suppressions_of(person)).order_by(Suppression.id))
        return [{"site_id": row.site_id, "email": row.email, "suppressed": True, "reason": row.reason,
                 "note": row.note, "since": row.created_at.isoformat()} for row in rows]

    def correct(self, session: Session, person: Person, email: str | None, customer_id: str | None) -> int:
        if not (person.email and email):
            return 0
        moved = 0
        for row in session.scalars(select(Suppression).where(_suppressions_of(person))).all():
            taken = session.scalar(select(Suppression.id).where(Suppression.site_id == row.site_id,
                                                                Suppression.email == email.lower()))
            if taken is None:
                row.email, moved = email.lower(), moved + 1
        return moved

    def erase(self, session: Session, person: Person) -> int:
        if not person.email:
            return 0
        hashed = erased_form(person.email)
        plain = _within(person, Suppression.site_id, Suppression.email == person.email)
        rows = session.scalars(select(Suppression).where(plain)).all()
        already = set(session.scalars(select(Suppression.site_id).where(
            Suppression.email == hashed, Suppression.site_id.in_([row.site_id for row in rows]))))
        for row in rows:
            if row.site_id in already:  # erased before, listed again since: one entry is enough
                session.delete(row)
            else:
                row.email, row.note = hashed, None
        return len(rows)

    def purge(self, session: Session, site_id: int, since: dt.datetime | None, before: dt.datetime) -> int:
        return 0  # the list is what stops mail: it is kept while the site is


PROVIDER = InvitationsData()
SUPPRESSIONS = SuppressionsData()
__all__ = ["PROVIDER", "SUPPRESSIONS", "InvitationsData", "SuppressionsData"]
