"""What a dashboard or list is about: which sites (checked against the user's) and which days."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from ...core.i18n import N_
from ...metrics import Period, custom, last_days
from ...metrics.periods import PRESET_DAYS, utc_day_today
from .access import site_or_404, visible_site_ids, visible_sites


PERIOD_INCOMPLETE = N_("Give both dates of a custom period (YYYY-MM-DD).")
PERIOD_INVALID = N_("The end date is before the start date, or the period is longer than three years: choose other dates.")


@dataclass(frozen=True)
class Scope:
    site_id: int | None  # None: every site the user may see
    site_ids: list[int]
    period: Period
    period_key: str  # "7", "30", "90" or "custom"
    error: str | None = None


def _date(raw: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(raw) if raw else None
    except ValueError:
        return None


def period_from(args: Mapping[str, str], default_days: int = 30) -> tuple[Period, str, str | None]:
    """The period asked for in *args* (``period=7|30|90|custom``, ``from``, ``to``)."""
    key = args.get("period", str(default_days))
    if key == "custom":
        first, last = _date(args.get("from")), _date(args.get("to"))
        if first is None or last is None:
            return last_days(default_days), str(default_days), PERIOD_INCOMPLETE
        try:
            return custom(first, last), "custom", None
        except ValueError:
            return last_days(default_days), str(default_days), PERIOD_INVALID
    days = int(key) if key.isdigit() and int(key) in PRESET_DAYS else default_days
    preset = last_days(days, utc_day_today())
    first, last = _date(args.get("from")), _date(args.get("to"))
    if first is not None and last is not None and (first, last) != (preset.start, preset.last_day):
        return period_from({**args, "period": "custom"}, default_days)  # dates changed in the form
    return preset, str(days), None


def scope_from(args: Mapping[str, str], minimum_role: str = "viewer", default_days: int = 30) -> Scope:
    """Sites and period of a request; a site the user may not see is a 404."""
    period, key, error = period_from(args, default_days)
    raw_site = args.get("site") or None
    if raw_site is not None:
        site = site_or_404(raw_site, minimum_role)
        return Scope(site.id, [site.id], period, key, error)
    return Scope(None, visible_site_ids(minimum_role), period, key, error)


__all__ = ["Scope", "period_from", "scope_from", "visible_sites"]
