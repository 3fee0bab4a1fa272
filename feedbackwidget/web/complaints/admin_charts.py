"""The complaint analysis charts as SVG geometry (drawn by analysis.html, coloured by admin/complaints.css).

Count and justified share per week (bars and a line on its own 0-100 % scale), the share closed
within the deadline per week, and the compensation cost by category as horizontal bars.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ..admin.charts import Tick
from ...complaints.analysis import Bucket, CostRow

# Narrower than the dashboard's charts: on a phone the SVG shrinks less, so its labels stay readable.
WIDTH, HEIGHT = 480, 220
LEFT, RIGHT, TOP, BOTTOM = 40, 48, 16, 30


@dataclass(frozen=True)
class Column:
    x: float
    y: float
    width: float
    height: float
    value: int
    label: str


@dataclass(frozen=True)
class Dot:
    x: float
    y: float
    share: float
    label: str


@dataclass(frozen=True)
class TimeChart:
    width: int
    height: int
    columns: tuple[Column, ...]
    dots: tuple[Dot, ...]
    # Lines are drawn only between neighbouring weeks that both have a share (never across an empty week).
    segments: tuple[str, ...]
    count_ticks: tuple[Tick, ...]
    share_ticks: tuple[Tick, ...]
    baseline: float


@dataclass(frozen=True)
class CostBar:
    label: str
    amount: str
    count: int
    width: float  # 0..100, of the costliest row of the same currency


def _share_y(share: float) -> float:
    return TOP + (1 - share) * (HEIGHT - TOP - BOTTOM)


def _segments(dots: Sequence[Dot | None]) -> tuple[str, ...]:
    runs: list[list[Dot]] = [[]]
    for dot in dots:
        if dot is None:
            runs.append([])
        else:
            runs[-1].append(dot)
    return tuple(" ".join(f"{d.x:.1f},{d.y:.1f}" for d in run) for run in runs if len(run) > 1)


def time_chart(buckets: Sequence[Bucket], share: Callable[[Bucket], float | None],
               day_label: Callable[[Bucket], str], with_columns: bool = True) -> TimeChart:
    """Columns of the count per bucket (when *with_columns*) and dots of *share* (0..1) per bucket."""
    slot = (WIDTH - LEFT - RIGHT) / max(len(buckets), 1)
    baseline = HEIGHT - BOTTOM
    highest = max([b.count for b in buckets] + [1])
    top = max(2, highest + highest % 2)
    columns, dots = [], []
    for i, bucket in enumerate(buckets):
        height = (baseline - TOP) * bucket.count / top
        columns.append(Column(LEFT + i * slot + slot * .2, baseline - height, slot * .6, height, bucket.count,
                              day_label(bucket)))
        value = share(bucket)
        dots.append(None if value is None else
                    Dot(LEFT + i * slot + slot / 2, _share_y(value), value, day_label(bucket)))
    return TimeChart(
        WIDTH, HEIGHT, tuple(columns) if with_columns else (), tuple(d for d in dots if d), _segments(dots),
        tuple(Tick(baseline - (baseline - TOP) * v / top, str(v)) for v in (0, top // 2, top)) if with_columns else (),
        tuple(Tick(_share_y(v / 100), f"{v}%") for v in (0, 50, 100)), baseline,
    )


def cost_bars(rows: Sequence[CostRow], category: Callable[[str], str],
              money: Callable[[object, str], str]) -> list[CostBar]:
    """One bar per category and currency, as long as its share of that currency's costliest row."""
    highest: dict[str, float] = {}
    for row in rows:
        highest[row.currency] = max(highest.get(row.currency, 0.0), float(row.total))
    return [CostBar(category(row.category), money(row.total, row.currency), row.count,
                    100 * float(row.total) / highest[row.currency] if highest[row.currency] else 0.0)
            for row in rows]
