"""Everything the dashboard shows, gathered in one object (no HTTP here)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from .figures import COUNT_ONLY, TOP_PAGES, Compared, Totals, by_site_and_tier, by_value, trend
from .periods import Period, utc_day_today
from .rollup import readiness
from .trend import BUCKETS, TrendPoint, choose_bucket, regroup
from .words import frequent_words, low_score_comments


@dataclass(frozen=True)
class Dashboard:
    period: Period
    bucket: str
    current: Totals
    previous: Totals
    members: Compared
    non_members: Compared
    sites: list[Compared]
    tiers: list[Compared]
    # Every bucket (day, week or month: ``bucket``) of the period, empty ones too.
    trend: list[TrendPoint]
    scores: list[Compared]
    pages: list[Compared]
    rewards: list[Compared]
    words: list[tuple[str, int]] = field(default_factory=list)
    # Site-days of the period (or the one before) not rolled up yet: left out until they are.
    pending_days: int = 0
    # Whether the roll-ups' background builder has work: missing days, or a watermark to move on.
    wants_builder: bool = False
    # Whether ``bucket`` was chosen from the number of answers (not asked for).
    bucket_automatic: bool = True

    def score_count(self, score: int) -> int:
        return next((s.current.nps_total for s in self.scores if s.key == str(score)), 0)


def _sum(groups: Sequence[tuple[Totals, Totals]]) -> tuple[Totals, Totals]:
    current, previous = Totals(), Totals()
    for cur, prev in groups:
        current, previous = current + cur, previous + prev
    return current, previous


def _group(rows: list[tuple[int, str, Totals, Totals]], key_index: int) -> list[Compared]:
    keys = sorted({str(row[key_index]) for row in rows})
    grouped = []
    for key in keys:
        current, previous = _sum([(r[2], r[3]) for r in rows if str(r[key_index]) == key])
        grouped.append(Compared(key, current, previous))
    return grouped


def build_dashboard(db: Session, site_ids: Sequence[int], period: Period, bucket: str | None = None,
                    today: dt.date | None = None) -> Dashboard:
    """The figures of *site_ids* for *period*, each with the previous period's; the trend by
    *bucket* (``day``, ``week``, ``month``), or by the bucket the answers allow (:mod:`.trend`).

    Reads only: days not rolled up yet are left out (``pending_days`` says how many)
    until :func:`.rollup.refresh` has built them in the background.
    """
    ready = readiness(db, site_ids, period.previous.start, today or utc_day_today())
    live_from = ready.live_from
    rows = by_site_and_tier(db, site_ids, period, live_from)
    current, previous = _sum([(r[2], r[3]) for r in rows])
    members = _sum([(r[2], r[3]) for r in rows if r[1]])
    tiers = _group(rows, 1)
    daily = trend(db, site_ids, period, live_from, "day")
    chosen = bucket if bucket in BUCKETS else choose_bucket(daily, period)
    return Dashboard(
        period=period,
        bucket=chosen,
        bucket_automatic=chosen != bucket,
        current=current,
        previous=previous,
        members=Compared("members", *members),
        non_members=Compared("non_members", *_sum([(r[2], r[3]) for r in rows if not r[1]])),
        sites=_group(rows, 0),
        tiers=[t for t in tiers if t.key],
        trend=regroup(daily, period, chosen),
        scores=by_value(db, "score", site_ids, period, live_from, names=COUNT_ONLY),
        pages=by_value(db, "page", site_ids, period, live_from, order_by="nps_total", limit=TOP_PAGES),
        rewards=by_value(db, "reward", site_ids, period, live_from, names=COUNT_ONLY),
        words=frequent_words(low_score_comments(db, site_ids, period)),
        pending_days=ready.pending,
        wants_builder=ready.wants_builder,
    )
