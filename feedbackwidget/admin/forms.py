"""The admin area's HTML forms (each with its own CSRF token, see ProtectedForm)."""

from __future__ import annotations

from wtforms import EmailField, HiddenField, PasswordField
from wtforms.validators import DataRequired, Length

from ..forms import ProtectedForm
from ..i18n import N_


class LoginForm(ProtectedForm):
    email = EmailField(N_("E-mail"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(N_("Password"), validators=[DataRequired(), Length(max=1024)])
    next = HiddenField()


class ButtonForm(ProtectedForm):
    """A form that is only a button (log out, mark as followed up...): just the CSRF token."""
