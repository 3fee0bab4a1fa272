"""The admin's win-back page: whom to call, the last call's outcome, recording a call, the CSV call sheet."""

from __future__ import annotations

from flask import Blueprint, Response, redirect, render_template, request, url_for
from wtforms import HiddenField, SelectField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from ..admin.access import ADMIN_NAV, NavItem, current_admin, require_role, site_or_404, visible_sites
from ..admin.locale import gettext
from ...core.state import get_state
from ..forms import ProtectedForm
from ...core.i18n import N_
from ...core.models import Site, utcnow
from ...accounts.names import names_by_email
from ...sites.time_zones import site_zone
from ...invitations.winback import DEFAULT_DAYS, CallRefused, candidates, last_calls, record_call, to_csv
from ...invitations.winback_models import OUTCOMES

MANAGER = "manager"
OUTCOME_LABELS = {"reached": N_("Reached"), "not_reached": N_("Not reached"), "won_back": N_("Won back")}
winback_admin = Blueprint("winback", __name__)
ADMIN_NAV.append(NavItem(N_("Win-back"), "feedbackwidget.admin.winback.index", MANAGER))


class CallForm(ProtectedForm):
    email = HiddenField(validators=[DataRequired(), Length(max=254)])
    outcome = SelectField(N_("Outcome"), choices=[SelectChoice(o, OUTCOME_LABELS[o]) for o in OUTCOMES],
                          validators=[DataRequired(N_("Choose how the call went: reached, not reached or won back."))])
    note = TextAreaField(N_("Note"), validators=[Optional(), Length(max=2000)])


def _days() -> int:
    try:
        days = int(request.args.get("days", DEFAULT_DAYS))
    except ValueError:
        return DEFAULT_DAYS
    return min(max(days, 1), 3650)


def _page(site: Site, status: int = 200, error: str | None = None) -> tuple[str, int]:
    session = get_state().session()
    days = _days()
    calls = last_calls(session, site.id)
    html = render_template("feedbackwidget/admin/winback.html", site=site, days=days, error=error,
                           people=candidates(session, site.id, utcnow(), days), calls=calls,
                           callers=names_by_email(session, [call.called_by for call in calls.values()]),
                           zone=site_zone(site.settings or {}, site.default_locale),
                           form=CallForm(formdata=None), outcome_labels=OUTCOME_LABELS,
                           done=request.args.get("done"))
    return html, status


@winback_admin.get("/")
@require_role(MANAGER)
def index() -> Response | str:
    """The first site the user manages (a ?site= chooses another)."""
    sites = visible_sites(MANAGER)
    chosen = request.args.get("site") or (str(sites[0].id) if sites else "")
    return redirect(url_for(".site_winback", site_id=int(chosen) if chosen.isdigit() else 0))  # type: ignore[return-value]


@winback_admin.get("/<int:site_id>")
@require_role(MANAGER)
def site_winback(site_id: int) -> tuple[str, int]:
    return _page(site_or_404(site_id, MANAGER))


@winback_admin.get("/<int:site_id>/winback.csv")
@require_role(MANAGER)
def winback_csv(site_id: int) -> Response:
    site = site_or_404(site_id, MANAGER)
    body = to_csv(candidates(get_state().session(), site.id, utcnow(), _days()))
    response = Response(body, mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="winback-{site.key}.csv"'
    response.headers["Cache-Control"] = "no-store"
    return response


@winback_admin.post("/<int:site_id>/calls")
@require_role(MANAGER)
def record(site_id: int) -> Response | tuple[str, int]:
    site = site_or_404(site_id, MANAGER)
    form = CallForm()
    if not form.validate():
        return _page(site, 422, gettext("Choose how the call went: reached, not reached or won back."))
    session = get_state().session()
    try:
        record_call(session, site.id, form.email.data, form.outcome.data, form.note.data, current_admin().email,
                    utcnow())
    except CallRefused as err:
        return _page(site, 422, gettext(str(err)))
    session.commit()
    return redirect(url_for(".site_winback", site_id=site.id, days=_days(), done="1"))  # type: ignore[return-value]
