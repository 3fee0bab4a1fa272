"""A site's time zone: the one place that says in which zone a site's local time is read.

Owners choose it in the site's settings (``settings["timezone"]``, an IANA name); a site
that never chose one has the zone of its default language.  Invitations send within
their hours in it; the complaint pages show their times in it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

SETTINGS_KEY = "timezone"
ZONE_OF_LANGUAGE: dict[str, str] = {"hu": "Europe/Budapest", "zh": "Asia/Shanghai", "en": "UTC"}


@lru_cache(maxsize=1)
def zone_names() -> tuple[str, ...]:
    """Every IANA zone this system knows, sorted (``UTC`` among them)."""
    return tuple(sorted(name for name in available_timezones() if "/" in name or name == "UTC"))


def is_zone(name: str) -> bool:
    """Whether *name* is an IANA time zone zoneinfo can load (``Europe/Budapest``)."""
    if name not in zone_names():
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def site_time_zone(settings: Mapping[str, Any], default_locale: str) -> str:
    """The name of the site's zone: the one its settings name, else that of its language."""
    chosen = str(settings.get(SETTINGS_KEY) or "")
    return chosen if is_zone(chosen) else ZONE_OF_LANGUAGE.get(default_locale, "UTC")


def site_zone(settings: Mapping[str, Any], default_locale: str) -> dt.tzinfo:
    """The site's zone, ready for ``astimezone``."""
    return ZoneInfo(site_time_zone(settings, default_locale))
