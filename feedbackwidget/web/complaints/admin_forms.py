"""Forms of the complaint admin pages: one small form per workflow action, and staff intake."""

from __future__ import annotations

from wtforms import BooleanField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice

from ..forms import LANGUAGE_CHOICES, ProtectedForm
from .forms import COMPLAINT_FIELDS


class StatusForm(ProtectedForm):
    action = HiddenField()


class AssignForm(ProtectedForm):
    assignee = SelectField(choices=[], validate_choice=False)


class EscalateForm(ProtectedForm):
    level = SelectField(choices=[SelectChoice(level) for level in ("1", "2", "3")], validate_choice=False)
    reason = TextAreaField()


class AssessmentForm(ProtectedForm):
    verdict = SelectField(choices=[], validate_choice=False)
    root_cause = SelectField(choices=[], validate_choice=False)


class CompensationForm(ProtectedForm):
    kind = SelectField(choices=[], validate_choice=False)
    amount = StringField()
    currency = StringField()


class MessageForm(ProtectedForm):
    visibility = SelectField(choices=[SelectChoice("internal"), SelectChoice("public")], validate_choice=False)
    body = TextAreaField()


class StaffComplaintForm(ProtectedForm):
    """A complaint that came by phone, e-mail, in a shop, or from a survey response."""

    channel = SelectField(choices=[], validate_choice=False)
    name = StringField()
    email = StringField()
    phone = StringField()
    order_number = StringField()
    customer_id = StringField()
    loyalty_tier = StringField()
    category = SelectField(choices=[], validate_choice=False)
    description = TextAreaField()
    desired_resolution = TextAreaField()
    consent = BooleanField()
    locale = SelectField(choices=LANGUAGE_CHOICES, validate_choice=False)

    def values(self) -> dict[str, object]:
        names = (*COMPLAINT_FIELDS, "customer_id", "loyalty_tier")
        values: dict[str, object] = {name: self[name].data for name in names}
        values["consent"] = bool(self.consent.data)
        return values


class BulkAssignForm(ProtectedForm):
    assignee = SelectField(choices=[], validate_choice=False)


class SavedReplyForm(ProtectedForm):
    title = StringField()
    locale = SelectField(choices=LANGUAGE_CHOICES, validate_choice=False)
    body = TextAreaField()
