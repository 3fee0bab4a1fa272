"""Finding responses: the list's filters, keyset pages and the CSV export's rows (no HTTP)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, and_, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from ...metrics import Period
from ...metrics.models import StatsDaily
from ...metrics.follow_up import is_detractor
from ...metrics.formulas import DETRACTOR_MAX, PROMOTER_MIN
from ...metrics.periods import day_start
from ...core.models import Response, Site, Survey
from ...responses.purposes import COMPLAINT_HANDLING, is_complaint_handling, is_site_feedback
from ...surveys.models import SurveyLink
from ...themes.store import mentions_theme
from ...accounts.models import ResponseFollowUp

BANDS: dict[str, ColumnElement[bool]] = {
    "detractor": Response.nps_score <= DETRACTOR_MAX,
    "passive": and_(Response.nps_score > DETRACTOR_MAX, Response.nps_score < PROMOTER_MIN),
    "promoter": Response.nps_score >= PROMOTER_MIN,
    # The dashboard's follow-up card counts these: NPS 0-6, or a bad CSAT rating without an NPS score.
    "unhappy": is_detractor(),
}
NO_TIER = "-"
SEARCH_MAX = 200


@dataclass(frozen=True)
class ResponseFilter:
    """What the responses list is narrowed to; every field is optional but the sites and period."""

    site_ids: Sequence[int]
    period: Period
    survey_id: int | None = None
    band: str | None = None
    page: str | None = None
    tier: str | None = None
    has_comment: bool = False
    followed_up: bool | None = None
    search: str | None = None
    theme: str | None = None
    # None: the site's own feedback; "complaint_handling": only the answers about how complaints were handled.
    purpose: str | None = None

    def conditions(self) -> list[ColumnElement[bool]]:
        found: list[ColumnElement[bool]] = [
            Response.site_id.in_(self.site_ids) if len(self.site_ids) != 1 else Response.site_id == self.site_ids[0],
            Response.created_at >= day_start(self.period.start), Response.created_at < day_start(self.period.end),
            is_complaint_handling() if self.purpose == COMPLAINT_HANDLING else is_site_feedback(),
        ]
        if self.survey_id is not None:
            found.append(Response.survey_id == self.survey_id)
        if self.band in BANDS:
            found.append(BANDS[self.band])
        if self.page:
            found.append(Response.page_url.contains(self.page, autoescape=True))
        if self.tier:
            found.append(Response.loyalty_tier.is_(None) if self.tier == NO_TIER else Response.loyalty_tier == self.tier)
        if self.has_comment:
            found.append(and_(Response.comment.is_not(None), Response.comment != ""))
        if self.search:
            found.append(Response.comment.icontains(self.search[:SEARCH_MAX], autoescape=True))
        if self.theme:
            found.append(mentions_theme(self.theme))
        if self.followed_up is not None:  # the listing outer-joins fw_response_follow_ups
            followed = ResponseFollowUp.response_id
            found.append(followed.is_not(None) if self.followed_up else followed.is_(None))
        return found


@dataclass(frozen=True)
class Cursor:
    """Where a page ends: the (created_at, id) of its last response."""

    created_at: dt.datetime
    id: int

    def encode(self) -> str:
        return f"{self.created_at.isoformat()}~{self.id}"

    @classmethod
    def decode(cls, raw: str | None) -> Cursor | None:
        try:
            stamp, _, ident = (raw or "").partition("~")
            created = dt.datetime.fromisoformat(stamp)
            return cls(created if created.tzinfo else created.replace(tzinfo=dt.timezone.utc), int(ident))
        except ValueError:
            return None


@dataclass(frozen=True)
class ResponsePage:
    rows: list[Any]
    next_cursor: Cursor | None


def _listing(filters: ResponseFilter) -> Select[Response, str, str, dt.datetime, str | None]:
    # The order reference is the one of the private survey link (an invitation's order) it answered.
    return (
        select(Response, Survey.slug.label("survey_slug"), Site.name.label("site_name"),
               ResponseFollowUp.followed_up_at.label("followed_up_at"),
               SurveyLink.order_reference.label("order_reference"))
        .join(Survey, Survey.id == Response.survey_id)
        .join(Site, Site.id == Response.site_id)
        .outerjoin(ResponseFollowUp, ResponseFollowUp.response_id == Response.id)
        .outerjoin(SurveyLink, SurveyLink.response_id == Response.id)
        .where(*filters.conditions())
    )


def order_reference_of(db: Session, response_id: int) -> str | None:
    """The order the response is about: the reference of the survey link it answered, if any."""
    found: str | None = db.scalar(select(SurveyLink.order_reference).where(SurveyLink.response_id == response_id))
    return found


def find_responses(db: Session, filters: ResponseFilter, after: Cursor | None, page_size: int) -> ResponsePage:
    """One page of responses, newest first, after *after* (keyset: fast on any page)."""
    query = _listing(filters).order_by(Response.created_at.desc(), Response.id.desc()).limit(page_size + 1)
    if after is not None:
        query = query.where(or_(Response.created_at < after.created_at,
                                and_(Response.created_at == after.created_at, Response.id < after.id)))
    rows = list(db.execute(query))
    more = len(rows) > page_size
    rows = rows[:page_size]
    last = rows[-1][0] if rows and more else None
    return ResponsePage(rows, Cursor(last.created_at, last.id) if last is not None else None)


def export_rows(db: Session, filters: ResponseFilter, batch: int = 1000) -> Iterator[Any]:
    """Every matching response, newest first, fetched in batches (for the streamed CSV)."""
    query = _listing(filters).order_by(Response.created_at.desc(), Response.id.desc())
    result = db.execute(query.execution_options(yield_per=batch))
    yield from result


def tiers_of(db: Session, site_ids: Sequence[int]) -> list[str]:
    """The loyalty tiers the dashboard's roll-ups have seen on *site_ids* (the filter's suggestions)."""
    query = (select(StatsDaily.value).where(StatsDaily.site_id.in_(site_ids), StatsDaily.dim == "tier",
                                            StatsDaily.value != "").distinct().limit(50))
    return sorted(db.scalars(query))


def surveys_of(db: Session, site_ids: Sequence[int]) -> list[Survey]:
    return list(db.scalars(select(Survey).where(Survey.site_id.in_(site_ids)).order_by(Survey.site_id, Survey.position)))


def flag(value: Mapping[str, str], key: str) -> bool | None:
    raw = value.get(key)
    return {"yes": True, "no": False}.get(raw or "")
