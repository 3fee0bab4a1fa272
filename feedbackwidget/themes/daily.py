"""``fw_theme_daily``: the stored themes of responses summed per site, UTC day and theme.

The drivers (:func:`feedbackwidget.themes.drivers.drivers`) read these sums for
closed days and count today's stored themes live. The worker keeps them: after a
batch it stores (new responses, or a rebuild's batch), :func:`refresh_days` sums
the days of that batch's responses again from ``fw_response_themes`` in the same
transaction, in one grouped ``INSERT ... SELECT`` over every touched (site, day), so
the sums always match the stored rows and two workers doing the same batch write
the same sums (an upsert: the second overwrites the first's equal figures).
:func:`rebuild_site` sums every day of a site again (``feedbackwidget themes refresh
--rebuild``, the migration, a bulk load) with the same statement.
Each day also has a row of every answer (``theme_key`` :data:`ALL_ANSWERS`), by
band: the drivers' "responses that don't mention it" side. The worker sees every
response (each is analysed once, text or not), so those rows are summed again too.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from sqlalchemy import (Connection, ColumnElement, Table, and_, case, delete, func, literal, or_, select,
                        true, union_all)

from ..core.db import dialect_insert
from ..core.models import Response, Site
from ..metrics.formulas import DETRACTOR_MAX, PROMOTER_MIN
from ..metrics.periods import day_start
from ..metrics.sql import utc_day
from ..responses.purposes import is_site_feedback
from .models import ResponseTheme, ThemeDaily

__all__ = ["ALL_ANSWERS", "DAILY", "day_of", "day_ranges", "rebuild_site", "refresh_days"]

DAILY: Table = ThemeDaily.__table__  # type: ignore[assignment]
THEMES: Table = ResponseTheme.__table__  # type: ignore[assignment]
RESPONSES: Table = Response.__table__  # type: ignore[assignment]
SITES: Table = Site.__table__  # type: ignore[assignment]
ALL_ANSWERS = ""
"""The ``theme_key`` of a day's row of every answer, analysed or not yet, mentioning a theme or not."""
SUM_COLUMNS = ("mentions", "detractors", "passives", "promoters", "bad", "good", "excellent")
KEY_COLUMNS = ("site_id", "day", "theme_key")
Ranges = dict[int, list[tuple[dt.date, dt.date]]]
_Where = Callable[[Table], ColumnElement[bool]]
"""Per site id, runs of consecutive days as ``(first day, day after the last)``."""


def day_of(moment: dt.datetime) -> dt.date:
    """The UTC day of a stored timestamp (naive ones are UTC)."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.timezone.utc)
    return moment.date()


def day_ranges(site_days: Iterable[tuple[int, dt.date]]) -> Ranges:
    """``(site id, day)`` pairs as runs of consecutive days per site (a backfill's batch: one run)."""
    by_site: defaultdict[int, set[dt.date]] = defaultdict(set)
    for site_id, day in site_days:
        by_site[site_id].add(day)
    ranges: Ranges = {}
    for site_id, days in sorted(by_site.items()):
        runs: list[tuple[dt.date, dt.date]] = []
        for day in sorted(days):
            if runs and runs[-1][1] == day:
                runs[-1] = (runs[-1][0], day + dt.timedelta(days=1))
            else:
                runs.append((day, day + dt.timedelta(days=1)))
        ranges[site_id] = runs
    return ranges


def _count_if(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _sums(table: Table) -> list[ColumnElement[Any]]:
    t = table.c
    return [func.count(), _count_if(t.nps_score <= DETRACTOR_MAX),
            _count_if((t.nps_score > DETRACTOR_MAX) & (t.nps_score < PROMOTER_MIN)),
            _count_if(t.nps_score >= PROMOTER_MIN), _count_if(t.csat == "bad"), _count_if(t.csat == "good"),
            _count_if(t.csat == "excellent")]


def _within(ranges: Ranges) -> _Where:
    """A condition on a table with ``site_id`` and ``created_at``: created on one of the days of ``ranges``."""
    def where(table: Table) -> ColumnElement[bool]:
        c = table.c
        return or_(*(and_(c.site_id == site_id, c.created_at >= day_start(first), c.created_at < day_start(end))
                     for site_id, runs in ranges.items() for first, end in runs))
    return where


def _grouped(table: Table, theme_key: ColumnElement[str], where: ColumnElement[bool], dialect: str) -> Any:
    day = utc_day(dialect, table.c.created_at)
    return (select(table.c.site_id, day, theme_key, *_sums(table)).where(where)
            .group_by(table.c.site_id, day, theme_key))


def _sum_again(connection: Connection, where: _Where, removed: ColumnElement[bool]) -> None:
    """Delete the sums ``removed``, then sum the stored themes and every answer ``where`` in one upsert."""
    dialect = connection.dialect.name
    rows = union_all(_grouped(THEMES, THEMES.c.theme_key, where(THEMES), dialect),
                     _grouped(RESPONSES, literal(ALL_ANSWERS), where(RESPONSES) & is_site_feedback(), dialect))
    upsert = dialect_insert(dialect, DAILY).from_select([*KEY_COLUMNS, *SUM_COLUMNS], rows)
    connection.execute(delete(DAILY).where(removed))
    connection.execute(upsert.on_conflict_do_update(index_elements=list(KEY_COLUMNS),
                                                    set_={name: upsert.excluded[name] for name in SUM_COLUMNS}))


def refresh_days(connection: Connection, site_days: Iterable[tuple[int, dt.date]]) -> None:
    """Sum the stored themes of each ``(site id, UTC day)`` again (idempotent; call in the storing transaction)."""
    ranges = day_ranges(site_days)
    if ranges:
        # Workers storing batches of the same days at once (several hosts, or `themes refresh
        # --jobs`) sum them one after the other: on PostgreSQL a sum that ran beside another
        # worker's uncommitted rows would overwrite that worker's sum without them. Sites are
        # locked in id order (no deadlock), FOR NO KEY UPDATE (submissions' foreign keys don't
        # wait); SQLite has one writer at a time already and ignores the clause.
        connection.execute(select(SITES.c.id).where(SITES.c.id.in_(sorted(ranges))).order_by(SITES.c.id)
                           .with_for_update(key_share=True))
        removed = or_(*(and_(DAILY.c.site_id == site_id, DAILY.c.day.in_(_days(runs)))
                        for site_id, runs in ranges.items()))
        _sum_again(connection, _within(ranges), removed)


def _days(runs: Sequence[tuple[dt.date, dt.date]]) -> list[dt.date]:
    return [first + dt.timedelta(days=offset) for first, end in runs for offset in range((end - first).days)]


def rebuild_site(connection: Connection, site_id: int | None = None) -> None:
    """Sum every day of site ``site_id`` (every site's: None) again from the stored themes."""
    if site_id is None:
        _sum_again(connection, lambda table: true(), true())
    else:
        _sum_again(connection, lambda table: table.c.site_id == site_id, DAILY.c.site_id == site_id)
