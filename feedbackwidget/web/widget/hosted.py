"""The hosted survey page's form: WTForms fields for a survey, answers read back as JSON values.

The page validates nothing itself: the form only turns the posted strings into
the typed answers the JSON API takes (``"7"`` -> ``7``, ``"yes"`` -> ``True``),
then the same submission rules as the API apply (the survey's ``form_class``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from wtforms import Field, HiddenField, RadioField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length

from ..spam import SpamGuardedForm
from ...core.i18n import translate
from ...metrics.formulas import nps_band
from ...sites import CompiledSurvey
from ...surveys.questions import CSAT_VALUES, NPS_MAX, NPS_MIN, SCALE_ENDS, Question, own_answer_text
from ...surveys.templates import CSAT_LABELS
from .strings import yes_no_texts

FIELD_PREFIX = "q_"
YES_NO = {"yes": True, "no": False}
DIGITS = re.compile(r"[0-9]{1,9}")  # ASCII only ("²".isdigit()), short enough for int()


class HostedSurveyForm(SpamGuardedForm):
    """Base of the per-survey forms; ``submission_id`` makes a double submit harmless,
    the honeypot and the render time keep bots out; ``link`` carries a survey link's
    token in the posted body (never in a URL), so each open tab answers its own link."""

    submission_id = HiddenField()
    link = HiddenField()


def _text(texts: Mapping[str, str], locale: str, fallback: str) -> str:
    return texts.get(locale) or texts.get(fallback) or texts.get("en") or next(iter(texts.values()), "")


def answer_choices(question: Question, locale: str, fallback: str) -> list[tuple[str, str]]:
    """``(posted value, label)`` pairs of a question's answers; fixed ones in the question's own words
    where it has them in *locale* (as the widget shows them), else built-in."""
    own = question.answer_texts
    if question.type == "nps":
        return [(str(n), str(n)) for n in range(NPS_MIN, NPS_MAX + 1)]
    if question.type == "csat":
        return [(v, own_answer_text(own, v, locale) or translate(locale, CSAT_LABELS[v])) for v in CSAT_VALUES]
    if question.type == "yes_no":
        yes, no = yes_no_texts(question.metric, locale)
        return [("yes", own_answer_text(own, "yes", locale) or yes), ("no", own_answer_text(own, "no", locale) or no)]
    return [(o.value, _text(o.text, locale, fallback)) for o in question.options]


def scale_anchors(question: Question, locale: str, fallback: str) -> list[str]:
    """The anchors of a 0-10 question's scale in *locale*, low end first (none for other questions)."""
    return [_text(question.scale[end], locale, fallback) for end in SCALE_ENDS if end in question.scale]


def _field(question: Question, locale: str, fallback: str) -> Field:
    label = _text(question.text, locale, fallback)
    if question.type == "text":
        return TextAreaField(label, validators=[Length(max=question.max_length)],
                             render_kw={"maxlength": question.max_length, "rows": 4})
    choices = [SelectChoice(value, text) for value, text in answer_choices(question, locale, fallback)]
    return RadioField(label, choices=choices, validate_choice=False)


def hosted_form_class(survey: CompiledSurvey, locale: str, fallback: str) -> type[HostedSurveyForm]:
    """The form of *survey* with its labels in *locale*."""
    fields = {FIELD_PREFIX + q.key: _field(q, locale, fallback) for q in survey.questions}
    return type(f"HostedSurveyForm_{survey.slug}", (HostedSurveyForm,), fields)


def typed_answer(question: Question, posted: Any) -> Any:
    """The JSON value of one posted answer; what does not convert is passed on for the rules to refuse."""
    if posted is None or (isinstance(posted, str) and not posted.strip()):
        return None
    if question.type == "nps" and isinstance(posted, str) and DIGITS.fullmatch(posted):
        return int(posted)
    if question.type == "yes_no" and posted in YES_NO:
        return YES_NO[posted]
    return posted


def typed_answers(survey: CompiledSurvey, form: HostedSurveyForm) -> dict[str, Any]:
    """The answers of *form* as the API would receive them; questions not asked are left out."""
    answers: dict[str, Any] = {}
    for question in survey.questions:
        value = typed_answer(question, form[FIELD_PREFIX + question.key].data)
        if value is not None:
            answers[question.key] = value
    return {key: value for key, value in answers.items() if survey.question(key).is_shown(answers)}  # type: ignore[union-attr]


def nps_score(text: Any) -> int | None:
    """*text* as a 0-10 score (``"7"`` -> 7), or None when it is not one (``"7.5"``, ``"11"``, ``"²"``)."""
    if not isinstance(text, str) or not DIGITS.fullmatch(text) or len(text) > 2:
        return None
    score = int(text)
    return score if NPS_MIN <= score <= NPS_MAX else None


def linked_scores(survey: CompiledSurvey, args: Mapping[str, str]) -> dict[str, str]:
    """The 0-10 and three-answer (CSAT) answers a link chooses in advance, ``?<question key>=<answer>``
    (``?score=9``, ``?rating=good``).

    A value that is not an answer of its question is ignored, so a mangled link still opens the page.
    """
    scores = {q.key: nps_score(args.get(q.key)) for q in survey.questions if q.type == "nps"}
    chosen = {key: str(score) for key, score in scores.items() if score is not None}
    ratings = {q.key: args.get(q.key) for q in survey.questions if q.type == "csat"}
    return {**chosen, **{key: str(value) for key, value in ratings.items() if value in CSAT_VALUES}}


def preselect(form: HostedSurveyForm, answers: Mapping[str, str]) -> None:
    """Choose *answers* (by question key) on a form that has not been posted; keys of no question are skipped."""
    for key, value in answers.items():
        if FIELD_PREFIX + key in form:
            form[FIELD_PREFIX + key].data = value


def posted_value(value: Any) -> str:
    """A stored answer as the form posts it (``True`` -> ``"yes"``, ``7`` -> ``"7"``)."""
    return ("yes" if value else "no") if isinstance(value, bool) else str(value)


def posted_answers(answers: Mapping[str, Any]) -> dict[str, str]:
    """Stored *answers* as the form would post them, to show a link's earlier answer."""
    return {key: posted_value(value) for key, value in answers.items() if value is not None}


def word_follow_ups(survey: CompiledSurvey, form: HostedSurveyForm, locale: str, fallback: str) -> None:
    """Word each follow-up for the band of the score chosen on *form*, as the widget does; generic without one."""
    for question in survey.questions:
        score_field = FIELD_PREFIX + (question.follow_up_of or "")
        if question.follow_up_of and score_field in form:
            band_texts = question.text_by_band.get(nps_band(nps_score(form[score_field].data)) or "")
            form[FIELD_PREFIX + question.key].label.text = _text(band_texts or question.text, locale, fallback)
