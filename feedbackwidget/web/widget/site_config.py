"""The site config the widget fetches: surveys, triggers, look, complaints and strings in one locale.

The complaint form of the widget is a plug-in point: it appears only when this
config says ``"complaints": {"enabled": true, ...}``, which it does when the app
answers ``POST <prefix>/api/v1/sites/{key}/complaints`` and the site has not
switched the entry off (``settings.widget.show_complaints = false``).  The shape::

    "complaints": {"enabled": true,
                   "categories": [{"value": "delivery", "text": "Szállítás"}, ...],
                   "privacy_policy_url": "https://shop.example/privacy" or null,
                   "privacy_policy_version": "1"}

The widget then POSTs the complaint API's body (JSON, with an ``Idempotency-Key`` header)::

    {"category": "delivery", "description": "...", "desired_resolution": "...", "name": "...",
     "email": "...", "order_number": "A-1" or null, "consent": true, "locale": "hu",
     "customer": {"id": ..., "loyalty_tier": ...}}   # customer only after FeedbackWidget.identify()
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from flask import current_app, has_request_context, request
from werkzeug.exceptions import HTTPException

from ...core import config
from ...core.state import get_state
from ...core.i18n import translate
from ...metrics.formulas import NPS_BANDS
from ...sites import CompiledSurvey, SiteConfig
from ...sites.widget_texts import SETTINGS_KEY as WIDGET_TEXTS
from ...surveys.questions import CSAT_VALUES, NPS_MAX, NPS_MIN, own_answer_text, question_scale
from ...surveys.templates import CSAT_LABELS
from .encoding import Encoded
from .strings import category_label, config_strings, yes_no_texts
from .triggers import public_triggers

POSITIONS: tuple[str, ...] = ("bottom-right", "bottom-left", "right")
DEFAULT_COLOR = "#1f5fbf"
COLOR = re.compile(r"#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})")
CATCH_ALL_ENDPOINT = "feedbackwidget.api.unknown_endpoint"


def _text(texts: Mapping[str, str], locale: str, fallback: str) -> str:
    return texts.get(locale) or texts.get(fallback) or texts.get("en") or next(iter(texts.values()), "")


def fixed_options(kind: str, locale: str, metric: str | None = None,
                  own: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
    """The options of a question type with fixed answers (none for choice and text), in *locale*
    (a yes/no question's in the words of its *metric*: a stock question's answers are its own), each
    in the question's *own* words (its ``answer_texts``) where it has them in *locale*."""
    if kind == "nps":
        return [{"value": n, "text": str(n)} for n in range(NPS_MIN, NPS_MAX + 1)]
    if kind == "csat":
        return [{"value": v, "text": own_answer_text(own, v, locale) or translate(locale, CSAT_LABELS[v])}
                for v in CSAT_VALUES]
    if kind == "yes_no":
        yes, no = yes_no_texts(metric, locale)
        return [{"value": True, "text": own_answer_text(own, "yes", locale) or yes},
                {"value": False, "text": own_answer_text(own, "no", locale) or no}]
    return []


def public_question(raw: Mapping[str, Any], locale: str, fallback: str) -> dict[str, Any]:
    """One question as the widget needs it: texts in *locale* only, the options of every
    question with a choice of answers (the widget renders them as they come) and the anchors
    of a 0-10 scale (its own, else "0 = Not at all likely" and "10 = Extremely likely"); a follow-up's
    texts by band come as a list, detractor, passive, promoter."""
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
    elif raw["type"] in ("nps", "csat", "yes_no"):
        question["options"] = fixed_options(raw["type"], locale, raw.get("metric"), raw.get("answer_texts"))
    if raw["type"] == "nps":
        question["scale"] = {end: _text(texts, locale, fallback) for end, texts in question_scale(raw).items()}
    if raw.get("show_if"):
        question["show_if"] = raw["show_if"]
    if raw.get("follow_up_of"):
        question["follow_up_of"] = raw["follow_up_of"]
        # A list in NPS_BANDS' order, which the widget picks from by the score; null: the question's text.
        texts_by_band = raw.get("text_by_band", {})
        question["text_by_band"] = [
            _text(texts_by_band[band], locale, fallback) if texts_by_band.get(band) else None for band in NPS_BANDS
        ]
    return question


def public_survey(survey: CompiledSurvey, locale: str, fallback: str) -> dict[str, Any]:
    return {
        "slug": survey.slug,
        "template": survey.template,
        "questions": [public_question(raw, locale, fallback) for raw in survey.raw_questions],
        "triggers": public_triggers(survey.triggers),
    }


