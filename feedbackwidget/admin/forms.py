"""The admin area's HTML forms (each with its own CSRF token, see ProtectedForm)."""

from __future__ import annotations

from collections.abc import Callable

from wtforms import EmailField, HiddenField, PasswordField, SelectField, StringField, TextAreaField, URLField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import URL, DataRequired, Length, Optional, Regexp

from ..forms import LANGUAGE_CHOICES, OneLine, ProtectedForm
from ..i18n import N_
from ..plain_text import entry_lines
from ..surveys.templates import TEMPLATES


class LoginForm(ProtectedForm):
    email = EmailField(N_("E-mail"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(N_("Password"), validators=[DataRequired(), Length(max=1024)])
    next = HiddenField()


class ButtonForm(ProtectedForm):
    """A form that is only a button (log out, mark as followed up...): just the CSRF token."""


def _lines(text: str | None) -> list[str]:
    return entry_lines(text or "")


ROLE_LABELS = {"viewer": N_("Viewer"), "manager": N_("Manager"), "owner": N_("Owner")}


def role_choices(translate: Callable[[str], str] = str) -> list[SelectChoice]:
    """The roles a member can have, least to most, named through *translate* (English msgids by default)."""
    return [SelectChoice(role, translate(text)) for role, text in ROLE_LABELS.items()]


class SiteForm(ProtectedForm):
    """A site's settings, as an owner edits them (lists are one item a line)."""

    name = StringField(N_("Name"), validators=[DataRequired(), Length(max=200), OneLine()])
    allowed_origins = TextAreaField(N_("Allowed origins (one a line, e.g. https://shop.example)"))
    default_locale = SelectField(N_("Default language"), choices=LANGUAGE_CHOICES)
    alert_emails = TextAreaField(N_("Alert recipients (one e-mail address a line)"))
    complaint_categories = TextAreaField(N_("Complaint categories (one a line)"))
    privacy_policy_url = URLField(N_("Privacy policy URL"), validators=[Optional(), URL(require_tld=False), Length(max=500)])
    privacy_policy_version = StringField(N_("Privacy policy version"), validators=[Optional(), Length(max=32), OneLine()])

    def origins(self) -> list[str]:
        return _lines(self.allowed_origins.data)

    def emails(self) -> list[str]:
        return _lines(self.alert_emails.data)

    def categories(self) -> list[str]:
        return _lines(self.complaint_categories.data)


class NewSiteForm(ProtectedForm):
    name = StringField(N_("Name"), validators=[DataRequired(), Length(max=200), OneLine()])
    allowed_origins = TextAreaField(N_("Allowed origins (one a line, e.g. https://shop.example)"),
                                    validators=[DataRequired()])
    default_locale = SelectField(N_("Default language"), choices=LANGUAGE_CHOICES)


class MemberForm(ProtectedForm):
    email = EmailField(N_("E-mail"), validators=[DataRequired(), Length(max=254)])
    role = SelectField(N_("Role"), choices=role_choices())
    password = PasswordField(N_("Password (only for a new account)"), validators=[Optional(), Length(max=1024)])


class NewSurveyForm(ProtectedForm):
    template = SelectField(N_("Template"), choices=[SelectChoice(name) for name in sorted(TEMPLATES)])
    slug = StringField(N_("Short name (letters, digits, - and _)"),
                       validators=[DataRequired(), Length(max=64), Regexp(r"^[a-z0-9][a-z0-9_-]*$")])
