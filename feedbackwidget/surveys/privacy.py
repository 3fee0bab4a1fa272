"""Personal data in survey links, for the data-rights operations of :mod:`feedbackwidget.privacy`.

A link names its customer (e-mail, id, name) and order.  Erasure and retention delete
the link outright: nothing of it is statistics, and a link that no longer knows whom
it was for must not attach a new answer to anyone (it then opens as a damaged link).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import ColumnElement, delete, select, update
from sqlalchemy.orm import Session

from ..privacy.core import Person, about_person, changed_rows
from .models import SurveyLink


def _matches(person: Person) -> ColumnElement[bool]:
    return about_person(person, SurveyLink.site_id, SurveyLink.customer_email, SurveyLink.customer_id)


def as_dict(link: SurveyLink) -> dict[str, Any]:
    """A link as a data export shows it (never its token, which is not kept)."""
    return {
        "id": link.id, "site_id": link.site_id, "survey": link.survey_slug, "order": link.order_reference,
        "customer_id": link.customer_id, "customer_email": link.customer_email, "customer_name": link.customer_name,
        "locale": link.locale, "channel": link.channel, "created_at": link.created_at.isoformat(),
        "expires_at": link.expires_at.isoformat(), "response_id": link.response_id,
    }


class SurveyLinksData:
    """Survey links: deleted on erasure and at the end of the site's retention period."""

    name = "survey_links"

    def export(self, session: Session, person: Person) -> list[dict[str, Any]]:
        return [as_dict(link) for link in session.scalars(select(SurveyLink).where(_matches(person))
                                                          .order_by(SurveyLink.id))]

    def correct(self, session: Session, person: Person, email: str | None, customer_id: str | None) -> int:
        values = {key: value for key, value in (("customer_email", email), ("customer_id", customer_id)) if value}
        return changed_rows(session, update(SurveyLink).where(_matches(person)).values(values))

    def erase(self, session: Session, person: Person) -> int:
        return changed_rows(session, delete(SurveyLink).where(_matches(person)))

    def purge(self, session: Session, site_id: int, since: dt.datetime | None, before: dt.datetime) -> int:
        window = [SurveyLink.site_id == site_id, SurveyLink.created_at < before]
        if since is not None:
            window.append(SurveyLink.created_at >= since)
        return changed_rows(session, delete(SurveyLink).where(*window))


PROVIDER = SurveyLinksData()
