"""Question definitions and the registry of question types (one source of truth).

A survey stores its questions as JSON; :func:`parse_question` turns one into a
typed :class:`Question`.  Each type knows how to validate a JSON answer and how
to describe itself in the public config and in the OpenAPI document.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..core.i18n import N_, in_every_locale
from ..core.plain_text import has_control_characters

NPS_MIN, NPS_MAX = 0, 10
# The ends of a 0-10 scale; each question names them in its own words ("scale": {"low": {locale: text}, ...}).
SCALE_ENDS: tuple[str, ...] = ("low", "high")
# The anchors of a 0-10 question that has none of its own (one stored before questions had them).
DEFAULT_SCALE: dict[str, str] = {"low": N_("0 = Not at all likely"), "high": N_("10 = Extremely likely")}
CSAT_VALUES: tuple[str, ...] = ("excellent", "good", "bad")
# The answers of the types whose answers are fixed, as a shop may word them itself ("answer_texts":
# {answer: {locale: text}}; a language without one gets the built-in translation).
FIXED_ANSWERS: dict[str, tuple[str, ...]] = {"csat": CSAT_VALUES, "yes_no": ("yes", "no")}
ANSWER_TEXT_MAX = 60
DEFAULT_TEXT_MAX_LENGTH = 2000
# Control characters other than tab and line breaks, which free text may hold.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")

# Which indexed column of fw_responses a question's answer feeds.
METRICS: tuple[str, ...] = ("nps", "csat", "in_stock", "loyalty", "reason")


class AnswerError(ValueError):
    """An answer that does not fit its question; the message is shown to the client."""


@dataclass(frozen=True)
class Option:
    value: str
    text: Mapping[str, str]


@dataclass(frozen=True)
class Question:
    """One question of a survey, as stored in ``fw_surveys.questions``."""

    key: str
    type: str
    text: Mapping[str, str]
    required: bool = False
    options: tuple[Option, ...] = ()
    max_length: int = DEFAULT_TEXT_MAX_LENGTH
    metric: str | None = None
    # {"question": key, "in": [values]}: asked only when that answer is one of the values.
    show_if: Mapping[str, Any] | None = None
    # A follow-up whose wording depends on the NPS band of another question.
    follow_up_of: str | None = None
    text_by_band: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    # A 0-10 question's anchors by end ("low", "high"), each {locale: text}.
    scale: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    # A three-answer or yes/no question's own wording of its answers by answer, each {locale: text}.
    answer_texts: Mapping[str, Mapping[str, str]] = field(default_factory=dict)

    def is_shown(self, answers: Mapping[str, Any]) -> bool:
        """Whether the visitor is asked this question, given the other *answers*."""
        if not self.show_if:
            return True
        return answers.get(self.show_if["question"]) in self.show_if["in"]


def _check_nps(question: Question, value: Any) -> int:
    if type(value) is not int or not NPS_MIN <= value <= NPS_MAX:
        raise AnswerError(f"Must be a whole number from {NPS_MIN} to {NPS_MAX}.")
    return value


def _check_csat(question: Question, value: Any) -> str:
    if value not in CSAT_VALUES or not isinstance(value, str):
        raise AnswerError("Must be one of: " + ", ".join(CSAT_VALUES) + ".")
    return value


def _check_yes_no(question: Question, value: Any) -> bool:
    if type(value) is not bool:
        raise AnswerError("Must be true or false.")
    return value


def _check_choice(question: Question, value: Any) -> str:
    allowed = [option.value for option in question.options]
    if not isinstance(value, str) or value not in allowed:
        raise AnswerError("Must be one of: " + ", ".join(allowed) + ".")
    return value


def _check_text(question: Question, value: Any) -> str:
    if not isinstance(value, str):
        raise AnswerError("Must be text.")
    if len(value) > question.max_length:
        raise AnswerError(f"Must be at most {question.max_length} characters long.")
    if CONTROL_CHARACTERS.search(value):
        raise AnswerError("Must not contain control characters.")
    return value


@dataclass(frozen=True)
class QuestionType:
    """What a question type accepts and how it is described to clients."""

    name: str
    check: Callable[[Question, Any], Any]
    json_schema: Callable[[Question], dict[str, Any]]


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


QUESTION_TYPES: dict[str, QuestionType] = {
    qt.name: qt
    for qt in (
        QuestionType("nps", _check_nps, lambda q: {"type": "integer", "minimum": NPS_MIN, "maximum": NPS_MAX}),
        QuestionType("csat", _check_csat, lambda q: {"type": "string", "enum": list(CSAT_VALUES)}),
        QuestionType("yes_no", _check_yes_no, lambda q: {"type": "boolean"}),
        QuestionType("choice", _check_choice, lambda q: {"type": "string", "enum": [o.value for o in q.options]}),
        QuestionType("text", _check_text, lambda q: {"type": "string", "maxLength": q.max_length}),
    )
}


def check_answer(question: Question, value: Any) -> Any:
    """Return *value* if it is a valid answer to *question*, else raise :class:`AnswerError`."""
    if isinstance(value, float) and not math.isfinite(value):
        raise AnswerError("Must be a finite value.")
    return QUESTION_TYPES[question.type].check(question, value)


def is_unanswered(value: Any) -> bool:
    """An absent answer: null, or text that is only white space."""
    return _is_blank(value)


def question_scale(raw: Mapping[str, Any]) -> dict[str, Mapping[str, str]]:
    """The anchors of 0-10 question *raw* by end: its own, else :data:`DEFAULT_SCALE` in every locale."""
    own = raw.get("scale")
    return {end: own[end] if own else in_every_locale(DEFAULT_SCALE[end]) for end in SCALE_ENDS}


def _check_scale(key: str, kind: str, scale: Any) -> None:
    """:raises ValueError: unless *scale* names both ends of a 0-10 question, each in at least one locale."""
    example = '{"low": {"en": "0 = Not at all satisfied"}, "high": {"en": "10 = Completely satisfied"}}'
    if kind != "nps":
        raise ValueError(f"question {key!r} of type {kind!r} has a 'scale': only a 0-10 question (nps) has anchors")
    if not isinstance(scale, Mapping) or sorted(scale) != sorted(SCALE_ENDS):
        raise ValueError(f"question {key!r} has scale {scale!r}: give both ends, e.g. {example}")
    for end in SCALE_ENDS:
        texts = scale[end]
        if not isinstance(texts, Mapping) or not texts or not all(
                isinstance(locale, str) and isinstance(text, str) and text.strip() for locale, text in texts.items()):
            raise ValueError(f"question {key!r} has scale {end!r} {texts!r}: give it as {{locale: text}}, e.g. {example}")


def own_answer_text(answer_texts: Mapping[str, Any] | None, answer: str, locale: str) -> str:
    """A question's own text of fixed *answer* (``"good"``, ``"yes"``) in *locale*, "" when it has none."""
    by_locale = (answer_texts or {}).get(answer)
    text = by_locale.get(locale) if isinstance(by_locale, Mapping) else None
    return text if isinstance(text, str) else ""


