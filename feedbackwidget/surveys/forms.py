"""WTForms form classes that validate a JSON ``answers`` object against a survey.

A form class is built once per survey version (see :mod:`feedbackwidget.sites`)
and instantiated per submission with ``data=answers``.  Its fields keep the JSON
value as it came, so that a boolean is never taken for an integer nor "5" for 5.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from wtforms import Field, Form
from wtforms.validators import StopValidation, ValidationError

from .questions import AnswerError, Question, check_answer, is_unanswered

RESERVED_KEYS = frozenset(name for name in dir(Form) if not name.startswith("__"))


class AnswerField(Field):  # type: ignore[misc]
    """A field holding one JSON answer, validated by its question's type."""

    def __init__(self, question: Question, **kwargs: Any) -> None:
        super().__init__(label=question.key, **kwargs)
        self.question = question

    def process_data(self, value: Any) -> None:
        self.data = value

    def pre_validate(self, form: AnswersForm) -> None:
        if is_unanswered(self.data):
            self.data = None
            if self.question.required and self.question.is_shown(form.raw_answers):
                raise StopValidation("This question must be answered.")
            raise StopValidation()
        try:
            self.data = check_answer(self.question, self.data)
        except AnswerError as err:
            raise ValidationError(str(err)) from err


class AnswersForm(Form):  # type: ignore[misc]
    """Base of the per-survey forms; ``raw_answers`` lets fields see each other."""

    raw_answers: Mapping[str, Any] = {}

    def __init__(self, answers: Mapping[str, Any]) -> None:
        self.raw_answers = answers
        super().__init__(data=dict(answers))

    def answers(self) -> dict[str, Any]:
        """The validated answers that were given, keyed by question key."""
        return {name: field.data for name, field in self._fields.items() if field.data is not None}

    def error_messages(self) -> dict[str, str]:
        """The first error of each field that failed, keyed by question key."""
        return {name: errors[0] for name, errors in self.errors.items() if errors}


def build_answers_form(slug: str, questions: Sequence[Question]) -> type[AnswersForm]:
    """Create the form class of survey *slug*.

    :raises ValueError: when a question key would shadow a form attribute.
    """
    fields: dict[str, Any] = {}
    for question in questions:
        if question.key in RESERVED_KEYS or question.key in fields:
            raise ValueError(f"survey {slug!r}: question key {question.key!r} is reserved or repeated: rename it")
        fields[question.key] = AnswerField(question=question)
    return type(f"AnswersForm_{slug}", (AnswersForm,), fields)
