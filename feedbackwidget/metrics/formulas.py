"""The definitions behind every figure (one place, shared by dashboard, CSV and API).

- NPS: % promoters (9-10) minus % detractors (0-6) of the 0-10 answers, -100..100.
- CSAT: the share of "excellent" among the CSAT answers.
- In stock: the share of "no" among the in-stock answers.
- Loyalty-program satisfaction: the average 0-10 program score, and the same
  scale read as an NPS.
- A member of the loyalty program is a response that carries a loyalty tier
  (``customer.loyalty_tier``, sent by the shop for its logged-in card holders).
"""

from __future__ import annotations

import math

PROMOTER_MIN = 9
DETRACTOR_MAX = 6
NPS_BANDS: tuple[str, ...] = ("detractor", "passive", "promoter")


def nps_band(score: int | None) -> str | None:
    """``detractor`` (0-6), ``passive`` (7-8) or ``promoter`` (9-10)."""
    if score is None:
        return None
    if score <= DETRACTOR_MAX:
        return "detractor"
    return "promoter" if score >= PROMOTER_MIN else "passive"


def nps(promoters: int, detractors: int, total: int) -> float | None:
    """% promoters minus % detractors; None without answers."""
    if not total:
        return None
    return 100.0 * (promoters - detractors) / total


def share(part: int, total: int) -> float | None:
    """*part* of *total* in percent; None when *total* is 0."""
    return 100.0 * part / total if total else None


def average(amount: int, count: int) -> float | None:
    return amount / count if count else None


def change(current: float | None, previous: float | None) -> float | None:
    """How much a figure moved since the previous period (None when either is unknown)."""
    if current is None or previous is None:
        return None
    return current - previous


def relative_change(current: int, previous: int) -> float | None:
    """Change of a count in percent of the previous period's count."""
    return 100.0 * (current - previous) / previous if previous else None


# 95% intervals: z of the normal distribution, and the pseudo-answers that keep an NPS
# interval from shrinking to nothing on a handful of identical answers.
Z_95 = 1.959964
NPS_PSEUDO_PER_BAND = 1


def wilson_interval(part: int, total: int, z: float = Z_95) -> tuple[float, float] | None:
    """The Wilson score interval of the share *part* / *total*, in percent; None when *total* is 0."""
    if not total:
        return None
    p = part / total
    centre = (p + z * z / (2 * total)) / (1 + z * z / total)
    margin = z * math.sqrt(p * (1 - p) / total + z * z / (4 * total * total)) / (1 + z * z / total)
    return 100.0 * max(0.0, centre - margin), 100.0 * min(1.0, centre + margin)


def nps_interval(promoters: int, detractors: int, total: int, z: float = Z_95) -> tuple[float, float] | None:
    """A 95% interval of the NPS (-100..100); None without answers.

    An adjusted Wald interval (after Rocks, "Interval estimation for the Net Promoter
    Score", 2016): one pseudo-answer is added to each band, then the variance of
    promoter share minus detractor share is ``(p + d - (p - d)**2) / n``. The interval
    always contains the observed NPS.
    """
    if not total:
        return None
    n = total + 3 * NPS_PSEUDO_PER_BAND
    p, d = (promoters + NPS_PSEUDO_PER_BAND) / n, (detractors + NPS_PSEUDO_PER_BAND) / n
    margin = z * math.sqrt(max(0.0, p + d - (p - d) ** 2) / n)
    observed = (promoters - detractors) / total
    low, high = min(p - d - margin, observed), max(p - d + margin, observed)
    return 100.0 * max(-1.0, low), 100.0 * min(1.0, high)
