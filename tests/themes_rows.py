"""Rows for the themes tests: responses and complaints written as the app stores them."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from feedbackwidget.complaints.models import Complaint
from feedbackwidget.core.models import Response, Site, Survey

_numbers = itertools.count(1)


def survey_id(db: Session, site: Site, slug: str) -> int:
    found = db.scalar(select(Survey.id).where(Survey.site_id == site.id, Survey.slug == slug))
    assert found is not None, slug
    return found


def add_response(db: Session, site: Site, *, score: int | None = None, reason: str | None = None,
                 at: dt.datetime, survey: str = "nps", locale: str = "en", csat: str | None = None,
                 answers: dict[str, Any] | None = None) -> Response:
    """A response of the ``survey`` template: ``score`` (NPS) or ``csat`` with a ``reason``."""
    given = dict(answers or {})
    if score is not None:
        given["score"] = score
    if csat is not None:
        given["rating"] = csat
    if reason is not None:
        given["reason"] = reason
    response = Response(site_id=site.id, survey_id=survey_id(db, site, survey), answers=given, nps_score=score,
                        csat=csat, comment=reason, locale=locale, created_at=at)
    db.add(response)
    return response


def add_complaint(db: Session, site: Site, description: str, *, at: dt.datetime, category: str = "delivery",
                  verdict: str | None = None, amount: str | None = None, currency: str = "HUF",
                  locale: str = "en") -> Complaint:
    number = next(_numbers)
    complaint = Complaint(
        site_id=site.id, reference=f"FW-TEST-{number:04d}", status_token_hash="0" * 64, channel="web",
        customer_name="Kiss Béla", category=category, description=description, desired_resolution="refund",
        locale=locale, received_at=at, due_at=at + dt.timedelta(days=30), updated_at=at, verdict=verdict,
        compensation_amount=Decimal(amount) if amount else None, compensation_currency=currency if amount else None,
    )
    db.add(complaint)
    return complaint
