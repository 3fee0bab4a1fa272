"""Each dashboard figure as one SQL query over the roll-ups (plus today's responses).

Every query reads :func:`source`: the stored daily sums of closed days united
with the same sums computed live for today, so a figure is right to the minute
without reading a year of responses.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from typing import Any

from sqlalchemy import Subquery, case, desc, func, select, union_all
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from .formulas import average, nps, share
from .models import MEASURE_NAMES, StatsDaily
from .periods import Period, day_start
from .sql import grouped_responses, week_start

TOP_PAGES = 15


@dataclass(frozen=True)
class Totals:
    """The sums of a set of responses and the figures made from them."""

    responses: int = 0
    nps_total: int = 0
    promoters: int = 0
    detractors: int = 0
    csat_total: int = 0
    csat_excellent: int = 0
    stock_total: int = 0
    stock_no: int = 0
    loyalty_total: int = 0
    loyalty_sum: int = 0
    loyalty_promoters: int = 0
    loyalty_detractors: int = 0

    @classmethod
    def of(cls, row: Mapping[Any, Any]) -> Totals:
        return cls(**{name: int(row[name] or 0) for name in MEASURE_NAMES})

    def __add__(self, other: Totals) -> Totals:
        return Totals(*(getattr(self, f.name) + getattr(other, f.name) for f in fields(self)))

    @property
    def passives(self) -> int:
        return self.nps_total - self.promoters - self.detractors

    @property
    def nps(self) -> float | None:
        return nps(self.promoters, self.detractors, self.nps_total)

    @property
    def promoter_share(self) -> float | None:
        return share(self.promoters, self.nps_total)

    @property
    def passive_share(self) -> float | None:
        return share(self.passives, self.nps_total)

    @property
    def detractor_share(self) -> float | None:
        return share(self.detractors, self.nps_total)

    @property
    def csat_excellent_share(self) -> float | None:
        return share(self.csat_excellent, self.csat_total)

    @property
    def stock_no_share(self) -> float | None:
        return share(self.stock_no, self.stock_total)

    @property
    def loyalty_average(self) -> float | None:
        return average(self.loyalty_sum, self.loyalty_total)

    @property
    def loyalty_nps(self) -> float | None:
        return nps(self.loyalty_promoters, self.loyalty_detractors, self.loyalty_total)


@dataclass(frozen=True)
class Compared:
    """A group's totals in the period and in the one before."""

    key: str
    current: Totals
    previous: Totals


def _dialect(db: Session) -> str:
    return db.get_bind().dialect.name


def source(db: Session, dim: str, site_ids: Sequence[int], first: dt.date, end: dt.date, today: dt.date) -> Subquery:
    """Daily sums of *dim* for days [first, end): stored ones, and today's computed live."""
    stored_columns = [getattr(StatsDaily, name) for name in ("site_id", "dim", "day", "value", *MEASURE_NAMES)]
    stored = select(*stored_columns).where(
        StatsDaily.site_id.in_(site_ids), StatsDaily.dim == dim, StatsDaily.day >= first,
        StatsDaily.day < min(end, today))
    if end <= today:
        return stored.subquery("daily")
    live = grouped_responses(_dialect(db), dim, site_ids, day_start(max(first, today)), day_start(end))
    return union_all(stored, live).subquery("daily")


def _sums(daily: Subquery, when: ColumnElement[bool] | None = None) -> list[ColumnElement[int]]:
    def one(name: str) -> ColumnElement[int]:
        column = daily.c[name]
        return func.sum(column if when is None else case((when, column), else_=0)).label(name)

    return [one(name) for name in MEASURE_NAMES]


def _compared(db: Session, daily: Subquery, period: Period, keys: Sequence[Any],
              order_by_current: str | None = None, limit: int | None = None) -> list[tuple[tuple[object, ...], Totals, Totals]]:
    current = daily.c.day >= period.start
    columns: list[Any] = [*keys, *_sums(daily, current), *(s.label("prev_" + s.name) for s in _sums(daily, ~current))]
    query = select(*columns).group_by(*keys)
    if order_by_current:
        query = query.order_by(desc(func.sum(case((current, daily.c[order_by_current]), else_=0))))
    if limit:
        query = query.limit(limit)
    result = []
    for row in db.execute(query).mappings():
        previous = Totals.of({name: row["prev_" + name] for name in MEASURE_NAMES})
        result.append((tuple(row[k.name] for k in keys), Totals.of(row), previous))
    return result


def by_site_and_tier(db: Session, site_ids: Sequence[int], period: Period, today: dt.date
                     ) -> list[tuple[int, str, Totals, Totals]]:
    """(site id, loyalty tier or '', current totals, previous totals): every headline figure
    (per site, per tier, members or not, all) is a sum of these few rows."""
    daily = source(db, "tier", site_ids, period.previous.start, period.end, today)
    rows = _compared(db, daily, period, [daily.c.site_id, daily.c.value])
    return [(int(key[0]), str(key[1]), cur, prev) for key, cur, prev in rows]  # type: ignore[call-overload]


def by_value(db: Session, dim: str, site_ids: Sequence[int], period: Period, today: dt.date,
             order_by: str = "responses", limit: int | None = None) -> list[Compared]:
    """Totals per value of *dim* (score, page, reward) seen in *period*, biggest first."""
    daily = source(db, dim, site_ids, period.previous.start, period.end, today)
    rows = _compared(db, daily, period, [daily.c.value], order_by_current=order_by, limit=limit)
    return [Compared(str(key[0]), cur, prev) for key, cur, prev in rows if cur.responses]


def trend(db: Session, site_ids: Sequence[int], period: Period, today: dt.date, bucket: str) -> list[tuple[dt.date, Totals]]:
    """Totals per day (or per week, by its Monday) of *period*."""
    daily = source(db, "tier", site_ids, period.start, period.end, today)
    when = daily.c.day if bucket == "day" else week_start(_dialect(db), daily.c.day)
    query = select(when.label("bucket"), *_sums(daily)).group_by(when).order_by(when)
    return [(row["bucket"], Totals.of(row)) for row in db.execute(query).mappings()]
