"""The survey page's texts: one form field per text a customer reads, per language (the question, each
answer of a choice, a 0-10 scale's anchors, the follow-up's texts by score band, and those with a built-in
wording, ``survey_own_texts``), their values from the stored survey, the survey's questions with the form's
texts, and how many texts each language misses."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from wtforms import StringField, TextAreaField

from ...core.i18n import N_, SUPPORTED_LOCALES
from ...core.models import Survey
from ...surveys.questions import SCALE_ENDS, question_scale
from ..forms import OneLine, ProtectedForm
from .forms import SurveyTriggersForm
from .survey_own_texts import TextLimit, answer_field_name, edited_answer_texts, own_fields, own_groups, own_values
from .trigger_fields import trigger_values

TEXT_MAX = 500


def text_field_name(question_key: str, locale: str, option: str | None = None) -> str:
    return f"text__{question_key}__{option or ''}__{locale}"


def scale_field_name(question_key: str, end: str, locale: str) -> str:
    return f"scale__{question_key}__{end}__{locale}"


#: The follow-up text a customer reads after a score in each band, named by the band's scores.
BAND_LABELS = {"detractor": N_("The question after a score of 0 to 6"),
               "passive": N_("The question after a score of 7 or 8"),
               "promoter": N_("The question after a score of 9 or 10")}


def band_field_name(question_key: str, band: str, locale: str) -> str:
    return f"band__{question_key}__{band}__{locale}"


def names_of(question_key: str, option: str | None = None, end: str | None = None,
             band: str | None = None, answer: str | None = None) -> list[str]:
    """The form's fields of one text in every language (the question's, an answer's, a 0-10 anchor's,
    a band's follow-up or a fixed *answer*'s)."""
    if answer:
        return [answer_field_name(question_key, answer, locale) for locale in SUPPORTED_LOCALES]
    if band:
        return [band_field_name(question_key, band, locale) for locale in SUPPORTED_LOCALES]
    if end:
        return [scale_field_name(question_key, end, locale) for locale in SUPPORTED_LOCALES]
    return [text_field_name(question_key, locale, option) for locale in SUPPORTED_LOCALES]


def survey_form_class(survey: Survey) -> type[ProtectedForm]:
    """A form with one field per question (option, 0-10 anchor) text per language, the texts with a
    built-in wording (the site's button, title and thanks; fixed answers), plus the trigger controls."""
    fields: dict[str, Any] = own_fields(survey)
    one_line = [TextLimit(TEXT_MAX), OneLine()]
    for question in survey.questions:
        ends = SCALE_ENDS if question["type"] == "nps" else ()
        for locale in SUPPORTED_LOCALES:
            fields[text_field_name(question["key"], locale)] = TextAreaField(locale, validators=one_line)
            for option in question.get("options", []):
                name = text_field_name(question["key"], locale, option["value"])
                fields[name] = StringField(locale, validators=one_line)
            for end in ends:
                fields[scale_field_name(question["key"], end, locale)] = StringField(locale, validators=one_line)
            for band in question.get("text_by_band") or {}:
                fields[band_field_name(question["key"], band, locale)] = TextAreaField(locale, validators=one_line)
    return type("SurveyForm", (SurveyTriggersForm,), fields)


def survey_values(survey: Survey, site_settings: Mapping[str, Any] | None) -> dict[str, Any]:
    """The form's values: the stored texts (the site's own ones from *site_settings*); a 0-10 question
    stored without anchors shows the defaults."""
    values: dict[str, Any] = {**trigger_values(survey.triggers), **own_values(survey, site_settings)}
    for question in survey.questions:
        for locale in SUPPORTED_LOCALES:
            values[text_field_name(question["key"], locale)] = question.get("text", {}).get(locale, "")
            for option in question.get("options", []):
                values[text_field_name(question["key"], locale, option["value"])] = option["text"].get(locale, "")
            for band, texts in (question.get("text_by_band") or {}).items():
                values[band_field_name(question["key"], band, locale)] = texts.get(locale, "")
        if question["type"] == "nps":
            values.update({scale_field_name(question["key"], end, locale): texts.get(locale, "")
                           for end, texts in question_scale(question).items() for locale in SUPPORTED_LOCALES})
    return values


def _edited_scale(question: dict[str, Any], data: dict[str, Any]) -> dict[str, dict[str, str]] | None:
    """A 0-10 question's anchors with the texts of the form (an empty text keeps the old one); None
    while a question stored without anchors keeps the defaults, so they stay translated by the server."""
    current = question_scale(question)
    edited = {end: {loc: text for loc in SUPPORTED_LOCALES
                    if (text := data.get(scale_field_name(question["key"], end, loc)) or texts.get(loc, ""))}
              for end, texts in current.items()}
    return edited if question.get("scale") or edited != current else None


def apply_texts(survey: Survey, data: dict[str, Any]) -> list[dict[str, Any]]:
    """The survey's questions with the texts of the form; an empty text keeps the old one, except a
    fixed answer's, which goes back to the built-in text (*data*: the posted fields only)."""
    questions = []
    for question in survey.questions:
        texts = {loc: data.get(text_field_name(question["key"], loc)) or question["text"].get(loc, "")
                 for loc in SUPPORTED_LOCALES}
        options = [dict(o, text={loc: data.get(text_field_name(question["key"], loc, o["value"])) or o["text"].get(loc, "")
                                 for loc in SUPPORTED_LOCALES}) for o in question.get("options", [])]
        scale = _edited_scale(question, data) if question["type"] == "nps" else None
        bands = {band: {loc: data.get(band_field_name(question["key"], band, loc)) or old.get(loc, "")
                        for loc in SUPPORTED_LOCALES} for band, old in (question.get("text_by_band") or {}).items()}
        answers = edited_answer_texts(question, data)
        edited = {key: value for key, value in question.items() if key != "answer_texts"}
        questions.append(dict(edited, text=texts, **({"options": options} if options else {}),
                              **({"text_by_band": bands} if bands else {}),
                              **({"scale": scale} if scale else {}),
                              **({"answer_texts": answers} if answers else {})))
    return questions


def missing_texts(survey: Survey, filled: set[str]) -> dict[str, int]:
    """``{locale: how many of the texts a customer can read are empty in it}`` (the question, each
    answer, a 0-10 question's anchors, the follow-up's texts by band); a text with a built-in wording
    is missing only where another language has its own (else every language reads the built-in one)."""
    groups = [names_of(q["key"]) for q in survey.questions]
    groups += [names_of(q["key"], option=o["value"]) for q in survey.questions for o in q.get("options", [])]
    groups += [names_of(q["key"], end=end) for q in survey.questions if q["type"] == "nps" for end in SCALE_ENDS]
    groups += [names_of(q["key"], band=band) for q in survey.questions for band in q.get("text_by_band") or {}]
    groups += [names for names in own_groups(survey) if any(name in filled for name in names)]
    return {locale: sum(names[i] not in filled for names in groups) for i, locale in enumerate(SUPPORTED_LOCALES)}
