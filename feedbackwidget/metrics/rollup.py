"""Keeping ``fw_stats_daily`` complete, in small batches, away from any request.

Closed UTC days (before today) are rolled up by :func:`refresh`: the daily
maintenance job (``feedbackwidget stats refresh``) and the background builder a
dashboard starts when it finds days missing (:mod:`.background`).  Each batch
sums one site's days (at most ``BATCH_DAYS``) in a read transaction, which on
SQLite holds no lock a submission waits for, then stores those sums in a short
write transaction of its own: a year after an import is many small commits,
never one long write lock.

A dashboard only reads: :func:`readiness` tells it from which day on it must sum
the responses itself (today, and the last closed days while they are not rolled
up yet) and how many earlier days are still missing, which it says on the page.

Responses that arrive with an earlier date (an import, demo data) are noticed
through ``fw_stats_state``, the highest response id looked at: the days of newer
ones are dropped and rolled up again.  A batch stores its sums only if that
watermark is still the one it read with, so a day dropped meanwhile is not
filled with sums that miss the late responses.  :func:`forget` drops roll-ups,
e.g. after responses were erased.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, Table, delete, func, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..core.db import reading_engine
from ..core.models import Response, Site
from .models import StatsDaily, StatsDay, StatsState
from .periods import day_start
from .sql import DIMENSIONS, grouped_responses, utc_day

STATE_ID = 1
DAILY_TABLE: Table = StatsDaily.__table__  # type: ignore[assignment]
BATCH_DAYS = 31
# Closed days a dashboard sums from the responses itself while they are not rolled up yet
# (the day that just ended, before the maintenance job has run).
LIVE_DAYS = 2
MAX_CONFLICTS = 10
# Past this many responses above the watermark, a dashboard has the builder move it on.
UNSEEN_LIMIT = 5000
KEEP_READY_DAYS = 2 * 366  # a year and the year before it, which a yearly dashboard compares with

SiteDay = tuple[int, dt.date]


@dataclass(frozen=True)
class Readiness:
    """What a dashboard can read: roll-ups before ``live_from``, the responses from it on;
    ``pending`` earlier site-days are not rolled up yet (or are out of date); ``unseen``
    responses are newer than the roll-ups' watermark (each view reads them to find late ones)."""

    live_from: dt.date
    pending: int = 0
    unseen: int = 0

    @property
    def wants_builder(self) -> bool:
        """Whether the background builder should run: days to roll up, or a watermark to move on."""
        return self.pending > 0 or self.unseen > UNSEEN_LIMIT


@dataclass(frozen=True)
class Batch:
    """Sums of one site's days [``first``, ``until``), ready to be stored."""

    site_id: int
    first: dt.date
    until: dt.date
    rows: list[dict[str, Any]]


def _dialect(db: Session) -> str:
    return db.get_bind().dialect.name


def _days(first: dt.date, until: dt.date) -> list[dt.date]:
    return [first + dt.timedelta(days=n) for n in range((until - first).days)]


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


def _watermark(db: Session, lock: bool = False) -> int | None:
    query = select(StatsState.last_response_id).where(StatsState.id == STATE_ID)
    return db.scalar(query.with_for_update() if lock else query)


def _late_days(db: Session, after_id: int, until: dt.date, up_to_id: int | None = None) -> set[SiteDay]:
    """(site, day) of responses with an id above *after_id* dated before *until*.

    Only the id range can use an index (the day is an expression), so the database reads
    the responses stored since the last look, never a site's whole history.
    """
    day = utc_day(_dialect(db), Response.created_at)
    query = select(Response.site_id, day).where(Response.id > after_id, day < until)
    if up_to_id is not None:
        query = query.where(Response.id <= up_to_id)
    return {(int(site_id), late_day) for site_id, late_day in db.execute(query.distinct())}


def _built(db: Session, site_ids: Sequence[int], first: dt.date, until: dt.date) -> set[SiteDay]:
    rows = db.execute(select(StatsDay.site_id, StatsDay.day).where(
        StatsDay.site_id.in_(list(site_ids)), StatsDay.day >= first, StatsDay.day < until))
    return {(int(site_id), day) for site_id, day in rows}


