"""Server-rendered SVG charts: geometry computed here, drawn by the templates.

No script and no style attribute: colours come from classes in static/admin.css.
Each chart also has a title, a description and a data table in its template.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from ..metrics import Totals
from ..metrics.formulas import nps_band

WIDTH, HEIGHT = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 44, 12, 12, 28


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    label: str
    value: float


@dataclass(frozen=True)
class Series:
    name: str
    css_class: str
    points: tuple[Point, ...]

    @property
    def polyline(self) -> str:
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.points)


@dataclass(frozen=True)
class Tick:
    position: float
    label: str


@dataclass(frozen=True)
class LineChart:
    width: int
    height: int
    series: tuple[Series, ...]
    x_ticks: tuple[Tick, ...]
    y_ticks: tuple[Tick, ...]
    zero_y: float


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    css_class: str
    label: str
    count: int


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    bars: tuple[Bar, ...]
    baseline: float


def _y(value: float, low: float = -100.0, high: float = 100.0) -> float:
    return TOP + (high - value) / (high - low) * (HEIGHT - TOP - BOTTOM)


def _x(index: int, count: int) -> float:
    span = WIDTH - LEFT - RIGHT
    return LEFT + (span * index / (count - 1) if count > 1 else span / 2)


def _series(name: str, css_class: str, trend: Sequence[tuple[dt.date, float | None]]) -> Series:
    points = tuple(Point(_x(i, len(trend)), _y(value), day.isoformat(), value)
                   for i, (day, value) in enumerate(trend) if value is not None)
    return Series(name, css_class, points)


def trend_chart(trend: Sequence[tuple[dt.date, Totals]], nps_name: str, csat_name: str) -> LineChart:
    """NPS (-100..100) and CSAT "excellent" share (0..100) per day or week, on one scale."""
    step = max(1, len(trend) // 8)
    x_ticks = tuple(Tick(_x(i, len(trend)), day.strftime("%m-%d")) for i, (day, _) in enumerate(trend) if i % step == 0)
    return LineChart(
        width=WIDTH, height=HEIGHT,
        series=(_series(nps_name, "fw-line-nps", [(d, t.nps) for d, t in trend]),
                _series(csat_name, "fw-line-csat", [(d, t.csat_excellent_share) for d, t in trend])),
        x_ticks=x_ticks,
        y_ticks=tuple(Tick(_y(v), f"{v:+d}" if v else "0") for v in (-100, -50, 0, 50, 100)),
        zero_y=_y(0),
    )


def distribution_chart(counts: Sequence[int]) -> BarChart:
    """One bar per score 0..10, coloured by band (detractor, passive, promoter)."""
    highest = max(counts) if counts and max(counts) else 1
    slot = (WIDTH - LEFT - RIGHT) / max(len(counts), 1)
    baseline = HEIGHT - BOTTOM
    bars = []
    for score, count in enumerate(counts):
        height = (baseline - TOP) * count / highest
        bars.append(Bar(LEFT + score * slot + slot * 0.15, baseline - height, slot * 0.7, height,
                        f"fw-bar-{nps_band(score)}", str(score), count))
    return BarChart(WIDTH, HEIGHT, tuple(bars), baseline)


def meter_width(value: float | None, low: float = -100.0, high: float = 100.0, width: float = 120.0) -> float:
    """Width of a small horizontal bar for *value* on [low, high]."""
    if value is None:
        return 0.0
    return max(0.0, min(width, width * (value - low) / (high - low)))
