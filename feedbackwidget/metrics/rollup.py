"""Keeping ``fw_stats_daily`` complete for the days a dashboard asks about.

Closed UTC days (before today) are rolled up on first use, with one
``INSERT ... SELECT ... GROUP BY`` per dimension; today is always read from the
responses themselves.  Responses that arrive with an earlier date (an import,
demo data) are noticed through the highest response id seen, and their days
rolled up again.  :func:`forget` drops roll-ups, e.g. after responses were erased.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from sqlalchemy import Table, delete, func, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..models import Response
from .models import MEASURE_NAMES, StatsDaily, StatsDay, StatsState
from .periods import day_start
from .sql import DIMENSIONS, grouped_responses, utc_day

STATE_ID = 1
DAILY_TABLE: Table = StatsDaily.__table__  # type: ignore[assignment]


def _dialect(db: Session) -> str:
    return db.get_bind().dialect.name


def forget(db: Session, site_id: int | None = None, days: Iterable[dt.date] | None = None) -> None:
    """Drop roll-ups of *site_id* (all sites by default) for *days* (all by default);
    they are rebuilt from the responses when next needed."""
    for model in (StatsDaily, StatsDay):
        statement = delete(model)
        if site_id is not None:
            statement = statement.where(model.site_id == site_id)
        if days is not None:
            statement = statement.where(model.day.in_(list(days)))
        db.execute(statement)


def _forget_late_responses(db: Session, today: dt.date) -> None:
    """Rebuild the days of responses stored since the last look but dated before today."""
    state = db.get(StatsState, STATE_ID)
    newest = db.scalar(select(func.max(Response.id))) or 0
    if state is None:
        db.add(StatsState(id=STATE_ID, last_response_id=newest))
        return
    if newest <= state.last_response_id:
        return
    day = utc_day(_dialect(db), Response.created_at)
    late = db.execute(
        select(Response.site_id, day).where(
            Response.id > state.last_response_id, Response.id <= newest, Response.created_at < day_start(today)
        ).distinct()
    ).all()
    by_site: dict[int, list[dt.date]] = {}
    for site_id, late_day in late:
        by_site.setdefault(site_id, []).append(late_day)
    for site_id, days in by_site.items():
        forget(db, site_id, days)
    state.last_response_id = newest


def _missing_span(db: Session, site_id: int, first: dt.date, until: dt.date) -> tuple[dt.date, dt.date] | None:
    built = set(db.scalars(select(StatsDay.day).where(
        StatsDay.site_id == site_id, StatsDay.day >= first, StatsDay.day < until)))
    missing = [first + dt.timedelta(days=n) for n in range((until - first).days)
               if first + dt.timedelta(days=n) not in built]
    return (missing[0], missing[-1] + dt.timedelta(days=1)) if missing else None


def _build(db: Session, site_id: int, first: dt.date, until: dt.date) -> None:
    days = [first + dt.timedelta(days=n) for n in range((until - first).days)]
    for model in (StatsDaily, StatsDay):
        db.execute(delete(model).where(model.site_id == site_id, model.day >= first, model.day < until))
    columns = ["site_id", "dim", "day", "value", *MEASURE_NAMES]
    window = {"site_ids": [site_id], "since": day_start(first), "until": day_start(until)}
    for dim in DIMENSIONS:
        statement = insert(DAILY_TABLE).from_select(columns, grouped_responses(_dialect(db), dim))
        db.connection().execute(statement, window)
    db.execute(insert(StatsDay), [{"site_id": site_id, "day": day} for day in days])


def refresh(db: Session, site_ids: Sequence[int], first: dt.date, today: dt.date) -> None:
    """Roll up every closed day from *first* to yesterday of *site_ids* not rolled up yet."""
    try:
        _forget_late_responses(db, today)
        for site_id in site_ids:
            span = _missing_span(db, site_id, first, today) if first < today else None
            if span is not None:
                _build(db, site_id, *span)
        db.commit()
    except IntegrityError:
        db.rollback()  # another request rolled the same days up at the same time
