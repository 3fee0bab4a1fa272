"""Base class of every HTML form feedbackwidget renders (hosted pages, admin).

CSRF protection is per form (Flask-WTF's ``FlaskForm``), never a global
``CSRFProtect`` on the host app.  Tokens are signed with feedbackwidget's own
secret key; the raw token lives in the Flask session under Flask-WTF's key.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask_wtf import FlaskForm
from wtforms.fields.choices import SelectChoice
from wtforms.validators import ValidationError

from ..core.addresses import AddressError, parse_address
from ..core.state import get_state
from ..core.plain_text import ONE_LINE, has_control_characters

#: Each language by its own name, so it is found whatever the page's language.
LANGUAGE_CHOICES = [SelectChoice("en", "English"), SelectChoice("hu", "Magyar"), SelectChoice("zh", "中文")]


class ProtectedForm(FlaskForm):  # type: ignore[misc]
    """A FlaskForm whose CSRF token is signed with FEEDBACKWIDGET_SECRET_KEY."""

    class Meta(FlaskForm.Meta):  # type: ignore[misc]
        @property
        def csrf_secret(self) -> Any:
            return get_state().secret_key.encode()


class OneLine:
    """Validator of a one-line text field (a name, a title, a label): no CR, LF or other
    control characters, the rule the public forms apply (see :mod:`feedbackwidget.core.plain_text`).

    Its message is an English msgid, which the form's template translates.
    """

    def __call__(self, form: Any, field: Any) -> None:
        if isinstance(field.data, str) and has_control_characters(field.data):
            raise ValidationError(ONE_LINE)


class Address:
    """Validator of a field holding one e-mail address: the address parser's refusal, through
    *translate* (it names what was typed), becomes the field's error; an accepted address
    replaces the field's data in its normalised form.  An empty field is left to ``Optional``."""

    def __init__(self, translate: Callable[[str], str] = str) -> None:
        self.translate = translate

    def __call__(self, form: Any, field: Any) -> None:
        if not field.data:
            return
        try:
            field.data = parse_address(field.data)
        except AddressError as err:
            raise ValidationError(" ".join(err.messages(self.translate))) from err
