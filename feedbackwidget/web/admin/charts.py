"""Server-rendered SVG charts: geometry computed here, drawn by the templates.

No script and no style attribute: colours come from classes in static/admin.css.
Each chart also has a title, a description and a data table in its template.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ...metrics.formulas import nps_band
from ...metrics.trend import TrendPoint

WIDTH, HEIGHT = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 44, 12, 12, 28


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


# ---- The trend: one chart per figure, each on its own scale, drawn at three widths ----

@dataclass(frozen=True)
class Canvas:
    """A drawing size: the template shows the one that fits the screen (classes in dashboard.css),
    so that text stays about the same size from a phone to a desktop."""

    name: str
    width: int
    height: int
    max_labels: int
    left: int = 46
    right: int = 12
    top: int = 14
    volume: int = 40
    bottom: int = 24

    @property
    def plot_bottom(self) -> float:
        return float(self.height - self.bottom - self.volume - 6)


CANVASES: tuple[Canvas, ...] = (Canvas("narrow", 360, 250, 4), Canvas("medium", 720, 290, 8),
                                Canvas("wide", 1080, 300, 12))
VOLUME_BAR_MAX = 24  # tallest answer-count bar; the count is written above it


@dataclass(frozen=True)
class Scale:
    low: float
    high: float
    ticks: tuple[float, ...]
    suffix: str
    signed: bool

    def label(self, value: float) -> str:
        text = f"{value:+.0f}" if self.signed and value else f"{value:.0f}"
        return text + self.suffix


NPS_SCALE = Scale(-100.0, 100.0, (-100.0, -50.0, 0.0, 50.0, 100.0), "", True)
PERCENT_SCALE = Scale(0.0, 100.0, (0.0, 25.0, 50.0, 75.0, 100.0), "%", False)


@dataclass(frozen=True)
class Tick:
    position: float
    label: str


@dataclass(frozen=True)
class Dot:
    """One bucket with answers: where it is drawn, its value, its 95% band and its answers."""

    x: float
    y: float
    value: float
    low: float
    high: float
    y_low: float
    y_high: float
    answers: int
    label: str


@dataclass(frozen=True)
class Volume:
    """The answers of one bucket as a small bar under the chart (none for an empty bucket)."""

    x: float
    y: float
    width: float
    height: float
    answers: int
    show_count: bool


@dataclass(frozen=True)
class Run:
    """Consecutive buckets with answers: joined by a line inside their band; an empty bucket ends a run."""

    dots: tuple[Dot, ...]

    @property
    def line(self) -> str:
        return " ".join(f"{d.x:.1f},{d.y:.1f}" for d in self.dots)

    @property
    def band(self) -> str:
        upper = [f"{d.x:.1f},{d.y_high:.1f}" for d in self.dots]
        lower = [f"{d.x:.1f},{d.y_low:.1f}" for d in reversed(self.dots)]
        return " ".join(upper + lower)


@dataclass(frozen=True)
class TrendChart:
    canvas: Canvas
    scale_ticks: tuple[Tick, ...]
    x_ticks: tuple[Tick, ...]
    runs: tuple[Run, ...]
    volumes: tuple[Volume, ...]
    zero_y: float | None


@dataclass(frozen=True)
class TrendValue:
    """What :func:`trend_chart` needs of a bucket: its label, value, 95% band and answers."""

    label: str
    value: float | None
    band: tuple[float, float] | None
    answers: int


def _scale_y(canvas: Canvas, scale: Scale, value: float) -> float:
    span = canvas.plot_bottom - canvas.top
    return canvas.top + (scale.high - value) / (scale.high - scale.low) * span


def _runs(dots: Sequence[Dot | None]) -> tuple[Run, ...]:
    runs: list[Run] = []
    current: list[Dot] = []
    for dot in (*dots, None):
        if dot is not None:
            current.append(dot)
        elif current:
            runs.append(Run(tuple(current)))
            current = []
    return tuple(runs)


def _dot(canvas: Canvas, scale: Scale, x: float, value: TrendValue) -> Dot | None:
    if value.value is None or value.band is None:
        return None
    low, high = value.band
    return Dot(x, _scale_y(canvas, scale, value.value), value.value, low, high, _scale_y(canvas, scale, low),
               _scale_y(canvas, scale, high), value.answers, value.label)


def _volumes(canvas: Canvas, xs: Sequence[float], counts: Sequence[int], slot: float) -> tuple[Volume, ...]:
    most = max(counts, default=0) or 1
    base = canvas.height - canvas.bottom
    width = min(slot * 0.6, 28.0)
    show = slot >= 30
    return tuple(Volume(x - width / 2, base - max(1.0, VOLUME_BAR_MAX * n / most), width,
                        max(1.0, VOLUME_BAR_MAX * n / most), n, show) for x, n in zip(xs, counts) if n)


def trend_chart(values: Sequence[TrendValue], scale: Scale, canvas: Canvas) -> TrendChart:
    """One figure's trend on its own *scale*, drawn on *canvas*: each bucket at the middle of its slot."""
    slot = (canvas.width - canvas.left - canvas.right) / max(len(values), 1)
    xs = [canvas.left + slot * (index + 0.5) for index in range(len(values))]
    step = max(1, -(-len(values) // canvas.max_labels))
    return TrendChart(
        canvas=canvas,
        scale_ticks=tuple(Tick(_scale_y(canvas, scale, t), scale.label(t)) for t in scale.ticks),
        x_ticks=tuple(Tick(xs[i], v.label) for i, v in enumerate(values) if i % step == 0),
        runs=_runs([_dot(canvas, scale, x, v) for x, v in zip(xs, values)]),
        volumes=_volumes(canvas, xs, [v.answers for v in values], slot),
        zero_y=_scale_y(canvas, scale, 0.0) if scale.low < 0 < scale.high else None,
    )


def bucket_label(point: TrendPoint, bucket: str) -> str:
    """A bucket's short axis label: ``2026-11`` for a month, else its first day as ``11-30``."""
    return point.first.strftime("%Y-%m" if bucket == "month" else "%m-%d")


def nps_values(points: Sequence[TrendPoint], bucket: str) -> list[TrendValue]:
    return [TrendValue(bucket_label(p, bucket), p.nps, p.nps_band, p.totals.nps_total) for p in points]


def csat_values(points: Sequence[TrendPoint], bucket: str) -> list[TrendValue]:
    return [TrendValue(bucket_label(p, bucket), p.csat, p.csat_band, p.totals.csat_total) for p in points]


def trend_charts(points: Sequence[TrendPoint], bucket: str) -> dict[str, list[TrendChart]]:
    """The NPS and the CSAT trend, each drawn on every canvas."""
    nps, csat = nps_values(points, bucket), csat_values(points, bucket)
    return {"nps": [trend_chart(nps, NPS_SCALE, canvas) for canvas in CANVASES],
            "csat": [trend_chart(csat, PERCENT_SCALE, canvas) for canvas in CANVASES]}
