"""One response's page: its answers and details, the replies to its customer and the reply form."""

from __future__ import annotations

from flask import abort, current_app, render_template, url_for

from ...accounts.models import ResponseFollowUp
from ...accounts.names import display_name
from ...core.i18n import N_
from ...core.models import AdminUser, Response, Site, Survey
from ...core.state import get_state
from .access import access, site_or_404
from .answers import answer_rows
from .forms import ButtonForm
from .reply_page import ReplyForm, reply_context
from .response_queries import order_reference_of
from .theme_views import response_themes

EXPIRED = N_("The form has expired: please try again.")
# Endpoints of the complaint area that open a new complaint from a response (first found wins).
COMPLAINT_FROM_RESPONSE_ENDPOINTS: tuple[str, ...] = (
    "feedbackwidget.admin.complaints.new_from_response",
    "feedbackwidget.admin.complaints.from_response",
    "feedbackwidget.admin.complaints.new",
)


def complaint_link(response: Response) -> str | None:
    """Where "Turn into complaint" goes, when the complaint area is installed."""
    for endpoint in COMPLAINT_FROM_RESPONSE_ENDPOINTS:
        if endpoint in current_app.view_functions:
            return url_for(endpoint, response_id=response.id)
    return None


def response_or_404(response_id: int, minimum_role: str = "viewer") -> tuple[Response, Site]:
    """The response and its site; 404 when the site is not the user's, 403 below *minimum_role*."""
    response = get_state().session().get(Response, response_id)
    if response is None:
        abort(404)
    return response, site_or_404(response.site_id, minimum_role)


def render_response(response: Response, site: Site, reply_form: ReplyForm | None = None, status: int = 200,
                    error: str | None = None) -> tuple[str, int]:
    """The response page: every answer, its details, the replies to the customer and the reply form."""
    db = get_state().session()
    survey = db.get(Survey, response.survey_id)
    follow_up = db.get(ResponseFollowUp, response.id)
    followed_by = db.get(AdminUser, follow_up.user_id) if follow_up and follow_up.user_id else None
    can_manage = access().has_role(site.id, "manager")
    page = render_template(
        "feedbackwidget/admin/response.html", response=response, site=site, survey=survey, follow_up=follow_up,
        followed_by=display_name(followed_by) if followed_by else None, order_reference=order_reference_of(db, response.id),
        rows=answer_rows(survey, response.answers, response.locale), can_manage=can_manage,
        form=ButtonForm(formdata=None), error=error,
        complaint_url=complaint_link(response) if can_manage else None,
        **response_themes(db, [site.id], [(response,)]), **reply_context(db, site, response, can_manage, reply_form),
    )
    return page, status
