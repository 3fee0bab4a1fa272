"""What the admin's theme pages read and ask of the themes area, in one place.

A thin adapter: the stored themes, drivers and rebuilds are :mod:`feedbackwidget.themes.store`'s
and :mod:`feedbackwidget.themes.drivers`'; this module only shapes their answers for the
admin's templates (names in the admin's language, links, highlighted examples).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from babel.dates import format_timedelta
from markupsafe import Markup
from sqlalchemy.orm import Session

from ...core.customer_text import visible_invisibles
from ...metrics.periods import Period
from ...core.models import Site
from ...themes import SiteTaxonomy, store
from ...themes.drivers import (
    MIN_ANSWERS,
    ComplaintThemeFigures,
    Drivers,
    Effect,
    ExampleComment,
    ThemeDriver,
    complaint_themes_between,
    drivers,
    example_comments,
)
from ...themes.effects import is_rising
from ...themes.topics import SiteTopics, forget_topic, site_topics


def site_edits(site: Site) -> SiteTaxonomy:
    """The owner's edits of the site's themes (none yet: the built-in themes)."""
    return store.site_edits(site.settings)


def save_edits(session: Session, site: Site, edits: SiteTaxonomy) -> None:
    """Store the edits and ask the worker to sort the site's answers again (the caller commits)."""
    store.save_site_edits(session, site.id, edits)


@dataclass(frozen=True)
class ComplaintThemeRow:
    """One row of the complaint analysis' "by theme" table."""

    name: str
    figures: ComplaintThemeFigures
    cost: str  # the compensation granted, each currency written out; "" for none


def themes_of_responses(session: Session, ids: Sequence[int]) -> dict[int, list[str]]:
    """The stored theme keys of each response, in key order."""
    return store.themes_of_responses(session, ids)


def emerging_for(session: Session, site: Site) -> SiteTopics:
    """The emerging topics the worker stored for the site (nothing is analysed in a request)."""
    return site_topics(session, site)


def updated_ago(computed_at: dt.datetime, now: dt.datetime, locale: str) -> str:
    """How long ago the topics were worked out, in the admin's language ("2 hours ago", "2 órája")."""
    since = min(computed_at - now, dt.timedelta(0))  # a worker's clock a little ahead is not "in 2 seconds"
    return format_timedelta(since, add_direction=True, locale=locale)


def topic_taken(session: Session, site: Site, phrase: str, language: str) -> None:
    """Take a topic off the emerging list: it became a theme (the caller commits)."""
    forget_topic(session, site.id, phrase, language)


# --- the dashboard's theme panels ----------------------------------------------------------

PANEL_SIZE = 5
EXAMPLES = 3
EXAMPLE_WINDOW = 280
EXAMPLE_LEAD = 80


@dataclass(frozen=True)
class PanelTheme:
    """One theme of a dashboard panel, ready to show."""

    key: str
    name: str
    url: str
    driver: ThemeDriver
    trend: str | None  # "rising", "falling" or None
    examples: list[ExampleComment]

    @property
    def effect(self) -> Effect:
        return self.driver.nps_effect


@dataclass(frozen=True)
class ThemePanels:
    """"What drives low scores" and "What customers praise" of a dashboard's sites and period."""

    low: list[PanelTheme]
    praise: list[PanelTheme]
    responses: int
    analysed: bool
    min_answers: int = MIN_ANSWERS


def theme_names(session: Session, site_ids: Sequence[int], language: str) -> dict[str, str]:
    """Each visible theme's name in *language*: the site's own name first (with several sites,
    the first site's that has the theme)."""
    names: dict[str, str] = {}
    for site_id in site_ids:
        for theme in store.site_taxonomy(session, site_id).themes:
            names.setdefault(theme.key, theme.name(language))
    return names


def theme_panels(session: Session, site_ids: Sequence[int], period: Period, language: str,
                 link: Callable[[str], str]) -> ThemePanels:
    """The two panels; *link* gives the responses list filtered by a theme key."""
    names = theme_names(session, site_ids, language)
    found = drivers(session, list(site_ids), period, list(names))
    low, praise = _split(found)

    def panel(chosen: list[ThemeDriver], low_scores: bool) -> list[PanelTheme]:
        return [PanelTheme(d.key, names[d.key], link(d.key), d, _trend(d, found),
                           example_comments(session, list(site_ids), period, d.key, low=low_scores, limit=EXAMPLES))
                for d in chosen[:PANEL_SIZE]]

    return ThemePanels(panel(low, True), panel(praise, False), found.responses, bool(found.themes))


def _direction(driver: ThemeDriver) -> float | None:
    """The effect's sign; with too few answers, the sign of the raw difference (not claimed as an effect)."""
    effect = driver.nps_effect
    if effect.points is not None:
        return effect.points
    if effect.score_with is None or effect.score_without is None:
        return None
    return effect.score_with - effect.score_without


def _split(found: Drivers) -> tuple[list[ThemeDriver], list[ThemeDriver]]:
    """Themes that lower the score and themes that raise it: measured effects first, strongest first,
    then those with too few answers, most mentioned first."""
    def order(driver: ThemeDriver) -> tuple[bool, float, int]:
        points = driver.nps_effect.points
        return (points is None, -abs(points or 0.0), -driver.mentions)

    low = [d for d in found.themes if (_direction(d) or 0) < 0]
    high = [d for d in found.themes if (_direction(d) or 0) > 0]
    return sorted(low, key=order), sorted(high, key=order)


def _trend(driver: ThemeDriver, found: Drivers) -> str | None:
    if driver.rising:
        return "rising"
    if is_rising(driver.previous_mentions, found.previous_responses, driver.mentions, found.responses):
        return "falling"
    return None


def highlighted(example: ExampleComment) -> Markup:
    """The comment (around its first match when long) with the matched words in ``<mark>``, isolated
    in ``<bdi>`` and its invisible characters shown, like every customer text of the admin."""
    text, spans = example.text, sorted(example.spans)
    start = max(0, spans[0][0] - EXAMPLE_LEAD) if spans and len(text) > EXAMPLE_WINDOW else 0
    end = min(len(text), start + EXAMPLE_WINDOW)
    parts: list[Markup] = [Markup("…")] if start else []
    position = start
    for span_start, span_end in spans:
        span_start, span_end = max(span_start, position), min(span_end, end)
        if span_start >= span_end:
            continue
        parts += [visible_invisibles(text[position:span_start]), Markup("<mark>"),
                  visible_invisibles(text[span_start:span_end]), Markup("</mark>")]
        position = span_end
    parts.append(visible_invisibles(text[position:end]))
    if end < len(text):
        parts.append(Markup("…"))
    return Markup("<bdi>") + Markup("").join(parts) + Markup("</bdi>")
