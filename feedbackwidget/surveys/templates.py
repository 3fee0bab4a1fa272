"""The built-in survey templates, from what customer-service practice asks.

Texts are English msgids; :func:`survey_from_template` stores them translated
into every supported locale, so a shop can then edit each language's wording.
"""

from __future__ import annotations

from typing import Any

from ..core.i18n import N_, in_every_locale
from .questions import DEFAULT_SCALE

REASON = N_("What influenced your rating?")
# The anchors of the loyalty program's 0-10 scale: it asks how satisfied, not how likely.
SATISFACTION_SCALE = {"low": N_("0 = Not at all satisfied"), "high": N_("10 = Completely satisfied")}

TEMPLATES: dict[str, list[dict[str, Any]]] = {
    "nps": [
        {"key": "score", "type": "nps", "required": True, "metric": "nps",
         "text": N_("How likely are you to recommend us to a friend or colleague?"), "scale": DEFAULT_SCALE},
        {"key": "reason", "type": "text", "metric": "reason", "follow_up_of": "score", "text": REASON,
         "text_by_band": {
             "detractor": N_("We are sorry to hear that. What influenced your rating?"),
             "passive": N_("What influenced your rating? What would make it a 10?"),
             "promoter": N_("Thank you! What influenced your rating?"),
         }},
    ],
    "csat": [
        {"key": "rating", "type": "csat", "required": True, "metric": "csat",
         "text": N_("How would you rate our service?")},
        {"key": "reason", "type": "text", "metric": "reason", "text": REASON},
    ],
    "stock": [
        {"key": "in_stock", "type": "yes_no", "required": True, "metric": "in_stock",
         "text": N_("Did you find the goods you needed in stock?")},
        {"key": "missing", "type": "text", "show_if": {"question": "in_stock", "in": [False]},
         "text": N_("What was missing?")},
    ],
    "suggestions": [
        {"key": "suggestion", "type": "text", "required": True, "metric": "reason",
         "text": N_("Any suggestions? What could we do better?")},
    ],
    "loyalty": [
        {"key": "member", "type": "yes_no", "required": True,
         "text": N_("Are you a member of our loyalty program?")},
        {"key": "program_score", "type": "nps", "metric": "loyalty", "show_if": {"question": "member", "in": [True]},
         "text": N_("How satisfied are you with our loyalty program?"), "scale": SATISFACTION_SCALE},
        {"key": "preferred_reward", "type": "choice", "text": N_("Which reward would you prefer?"),
         "options": [
             {"value": "points", "text": N_("Bonus points")},
             {"value": "discount", "text": N_("Discounts")},
             {"value": "gift", "text": N_("Gifts")},
             {"value": "free_delivery", "text": N_("Free delivery")},
             {"value": "early_access", "text": N_("Early access to offers")},
         ]},
        {"key": "program_comment", "type": "text", "metric": "reason",
         "text": N_("What would make the program better for you?")},
    ],
}

# Option texts of CSAT answers, shown by the widget and the hosted page.
CSAT_LABELS = {"excellent": N_("Excellent"), "good": N_("Good"), "bad": N_("Bad")}


def _localize(question: dict[str, Any]) -> dict[str, Any]:
    localized = dict(question, text=in_every_locale(question["text"]))
    if "options" in question:
        localized["options"] = [dict(o, text=in_every_locale(o["text"])) for o in question["options"]]
    if "text_by_band" in question:
        localized["text_by_band"] = {band: in_every_locale(t) for band, t in question["text_by_band"].items()}
    if "scale" in question:
        localized["scale"] = {end: in_every_locale(t) for end, t in question["scale"].items()}
    return localized


def questions_from_template(template: str) -> list[dict[str, Any]]:
    """The questions of *template*, with texts in every supported locale.

    :raises KeyError: naming the known templates.
    """
    if template not in TEMPLATES:
        raise KeyError(f"unknown survey template {template!r}: use one of {sorted(TEMPLATES)}")
    return [_localize(question) for question in TEMPLATES[template]]
