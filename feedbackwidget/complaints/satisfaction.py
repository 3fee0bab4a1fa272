"""Satisfaction with complaint handling (ISO 10002): one question mailed once a complaint is closed.

When a complaint is resolved or rejected, a customer who gave an e-mail address (and
is not on the site's suppression list) gets one mail, in the complaint's language,
asking the first question of the site's CSAT survey (:data:`SURVEY_SLUG`) as plain
links.  The links go through the survey-link machinery (channel ``email``): a GET
only opens the hosted page with the answer chosen, the customer confirms there.
The link's ``order_reference`` is ``complaint:<reference>``: that is how the answer
is tied back to the complaint, so no table is needed.  Reopening and closing again
sends nothing more (one survey per complaint).

A ``bad`` answer flags the complaint for a manager (:func:`flagged_ids`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, case, func, select
from sqlalchemy.orm import Session

from ..delivery.mail import mail_draft
from ..delivery.outbox import enqueue
from ..core.i18n import N_, translate
from ..invitations.message import answer_url, first_question
from ..invitations.suppressions import is_suppressed
from ..core.models import Response
from ..sites import SiteConfig
from ..responses.links import LinkDetails, create_link
from ..responses.purposes import COMPLAINT_LINK_PREFIX, is_complaint_handling
from ..surveys.models import SurveyLink
from .models import Complaint

#: The site's survey whose first (three-answer CSAT) question the mail asks.
SURVEY_SLUG = "csat"
#: How long the mailed links stay open.
LINK_MAX_AGE = dt.timedelta(days=30)
#: The CSAT answers that count as satisfied, and the one that flags the complaint.
SATISFIED = ("excellent", "good")
LOW = "bad"
#: Under this many answers the analysis says "too few answers" instead of a share.
MIN_ANSWERS = 5
SUBJECT = N_("How did we handle your complaint %(reference)s?")
INTRODUCTION = N_("Your complaint %(reference)s is closed. One question about how we handled it:")


def link_reference(complaint: Complaint) -> str:
    """The ``order_reference`` of the complaint's survey link."""
    return f"{COMPLAINT_LINK_PREFIX}{complaint.reference}"


def survey_link(session: Session, complaint: Complaint) -> SurveyLink | None:
    """The complaint's survey link, if its survey was mailed."""
    query = select(SurveyLink).where(SurveyLink.site_id == complaint.site_id,
                                     SurveyLink.order_reference == link_reference(complaint))
    return session.scalars(query.limit(1)).first()


def send_survey(session: Session, site: SiteConfig, complaint: Complaint, public_base: str) -> bool:
    """Queue the satisfaction mail of closed *complaint* (the caller commits); whether it was queued.

    Nothing is sent for an open complaint, without an e-mail address, to a suppressed
    address, when the site has no CSAT survey to ask, or a second time.
    """
    if complaint.is_open or not complaint.customer_email:
        return False
    survey = site.surveys.get(SURVEY_SLUG)
    question = first_question(survey, complaint.locale, site.default_locale) if survey is not None else None
    if question is None or question.type != "csat":
        return False
    if is_suppressed(session, site.id, complaint.customer_email) or survey_link(session, complaint) is not None:
        return False
    details = LinkDetails(order_reference=link_reference(complaint), customer_id=complaint.customer_id,
                          customer_email=complaint.customer_email, customer_name=complaint.customer_name,
                          locale=complaint.locale, channel="email")
    token = create_link(session, site.id, SURVEY_SLUG, details, LINK_MAX_AGE)
    urls = [(label, answer_url(public_base, site.key, SURVEY_SLUG, token, complaint.locale, question.key, value))
            for value, label in question.answers]
    values = {"reference": complaint.reference}
    draft = mail_draft(recipient=complaint.customer_email, subject=translate(complaint.locale, SUBJECT) % values,
                       template="complaint_satisfaction",
                       context={"question": question, "answers": urls, "name": complaint.customer_name,
                                "site_name": site.name,
                                "introduction": translate(complaint.locale, INTRODUCTION) % values},
                       locale=complaint.locale, site_id=site.id, dedupe_key=f"complaint-satisfaction-{complaint.id}")
    session.flush()
    enqueue(session.connection(), [draft])
    return True


def _answers(site_id: int) -> Select[str | None, str | None]:
    """(link reference, CSAT answer) of the site's answered complaint-survey links."""
    return (select(SurveyLink.order_reference, Response.csat)
            .join(Response, Response.id == SurveyLink.response_id)
            .where(SurveyLink.site_id == site_id, SurveyLink.order_reference.like(f"{COMPLAINT_LINK_PREFIX}%"),
                   Response.csat.is_not(None)))


def answer_of(session: Session, complaint: Complaint) -> str | None:
    """The customer's CSAT answer about the handling of *complaint* (``excellent``, ``good``, ``bad``), or None."""
    link = survey_link(session, complaint)
    if link is None or link.response_id is None:
        return None
    return session.scalar(select(Response.csat).where(Response.id == link.response_id))


def flagged_ids(session: Session, site_id: int) -> set[int]:
    """The complaints of the site whose customer answered :data:`LOW`: for a manager to look at."""
    references = [(ref or "").removeprefix(COMPLAINT_LINK_PREFIX) for ref, csat in session.execute(_answers(site_id))
                  if csat == LOW]
    if not references:
        return set()
    return set(session.scalars(select(Complaint.id).where(Complaint.site_id == site_id,
                                                          Complaint.reference.in_(references))))


def flagged_among(session: Session, complaints: list[Complaint]) -> set[int]:
    """The ids of *complaints* (of any sites) whose customer answered :data:`LOW` about the handling."""
    by_reference = {link_reference(c): c.id for c in complaints}
    if not by_reference:
        return set()
    query = (select(SurveyLink.order_reference).join(Response, Response.id == SurveyLink.response_id)
             .where(SurveyLink.order_reference.in_(list(by_reference)), Response.csat == LOW))
    return {by_reference[ref] for ref in session.scalars(query) if ref in by_reference}


@dataclass(frozen=True)
class HandlingSatisfaction:
    """Satisfaction with complaint handling over a period: answers, satisfied ones, the share (None: too few)."""

    answers: int
    satisfied: int
    minimum: int = MIN_ANSWERS

    @property
    def share(self) -> float | None:
        return self.satisfied / self.answers if self.answers >= self.minimum else None


def handling_satisfaction(session: Session, site_id: int, since: dt.datetime | None = None,
                          until: dt.datetime | None = None) -> HandlingSatisfaction:
    """How many answered the handling survey in the period, and how many were satisfied.

    Counted from the responses marked as answers about complaint handling, so an answer whose survey
    link is gone (erasure, retention) still counts.
    """
    window = [Response.site_id == site_id, is_complaint_handling(), Response.csat.is_not(None)]
    window += [Response.created_at >= since] if since is not None else []
    window += [Response.created_at < until] if until is not None else []
    answers, satisfied = session.execute(select(
        func.count(), func.coalesce(func.sum(case((Response.csat.in_(SATISFIED), 1), else_=0)), 0)
    ).where(*window)).one()
    return HandlingSatisfaction(int(answers), int(satisfied))
