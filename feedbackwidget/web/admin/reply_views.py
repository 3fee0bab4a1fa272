"""Replying to the customer of a response by e-mail (managers and owners)."""

from __future__ import annotations

from flask import redirect, url_for
from werkzeug.wrappers import Response as HttpResponse

from ...core.models import utcnow
from ...core.state import get_state
from ...invitations.threads import invitation_mail_of
from ...responses.replies import ReplyDraft, ReplyError, send_reply
from . import admin
from .access import current_admin, login_required
from .locale import gettext
from .reply_page import ReplyForm
from .response_page import EXPIRED, render_response, response_or_404


@admin.post("/responses/<int:response_id>/reply")
@login_required
def reply(response_id: int) -> HttpResponse | tuple[str, int]:
    """Send the reply in the outbox, keep it on the response, mark the response followed up."""
    response, site = response_or_404(response_id, "manager")
    form = ReplyForm()
    if not form.validate_on_submit():
        expired = gettext(EXPIRED) if form.csrf_token.errors else None
        return render_response(response, site, form, 400, error=expired)
    session = get_state().session()
    draft = ReplyDraft(str(form.recipient.data or ""), str(form.subject.data or ""), str(form.body.data or ""))
    try:
        send_reply(session, site, response, current_admin(), draft,
                   origin=invitation_mail_of(session, response.id), now=utcnow())
    except ReplyError as err:
        session.rollback()
        getattr(form, err.field).errors = [err.text(gettext)]
        return render_response(response, site, form, 422)
    session.commit()
    return redirect(url_for(".response_detail", response_id=response.id, done="replied", _anchor="thread"))