def on_color(color: str) -> str:
    """Black or white (#111 or #fff), whichever contrasts more with *color* (#rgb or #rrggbb).

    With the WCAG relative luminance L of *color*, the contrast is (L + .05) / .05 against black
    and 1.05 / (L + .05) against white.
    """
    hex_digits = color[1:] if len(color) == 7 else "".join(c * 2 for c in color[1:])
    channels = [int(hex_digits[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return "#111" if (luminance + 0.05) / 0.05 > 1.05 / (luminance + 0.05) else "#fff"


def public_widget_settings(settings: Mapping[str, Any], asked: Mapping[str, str | None] | None = None) -> dict[str, Any]:
    """The look of the widget: position, colour (with the text colour on it) and whether the
    Feedback button shows. *asked* is what the shop's page asked for (``data-position``,
    ``data-color``), which wins over the site's settings where it is valid."""
    widget, asked = settings.get("widget", {}), asked or {}

    colors = [c for c in (asked.get("color"), widget.get("color")) if isinstance(c, str) and COLOR.fullmatch(c)]
    color = colors[0] if colors else DEFAULT_COLOR
    position = next((p for p in (asked.get("position"), widget.get("position")) if p in POSITIONS), POSITIONS[0])
    return {"position": position, "color": color, "on_color": on_color(color),
            "show_button": widget.get("show_button", True) is not False}


def asked_look() -> dict[str, str | None]:
    """The look the widget's page asks for: the config request's ``color`` and ``position``."""
    if not has_request_context():
        return {}
    return {"color": request.args.get("color"), "position": request.args.get("position")}


def complaint_api_available() -> bool:
    """Whether this app answers ``POST .../sites/{key}/complaints`` (the complaint area is installed)."""
    if not has_request_context():
        return False
    prefix = current_app.config[config.URL_PREFIX]
    adapter = current_app.url_map.bind("localhost")
    try:
        endpoint, _ = adapter.match(f"{prefix}/api/v1/sites/_/complaints", method="POST")
    except HTTPException:
        return False
    return bool(endpoint != CATCH_ALL_ENDPOINT)


def public_complaints(site: SiteConfig, locale: str) -> dict[str, Any]:
    """The ``complaints`` block of the config: ``{"enabled": false}`` unless the form can be used."""
    if site.settings.get("widget", {}).get("show_complaints") is False or not complaint_api_available():
        return {"enabled": False}
    policy_url = site.settings.get("privacy_policy_url")
    return {
        "enabled": True,
        "categories": [{"value": c, "text": category_label(locale, c)} for c in site.settings["complaint_categories"]],
        "privacy_policy_url": policy_url if isinstance(policy_url, str) and policy_url.startswith("http") else None,
        "privacy_policy_version": str(site.settings.get("privacy_policy_version") or "1"),
    }


def public_site_config(site: SiteConfig, locale: str) -> dict[str, Any]:
    """The JSON body of ``GET /api/v1/sites/{key}/config``.

    The strings are the survey dialog's, as a list in the order of ``CONFIG_STRINGS``
    (``strings.py``): answer labels come as question options, the complaint form's own strings
    with its script (see ``assets.py``), and "Something went wrong? Tell us" only when the form
    is offered.
    """
    complaints = public_complaints(site, locale)
    strings = config_strings(locale, complaints["enabled"], site.settings.get(WIDGET_TEXTS))
    return {
        "site": {"key": site.key, "name": site.name, "default_locale": site.default_locale},
        "locale": locale,
        "widget": public_widget_settings(site.settings, asked_look()),
        # The widget waits this long after showing a form before sending it (spam defence).
        "min_fill_ms": round(float(current_app.config[config.MIN_FILL_SECONDS]) * 1000),
        "complaints": complaints,
        "surveys": [public_survey(s, locale, site.default_locale) for s in site.surveys.values()],
        "strings": strings,
    }


CONFIG_BODIES_KEY = "widget.config_bodies"
CONFIG_BODIES_MAX = 4096
#: The config changes with the site; a high brotli quality would cost each change ~10 ms.
CONFIG_BROTLI_QUALITY = 5


def encoded_site_config(site: SiteConfig, locale: str) -> Encoded:
    """The config of *site* in *locale* for the look the page asks for, serialised and compressed
    once per version of the site (the site cache hands out a new :class:`SiteConfig` when the
    site changes), so a page view costs a dictionary look-up instead of building and gzipping."""
    look = asked_look()
    bodies: dict[tuple[str, str, Any, Any], tuple[SiteConfig, Encoded]] = get_state().extras.setdefault(
        CONFIG_BODIES_KEY, {})
    cache_key = (site.key, locale, look.get("color"), look.get("position"))
    cached = bodies.get(cache_key)
    if cached is not None and cached[0] is site:
        return cached[1]
    # UTF-8, not \u escapes: Hungarian and Chinese texts travel in half the bytes or less.
    body = json.dumps(public_site_config(site, locale), ensure_ascii=False, separators=(",", ":")).encode()
    encoded = Encoded.of(body, brotli_quality=CONFIG_BROTLI_QUALITY, mimetype="application/json")
    if len(bodies) >= CONFIG_BODIES_MAX:
        bodies.clear()
    bodies[cache_key] = (site, encoded)
    return encoded
