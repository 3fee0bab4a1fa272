"""Complaint analysis for a site and a period, compared with the period before, in SQL.

One module serves the admin analysis page and its CSV export.  Counts, sums and
medians are computed by the database: medians with ``percentile_cont`` on
PostgreSQL and with an ``ORDER BY ... LIMIT/OFFSET`` of the middle row(s) on
SQLite.  A complaint belongs to the period in which it was received.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, Float, Integer, Select, and_, case, cast, extract, func, literal, select
from sqlalchemy.orm import Session

from .models import CLOSED_STATES, OPEN_STATES, Complaint, ComplaintMessage

SECONDS_PER_HOUR = 3600.0


@dataclass(frozen=True)
class Period:
    """``[start, end)`` in UTC."""

    start: dt.datetime
    end: dt.datetime

    @property
    def previous(self) -> Period:
        """The period of the same length just before this one."""
        return Period(self.start - (self.end - self.start), self.start)


def share(part: int, whole: int) -> float | None:
    """*part* of *whole* (None: nothing to share)."""
    return part / whole if whole else None


@dataclass(frozen=True)
class CostRow:
    category: str
    currency: str
    total: Decimal
    count: int


@dataclass(frozen=True)
class PeriodFigures:
    """What happened to the complaints received in one period (as of ``now``)."""

    count: int
    justified: int
    unfounded: int
    reopened: int
    due_or_closed: int
    closed_in_time: int
    open_overdue: int
    loyalty_members: int
    known_customers: int
    median_first_response_hours: float | None
    median_resolution_hours: float | None
    by_channel: dict[str, int]
    by_category: dict[str, int]
    by_root_cause: dict[str, int]
    by_loyalty_tier: dict[str, int]
    # Faults hitting key customers: the categories of loyalty members' complaints.
    loyalty_by_category: dict[str, int]
    compensation: list[CostRow]

    @property
    def justified_share(self) -> float | None:
        """Justified among the complaints with a verdict."""
        return share(self.justified, self.justified + self.unfounded)

    @property
    def within_deadline_share(self) -> float | None:
        """Closed by the due date, among those closed or already due."""
        return share(self.closed_in_time, self.due_or_closed)

    @property
    def reopen_rate(self) -> float | None:
        return self.reopened / self.count if self.count else None


@dataclass(frozen=True)
class ComplaintAnalysis:
    site_id: int
    period: Period
    current: PeriodFigures
    previous: PeriodFigures

    @property
    def change(self) -> int:
        """How many more (or fewer) complaints than in the previous period."""
        return self.current.count - self.previous.count

    @property
    def change_share(self) -> float | None:
        return self.change / self.previous.count if self.previous.count else None


def _in_period(site_id: int, period: Period) -> ColumnElement[bool]:
    return and_(
        Complaint.site_id == site_id, Complaint.received_at >= period.start, Complaint.received_at < period.end
    )


def _seconds_between(session: Session, later: Any, earlier: Any) -> ColumnElement[float]:
    if session.get_bind().dialect.name == "postgresql":
        return cast(extract("epoch", later - earlier), Float)
    return (func.julianday(later) - func.julianday(earlier)) * literal(86400.0)


def _count_if(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _totals(session: Session, site_id: int, period: Period, now: dt.datetime) -> dict[str, int]:
    closed = Complaint.status.in_(CLOSED_STATES)
    tier = func.coalesce(Complaint.loyalty_tier, "")
    row = session.execute(select(
        func.count().label("count"),
        _count_if(Complaint.verdict == "justified").label("justified"),
        _count_if(Complaint.verdict == "unfounded").label("unfounded"),
        _count_if(Complaint.reopen_count > 0).label("reopened"),
        _count_if(closed | (Complaint.due_at <= now)).label("due_or_closed"),
        _count_if(closed & (Complaint.resolved_at <= Complaint.due_at)).label("closed_in_time"),
        _count_if(Complaint.status.in_(OPEN_STATES) & (Complaint.due_at <= now)).label("open_overdue"),
        _count_if(tier != "").label("loyalty_members"),
        _count_if(func.coalesce(Complaint.customer_id, "") != "").label("known_customers"),
    ).where(_in_period(site_id, period))).one()
    return {key: int(value or 0) for key, value in row._mapping.items()}


def _counts_by(
    session: Session, column: Any, site_id: int, period: Period, *extra: ColumnElement[bool]
) -> dict[str, int]:
    rows = session.execute(
        select(column, func.count()).where(_in_period(site_id, period), column.is_not(None), column != "", *extra)
        .group_by(column).order_by(func.count().desc(), column)
    )
    return {str(key): int(count) for key, count in rows}


def _compensation(session: Session, site_id: int, period: Period) -> list[CostRow]:
    total = func.sum(Complaint.compensation_amount)
    rows = session.execute(
        select(Complaint.category, Complaint.compensation_currency, total, func.count())
        .where(_in_period(site_id, period), Complaint.compensation_amount.is_not(None))
        .group_by(Complaint.category, Complaint.compensation_currency)
        .order_by(total.desc(), Complaint.category)
    )
    return [CostRow(category, currency or "", Decimal(str(amount)).quantize(Decimal("0.01")), int(count))
            for category, currency, amount, count in rows]


def _median_statement(session: Session, duration: ColumnElement[float], where: ColumnElement[bool]) -> Select[Any]:
    if session.get_bind().dialect.name == "postgresql":
        return select(func.percentile_cont(0.5).within_group(duration)).where(where)
    values = select(duration.label("seconds")).where(where).subquery()
    count = select(func.count()).select_from(values).scalar_subquery()
    middle = (
        select(values.c.seconds).order_by(values.c.seconds)
        .limit(literal(2) - count % 2).offset((count - 1) // 2).subquery()
    )
    return select(func.avg(middle.c.seconds))


def median_hours(session: Session, site_id: int, period: Period, later: Any) -> float | None:
    """The median time from receipt to the timestamp column *later*, in hours (None: no such complaint)."""
    duration = _seconds_between(session, later, Complaint.received_at)
    value = session.execute(_median_statement(session, duration, and_(_in_period(site_id, period), later.is_not(None))))
    seconds = value.scalar()
    return None if seconds is None else float(seconds) / SECONDS_PER_HOUR


def first_reply_at() -> ColumnElement[dt.datetime]:
    """When the customer got the complaint's first public reply (NULL: not yet), as a correlated subquery.

    Read from the replies rather than ``first_response_at``, which earlier versions also set on
    "Start working on it", a change the customer never sees.
    """
    return (
        select(func.min(ComplaintMessage.created_at))
        .where(ComplaintMessage.complaint_id == Complaint.id, ComplaintMessage.visibility == "public")
        .correlate(Complaint).scalar_subquery()
    )


def period_figures(session: Session, site_id: int, period: Period, now: dt.datetime) -> PeriodFigures:
    """Every figure of the complaints of *site_id* received in *period*, as of *now*."""
    return PeriodFigures(
        **_totals(session, site_id, period, now),
        median_first_response_hours=median_hours(session, site_id, period, first_reply_at()),
        median_resolution_hours=median_hours(session, site_id, period, Complaint.resolved_at),
        by_channel=_counts_by(session, Complaint.channel, site_id, period),
        by_category=_counts_by(session, Complaint.category, site_id, period),
        by_root_cause=_counts_by(session, Complaint.root_cause, site_id, period),
        by_loyalty_tier=_counts_by(session, Complaint.loyalty_tier, site_id, period),
        loyalty_by_category=_counts_by(session, Complaint.category, site_id, period,
                                       func.coalesce(Complaint.loyalty_tier, "") != ""),
        compensation=_compensation(session, site_id, period),
    )


@dataclass(frozen=True)
class Bucket:
    """The complaints received in ``[start, start + length)`` and what became of them (as of ``now``)."""

    start: dt.datetime
    count: int
    justified: int
    unfounded: int
    due_or_closed: int
    closed_in_time: int

    @property
    def justified_share(self) -> float | None:
        return share(self.justified, self.justified + self.unfounded)

    @property
    def within_deadline_share(self) -> float | None:
        return share(self.closed_in_time, self.due_or_closed)


def bucket_length(period: Period) -> dt.timedelta:
    """A week per point up to four months, else 30 days: enough complaints per point to read a share."""
    return dt.timedelta(days=7 if period.end - period.start <= dt.timedelta(days=120) else 30)


def over_time(session: Session, site_id: int, period: Period, now: dt.datetime) -> list[Bucket]:
    """*period* cut into :func:`bucket_length` pieces, each with its complaints' count, verdicts and deadlines."""
    length = bucket_length(period)
    closed = Complaint.status.in_(CLOSED_STATES)
    since_start = _seconds_between(session, Complaint.received_at, literal(period.start, Complaint.received_at.type))
    pieces = since_start / length.total_seconds()
    # PostgreSQL's CAST rounds; SQLite's truncates, which floors here (never negative) without its math functions.
    index = cast(func.floor(pieces) if session.get_bind().dialect.name == "postgresql" else pieces, Integer)
    rows = session.execute(select(
        index, func.count(), _count_if(Complaint.verdict == "justified"), _count_if(Complaint.verdict == "unfounded"),
        _count_if(closed | (Complaint.due_at <= now)), _count_if(closed & (Complaint.resolved_at <= Complaint.due_at)),
    ).where(_in_period(site_id, period)).group_by(index))
    found = {int(row[0]): [int(value or 0) for value in row[1:]] for row in rows}
    starts = []
    start = period.start
    while start < period.end:
        starts.append(start)
        start += length
    return [Bucket(start, *found.get(i, [0, 0, 0, 0, 0])) for i, start in enumerate(starts)]


def analyse(session: Session, site_id: int, period: Period, now: dt.datetime) -> ComplaintAnalysis:
    """The analysis of *period* and of the period before it."""
    return ComplaintAnalysis(
        site_id=site_id, period=period,
        current=period_figures(session, site_id, period, now),
        previous=period_figures(session, site_id, period.previous, now),
    )
