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
