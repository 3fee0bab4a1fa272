"""The site config the widget fetches: surveys and strings in one locale."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..sites import CompiledSurvey, SiteConfig
from .strings import widget_strings


def _text(texts: Mapping[str, str], locale: str, fallback: str) -> str:
    return texts.get(locale) or texts.get(fallback) or texts.get("en") or next(iter(texts.values()), "")


def public_question(raw: Mapping[str, Any], locale: str, fallback: str) -> dict[str, Any]:
    """One question as the widget needs it: texts in *locale* only."""
    question: dict[str, Any] = {
        "key": raw["key"],
        "type": raw["type"],
        "required": bool(raw.get("required", False)),
        "text": _text(raw.get("text", {}), locale, fallback),
    }
    if raw["type"] == "text":
        question["max_length"] = int(raw.get("max_length", 2000))
    if raw.get("options"):
        question["options"] = [
            {"value": o["value"], "text": _text(o.get("text", {}), locale, fallback)} for o in raw["options"]
        ]
    if raw.get("show_if"):
        question["show_if"] = raw["show_if"]
    if raw.get("follow_up_of"):
        question["follow_up_of"] = raw["follow_up_of"]
        question["text_by_band"] = {
            band: _text(texts, locale, fallback) for band, texts in raw.get("text_by_band", {}).items()
        }
    return question


def public_survey(survey: CompiledSurvey, locale: str, fallback: str) -> dict[str, Any]:
    return {
        "slug": survey.slug,
        "template": survey.template,
        "questions": [public_question(raw, locale, fallback) for raw in survey.raw_questions],
        "triggers": dict(survey.triggers),
    }


def public_site_config(site: SiteConfig, locale: str) -> dict[str, Any]:
    """The JSON body of ``GET /api/v1/sites/{key}/config``."""
    return {
        "site": {"key": site.key, "name": site.name, "default_locale": site.default_locale},
        "locale": locale,
        "widget": dict(site.settings["widget"]),
        "surveys": [public_survey(s, locale, site.default_locale) for s in site.surveys.values()],
        "strings": widget_strings(locale),
    }
