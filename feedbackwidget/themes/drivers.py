"""Drivers: what each theme does to the score, and the complaints by theme, in SQL.

For a set of sites and a period (:class:`feedbackwidget.metrics.periods.Period`),
beside the previous period of the same length:

- :func:`drivers`: per theme, how many responses mention it, its share among
  detractors, passives and promoters (bad, good, excellent for CSAT), the NPS of the
  responses that mention it against those that don't (:class:`.Effect`: points, the
  answers on each side, a 95 % interval; "too few answers" under
  :data:`.MIN_ANSWERS`) and whether it is rising. Four small grouped queries: the
  period's answers by score and rating and the previous period's count, over the
  responses' index, and the same per theme over the stored themes' covering index.
- :func:`complaint_themes`: per theme, complaints, justified share, compensation cost
  and the categories they were filed under; :func:`fastest_rising_complaint_theme`.
- :func:`example_comments`: a few comments of a theme with the words that matched.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, or_, select
from sqlalchemy.orm import Session

from ..complaints.models import Complaint
from ..metrics.formulas import DETRACTOR_MAX, PROMOTER_MIN
from ..metrics.periods import Period, day_start
from ..core.models import Response, Site, Survey, utcnow
from ..responses.purposes import is_site_feedback
from .daily import ALL_ANSWERS
from .effects import MIN_ANSWERS, Bands, Effect, csat_effect, is_rising, nps_effect, percent
from .models import ComplaintTheme, ResponseTheme, ThemeDaily
from .texts import response_texts, text_keys

__all__ = ["MIN_ANSWERS", "Bands", "ComplaintThemeFigures", "Drivers", "Effect", "ExampleComment", "RisingTheme",
           "ThemeDriver", "complaint_themes", "complaint_themes_between", "drivers", "example_comments",
           "fastest_rising_complaint_theme", "rising_complaint_theme"]


@dataclass(frozen=True)
class ThemeDriver:
    """One theme in a period: how often it comes up and what it does to the score.

    Shares are percentages; ``nps_bands`` are the answers that mention the theme by
    band (detractors, passives, promoters), ``csat_bands`` by rating (bad, good, excellent).
    """

    key: str
    mentions: int
    previous_mentions: int
    mention_share: float | None
    previous_mention_share: float | None
    rising: bool
    nps_bands: Bands
    csat_bands: Bands
    detractor_share: float | None
    passive_share: float | None
    promoter_share: float | None
    bad_share: float | None
    good_share: float | None
    excellent_share: float | None
    nps_effect: Effect
    csat_effect: Effect

    @property
    def mention_share_change(self) -> float | None:
        """How much the mention share moved since the previous period, in points."""
        if self.mention_share is None or self.previous_mention_share is None:
            return None
        return self.mention_share - self.previous_mention_share


@dataclass(frozen=True)
class Drivers:
    """Every theme of a period, beside the period before (themes with no mention in either are left out)."""

    period: Period
    responses: int
    previous_responses: int
    nps_bands: Bands
    csat_bands: Bands
    themes: tuple[ThemeDriver, ...]

    def lowering(self) -> list[ThemeDriver]:
        """"What drives low scores": themes whose effect is negative, strongest first (too few answers: left out)."""
        return self._by_effect(lambda points: points < 0, reverse=False)

    def raising(self) -> list[ThemeDriver]:
        """"What customers praise": themes whose effect is positive, strongest first."""
        return self._by_effect(lambda points: points > 0, reverse=True)

    def _by_effect(self, keep: Any, reverse: bool) -> list[ThemeDriver]:
        chosen = [theme for theme in self.themes if theme.nps_effect.points is not None
                  and keep(theme.nps_effect.points)]
        return sorted(chosen, key=lambda theme: theme.nps_effect.points or 0.0, reverse=reverse)

    def theme(self, key: str) -> ThemeDriver | None:
        return next((theme for theme in self.themes if theme.key == key), None)


def _count_if(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


@dataclass
class _Tally:
    """Answers counted by NPS band and CSAT rating (low, middle, high)."""

    answers: int = 0
    previous: int = 0
    nps: list[int] = field(default_factory=lambda: [0, 0, 0])
    csat: list[int] = field(default_factory=lambda: [0, 0, 0])

    def add(self, score: int | None, rating: str | None, count: int) -> None:
        self.answers += count
        if score is not None:
            self.nps[0 if score <= DETRACTOR_MAX else 2 if score >= PROMOTER_MIN else 1] += count
        if rating in _CSAT_ORDER:
            self.csat[_CSAT_ORDER.index(rating)] += count

    def bands(self) -> tuple[Bands, Bands]:
        return Bands(*self.nps), Bands(*self.csat)


_CSAT_ORDER = ("bad", "good", "excellent")


def _bounds(period: Period) -> tuple[dt.datetime, dt.datetime, dt.datetime]:
    return day_start(period.previous.start), day_start(period.start), day_start(period.end)


def _totals(session: Session, site_ids: Sequence[int], period: Period, rolled_until: dt.date | None = None) -> _Tally:
    """Every answer of the period by score and rating, and how many the previous period had.

    Days before ``rolled_until`` (today, UTC, by default) from the daily rows of every
    answer (:data:`.ALL_ANSWERS`), the days from it on from the responses, grouped by the
    scores themselves (a handful of groups).
    """
    until = rolled_until if rolled_until is not None else utcnow().date()
    rolled: defaultdict[str, _Tally] = defaultdict(_Tally)
    first, middle, last = (min(day, until) for day in _days(period))
    _rolled_tallies(session, site_ids, first, middle, last, rolled, ThemeDaily.theme_key == ALL_ANSWERS)
    tally = rolled[ALL_ANSWERS]
    before, start, end = (day_start(max(day, until)) for day in _days(period))
    r = Response
    if start < end:
        for score, rating, count in session.execute(
                select(r.nps_score, r.csat, func.count()).where(r.site_id.in_(site_ids), r.created_at >= start,
                                                                r.created_at < end, is_site_feedback())
                .group_by(r.nps_score, r.csat)):
            tally.add(score, rating, int(count))
    if before < start:
        tally.previous += int(session.scalar(select(func.count()).select_from(r).where(
            r.site_id.in_(site_ids), r.created_at >= before, r.created_at < start, is_site_feedback())) or 0)
    return tally


def _live_tallies(session: Session, site_ids: Sequence[int], before: dt.datetime, start: dt.datetime,
                  end: dt.datetime, tallies: defaultdict[str, _Tally]) -> None:
    """Add the stored themes of ``[start, end)`` by score and rating, and the mentions of ``[before, start)``."""
    rt = ResponseTheme
    if start < end:
        for key, score, rating, count in session.execute(
                select(rt.theme_key, rt.nps_score, rt.csat, func.count())
                .where(rt.site_id.in_(site_ids), rt.created_at >= start, rt.created_at < end)
                .group_by(rt.theme_key, rt.nps_score, rt.csat)):
            tallies[key].add(score, rating, int(count))
    if before < start:
        for key, count in session.execute(select(rt.theme_key, func.count()).where(
                rt.site_id.in_(site_ids), rt.created_at >= before, rt.created_at < start).group_by(rt.theme_key)):
            tallies[key].previous += int(count)


def _days(period: Period) -> tuple[dt.date, dt.date, dt.date]:
    return period.previous.start, period.start, period.end


def _rolled_tallies(session: Session, site_ids: Sequence[int], before: dt.date, start: dt.date, end: dt.date,
                    tallies: defaultdict[str, _Tally], rows: ColumnElement[bool]) -> None:
    """Add the daily sums of the days ``[start, end)``, and the mentions of the days ``[before, start)``.

    :param rows: which of the daily rows: the themes', or that of every answer.
    """
    d = ThemeDaily
    if start < end:
        for key, *sums in session.execute(
                select(d.theme_key, func.sum(d.mentions), func.sum(d.detractors), func.sum(d.passives),
                       func.sum(d.promoters), func.sum(d.bad), func.sum(d.good), func.sum(d.excellent))
                .where(rows, d.site_id.in_(site_ids), d.day >= start, d.day < end).group_by(d.theme_key)):
            tally = tallies[key]
            mentions, *bands = (int(value or 0) for value in sums)
            tally.answers += mentions
            tally.nps = [have + more for have, more in zip(tally.nps, bands[:3])]
            tally.csat = [have + more for have, more in zip(tally.csat, bands[3:])]
    if before < start:
        for key, count in session.execute(select(d.theme_key, func.sum(d.mentions)).where(
                rows, d.site_id.in_(site_ids), d.day >= before, d.day < start).group_by(d.theme_key)):
            tallies[key].previous += int(count or 0)


def _theme_tallies(session: Session, site_ids: Sequence[int], period: Period,
                   rolled_until: dt.date | None = None) -> dict[str, _Tally]:
    """Per theme, the mentions of the period by score and rating, and of the previous period.

    Days before ``rolled_until`` (today, UTC, by default) are read from the daily sums
    (``fw_theme_daily``), the days from it on from the stored themes themselves.
    """
    until = rolled_until if rolled_until is not None else utcnow().date()
    days = _days(period)
    tallies: defaultdict[str, _Tally] = defaultdict(_Tally)
    before, start, end = (min(day, until) for day in days)
    _rolled_tallies(session, site_ids, before, start, end, tallies, ThemeDaily.theme_key != ALL_ANSWERS)
    live_before, live_start, live_end = (day_start(max(day, until)) for day in days)
    _live_tallies(session, site_ids, live_before, live_start, live_end, tallies)
    return dict(tallies)


def drivers(session: Session, site_ids: Sequence[int], period: Period,
            theme_keys: Sequence[str] | None = None, *, rolled_until: dt.date | None = None) -> Drivers:
    """The drivers of ``site_ids`` in ``period`` against the previous period.

    :param theme_keys: the themes to show, in this order (the site's taxonomy keys);
        by default every stored theme, by mentions.
    :param rolled_until: read the daily sums for the days before this one (by
        default today, UTC: closed days), the stored themes from it on.
    """
    totals = _totals(session, site_ids, period, rolled_until)
    found = _theme_tallies(session, site_ids, period, rolled_until)
    keys = list(theme_keys) if theme_keys is not None else sorted(found, key=lambda key: -found[key].answers)
    themes = tuple(_driver(key, found[key], totals) for key in keys if key in found)
    return Drivers(period, totals.answers, totals.previous, *totals.bands(), themes)


def _driver(key: str, tally: _Tally, totals: _Tally) -> ThemeDriver:
    (nps_bands, csat_bands), (all_nps, all_csat) = tally.bands(), totals.bands()
    return ThemeDriver(
        key=key, mentions=tally.answers, previous_mentions=tally.previous,
        mention_share=percent(tally.answers, totals.answers),
        previous_mention_share=percent(tally.previous, totals.previous),
        rising=is_rising(tally.answers, totals.answers, tally.previous, totals.previous),
        nps_bands=nps_bands, csat_bands=csat_bands,
        detractor_share=percent(nps_bands.low, all_nps.low), passive_share=percent(nps_bands.middle, all_nps.middle),
        promoter_share=percent(nps_bands.high, all_nps.high),
        bad_share=percent(csat_bands.low, all_csat.low), good_share=percent(csat_bands.middle, all_csat.middle),
        excellent_share=percent(csat_bands.high, all_csat.high),
        nps_effect=nps_effect(nps_bands, all_nps.minus(nps_bands)),
        csat_effect=csat_effect(csat_bands, all_csat.minus(csat_bands)),
    )


@dataclass(frozen=True)
class ComplaintThemeFigures:
    """The complaints about one theme in a period, beside the previous period.

    ``cost`` is the compensation granted, by currency; ``by_category`` the categories
    the complaints were filed under (a theme cuts across them).
    """

    key: str
    count: int
    previous_count: int
    justified: int
    unfounded: int
    cost: dict[str, Decimal]
    by_category: dict[str, int]

    @property
    def justified_share(self) -> float | None:
        """Justified among those with a verdict, in percent."""
        return percent(self.justified, self.justified + self.unfounded)

    @property
    def change(self) -> int:
        return self.count - self.previous_count


def _complaints_in(site_ids: Sequence[int], start: dt.datetime, end: dt.datetime) -> ColumnElement[bool]:
    return and_(Complaint.site_id.in_(site_ids), Complaint.received_at >= start, Complaint.received_at < end)


def complaint_themes_between(session: Session, site_ids: Sequence[int], start: dt.datetime,
                             end: dt.datetime) -> list[ComplaintThemeFigures]:
    """:func:`complaint_themes` for ``[start, end)`` against the span of the same length before it."""
    before = start - (end - start)
    current = Complaint.received_at >= start
    joined = select(ComplaintTheme.theme_key).join(Complaint, Complaint.id == ComplaintTheme.complaint_id)
    counts = session.execute(joined.add_columns(
        _count_if(current), _count_if(Complaint.received_at < start),
        _count_if(and_(current, Complaint.verdict == "justified")),
        _count_if(and_(current, Complaint.verdict == "unfounded")),
    ).where(_complaints_in(site_ids, before, end)).group_by(ComplaintTheme.theme_key)).all()
    now_only = _complaints_in(site_ids, start, end)
    cost: dict[str, dict[str, Decimal]] = defaultdict(dict)
    for key, currency, total in session.execute(joined.add_columns(
            Complaint.compensation_currency, func.sum(Complaint.compensation_amount))
            .where(now_only, Complaint.compensation_amount.is_not(None))
            .group_by(ComplaintTheme.theme_key, Complaint.compensation_currency)):
        cost[key][currency or ""] = Decimal(total or 0)
    categories: dict[str, dict[str, int]] = defaultdict(dict)
    for key, category, count in session.execute(joined.add_columns(Complaint.category, func.count())
                                                .where(now_only)
                                                .group_by(ComplaintTheme.theme_key, Complaint.category)):
        categories[key][category] = int(count)
    figures = [ComplaintThemeFigures(key, int(now), int(then), int(justified), int(unfounded), cost.get(key, {}),
                                     dict(sorted(categories.get(key, {}).items(), key=lambda item: -item[1])))
               for key, now, then, justified, unfounded in counts]
    return sorted(figures, key=lambda figure: (-figure.count, figure.key))


def complaint_themes(session: Session, site_ids: Sequence[int], period: Period) -> list[ComplaintThemeFigures]:
    """The complaints of ``site_ids`` received in ``period`` by theme, most frequent first."""
    return complaint_themes_between(session, site_ids, day_start(period.start), day_start(period.end))


def fastest_rising_complaint_theme(session: Session, site_ids: Sequence[int], start: dt.datetime,
                                   end: dt.datetime) -> ComplaintThemeFigures | None:
    """The theme whose complaints grew the most since the span before (None: none grew)."""
    rising = [figure for figure in complaint_themes_between(session, site_ids, start, end) if figure.change > 0]
    return max(rising, key=lambda figure: (figure.change, figure.count), default=None)


@dataclass(frozen=True)
class RisingTheme:
    """The complaint theme that grew the most, with its names to show in each language."""

    key: str
    names: Mapping[str, str]
    count: int
    previous_count: int

    def name(self, language: str) -> str:
        """The site's name of the theme in ``language``, else in English, else its key."""
        return self.names.get(language) or self.names.get("en") or self.key


def rising_complaint_theme(session: Session, site_id: int, start: dt.datetime,
                           end: dt.datetime) -> RisingTheme | None:
    """:func:`fastest_rising_complaint_theme` of one site, named as the site names it (for the digest)."""
    from .store import site_taxonomy

    figure = fastest_rising_complaint_theme(session, [site_id], start, end)
    if figure is None:
        return None
    taxonomy = site_taxonomy(session, site_id)
    names = taxonomy.theme(figure.key).names if figure.key in taxonomy.keys else {}
    return RisingTheme(figure.key, dict(names), figure.count, figure.previous_count)


@dataclass(frozen=True)
class ExampleComment:
    """A customer's comment about a theme; ``text[start:end]`` for each span is what to highlight."""

    response_id: int
    text: str
    spans: tuple[tuple[int, int], ...]
    language: str
    nps_score: int | None
    csat: str | None
    created_at: dt.datetime


def example_comments(session: Session, site_ids: Sequence[int], period: Period, theme_key: str, low: bool = True,
                     limit: int = 3) -> list[ExampleComment]:
    """The newest comments of ``period`` about ``theme_key`` given with a low score (or a high one).

    Low: NPS 0-6 or CSAT "bad"; high: NPS 9-10 or CSAT "excellent". Which text matched
    and where are read from what the worker stored (``matched``): nothing is analysed
    or compiled here. Rows stored before the worker kept them are left out (the
    migration that added them asked for a rebuild).
    """
    rt = ResponseTheme
    score = (or_(rt.nps_score <= DETRACTOR_MAX, rt.csat == "bad") if low
             else or_(rt.nps_score >= PROMOTER_MIN, rt.csat == "excellent"))
    query = (select(Response, rt.matched, Survey.questions)
             .join(rt, rt.response_id == Response.id).join(Survey, Survey.id == Response.survey_id)
             .where(rt.site_id.in_(site_ids), rt.theme_key == theme_key, score, rt.matched.is_not(None),
                    rt.created_at >= day_start(period.start), rt.created_at < day_start(period.end))
             .order_by(rt.created_at.desc(), rt.response_id.desc()).limit(limit * 3))
    examples: list[ExampleComment] = []
    for response, matched, questions in session.execute(query):
        example = _example(response, text_keys(questions or []), matched)
        if example is not None:
            examples.append(example)
        if len(examples) == limit:
            break
    return examples


def _example(response: Response, keys: tuple[str, ...], matched: str) -> ExampleComment | None:
    try:
        stored = json.loads(matched)
        text = response_texts(response.answers, response.comment, keys)[int(stored["text"])]
        spans = tuple((int(start), int(end)) for start, end in stored["spans"])
        language = str(stored["language"])
        words = [str(word) for word in stored["words"]]
    except (ValueError, KeyError, IndexError, TypeError):
        return None  # the answers changed since they were analysed (anonymised, say): not shown
    if not spans or [text[start:end] for start, end in spans] != words:
        return None
    return ExampleComment(response.id, text, spans, language, response.nps_score, response.csat,
                          response.created_at)
