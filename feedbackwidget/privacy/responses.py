"""Personal data in survey responses: customer id and e-mail, free text, the page's query; and the replies
managers sent to the customer (their address and text)."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from sqlalchemy import ColumnElement, and_, false, or_, select, update
from sqlalchemy.orm import Session

from ..accounts.models import ResponseReply
from ..core.models import Response, Survey
from .core import ERASED, Person

BATCH = 1000


def _matches(person: Person) -> ColumnElement[bool]:
    conditions = []
    if person.email:
        conditions.append(Response.customer_email == person.email)
    if person.customer_id:
        conditions.append(Response.customer_id == person.customer_id)
    if not conditions:
        return false()
    if person.site_ids is not None:
        return and_(Response.site_id.in_(person.site_ids), or_(*conditions))
    return or_(*conditions)


def _text_keys(session: Session, survey_id: int, cache: dict[int, set[str]]) -> set[str]:
    if survey_id not in cache:
        questions = session.scalar(select(Survey.questions).where(Survey.id == survey_id)) or []
        cache[survey_id] = {q["key"] for q in questions if q.get("type") == "text"}
    return cache[survey_id]


def _without_query(url: str | None) -> str | None:
    if not url:
        return url
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))


def _anonymise(session: Session, response: Response, cache: dict[int, set[str]]) -> None:
    text_keys = _text_keys(session, response.survey_id, cache)
    response.answers = {k: (ERASED if k in text_keys else v) for k, v in response.answers.items()}
    response.comment = ERASED if response.comment else None
    response.customer_id = None
    response.customer_email = None
    response.page_url = _without_query(response.page_url)
    response.idempotency_key = None
    response.body_hash = None


def _erase_replies(session: Session, response_ids: list[int]) -> None:
    """The replies to these responses' customers keep who sent them and when, not to whom nor what."""
    if response_ids:
        session.execute(update(ResponseReply).where(ResponseReply.response_id.in_(response_ids))
                        .values(recipient=ERASED, subject=ERASED, body=ERASED))


def _replies(session: Session, response_id: int) -> list[dict[str, Any]]:
    rows = session.scalars(select(ResponseReply).where(ResponseReply.response_id == response_id)
                           .order_by(ResponseReply.id))
    return [{"to": r.recipient, "subject": r.subject, "body": r.body, "sent_at": r.created_at.isoformat()} for r in rows]


def as_dict(response: Response) -> dict[str, Any]:
    return {
        "id": response.id, "site_id": response.site_id, "survey_id": response.survey_id,
        "answers": response.answers, "page_url": response.page_url, "locale": response.locale,
        "customer_id": response.customer_id, "customer_email": response.customer_email,
        "loyalty_tier": response.loyalty_tier, "created_at": response.created_at.isoformat(),
    }


class ResponsesData:
    """Survey responses: scores stay; who answered and what they wrote go."""

    name = "responses"

    def export(self, session: Session, person: Person) -> list[dict[str, Any]]:
        rows = session.scalars(select(Response).where(_matches(person)).order_by(Response.id)).all()
        return [{**as_dict(row), "replies": _replies(session, row.id)} for row in rows]

    def correct(self, session: Session, person: Person, email: str | None, customer_id: str | None) -> int:
        rows = list(session.scalars(select(Response).where(_matches(person))))
        for row in rows:
            row.customer_email = email or row.customer_email
            row.customer_id = customer_id or row.customer_id
        if email and person.email:
            session.execute(update(ResponseReply).where(ResponseReply.response_id.in_([r.id for r in rows]),
                                                        ResponseReply.recipient == person.email).values(recipient=email))
        return len(rows)

    def erase(self, session: Session, person: Person) -> int:
        cache: dict[int, set[str]] = {}
        rows = list(session.scalars(select(Response).where(_matches(person))))
        for row in rows:
            _anonymise(session, row, cache)
        _erase_replies(session, [row.id for row in rows])
        return len(rows)

    def purge(self, session: Session, site_id: int, since: dt.datetime | None, before: dt.datetime) -> int:
        """Anonymise *site_id*'s responses created in [since, before), in batches."""
        cache: dict[int, set[str]] = {}
        window = [Response.site_id == site_id, Response.created_at < before]
        if since is not None:
            window.append(Response.created_at >= since)
        total, last_id = 0, 0
        while True:
            rows = list(session.scalars(
                select(Response).where(*window, Response.id > last_id).order_by(Response.id).limit(BATCH)
            ))
            for row in rows:
                _anonymise(session, row, cache)
            _erase_replies(session, [row.id for row in rows])
            session.flush()
            total += len(rows)
            if len(rows) < BATCH:
                return total
            last_id = rows[-1].id


PROVIDER = ResponsesData()
