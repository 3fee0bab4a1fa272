"""The trend: daily sums regrouped into days, weeks or months, each bucket with its answers and 95% band.

The bucket is chosen from the number of answers, so that a point is not the NPS of two
people: the finest of day, week and month whose buckets hold at least
``MIN_MEDIAN_ANSWERS`` answers on median (empty buckets count as 0) among those that
give the period at least ``MIN_BUCKETS`` points (a 30-day period is never two monthly points);
when none does, the coarsest of those.
Every bucket of the period is kept, empty ones too, so a chart can leave a gap there.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from .figures import Totals
from .formulas import nps_interval, wilson_interval
from .periods import Period

BUCKETS: tuple[str, ...] = ("day", "week", "month")
MIN_MEDIAN_ANSWERS = 20
MIN_BUCKETS = 3
# Below this many answers a figure is marked as resting on few answers.
FEW_ANSWERS = 30


def bucket_start(day: dt.date, bucket: str) -> dt.date:
    """The first day of *day*'s bucket: itself, its week's Monday or its month's first day."""
    if bucket == "week":
        return day - dt.timedelta(days=day.weekday())
    if bucket == "month":
        return day.replace(day=1)
    return day


def _next_start(start: dt.date, bucket: str) -> dt.date:
    if bucket == "week":
        return start + dt.timedelta(days=7)
    if bucket == "month":
        return (start.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return start + dt.timedelta(days=1)


def bucket_starts(period: Period, bucket: str) -> list[dt.date]:
    """The first day of every *bucket* that overlaps *period*, in order."""
    starts, start = [], bucket_start(period.start, bucket)
    while start < period.end:
        starts.append(start)
        start = _next_start(start, bucket)
    return starts


def answers(totals: Totals) -> int:
    """The answers a bucket's figures rest on: the more of its NPS and CSAT answers."""
    return max(totals.nps_total, totals.csat_total)


@dataclass(frozen=True)
class TrendPoint:
    """One bucket: its days within the period (``first`` .. ``last``) and their sums."""

    first: dt.date
    last: dt.date
    totals: Totals

    @property
    def nps(self) -> float | None:
        return self.totals.nps

    @property
    def nps_band(self) -> tuple[float, float] | None:
        t = self.totals
        return nps_interval(t.promoters, t.detractors, t.nps_total)

    @property
    def csat(self) -> float | None:
        return self.totals.csat_excellent_share

    @property
    def csat_band(self) -> tuple[float, float] | None:
        return wilson_interval(self.totals.csat_excellent, self.totals.csat_total)


def regroup(daily: Sequence[tuple[dt.date, Totals]], period: Period, bucket: str) -> list[TrendPoint]:
    """Every *bucket* of *period* with the sums of its days (empty buckets have zero sums)."""
    sums = {start: Totals() for start in bucket_starts(period, bucket)}
    for day, totals in daily:
        start = bucket_start(day, bucket)
        if start in sums:
            sums[start] = sums[start] + totals
    points = []
    for start, totals in sums.items():
        last = min(_next_start(start, bucket), period.end) - dt.timedelta(days=1)
        points.append(TrendPoint(max(start, period.start), last, totals))
    return points


def choose_bucket(daily: Sequence[tuple[dt.date, Totals]], period: Period) -> str:
    """The finest bucket whose median answers reach ``MIN_MEDIAN_ANSWERS`` (see the module)."""
    usable = [b for b in BUCKETS if b == "day" or len(bucket_starts(period, b)) >= MIN_BUCKETS]
    for bucket in usable:
        counts = [answers(point.totals) for point in regroup(daily, period, bucket)]
        if statistics.median(counts) >= MIN_MEDIAN_ANSWERS:
            return bucket
    return usable[-1]
