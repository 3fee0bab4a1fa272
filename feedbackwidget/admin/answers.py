"""A response's answers as question/answer text in the admin's language."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..models import Survey
from ..surveys.templates import CSAT_LABELS
from .locale import admin_locale, gettext


@dataclass(frozen=True)
class AnswerRow:
    question: str
    answer: str
    kind: str


def _text(texts: Any, key: str) -> str:
    if isinstance(texts, Mapping):
        return str(texts.get(admin_locale()) or texts.get("en") or next(iter(texts.values()), key))
    return key


def _answer_text(question: Mapping[str, Any], value: Any) -> str:
    kind = question.get("type")
    if kind == "yes_no" and isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    if kind == "csat" and value in CSAT_LABELS:
        return gettext(CSAT_LABELS[value])
    if kind == "choice":
        option = next((o for o in question.get("options", []) if o.get("value") == value), None)
        return _text(option["text"], str(value)) if option else str(value)
    return str(value)


def answer_rows(survey: Survey | None, answers: Mapping[str, Any]) -> list[AnswerRow]:
    """Each answered question in the survey's order, then any answer it no longer asks."""
    questions = list(survey.questions) if survey else []
    rows = [AnswerRow(_text(q.get("text"), q["key"]), _answer_text(q, answers[q["key"]]), str(q.get("type")))
            for q in questions if q.get("key") in answers]
    known = {q.get("key") for q in questions}
    rows.extend(AnswerRow(key, str(value), "") for key, value in answers.items() if key not in known)
    return rows
