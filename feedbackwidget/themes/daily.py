"""``fw_theme_daily``: the stored themes of responses summed per site, UTC day and theme.

The drivers (:func:`feedbackwidget.themes.drivers.drivers`) read these sums for
closed days and count today's stored themes live. The worker keeps them: after a
batch it stores (new responses, or a rebuild's batch), :func:`refresh_days` sums
the days of that batch's responses again from ``fw_response_themes`` in the same
transaction, so the sums always match the stored rows and two workers doing the
same batch write the same sums. :func:`rebuild_site` sums every day of a site
again (``feedbackwidget themes refresh --rebuild``, the migration, a bulk load).
Each day also has a row of every answer (``theme_key`` :data:`ALL_ANSWERS`), by
band: the drivers' "responses that don't mention it" side. The worker sees every
response (each is analysed once, text or not), so those rows are summed again too.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection, ColumnElement, Table, case, delete, func, insert, literal, select

from ..metrics.formulas import DETRACTOR_MAX, PROMOTER_MIN
from ..metrics.periods import day_start
from ..metrics.sql import utc_day
from ..core.models import Response
from .models import ResponseTheme, ThemeDaily

__all__ = ["ALL_ANSWERS", "DAILY", "day_of", "rebuild_site", "refresh_days"]

DAILY: Table = ThemeDaily.__table__  # type: ignore[assignment]
THEMES: Table = ResponseTheme.__table__  # type: ignore[assignment]
RESPONSES: Table = Response.__table__  # type: ignore[assignment]
ALL_ANSWERS = ""
"""The ``theme_key`` of a day's row of every answer, analysed or not yet, mentioning a theme or not."""
SUM_COLUMNS = ("mentions", "detractors", "passives", "promoters", "bad", "good", "excellent")


def day_of(moment: dt.datetime) -> dt.date:
    """The UTC day of a stored timestamp (naive ones are UTC)."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.timezone.utc)
    return moment.date()


def _count_if(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _sums(table: Table = THEMES) -> list[ColumnElement[Any]]:
    t = table.c
    return [func.count(), _count_if(t.nps_score <= DETRACTOR_MAX),
            _count_if((t.nps_score > DETRACTOR_MAX) & (t.nps_score < PROMOTER_MIN)),
            _count_if(t.nps_score >= PROMOTER_MIN), _count_if(t.csat == "bad"), _count_if(t.csat == "good"),
            _count_if(t.csat == "excellent")]


def refresh_days(connection: Connection, site_days: Iterable[tuple[int, dt.date]]) -> None:
    """Sum the stored themes of each ``(site id, UTC day)`` again (idempotent; call in the storing transaction)."""
    by_site: defaultdict[int, set[dt.date]] = defaultdict(set)
    for site_id, day in site_days:
        by_site[site_id].add(day)
    target = ["site_id", "day", "theme_key", *SUM_COLUMNS]
    for site_id, days in by_site.items():
        connection.execute(delete(DAILY).where(DAILY.c.site_id == site_id, DAILY.c.day.in_(sorted(days))))
        for day in sorted(days):
            start = day_start(day)
            rows = (select(literal(site_id), literal(day, DAILY.c.day.type), THEMES.c.theme_key, *_sums())
                    .where(THEMES.c.site_id == site_id, THEMES.c.created_at >= start,
                           THEMES.c.created_at < start + dt.timedelta(days=1))
                    .group_by(THEMES.c.theme_key))
            connection.execute(insert(DAILY).from_select(target, rows))
            every = (select(literal(site_id), literal(day, DAILY.c.day.type), literal(ALL_ANSWERS), *_sums(RESPONSES))
                     .where(RESPONSES.c.site_id == site_id, RESPONSES.c.created_at >= start,
                            RESPONSES.c.created_at < start + dt.timedelta(days=1)))
            connection.execute(insert(DAILY).from_select(target, every))


def rebuild_site(connection: Connection, site_id: int | None = None) -> None:
    """Sum every day of site ``site_id`` (every site's: None) again from the stored themes."""
    day = utc_day(connection.dialect.name, THEMES.c.created_at)
    rows = select(THEMES.c.site_id, day, THEMES.c.theme_key, *_sums())
    removal = delete(DAILY)
    if site_id is not None:
        rows, removal = rows.where(THEMES.c.site_id == site_id), removal.where(DAILY.c.site_id == site_id)
    answer_day = utc_day(connection.dialect.name, RESPONSES.c.created_at)
    every = select(RESPONSES.c.site_id, answer_day, literal(ALL_ANSWERS), *_sums(RESPONSES))
    if site_id is not None:
        every = every.where(RESPONSES.c.site_id == site_id)
    target = ["site_id", "day", "theme_key", *SUM_COLUMNS]
    connection.execute(removal)
    connection.execute(insert(DAILY).from_select(target, rows.group_by(THEMES.c.site_id, day, THEMES.c.theme_key)))
    connection.execute(insert(DAILY).from_select(target, every.group_by(RESPONSES.c.site_id, answer_day)))
