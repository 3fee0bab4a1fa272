"""The forms of the account page and of an owner's password reset (CSRF: see ProtectedForm)."""

from __future__ import annotations

from wtforms import PasswordField, SelectField
from wtforms.validators import DataRequired, EqualTo, Length

from ...accounts import MAX_PASSWORD_LENGTH
from ..forms import LANGUAGE_CHOICES, ProtectedForm
from ...core.i18n import N_

PASSWORDS_DIFFER = N_("The two new passwords are not the same: type it again in both fields.")


class LanguageForm(ProtectedForm):
    locale = SelectField(N_("Language of the admin area"), choices=LANGUAGE_CHOICES)


class NewPasswordForm(ProtectedForm):
    """A new password typed twice (an owner resetting a member's password)."""

    new_password = PasswordField(N_("New password"), validators=[DataRequired(), Length(max=MAX_PASSWORD_LENGTH)])
    confirm_password = PasswordField(N_("New password again"),
                                     validators=[DataRequired(), EqualTo("new_password", message=PASSWORDS_DIFFER)])


class ChangePasswordForm(NewPasswordForm):
    """One's own new password, with the current one."""

    current_password = PasswordField(N_("Current password"),
                                     validators=[DataRequired(), Length(max=MAX_PASSWORD_LENGTH)])
