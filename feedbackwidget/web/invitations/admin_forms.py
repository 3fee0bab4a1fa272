"""The admin's forms for invitations: a rule, the site's policy, the e-mail's words, the suppression list."""

from __future__ import annotations

from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, EmailField, HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from ..forms import ProtectedForm
from ...core.i18n import N_
from ...invitations.models import RULE_EVENTS
from ...invitations.settings import FATIGUE_DAYS_MAX, INTRODUCTION_MAX, SUBJECT_MAX

EVENT_LABELS = {"paid": N_("Paid"), "fulfilled": N_("Fulfilled (shipped)"), "delivered": N_("Delivered")}


class RuleForm(ProtectedForm):
    survey = SelectField(N_("Survey"), choices=[])
    event = SelectField(N_("After the order is"), choices=[SelectChoice(event, EVENT_LABELS[event]) for event in RULE_EVENTS])
    delay = StringField(N_("Delay"), default="3d", validators=[DataRequired(N_("Write a delay such as 3d, or 0.")),
                                                               Length(max=16)])
    reminder = StringField(N_("Reminder after (empty: no reminder)"), validators=[Optional(), Length(max=16)])
    hours = StringField(N_("Sending hours"), default="9-20", validators=[DataRequired(N_("Write the hours as 9-20.")),
                                                                          Length(max=16)])
    sample = IntegerField(N_("Share of the orders (per cent)"), default=100,
                          validators=[NumberRange(0, 100, N_("Write a share from 0 to 100."))])
    active = BooleanField(N_("Send invitations under this rule"), default=True)


class PolicyForm(ProtectedForm):
    fatigue_days = IntegerField(N_("Ask a customer at most once in this many days"), default=30,
                                validators=[NumberRange(0, FATIGUE_DAYS_MAX, N_("Write a number of days from 0 to 365."))])
    survey_without_consent = BooleanField(N_("Also ask customers who did not consent to marketing e-mails "
                                             "(a service survey only)"))


class TextsForm(ProtectedForm):
    subject = StringField(N_("Subject"), validators=[Optional(), Length(max=SUBJECT_MAX)])
    introduction = TextAreaField(N_("Introduction"), validators=[Optional(), Length(max=INTRODUCTION_MAX)],
                                 render_kw={"rows": 3})


class SuppressionImportForm(ProtectedForm):
    file = FileField(N_("CSV file"), validators=[FileRequired(N_("Choose a CSV file."))])


class SuppressionAddForm(ProtectedForm):
    email = EmailField(N_("E-mail address"), validators=[DataRequired(N_("Write an e-mail address.")),
                                                         Length(max=254)])


class SuppressionRemoveForm(ProtectedForm):
    email = HiddenField(validators=[DataRequired(), Length(max=254)])
