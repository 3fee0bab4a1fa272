"""Survey links as stored rows: make one, find it by its token, tell whether it still takes an answer.

A link's token is 192 random bits (``secrets.token_urlsafe``); only its SHA-256
is stored, so the table alone opens no survey.  Everything the old signed links
carried in the URL (order, customer, e-mail) is kept here instead.  Nothing here
knows of HTTP: the hosted survey page and e-mail invitations both use it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session

from ..delivery.outbox import OutboxDraft, enqueue
from ..core.models import Response, utcnow
from ..responses import METRIC_COLUMNS
from ..surveys.models import SurveyLink

#: What a changed answer keeps of the stored row: everything else is rewritten, so every score column
#: (a dropped answer clears its own), and the link's customer even if someone took its key first.
KEPT_COLUMNS: frozenset[str] = frozenset({"id", "site_id", "idempotency_key", "created_at"})


@dataclass(frozen=True)
class LinkDetails:
    """Who a link is for and what about: kept server-side, never in the URL."""

    order_reference: str | None = None
    customer_id: str | None = None
    customer_email: str | None = None
    customer_name: str | None = None
    locale: str | None = None
    channel: str = "link"


def link_token_hash(token: str) -> str:
    """What is stored of a link's token."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def create_link(session: Session, site_id: int, survey_slug: str, details: LinkDetails,
                max_age: dt.timedelta, token: str | None = None) -> str:
    """Add a link to *session* (the caller commits) and return its token, the only copy of it.

    :param token: the token to store (legacy links bring their own); default a fresh random one.
    """
    token = token or secrets.token_urlsafe(24)
    now = utcnow()
    session.add(SurveyLink(token_hash=link_token_hash(token), site_id=site_id, survey_slug=survey_slug,
                           order_reference=details.order_reference, customer_id=details.customer_id,
                           customer_email=details.customer_email, customer_name=details.customer_name,
                           locale=details.locale, channel=details.channel, created_at=now, expires_at=now + max_age))
    return token


def find_link(session: Session, site_id: int, survey_slug: str, token: str) -> SurveyLink | None:
    """The link of *token* to this site's survey, or None (unknown token, or made for another survey)."""
    link = session.scalar(select(SurveyLink).where(SurveyLink.token_hash == link_token_hash(token)))
    return link if link is not None and (link.site_id, link.survey_slug) == (site_id, survey_slug) else None


def is_expired(link: SurveyLink, now: dt.datetime | None = None) -> bool:
    """Whether *link* can no longer be answered (nor its answer changed)."""
    return (now or utcnow()) >= link.expires_at


def mark_answered(session: Session, link_id: int, response_id: int) -> None:
    """Record *response_id* as the link's answer, given (or changed) now (the caller commits)."""
    session.execute(update(SurveyLink).where(SurveyLink.id == link_id)
                    .values(response_id=response_id, answered_at=utcnow()))


def answer_key(link: SurveyLink) -> str:
    """The idempotency key of a link's answer: one response row per link, whoever posts first."""
    return f"link-{link.id}"


def _rewritten(row: Mapping[str, Any]) -> dict[str, Any]:
    cleared = dict.fromkeys(METRIC_COLUMNS.values())
    return {**cleared, **{column: value for column, value in row.items() if column not in KEPT_COLUMNS}}


def change_answer(engine: Engine, row: Mapping[str, Any], drafts: Sequence[OutboxDraft] = ()) -> int:
    """Rewrite the stored answer of *row*'s link (found by site and idempotency key); return its id.

    The response hooks' *drafts* are written in the same transaction; an alert already
    sent for this response is not sent again (its dedupe key names the response).
    """
    with engine.begin() as connection:
        response_id = connection.execute(
            update(Response).where(Response.site_id == row["site_id"],
                                   Response.idempotency_key == row["idempotency_key"])
            .values(_rewritten(row)).returning(Response.id)
        ).scalar_one()
        enqueue(connection, drafts, response_id=response_id)
    return int(response_id)
