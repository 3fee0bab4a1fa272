"""Staff's page for a customer's data rights: find, export, correct, erase.

Managers and owners act on the sites they manage; a superuser on every site.
"""

from __future__ import annotations

import json

from flask import Blueprint, Response, abort, redirect, render_template, request, url_for
from werkzeug.wrappers import Response as HttpResponse
from wtforms import EmailField, StringField
from wtforms.validators import Length, Optional, Regexp

from ..admin.access import ADMIN_NAV, NavItem, require_role, visible_site_ids
from ..admin.locale import gettext
from ..submission import EMAIL
from ...core.state import get_state
from ..forms import Address, OneLine, ProtectedForm
from ...core.i18n import N_
from ...privacy.core import Person, correct_person, erase_person, export_person

privacy_admin = Blueprint("privacy", __name__)
ADMIN_NAV.append(NavItem(N_("Data requests"), "feedbackwidget.admin.privacy.index", "manager"))
MANAGER = "manager"


def email_format() -> Regexp:
    return Regexp(EMAIL, message=N_("Enter an e-mail address such as name@example.com."))


class PersonForm(ProtectedForm):
    email = EmailField(N_("E-mail address"), validators=[Optional(), email_format(), Length(max=254)])
    customer_id = StringField(N_("Customer id"), validators=[Optional(), Length(max=128)])


class CorrectionForm(PersonForm):
    new_email = EmailField(N_("Corrected e-mail address"), validators=[Optional(), Address(), Length(max=254)])
    new_customer_id = StringField(N_("Corrected customer id"), validators=[Optional(), Length(max=128), OneLine()])


def _person(email: str | None, customer_id: str | None) -> Person | None:
    if not (email or customer_id):
        return None
    return Person(email=email or None, customer_id=customer_id or None,
                  site_ids=frozenset(visible_site_ids(MANAGER)))


@privacy_admin.get("/")
@require_role(MANAGER)
def index() -> str:
    """Look a person up on the sites this user manages."""
    person = _person(request.args.get("email"), request.args.get("customer_id"))
    found = export_person(get_state().session(), person) if person else None
    form = PersonForm(formdata=None, data=request.args)
    correction = CorrectionForm(formdata=None, data=request.args)
    return render_template("feedbackwidget/admin/privacy.html", form=form, correction=correction, found=found,
                           person=person, notice=_notice())


def _notice() -> str | None:
    """The outcome of the action that redirected here (post/redirect/get)."""
    done = request.args.get("done")
    if done == "erased":
        return gettext("Records anonymised: %(count)d. Scores are kept for the statistics.",
                       count=request.args.get("count", 0, type=int))
    if done == "corrected":
        return gettext("The data was corrected.")
    if done == "invalid":
        return gettext("Name the person and give the corrected e-mail address or customer id.")
    return None


@privacy_admin.get("/export.json")
@require_role(MANAGER)
def export() -> Response:
    """Everything held about the person, as a JSON download."""
    person = _person(request.args.get("email"), request.args.get("customer_id")) or abort(404)
    body = json.dumps(export_person(get_state().session(), person), ensure_ascii=False, indent=2)
    return Response(body, mimetype="application/json",
                    headers={"Content-Disposition": 'attachment; filename="personal-data.json"'})


@privacy_admin.post("/correct")
@require_role(MANAGER)
def correct() -> HttpResponse:
    form = CorrectionForm()
    person = _person(form.email.data, form.customer_id.data)
    if not form.validate() or person is None or not (form.new_email.data or form.new_customer_id.data):
        return redirect(url_for(".index", email=form.email.data or "", customer_id=form.customer_id.data or "",
                                done="invalid"))
    correct_person(get_state().session(), person, email=form.new_email.data or None,
                   customer_id=form.new_customer_id.data or None)
    return redirect(url_for(".index", email=form.new_email.data or form.email.data or "",
                            customer_id=form.new_customer_id.data or form.customer_id.data or "", done="corrected"))


@privacy_admin.post("/erase")
@require_role(MANAGER)
def erase() -> HttpResponse:
    form = PersonForm()
    person = _person(form.email.data, form.customer_id.data)
    if not form.validate() or person is None:
        abort(400)
    erased = erase_person(get_state().session(), person)
    return redirect(url_for(".index", done="erased", count=sum(erased.values())))
