"""When an invitation may go: after its delay, inside the site's sending hours in its time zone."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

DURATION = re.compile(r"\s*(\d{1,4})\s*([dhm]?)\s*")
MINUTES_PER_UNIT = {"d": 24 * 60, "h": 60, "m": 1, "": 24 * 60}
HOURS = re.compile(r"\s*(\d{1,2})\s*-\s*(\d{1,2})\s*")
MAX_DELAY_DAYS = 365


def parse_duration(text: str) -> int:
    """Minutes in ``3d``, ``12h``, ``90m`` or ``0`` (a bare number counts days).

    :raises ValueError: naming the form to write.
    """
    found = DURATION.fullmatch(text)
    if found is None:
        raise ValueError(f"{text!r} is not a duration: write it as 3d (days), 12h (hours), 90m (minutes) or 0")
    minutes = int(found.group(1)) * MINUTES_PER_UNIT[found.group(2)]
    if minutes > MAX_DELAY_DAYS * 24 * 60:
        raise ValueError(f"{text!r} is too long: write at most {MAX_DELAY_DAYS}d")
    return minutes


def format_duration(minutes: int) -> str:
    """``3d``, ``12h``, ``90m`` or ``0``: the shortest way :func:`parse_duration` reads back."""
    if minutes == 0:
        return "0"
    for unit in ("d", "h"):
        if minutes % MINUTES_PER_UNIT[unit] == 0:
            return f"{minutes // MINUTES_PER_UNIT[unit]}{unit}"
    return f"{minutes}m"


def parse_hours(text: str) -> tuple[int, int]:
    """``9-20`` as (9, 20): from 9:00 until 20:00; ``0-24`` is any time.

    :raises ValueError: naming the form to write.
    """
    found = HOURS.fullmatch(text)
    start, end = (int(found.group(1)), int(found.group(2))) if found else (-1, -1)
    if not (0 <= start < end <= 24):
        raise ValueError(f"{text!r} is not a range of hours: write it as 9-20 (from 9:00 until 20:00), "
                         "the first hour smaller than the second, 0-24 for any time")
    return start, end


def in_sending_hours(earliest: dt.datetime, zone: ZoneInfo, start: int, end: int) -> dt.datetime:
    """The first moment at or after *earliest* between *start* and *end* o'clock in *zone* (UTC-aware)."""
    if (start, end) == (0, 24):
        return earliest
    local = earliest.astimezone(zone)
    if start <= local.hour < end:
        return earliest
    day = local.date() if local.hour < start else local.date() + dt.timedelta(days=1)
    opening = dt.datetime.combine(day, dt.time(start), tzinfo=zone)
    # A daylight-saving gap may skip the opening hour: the wall time is then read after the gap.
    return max(opening.astimezone(dt.timezone.utc), earliest)
