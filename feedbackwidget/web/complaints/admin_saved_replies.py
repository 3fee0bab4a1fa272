"""The saved replies of a site: list, add, delete (managers and owners)."""

from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for
from werkzeug.wrappers import Response as WerkzeugResponse

from ..admin.access import login_required, site_or_404, visible_sites
from ..admin.locale import LANGUAGE_NAMES, gettext
from ...core.state import get_state
from ...core.models import Site
from .admin_forms import SavedReplyForm
from .admin_views import EXPIRED, admin_complaints, template_helpers
from ...complaints.saved_replies import PLACEHOLDERS, add_saved_reply, delete_saved_reply, saved_replies
from ...complaints.workflow import WorkflowError


def _site() -> Site:
    raw = request.args.get("site") or ""
    if raw:
        return site_or_404(raw, "manager")
    sites = visible_sites("manager")
    if not sites:
        abort(403)
    return sites[0]


def _page(site: Site, form: SavedReplyForm, error: str | None = None, status: int = 200) -> tuple[str, int]:
    page = render_template(
        "feedbackwidget/admin/complaints/saved_replies.html", site=site, form=form, error=error,
        replies=saved_replies(site.settings or {}), sites=visible_sites("manager"), languages=LANGUAGE_NAMES,
        placeholders=PLACEHOLDERS, **template_helpers(),
    )
    return page, status


@admin_complaints.get("/saved-replies")
@login_required
def saved_replies_page() -> tuple[str, int]:
    """A site's saved replies, by title, each with its language; and the form to add one."""
    site = _site()
    form = SavedReplyForm(formdata=None)
    form.locale.data = site.default_locale
    return _page(site, form)


@admin_complaints.post("/saved-replies")
@login_required
def add_reply() -> tuple[str, int] | WerkzeugResponse:
    site = _site()
    form = SavedReplyForm()
    if not form.validate_on_submit():
        return _page(site, form, gettext(EXPIRED), 400)
    try:
        add_saved_reply(site, str(form.title.data or ""), str(form.locale.data or ""), str(form.body.data or ""))
    except WorkflowError as err:
        return _page(site, form, err.text(gettext), 422)
    get_state().session().commit()
    return redirect(url_for(".saved_replies_page", site=site.id, done="saved_reply"))


@admin_complaints.post("/saved-replies/<reply_id>/delete")
@login_required
def delete_reply(reply_id: str) -> tuple[str, int] | WerkzeugResponse:
    site = _site()
    form = SavedReplyForm()
    if not form.validate_on_submit():
        return _page(site, SavedReplyForm(formdata=None), gettext(EXPIRED), 400)
    if not delete_saved_reply(site, reply_id):
        abort(404)
    get_state().session().commit()
    return redirect(url_for(".saved_replies_page", site=site.id, done="saved_reply_deleted"))
