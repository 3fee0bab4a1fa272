"""Win-back: customers a manager should phone: detractors, and those whose last order is long ago.

A customer is known by the e-mail address of their orders and answers (lower case).
For each, the list gives the last order and the last answer, so the manager knows
what to talk about.  Plain functions over a session: no request state.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..core import spreadsheet
from ..core.i18n import N_
from ..core.models import Response
from ..orders.models import StoredOrderEvent
from .winback_models import OUTCOMES, WinbackCall

DEFAULT_DAYS = 90
#: NPS 0-6 is a detractor; a CSAT "bad" counts as one too.
DETRACTOR_MAX = 6


@dataclass(frozen=True)
class Candidate:
    """One customer to call, and why."""

    email: str
    name: str | None
    last_order_id: str | None
    last_order_at: dt.datetime | None
    last_answer_at: dt.datetime | None
    last_score: int | None
    last_csat: str | None
    last_comment: str | None
    detractor: bool
    lapsed: bool


def _aware(moment: dt.datetime | None) -> dt.datetime | None:
    return moment.replace(tzinfo=dt.timezone.utc) if moment is not None and moment.tzinfo is None else moment


def candidates(session: Session, site_id: int, now: dt.datetime, days: int = DEFAULT_DAYS) -> list[Candidate]:
    """The site's detractors and customers whose last order is older than *days*, the longest gone first."""
    email = func.lower(StoredOrderEvent.customer_email)
    last_orders = (select(email.label("email"), func.max(StoredOrderEvent.id).label("id"))
                   .where(StoredOrderEvent.site_id == site_id, StoredOrderEvent.customer_email.is_not(None))
                   .group_by(email).subquery())
    orders = {row.customer_email.lower(): row for row in session.scalars(
        select(StoredOrderEvent).join(last_orders, last_orders.c.id == StoredOrderEvent.id)) if row.customer_email}
    answer_email = func.lower(Response.customer_email)
    last_answers = (select(answer_email.label("email"), func.max(Response.id).label("id"))
                    .where(Response.site_id == site_id, Response.customer_email.is_not(None))
                    .group_by(answer_email).subquery())
    answers = {row.customer_email.lower(): row for row in session.scalars(
        select(Response).join(last_answers, last_answers.c.id == Response.id)) if row.customer_email}
    cutoff = now - dt.timedelta(days=days)
    found: list[Candidate] = []
    for address in sorted(set(orders) | set(answers)):
        order, answer = orders.get(address), answers.get(address)
        order_at = _aware(order.occurred_at) if order is not None else None
        detractor = answer is not None and ((answer.nps_score is not None and answer.nps_score <= DETRACTOR_MAX)
                                            or answer.csat == "bad")
        lapsed = order_at is not None and order_at < cutoff
        if detractor or lapsed:
            found.append(Candidate(
                address, order.customer_name if order is not None else None,
                order.order_id if order is not None else None, order_at,
                _aware(answer.created_at) if answer is not None else None,
                answer.nps_score if answer is not None else None, answer.csat if answer is not None else None,
                answer.comment if answer is not None else None, detractor, lapsed))
    far_past = dt.datetime.min.replace(tzinfo=dt.timezone.utc)
    return sorted(found, key=lambda c: (c.last_order_at or far_past, c.email))


CSV_HEADER = ("email", "name", "detractor", "lapsed", "last_order", "last_order_at", "last_answer_at",
              "last_nps", "last_csat", "last_comment")


def to_csv(rows: Iterable[Candidate]) -> str:
    """The list as CSV for a call sheet (cells a spreadsheet would run as formulas neutralised)."""
    return spreadsheet.to_csv(CSV_HEADER, ([c.email, c.name, c.detractor, c.lapsed, c.last_order_id,
                                            c.last_order_at, c.last_answer_at, c.last_score, c.last_csat,
                                            c.last_comment] for c in rows))


class CallRefused(ValueError):
    """A call outcome that cannot be recorded; the message is an English msgid."""


def record_call(session: Session, site_id: int, email: str, outcome: str, note: str | None, called_by: str,
                now: dt.datetime) -> WinbackCall:
    """Record the outcome of a call to *email* (the caller commits).

    :raises CallRefused: for an unknown outcome or a missing address.
    """
    if outcome not in OUTCOMES:
        raise CallRefused(N_("Choose how the call went: reached, not reached or won back."))
    if not email.strip():
        raise CallRefused(N_("The customer's e-mail address is missing."))
    call = WinbackCall(site_id=site_id, email=email.strip().lower(), outcome=outcome,
                       note=(note or "").strip()[:2000] or None, called_by=called_by, called_at=now)
    session.add(call)
    session.flush()
    return call


def last_calls(session: Session, site_id: int) -> dict[str, WinbackCall]:
    """The latest call to each customer of the site, by e-mail."""
    latest = (select(WinbackCall.email, func.max(WinbackCall.id).label("id"))
              .where(WinbackCall.site_id == site_id).group_by(WinbackCall.email).subquery())
    return {call.email: call for call in session.scalars(
        select(WinbackCall).join(latest, latest.c.id == WinbackCall.id))}
