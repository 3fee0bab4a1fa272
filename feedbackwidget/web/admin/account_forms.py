"""The forms of the account page and of an owner's password reset (CSRF: see ProtectedForm)."""

from __future__ import annotations

from wtforms import PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, Optional

from ...accounts import MAX_PASSWORD_LENGTH
from ...accounts.names import DISPLAY_NAME_MAX, NAME_REFUSED, name_from_email
from ...core.models import AdminUser
from ..forms import LANGUAGE_CHOICES, OneLine, ProtectedForm
from ...core.i18n import N_

PASSWORDS_DIFFER = N_("The two new passwords are not the same: type it again in both fields.")


class NameForm(ProtectedForm):
    """The name colleagues read (empty: the one made from the e-mail address)."""

    display_name = StringField(N_("Name shown to colleagues"), validators=[Optional(), Length(max=DISPLAY_NAME_MAX, message=NAME_REFUSED),
                                                      OneLine()],
                               description=N_("How colleagues read you in the complaint timeline, e.g. "
                                              "\"Anna escalated to level 2\". Empty: the name made from the "
                                              "e-mail address, shown in grey."))


class MemberNameForm(NameForm):
    """A member's name, as an owner sets it."""

    display_name = StringField(N_("Name shown to colleagues"), validators=[Optional(), Length(max=DISPLAY_NAME_MAX, message=NAME_REFUSED),
                                                      OneLine()],
                               description=N_("How colleagues read them in the complaint timeline. Empty: the "
                                              "name made from the e-mail address, shown in grey."))


def name_form(user: AdminUser, form_class: type[NameForm] = NameForm, posted: bool = False) -> NameForm:
    """The name form of *user* (the posted one when *posted*), its empty field showing the name made
    from the address."""
    form = form_class() if posted else form_class(formdata=None, display_name=user.display_name or "")
    form.display_name.render_kw = {"placeholder": name_from_email(user.email), "autocomplete": "off"}
    return form


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
