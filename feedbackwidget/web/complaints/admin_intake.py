"""Staff intake: recording a complaint that came by phone, e-mail or in a shop, or following up
a low-score survey response (proactive), keeping the link to the response."""

from __future__ import annotations

from typing import Any

from flask import abort, current_app, redirect, render_template, request, url_for

from ...core import config
from ..admin.access import login_required, site_or_404, visible_sites
from ..admin.locale import gettext
from ...core.state import get_state
from ...core.models import Response, Site
from .admin_forms import StaffComplaintForm
from .admin_views import EXPIRED, admin_complaints, site_config, staff_context, template_helpers
from .forms import show_problems
from ...complaints.intake import Origin, receive_complaint
from ...complaints.labels import category_choices
from ...complaints.models import STAFF_CHANNELS
from ...complaints.validation import InvalidComplaint, validate_complaint

SURVEY_CHANNEL = "survey"


def _prefill(form: StaffComplaintForm, response: Response | None) -> None:
    if response is None or form.is_submitted():
        return
    form.email.data = response.customer_email or ""
    form.customer_id.data = response.customer_id or ""
    form.loyalty_tier.data = response.loyalty_tier or ""
    form.description.data = response.comment or ""
    form.locale.data = response.locale


def _record(site: Site, form: StaffComplaintForm, response: Response | None) -> int | None:
    config_ = site_config(site)
    channel = SURVEY_CHANNEL if response is not None else str(form.channel.data or "")
    channel_ok = channel in (*STAFF_CHANNELS, SURVEY_CHANNEL)
    if not channel_ok:
        form.channel.errors = [gettext("Choose how the complaint came in.")]
    try:
        data = validate_complaint(
            form.values(), categories=config_.settings["complaint_categories"],
            text_limit=current_app.config[config.TEXT_MAX_LENGTH], require_email=False, require_consent=False,
        )
    except InvalidComplaint as err:
        show_problems(form, err, gettext)
        return None
    if not channel_ok:
        return None
    ctx = staff_context(site)
    origin = Origin(channel, str(form.locale.data or ""), response_id=response.id if response else None)
    complaint = receive_complaint(ctx, data, origin).complaint
    ctx.session.commit()
    return complaint.id


def _intake(site: Site, response: Response | None) -> Any:
    form = StaffComplaintForm()
    _prefill(form, response)
    error = None
    if form.is_submitted():
        if not form.validate():
            error = gettext(EXPIRED)
        elif (complaint_id := _record(site, form, response)) is not None:
            return redirect(url_for(".detail", complaint_id=complaint_id, done="recorded"))
    categories = category_choices(site_config(site).settings["complaint_categories"], gettext)
    page = render_template(
        "feedbackwidget/admin/complaints/new.html", form=form, site=site, response=response, error=error,
        categories=categories, channels=STAFF_CHANNELS, **template_helpers(),
    )
    return page, 422 if form.is_submitted() else 200


@admin_complaints.route("/new", methods=["GET", "POST"])
@login_required
def new() -> Any:
    """Record a complaint for one of the sites the user manages (``?site=``)."""
    raw_site = request.args.get("site")
    if not raw_site:
        sites = visible_sites("manager")
        if len(sites) != 1:
            return render_template("feedbackwidget/admin/complaints/choose_site.html", sites=sites,
                                   **template_helpers())
        raw_site = str(sites[0].id)
    return _intake(site_or_404(raw_site, "manager"), None)


@admin_complaints.route("/new/from-response/<int:response_id>", methods=["GET", "POST"])
@login_required
def new_from_response(response_id: int) -> Any:
    """Turn a (low-score) survey response into a complaint, linked to it."""
    response = get_state().session().get(Response, response_id)
    if response is None:
        abort(404)
    return _intake(site_or_404(response.site_id, "manager"), response)
