"""Reporting periods: whole UTC days, each compared with the period just before."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

PRESET_DAYS: tuple[int, ...] = (7, 30, 90)
MAX_DAYS = 3 * 366


@dataclass(frozen=True)
class Period:
    """Days ``start`` .. ``end - 1`` (``end`` exclusive), UTC."""

    start: dt.date
    end: dt.date

    @property
    def days(self) -> int:
        return (self.end - self.start).days

    @property
    def previous(self) -> Period:
        return Period(self.start - dt.timedelta(days=self.days), self.start)

    @property
    def last_day(self) -> dt.date:
        return self.end - dt.timedelta(days=1)


def utc_day_today() -> dt.date:
    return dt.datetime.now(dt.timezone.utc).date()


def last_days(days: int, today: dt.date | None = None) -> Period:
    """The last *days* days, today included."""
    end = (today or utc_day_today()) + dt.timedelta(days=1)
    return Period(end - dt.timedelta(days=days), end)


def custom(first: dt.date, last: dt.date) -> Period:
    """From *first* to *last*, both included.

    :raises ValueError: when *last* is before *first* or the span is too long.
    """
    if last < first:
        raise ValueError("the end date is before the start date: swap them")
    period = Period(first, last + dt.timedelta(days=1))
    if period.days > MAX_DAYS:
        raise ValueError(f"the period is longer than {MAX_DAYS} days: choose a shorter one")
    return period


def day_start(day: dt.date) -> dt.datetime:
    """Midnight UTC at the start of *day*."""
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.timezone.utc)
