"""Responses: the filtered list, one response's detail, follow-up and CSV export."""

from __future__ import annotations

from flask import abort, render_template

from ..extension import get_state
from ..models import Response, Survey
from . import admin
from .access import login_required, site_or_404


@admin.get("/responses")
@login_required
def responses() -> str:
    return render_template("feedbackwidget/admin/responses.html")


@admin.get("/responses/<int:response_id>")
@login_required
def response_detail(response_id: int) -> str:
    """One response with every answer; 404 when its site is not the user's."""
    db = get_state().session()
    response = db.get(Response, response_id)
    if response is None:
        abort(404)
    site = site_or_404(response.site_id)
    survey = db.get(Survey, response.survey_id)
    return render_template("feedbackwidget/admin/response.html", response=response, site=site, survey=survey)
