"""HTML forms of the complaint pages (hosted form, staff intake, workflow actions).

The fields only carry what was typed: the rules are in
:func:`~feedbackwidget.complaints.validation.validate_complaint`, shared with the
JSON API, and its problems are put back on the fields with :func:`show_problems`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from wtforms import BooleanField, HiddenField, SelectField, StringField, TextAreaField

from ..forms import ProtectedForm
from ..spam import SpamGuardedForm
from ...complaints.validation import InvalidComplaint

COMPLAINT_FIELDS = (
    "name", "email", "phone", "order_number", "category", "description", "desired_resolution", "consent",
)


class ComplaintForm(SpamGuardedForm):
    """The customer's complaint form; ``submission_id`` makes a double submit harmless,
    the honeypot and the render time keep bots out."""

    name = StringField()
    email = StringField()
    phone = StringField()
    order_number = StringField()
    category = SelectField(choices=[], validate_choice=False)
    description = TextAreaField()
    desired_resolution = TextAreaField()
    consent = BooleanField()
    submission_id = HiddenField()

    def values(self) -> dict[str, Any]:
        """The typed values, as :func:`validate_complaint` takes them."""
        return {name: self[name].data for name in COMPLAINT_FIELDS}


def show_problems(form: ProtectedForm, error: InvalidComplaint, translate: Callable[[str], str]) -> None:
    """Put each field's problem, translated, on the form's field of the same name."""
    for name, message in error.messages(translate).items():
        if name in form:
            form[name].errors = [*form[name].errors, message]
