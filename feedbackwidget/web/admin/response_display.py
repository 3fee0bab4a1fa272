"""How a response reads in the admin: one badge style for every score, language names.

Every score (NPS, service rating, stock, loyalty program) is a badge with its meaning in words, so
colour is never the only signal; the tone (``good``, ``warn``, ``bad``) picks the badge's colours.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from babel import Locale, UnknownLocaleError

from ...core.i18n import N_
from ...metrics.formulas import nps_band
from ...surveys.templates import CSAT_LABELS
from .locale import admin_locale, gettext

BAND_NAMES = {"promoter": N_("Promoter"), "passive": N_("Passive"), "detractor": N_("Detractor")}
BAND_TONES = {"promoter": "good", "passive": "warn", "detractor": "bad"}
CSAT_TONES = {"excellent": "good", "good": "good", "bad": "bad"}


@dataclass(frozen=True)
class ScoreBadge:
    text: str
    tone: str  # "good", "warn", "bad" or "" (neutral)


def _scale_badge(template: str, score: int) -> ScoreBadge:
    band = nps_band(score) or "passive"
    return ScoreBadge(gettext(template, score=score, band=gettext(BAND_NAMES[band])), BAND_TONES[band])


def score_badges(response: Any) -> list[ScoreBadge]:
    """The badges of every score *response* holds, NPS first."""
    badges: list[ScoreBadge] = []
    if response.nps_score is not None:
        badges.append(_scale_badge(N_("NPS %(score)s · %(band)s"), response.nps_score))
    if response.csat:
        label = gettext(CSAT_LABELS[response.csat]) if response.csat in CSAT_LABELS else str(response.csat)
        badges.append(ScoreBadge(gettext(N_("Service: %(rating)s"), rating=label), CSAT_TONES.get(response.csat, "")))
    if response.in_stock is not None:
        badges.append(ScoreBadge(gettext(N_("In stock: yes")) if response.in_stock else gettext(N_("Not in stock")),
                                 "good" if response.in_stock else "bad"))
    if response.loyalty_score is not None:
        badges.append(_scale_badge(N_("Loyalty program %(score)s/10 · %(band)s"), response.loyalty_score))
    return badges


def language_name(code: str | None) -> str:
    """*code* as a language name in the admin's language, with its own name beside when they differ
    ("Hungarian (magyar)" for an English admin, "中文" for a Chinese one); the code when unknown."""
    if not code:
        return ""
    try:
        language = Locale.parse(code.replace("-", "_"))
        shown = language.get_display_name(admin_locale()) or code
        native = language.get_display_name(language) or shown
    except (UnknownLocaleError, ValueError):
        return code
    shown, native = shown[:1].upper() + shown[1:], native[:1].upper() + native[1:]
    return shown if shown == native else f"{shown} ({native})"
