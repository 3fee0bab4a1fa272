"""The survey page's texts that have a built-in wording: the site's button, window title and thanks
(``sites.widget_texts``, shared by every survey of the site) and the answers of a three-answer (CSAT) or
yes/no question (its ``answer_texts``). Each is one field per language; an empty field means the
built-in translation, which the field shows as its placeholder, and clearing a field goes back to it.

The form's data given here holds only the fields the browser posted (:func:`posted_data`): a field a
script leaves out keeps what is stored.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import request
from wtforms import Field, Form, StringField, TextAreaField
from wtforms.validators import ValidationError

from ...core.i18n import N_, SUPPORTED_LOCALES, translate
from ...core.models import Survey
from ...sites.widget_texts import TEXT_LIMITS, site_texts
from ...surveys.questions import ANSWER_TEXT_MAX, FIXED_ANSWERS, own_answer_text
from ...surveys.templates import CSAT_LABELS
from ..forms import OneLine
from ..widget.strings import WIDGET_STRINGS, yes_no_texts
from .locale import ngettext

#: The site's own texts as the survey page heads them, in the order a visitor meets them.
SITE_TEXT_LABELS = {"button": N_("The button that opens the survey"),
                    "dialog_title": N_("The title above the questions"),
                    "thanks": N_("The thanks after sending")}


class TextLimit:
    """Validator: at most *limit* characters, said in the admin's language (WTForms' own Length is English)."""

    def __init__(self, limit: int) -> None:
        self.limit = limit

    def __call__(self, form: Form, field: Field) -> None:
        if isinstance(field.data, str) and len(field.data.strip()) > self.limit:
            raise ValidationError(ngettext("Shorten this text to %(num)s character or fewer.",
                                           "Shorten this text to %(num)s characters or fewer.", self.limit))


def site_field_name(name: str, locale: str) -> str:
    return f"own__{name}__{locale}"


def site_names_of(name: str) -> list[str]:
    """The form's fields of the site's text *name* in every language."""
    return [site_field_name(name, locale) for locale in SUPPORTED_LOCALES]


def answer_field_name(question_key: str, answer: str, locale: str) -> str:
    return f"answer__{question_key}__{answer}__{locale}"


def fixed_answers(question: Mapping[str, Any]) -> tuple[str, ...]:
    """The answers of *question* a shop may word itself (none unless it is a three-answer or yes/no one)."""
    return FIXED_ANSWERS.get(question["type"], ())


def own_fields(survey: Survey) -> dict[str, Field]:
    """The form's fields of the site's texts and of each fixed answer, per language."""
    fields: dict[str, Field] = {}
    for name, limit in TEXT_LIMITS.items():
        kind = TextAreaField if name == "thanks" else StringField
        for locale in SUPPORTED_LOCALES:
            fields[site_field_name(name, locale)] = kind(locale, validators=[TextLimit(limit), OneLine()])
    for question in survey.questions:
        for answer in fixed_answers(question):
            for locale in SUPPORTED_LOCALES:
                fields[answer_field_name(question["key"], answer, locale)] = StringField(
                    locale, validators=[TextLimit(ANSWER_TEXT_MAX), OneLine()])
    return fields


def own_values(survey: Survey, settings: Mapping[str, Any] | None) -> dict[str, str]:
    """The fields' values: the texts stored as the site's and the questions' own (empty: built-in)."""
    stored = site_texts(settings)
    values = {site_field_name(name, locale): stored.get(name, {}).get(locale, "")
              for name in TEXT_LIMITS for locale in SUPPORTED_LOCALES}
    for question in survey.questions:
        own = question.get("answer_texts") or {}
        values.update({answer_field_name(question["key"], answer, locale): own.get(answer, {}).get(locale, "")
                       for answer in fixed_answers(question) for locale in SUPPORTED_LOCALES})
    return values


def builtin_texts(survey: Survey) -> dict[str, str]:
    """Each field's built-in text in its language, shown as its placeholder (what an empty field means)."""
    texts = {site_field_name(name, locale): translate(locale, WIDGET_STRINGS[name])
             for name in TEXT_LIMITS for locale in SUPPORTED_LOCALES}
    for question in (q for q in survey.questions if fixed_answers(q)):
        for locale in SUPPORTED_LOCALES:
            if question["type"] == "csat":
                builtin = {value: translate(locale, CSAT_LABELS[value]) for value in FIXED_ANSWERS["csat"]}
            else:
                builtin = dict(zip(fixed_answers(question), yes_no_texts(question.get("metric"), locale)))
            texts.update({answer_field_name(question["key"], answer, locale): text for answer, text in builtin.items()})
    return texts


def answer_headings(survey: Survey, locale: str) -> dict[str, dict[str, str]]:
    """``{question key: {answer: its text in *locale*}}`` (its own, else built-in), to head its fields."""
    builtin = builtin_texts(survey)
    return {q["key"]: {answer: own_answer_text(q.get("answer_texts"), answer, locale)
                       or builtin[answer_field_name(q["key"], answer, locale)] for answer in fixed_answers(q)}
            for q in survey.questions if fixed_answers(q)}


def posted_data(form: Form) -> dict[str, Any]:
    """*form*'s data of the fields the request posted."""
    return {name: value for name, value in form.data.items() if name in request.form}


def _posted_or_stored(data: Mapping[str, Any], field_name: str, stored: str) -> str:
    return str(data.get(field_name) or "").strip() if field_name in data else stored


def edited_site_texts(settings: Mapping[str, Any] | None, data: Mapping[str, Any]) -> dict[str, dict[str, str]]:
    """The site's own texts with the posted fields' (an empty field: the built-in text)."""
    stored = site_texts(settings)
    return {name: {locale: _posted_or_stored(data, site_field_name(name, locale), stored.get(name, {}).get(locale, ""))
                   for locale in SUPPORTED_LOCALES} for name in TEXT_LIMITS}


def edited_answer_texts(question: Mapping[str, Any], data: Mapping[str, Any]) -> dict[str, dict[str, str]]:
    """*question*'s own answer texts with the posted fields', only those given (``{}``: all built-in)."""
    stored = question.get("answer_texts") or {}
    edited = {answer: {locale: text for locale in SUPPORTED_LOCALES if (text := _posted_or_stored(
                  data, answer_field_name(question["key"], answer, locale), stored.get(answer, {}).get(locale, "")))}
              for answer in fixed_answers(question)}
    return {answer: texts for answer, texts in edited.items() if texts}


def own_groups(survey: Survey) -> list[list[str]]:
    """The fields of each built-in-backed text, one list per text with a field per language."""
    groups = [site_names_of(name) for name in TEXT_LIMITS]
    return groups + [[answer_field_name(q["key"], answer, locale) for locale in SUPPORTED_LOCALES]
                     for q in survey.questions for answer in fixed_answers(q)]
