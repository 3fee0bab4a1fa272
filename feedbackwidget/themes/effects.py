"""The arithmetic of the drivers: NPS of a group, the effect of a theme, rising or not.

- A theme's *effect* is the NPS of the responses that mention it minus the NPS of those
  that don't, in points, with a 95 % confidence interval from the normal approximation
  (an NPS is a difference of two shares of one sample: its variance is
  ``(p + d - (p - d)^2) / n``); nothing is claimed when either group has fewer than
  :data:`MIN_ANSWERS` answers.
- A theme is *rising* when the share of responses that mention it grew since the
  previous period by more than chance explains (a two-proportion z-test at 95 %).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from ..metrics.formulas import nps, share

MIN_ANSWERS = 30
"""Fewer answers than this in either group: "too few answers", no effect claimed."""
Z_95 = 1.959964


@dataclass(frozen=True)
class Bands:
    """Answers of a 0-10 question by band, or of a CSAT question by rating (bad, good, excellent)."""

    low: int = 0
    middle: int = 0
    high: int = 0

    @property
    def total(self) -> int:
        return self.low + self.middle + self.high

    def minus(self, other: Bands) -> Bands:
        return Bands(self.low - other.low, self.middle - other.middle, self.high - other.high)

    @property
    def nps(self) -> float | None:
        """High share minus low share, in points (-100..100); None without answers."""
        return nps(self.high, self.low, self.total)

    @property
    def high_share(self) -> float | None:
        """The high band's share in percent (CSAT: "excellent")."""
        return share(self.high, self.total)

    def nps_variance(self) -> float:
        """Variance of the NPS as a fraction (-1..1)."""
        high, low = self.high / self.total, self.low / self.total
        return (high + low - (high - low) ** 2) / self.total

    def high_share_variance(self) -> float:
        high = self.high / self.total
        return high * (1 - high) / self.total


@dataclass(frozen=True)
class Effect:
    """What mentioning a theme does to a score, in points, with the answers on both sides.

    ``points``, ``low`` and ``high`` (the 95 % interval) are None when :attr:`too_few`.
    """

    with_theme: int
    without_theme: int
    score_with: float | None
    score_without: float | None
    points: float | None
    low: float | None
    high: float | None

    @property
    def too_few(self) -> bool:
        """Fewer than :data:`MIN_ANSWERS` answers mention it, or fewer than that don't."""
        return self.points is None

    @property
    def clear(self) -> bool:
        """Whether the interval leaves out 0 (the effect is not chance at 95 %)."""
        return self.low is not None and self.high is not None and (self.low > 0 or self.high < 0)


def nps_effect(with_theme: Bands, without_theme: Bands) -> Effect:
    """The NPS of ``with_theme`` minus that of ``without_theme``, with its 95 % interval."""
    return _effect(with_theme, without_theme, "nps", Bands.nps_variance)


def csat_effect(with_theme: Bands, without_theme: Bands) -> Effect:
    """The share of "excellent" with the theme minus without it, in points, with its 95 % interval."""
    return _effect(with_theme, without_theme, "high_share", Bands.high_share_variance)


def _effect(with_theme: Bands, without_theme: Bands, score: str, variance: Callable[[Bands], float]) -> Effect:
    score_with, score_without = getattr(with_theme, score), getattr(without_theme, score)
    if min(with_theme.total, without_theme.total) < MIN_ANSWERS:
        return Effect(with_theme.total, without_theme.total, score_with, score_without, None, None, None)
    spread = 100.0 * Z_95 * math.sqrt(variance(with_theme) + variance(without_theme))
    points = score_with - score_without
    return Effect(with_theme.total, without_theme.total, score_with, score_without, points,
                  points - spread, points + spread)


def is_rising(mentions: int, total: int, previous_mentions: int, previous_total: int) -> bool:
    """Whether the mention share grew by more than chance explains (two-proportion z-test, 95 %)."""
    if not total or not previous_total:
        return False
    share, previous_share = mentions / total, previous_mentions / previous_total
    pooled = (mentions + previous_mentions) / (total + previous_total)
    error = math.sqrt(pooled * (1 - pooled) * (1 / total + 1 / previous_total))
    if error == 0:
        return False
    return (share - previous_share) / error > Z_95


percent = share
"""``part`` of ``whole`` in percent; None when ``whole`` is 0."""