def readiness(db: Session, site_ids: Sequence[int], first: dt.date, today: dt.date) -> Readiness:
    """How much of [*first*, *today*) of *site_ids* is rolled up; reads only."""
    if first >= today:
        return Readiness(today)
    built = _built(db, site_ids, first, today)
    missing = {(site_id, day) for site_id in site_ids for day in _days(first, today)
               if (site_id, day) not in built}
    live_from = min((day for _, day in missing if day >= today - dt.timedelta(days=LIVE_DAYS)), default=today)
    watermark = _watermark(db)
    late = _late_days(db, watermark, live_from) if watermark is not None else set()
    late = {pair for pair in late if pair[0] in set(site_ids)}
    unseen = (db.scalar(select(func.max(Response.id))) or 0) - (watermark or 0)
    return Readiness(live_from, len({pair for pair in missing | late if pair[1] < live_from}), unseen)


def _next_span(db: Session, site_ids: Sequence[int], first: dt.date, today: dt.date) -> tuple[int, dt.date, dt.date] | None:
    """The newest run of missing days of the first site that has one, at most BATCH_DAYS long."""
    for site_id in site_ids:
        built = {day for _, day in _built(db, [site_id], first, today)}
        missing = [day for day in reversed(_days(first, today)) if day not in built]
        if not missing:
            continue
        span = [missing[0]]
        for day in missing[1:BATCH_DAYS]:
            if day != span[-1] - dt.timedelta(days=1):
                break
            span.append(day)
        return site_id, span[-1], span[0] + dt.timedelta(days=1)
    return None


def _sums(db: Session, site_id: int, first: dt.date, until: dt.date) -> list[dict[str, Any]]:
    window = {"site_ids": [site_id], "since": day_start(first), "until": day_start(until)}
    return [dict(row) for dim in DIMENSIONS
            for row in db.execute(grouped_responses(_dialect(db), dim), window).mappings()]


def _store(db: Session, batch: Batch) -> None:
    for model in (StatsDaily, StatsDay):
        db.execute(delete(model).where(model.site_id == batch.site_id, model.day >= batch.first,
                                       model.day < batch.until))
    if batch.rows:
        db.execute(insert(DAILY_TABLE), batch.rows)
    db.execute(insert(StatsDay), [{"site_id": batch.site_id, "day": day} for day in _days(batch.first, batch.until)])


def _advance(db: Session, seen: int | None, newest: int, late: set[SiteDay]) -> None:
    """Drop the roll-ups of *late* days and move the watermark from *seen* to *newest*."""
    if seen is None:
        db.add(StatsState(id=STATE_ID, last_response_id=newest))
        return
    for site_id, day in late:
        forget(db, site_id, [day])
    db.get_one(StatsState, STATE_ID).last_response_id = newest


def _write(engine: Engine, seen: int | None, change: Callable[[Session], None]) -> bool:
    """Run *change* in a short write transaction if the watermark is still *seen*;
    False when another builder moved it first (the caller reads again)."""
    with Session(engine) as db:
        try:
            if _watermark(db, lock=True) != seen:
                return False
            change(db)
            db.commit()
        except IntegrityError:  # another builder stored the same rows at the same moment
            db.rollback()
            return False
    return True


def build_batch(engine: Engine, site_ids: Sequence[int], first: dt.date, today: dt.date) -> bool | None:
    """Roll up one batch: True when something was stored, None when nothing is left to do,
    False when another builder got in the way (try again)."""
    with Session(reading_engine(engine)) as db:
        seen = _watermark(db)
        newest = db.scalar(select(func.max(Response.id))) or 0
        if seen is None or newest > seen:
            late = _late_days(db, seen, today, newest) if seen is not None else set()
            return _write(engine, seen, lambda write: _advance(write, seen, newest, late))
        span = _next_span(db, site_ids, first, today)
        if span is None:
            return None
        batch = Batch(*span, rows=_sums(db, *span))
    return _write(engine, seen, lambda write: _store(write, batch))


def refresh(engine: Engine, first: dt.date, today: dt.date, site_ids: Sequence[int] | None = None) -> int:
    """Roll up every closed day from *first* to yesterday of *site_ids* (default: every site)
    not rolled up yet, one small committed batch at a time; returns how many batches."""
    if site_ids is None:
        with Session(reading_engine(engine)) as db:
            site_ids = list(db.scalars(select(Site.id).order_by(Site.id)))
    stored = conflicts = 0
    while conflicts < MAX_CONFLICTS:
        outcome = build_batch(engine, site_ids, first, today)
        if outcome is None:
            break
        stored, conflicts = (stored + 1, conflicts) if outcome else (stored, conflicts + 1)
    return stored
