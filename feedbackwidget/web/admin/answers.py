"""A response's answers as question/answer text: each question worded as the customer saw it.

The wording comes from the survey's stored questions in the response's language (a follow-up
question in the wording of the score's band, as the widget and the hosted page show it); when the
admin reads another language, the question in the admin's language is given beside it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ...metrics.formulas import nps_band
from ...core.models import Survey
from ...surveys.templates import CSAT_LABELS
from .locale import admin_locale, gettext


@dataclass(frozen=True)
class AnswerRow:
    question: str
    answer: str
    kind: str
    # The question in the admin's language when it differs from what the customer saw.
    translated: str | None = None


def _text(texts: Any, key: str, locale: str) -> str:
    if isinstance(texts, Mapping) and texts:
        return str(texts.get(locale) or texts.get("en") or next(iter(texts.values())))
    return texts if isinstance(texts, str) and texts else key


def _answer_text(question: Mapping[str, Any], value: Any, locale: str) -> str:
    kind = question.get("type")
    if kind == "yes_no" and isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    if kind == "csat" and value in CSAT_LABELS:
        return gettext(CSAT_LABELS[value])
    if kind == "choice":
        option = next((o for o in question.get("options", []) if o.get("value") == value), None)
        return _text(option["text"], str(value), locale) if option else str(value)
    return str(value)


def _wording(question: Mapping[str, Any], answers: Mapping[str, Any]) -> Any:
    """The question's texts by language; a follow-up's for the band of the score it follows."""
    score = answers.get(str(question.get("follow_up_of") or ""))
    band = nps_band(score) if isinstance(score, int) and not isinstance(score, bool) else None
    by_band = question.get("text_by_band") or {}
    return (by_band.get(band) if band and isinstance(by_band, Mapping) else None) or question.get("text")


def _row(question: Mapping[str, Any], answers: Mapping[str, Any], locale: str) -> AnswerRow:
    texts, key = _wording(question, answers), str(question["key"])
    seen, admin_text = _text(texts, key, locale), _text(texts, key, admin_locale())
    return AnswerRow(seen, _answer_text(question, answers[key], locale), str(question.get("type")),
                     admin_text if admin_text != seen else None)


def answer_rows(survey: Survey | None, answers: Mapping[str, Any], locale: str | None = None) -> list[AnswerRow]:
    """Each answered question in the survey's order, worded in *locale* (the response's language),
    then any answer it no longer asks."""
    questions = list(survey.questions) if survey else []
    shown_in = locale or admin_locale()
    rows = [_row(q, answers, shown_in) for q in questions if q.get("key") in answers]
    known = {q.get("key") for q in questions}
    rows.extend(AnswerRow(key, str(value), "") for key, value in answers.items() if key not in known)
    return rows
