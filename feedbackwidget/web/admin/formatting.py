"""Numbers as the admin templates show them (never raw floats, "–" for unknown)."""

from __future__ import annotations

from dataclasses import dataclass

from ...accounts.names import display_name
from ...core.customer_text import customer_text, customer_plain
from ...metrics.formulas import change, nps_band, relative_change
from ...surveys.templates import CSAT_LABELS
from .response_display import language_name, score_badges

UNKNOWN = "–"


def number(value: float | int | None, digits: int = 0, suffix: str = "") -> str:
    """*value* rounded to *digits*, or "–" when unknown."""
    if value is None:
        return UNKNOWN
    return f"{value:,.{digits}f}{suffix}".replace(",", "\u202f")


@dataclass(frozen=True)
class Delta:
    """The change of a figure since the previous period, for display."""

    text: str
    direction: str  # "up", "down", "flat" or "none"
    good: bool | None


def delta(current: float | None, previous: float | None, unit: str = "", higher_is_better: bool = True,
          digits: int = 0) -> Delta:
    moved = change(current, previous)
    if moved is None:
        return Delta(UNKNOWN, "none", None)
    direction = "up" if moved > 0 else "down" if moved < 0 else "flat"
    good = None if direction == "flat" else (moved > 0) == higher_is_better
    return Delta(f"{moved:+.{digits}f}{unit}", direction, good)


def count_delta(current: int, previous: int) -> Delta:
    moved = relative_change(current, previous)
    if moved is None:
        return Delta(UNKNOWN, "none", None)
    direction = "up" if moved > 0 else "down" if moved < 0 else "flat"
    return Delta(f"{moved:+.0f}%", direction, None)


def short_page(url: str) -> str:
    """A page URL without its scheme and host (``/products/tea``), or "–" when unknown."""
    if not url:
        return UNKNOWN
    _scheme, _sep, rest = url.partition("://")
    path = rest[rest.find("/"):] if rest and "/" in rest else (rest or url)
    return path or "/"


TEMPLATE_HELPERS = {"short_page": short_page, "number": number, "delta": delta, "count_delta": count_delta, "band_of": nps_band,
                    "csat_labels": CSAT_LABELS, "customer_text": customer_text,
                    "customer_plain": customer_plain, "score_badges": score_badges, "language_name": language_name,
                    "display_name": display_name}