def _check_answer_texts(key: str, kind: str, texts: Any) -> None:
    """:raises ValueError: unless *texts* words answers of a question with fixed ones, one line each."""
    example = '{"excellent": {"hu": "Kiváló!"}}' if kind != "yes_no" else '{"yes": {"zh": "有"}}'
    answers = FIXED_ANSWERS.get(kind)
    if answers is None:
        raise ValueError(f"question {key!r} of type {kind!r} has 'answer_texts': only {sorted(FIXED_ANSWERS)} have them")
    if not isinstance(texts, Mapping) or not set(texts) <= set(answers):
        raise ValueError(f"question {key!r} has answer_texts {texts!r}: word its answers {list(answers)}, e.g. {example}")
    for answer, by_locale in texts.items():
        if not isinstance(by_locale, Mapping) or not all(
                isinstance(text, str) and len(text) <= ANSWER_TEXT_MAX and not has_control_characters(text)
                for text in by_locale.values()):
            raise ValueError(f"question {key!r} has answer text {answer!r} {by_locale!r}: give it as {{locale: text}}, "
                             f"one line of at most {ANSWER_TEXT_MAX} characters, e.g. {example}")


def parse_question(raw: Mapping[str, Any]) -> Question:
    """Build a :class:`Question` from its stored JSON form.

    :raises ValueError: naming the key and what is wrong, for a bad definition.
    """
    key, kind = raw.get("key"), raw.get("type")
    if not isinstance(key, str) or not key:
        raise ValueError(f"question {raw!r} has no 'key': give every question a unique key")
    if kind not in QUESTION_TYPES:
        raise ValueError(f"question {key!r} has type {kind!r}: use one of {sorted(QUESTION_TYPES)}")
    if raw.get("metric") not in (None, *METRICS):
        raise ValueError(f"question {key!r} has metric {raw['metric']!r}: use one of {list(METRICS)}")
    options = tuple(Option(o["value"], o.get("text", {})) for o in raw.get("options", ()))
    if kind == "choice" and not options:
        raise ValueError(f"choice question {key!r} has no options: add at least one")
    if "scale" in raw:
        _check_scale(key, kind, raw["scale"])
    if "answer_texts" in raw:
        _check_answer_texts(key, kind, raw["answer_texts"])
    return Question(
        key=key,
        type=kind,
        text=raw.get("text", {}),
        required=bool(raw.get("required", False)),
        options=options,
        max_length=int(raw.get("max_length", DEFAULT_TEXT_MAX_LENGTH)),
        metric=raw.get("metric"),
        show_if=raw.get("show_if"),
        follow_up_of=raw.get("follow_up_of"),
        text_by_band=raw.get("text_by_band", {}),
        scale=question_scale(raw) if kind == "nps" else {},
        answer_texts=raw.get("answer_texts", {}),
    )
