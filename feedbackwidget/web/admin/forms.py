"""The admin area's HTML forms (each with its own CSRF token, see ProtectedForm)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from wtforms import (BooleanField, ColorField, EmailField, HiddenField, IntegerField, PasswordField, SelectField, StringField,
                     TextAreaField, URLField)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import URL, DataRequired, Length, NumberRange, Optional, Regexp, ValidationError

from ..forms import LANGUAGE_CHOICES, OneLine, ProtectedForm
from ...core.i18n import N_
from ...core.plain_text import entry_lines
from ...sites.time_zones import zone_names
from ...surveys.templates import TEMPLATES
from .trigger_fields import ANY_PAGE, event_names, path_lines
from ..widget.look import MIN_CONTRAST, contrast_with_white
from ..widget.site_config import COLOR as HEX_COLOR


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
    # Checked by site_settings.update_site, so that a wrong zone gets a sentence that says what to do.
    time_zone = SelectField(N_("Time zone"), choices=lambda: [(name, name.replace("_", " ")) for name in zone_names()],
                            validate_choice=False,
                            description=N_("The site's local time: invitations are sent within their hours in it, "
                                           "and complaint times are shown in it."))
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


def _events_check(form: Any, field: Any) -> None:
    if any(len(name) > 64 for name in event_names(field.data)):
        raise ValidationError(N_("An event name is at most 64 characters long."))


class WholeNumberField(IntegerField):  # type: ignore[misc]
    """An IntegerField whose only error is its range's (which says what to type): text that is no whole
    number is left to the NumberRange validator rather than adding "Not a valid integer value."."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError:
            self.data = None


class SurveyTriggersForm(ProtectedForm):
    """When the widget asks a survey by itself: one control a trigger (see :mod:`..surveys.trigger_fields`).
    Labels, hints and errors are English msgids the template translates."""

    trigger_manual = BooleanField(N_("Only when the visitor opens it"), description=N_(
        "The survey never opens by itself: only from the feedback button or your page's FeedbackWidget.open()."))
    trigger_delay_seconds = WholeNumberField(N_("After seconds on the page"), validators=[
        Optional(), NumberRange(0, 86400, N_("Enter a whole number of seconds from 0 to 86400 (a day)."))],
        description=N_("Opens after the visitor has been on the page this long. Empty: no delay rule."))
    trigger_exit_intent = BooleanField(N_("When the visitor is about to leave"), description=N_(
        "Opens when the mouse leaves through the top of the window (on a computer; phones have no such move)."))
    trigger_scroll_percent = WholeNumberField(N_("After scrolling down (percent of the page)"), validators=[
        Optional(), NumberRange(0, 100, N_("Enter a percentage from 0 to 100."))],
        description=N_("Opens once the visitor has scrolled this far down, e.g. 60. Empty: no scroll rule."))
    trigger_event = StringField(N_("On events from your page"), validators=[Length(max=500), OneLine(), _events_check],
                                description=N_("Names your page sends with FeedbackWidget.track(\"purchase\"), "
                                               "separated by commas. Empty: none."))
    trigger_url_match = SelectField(N_("On which pages"), default=ANY_PAGE, choices=[
        SelectChoice(ANY_PAGE, N_("Any page")), SelectChoice("exact", N_("Only these exact addresses")),
        SelectChoice("prefix", N_("Addresses starting with")), SelectChoice("glob", N_("Addresses matching a pattern (* any characters, ? one)"))],
        description=N_("A path such as /checkout, or a whole address starting with https://."))
    trigger_url_paths = TextAreaField(N_("Pages (one a line)"), validators=[Length(max=4000)],
                                      description=N_("E.g. /checkout or /products/*. Used unless \"Any page\" is chosen."))
    trigger_sample_percent = WholeNumberField(N_("Share of visitors asked (percent)"), validators=[
        Optional(), NumberRange(0, 100, N_("Enter a percentage from 0 to 100."))],
        description=N_("Only this share of visitors is ever asked, chosen once per visitor. Empty: everyone."))
    trigger_cooldown_days = WholeNumberField(N_("Days before asking the same visitor again"), validators=[
        Optional(), NumberRange(0, 3650, N_("Enter a number of days from 0 to 3650 (ten years)."))],
        description=N_("After an answer or a dismissal. Empty: 30 days."))

    def validate_trigger_url_paths(self, field: Any) -> None:
        if self.trigger_url_match.data != ANY_PAGE and not path_lines(field.data):
            raise ValidationError(N_("Enter at least one page, or choose \"Any page\"."))
        if any(len(path) > 500 for path in path_lines(field.data)):
            raise ValidationError(N_("A page address is at most 500 characters long."))


POSITION_LABELS = {"bottom-right": N_("Bottom right corner"), "bottom-left": N_("Bottom left corner"),
                   "right": N_("Middle of the right edge")}


def _readable_on_white(form: Any, field: Any) -> None:
    if field.data and HEX_COLOR.fullmatch(field.data) and contrast_with_white(field.data) < MIN_CONTRAST:
        raise ValidationError(N_("White text is hard to read on this colour: choose a darker one "
                                 "(it needs a contrast of at least 4.5 to 1)."))


class WidgetLookForm(ProtectedForm):
    """The widget's colour, position and button on the shop's pages (a site's settings["widget"])."""

    color = ColorField(N_("Colour of the button and the survey"), validators=[
        DataRequired(N_("Choose a colour.")), Regexp(HEX_COLOR.pattern + "$", message=N_("Choose a colour such as #1f5fbf.")),
        _readable_on_white], description=N_("The Feedback button and the survey's buttons, with white text on it."))
    position = SelectField(N_("Where the button sits"), choices=[SelectChoice(v, t) for v, t in POSITION_LABELS.items()])
    show_button = BooleanField(N_("Show the Feedback button"), description=N_(
        "Without it the survey opens only by its triggers or your page's FeedbackWidget.open()."))
