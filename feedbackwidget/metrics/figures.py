"""Each dashboard figure as one SQL query over the roll-ups (plus the newest responses).

Every query reads :func:`_source`: the stored daily sums of the days before
``live_from`` united with the same sums computed live from ``live_from`` on (today,
and the last closed days while they are not rolled up yet; see
:func:`.rollup.readiness`), so a figure is right to the minute without reading a
year of responses.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from functools import lru_cache
from typing import Any

from sqlalchemy import Date, Select, Subquery, bindparam, case, desc, func, select, union_all
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
        return cls(**{name: int(row.get(name) or 0) for name in MEASURE_NAMES})

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


HEADLINE: tuple[str, ...] = MEASURE_NAMES
TREND: tuple[str, ...] = ("responses", "nps_total", "promoters", "detractors", "csat_total", "csat_excellent")
NPS_ONLY: tuple[str, ...] = ("responses", "nps_total", "promoters", "detractors")
COUNT_ONLY: tuple[str, ...] = ("responses", "nps_total")


@lru_cache(maxsize=64)
def _source(dialect: str, dim: str, live: bool) -> Subquery:
    """Daily sums of *dim* for the sites ``:site_ids`` from ``:first`` to ``:stored_until``
    (stored roll-ups), plus, when *live*, the same sums computed now from the responses
    stored in [``:since``, ``:until``) (from ``live_from`` on)."""
    columns = [getattr(StatsDaily, name) for name in ("site_id", "dim", "day", "value", *MEASURE_NAMES)]
    stored = select(*columns).where(
        StatsDaily.site_id.in_(bindparam("site_ids", expanding=True)), StatsDaily.dim == dim,
        StatsDaily.day >= bindparam("first", type_=Date()), StatsDaily.day < bindparam("stored_until", type_=Date()))
    if not live:
        return stored.subquery("daily")
    return union_all(stored, grouped_responses(dialect, dim)).subquery("daily")


def _parameters(site_ids: Sequence[int], first: dt.date, end: dt.date, live_from: dt.date) -> dict[str, Any]:
    return {"site_ids": list(site_ids), "first": first, "stored_until": min(end, live_from),
            "since": day_start(max(first, live_from)), "until": day_start(end), "current_start": first}


def _sums(daily: Subquery, names: Sequence[str], when: ColumnElement[bool] | None = None,
          prefix: str = "") -> list[ColumnElement[int]]:
    def one(name: str) -> ColumnElement[int]:
        column = daily.c[name]
        return func.sum(column if when is None else case((when, column), else_=0)).label(prefix + name)

    return [one(name) for name in names]


@lru_cache(maxsize=64)
def _compared_statement(dialect: str, dim: str, live: bool, keys: tuple[str, ...], names: tuple[str, ...],
                        order_by: str | None, limit: int | None) -> Select[Any]:
    daily = _source(dialect, dim, live)
    key_columns = [daily.c[key] for key in keys]
    current = daily.c.day >= bindparam("current_start", type_=Date())
    columns: list[Any] = [*key_columns, *_sums(daily, names, current), *_sums(daily, names, ~current, "prev_")]
    query = select(*columns).group_by(*key_columns)
    if order_by:
        query = query.order_by(desc(func.sum(case((current, daily.c[order_by]), else_=0))))
    return query.limit(limit) if limit else query


def _compared(db: Session, dim: str, site_ids: Sequence[int], period: Period, live_from: dt.date,
              keys: tuple[str, ...], names: tuple[str, ...], order_by: str | None = None,
              limit: int | None = None) -> list[tuple[tuple[Any, ...], Totals, Totals]]:
    statement = _compared_statement(_dialect(db), dim, period.end > live_from, keys, names, order_by, limit)
    parameters = {**_parameters(site_ids, period.previous.start, period.end, live_from), "current_start": period.start}
    result = []
    for row in db.execute(statement, parameters).mappings():
        previous = Totals.of({name: row["prev_" + name] for name in names})
        result.append((tuple(row[k] for k in keys), Totals.of(row), previous))
    return result


def by_site_and_tier(db: Session, site_ids: Sequence[int], period: Period, live_from: dt.date
                     ) -> list[tuple[int, str, Totals, Totals]]:
    """(site id, loyalty tier or '', current totals, previous totals): every headline figure
    (per site, per tier, members or not, all) is a sum of these few rows."""
    rows = _compared(db, "tier", site_ids, period, live_from, ("site_id", "value"), HEADLINE)
    return [(int(key[0]), str(key[1]), cur, prev) for key, cur, prev in rows]


def by_value(db: Session, dim: str, site_ids: Sequence[int], period: Period, live_from: dt.date,
             names: tuple[str, ...] = NPS_ONLY, order_by: str = "responses", limit: int | None = None
             ) -> list[Compared]:
    """Totals per value of *dim* (score, page, reward) seen in *period*, biggest first."""
    rows = _compared(db, dim, site_ids, period, live_from, ("value",), names, order_by, limit)
    return [Compared(str(key[0]), cur, prev) for key, cur, prev in rows if cur.responses]


@lru_cache(maxsize=16)
def _trend_statement(dialect: str, live: bool, bucket: str) -> Select[Any]:
    daily = _source(dialect, "tier", live)
    when = daily.c.day if bucket == "day" else week_start(dialect, daily.c.day)
    return select(when.label("bucket"), *_sums(daily, TREND)).group_by(when).order_by(when)


def trend(db: Session, site_ids: Sequence[int], period: Period, live_from: dt.date, bucket: str) -> list[tuple[dt.date, Totals]]:
    """Totals per day (or per week, by its Monday) of *period*."""
    statement = _trend_statement(_dialect(db), period.end > live_from, bucket)
    rows = db.execute(statement, _parameters(site_ids, period.start, period.end, live_from)).mappings()
    return [(row["bucket"], Totals.of(row)) for row in rows]
