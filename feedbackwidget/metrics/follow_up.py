"""Closing the loop, measured: the share of detractors followed up within 48 hours.

A detractor is a response with an NPS score of 0-6, or, when it has no NPS score (a
CSAT-only survey), a CSAT rating of "bad".  It counts as followed up in time when its
follow-up mark (set by hand, or by sending the customer a reply) came at most
:data:`FOLLOW_UP_HOURS` after the answer.  Counted in one SQL query on either database.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, or_, select
from sqlalchemy.orm import Session

from ..accounts.models import ResponseFollowUp
from ..core.models import Response
from ..responses.purposes import is_site_feedback
from .formulas import DETRACTOR_MAX
from .periods import Period, day_start

FOLLOW_UP_HOURS = 48


def is_detractor() -> ColumnElement[bool]:
    """NPS 0-6, or a "bad" CSAT rating given without an NPS score."""
    return or_(Response.nps_score <= DETRACTOR_MAX, and_(Response.nps_score.is_(None), Response.csat == "bad"))


@dataclass(frozen=True)
class FollowUpShare:
    """Of ``detractors`` in a period, ``in_time`` followed up within the hours; ``not_followed`` not followed
    up at all, of which ``waiting`` are still inside the hours (they may still count)."""

    detractors: int
    in_time: int
    not_followed: int
    waiting: int
    hours: int = FOLLOW_UP_HOURS

    @property
    def share(self) -> float | None:
        """``in_time`` per detractor, 0-100 (None without detractors)."""
        return 100.0 * self.in_time / self.detractors if self.detractors else None


def _count_if(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _seconds_between(dialect: str, start: Any, end: Any) -> ColumnElement[Any]:
    if dialect == "postgresql":
        return func.extract("epoch", end - start)
    # SQLite: julianday keeps milliseconds; rounded to the second so a boundary is not lost to float error.
    return func.round((func.julianday(end) - func.julianday(start)) * 86400.0)


def follow_up_share(db: Session, site_ids: Sequence[int], period: Period, now: dt.datetime,
                    hours: int = FOLLOW_UP_HOURS) -> FollowUpShare:
    """How many detractors of *site_ids* answering in *period* were followed up within *hours*, as of *now*."""
    dialect = db.get_bind().dialect.name
    delay = _seconds_between(dialect, Response.created_at, ResponseFollowUp.followed_up_at)
    not_followed = ResponseFollowUp.response_id.is_(None)
    in_time = and_(~not_followed, delay <= hours * 3600)
    waiting = and_(not_followed, Response.created_at > now - dt.timedelta(hours=hours))
    row = db.execute(
        select(func.count(), _count_if(in_time), _count_if(not_followed), _count_if(waiting))
        .select_from(Response).outerjoin(ResponseFollowUp, ResponseFollowUp.response_id == Response.id)
        .where(Response.site_id.in_(list(site_ids)), Response.created_at >= day_start(period.start),
               Response.created_at < day_start(period.end), is_detractor(), is_site_feedback())
    ).one()
    return FollowUpShare(detractors=int(row[0]), in_time=int(row[1]), not_followed=int(row[2]), waiting=int(row[3]),
                         hours=hours)
