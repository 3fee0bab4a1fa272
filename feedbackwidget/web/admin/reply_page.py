"""The reply part of the response page: the form, the saved replies on offer, the thread, the flash."""

from __future__ import annotations

from typing import Any

from flask import current_app, request, url_for
from sqlalchemy.orm import Session
from wtforms import StringField, TextAreaField

from ..forms import ProtectedForm
from ...accounts.names import display_names
from ...core.i18n import N_
from ...core.models import Response, Site
from ...invitations.threads import invitation_mail_of
from ...responses.replies import customer_of, default_subject, filled_saved_reply, replies_of, thread_of
from ...sites.saved_replies import find_reply, saved_replies
from .locale import gettext

# Where a site's saved replies are kept up (the complaint area's page), when it is installed.
SAVED_REPLIES_ENDPOINT = "feedbackwidget.admin.complaints.saved_replies_page"
# What the response page says after an action (its code comes back in ?done=).
FLASH: dict[str, str] = {
    "replied": N_("Your reply is on its way to the customer, and the response is marked followed up."),
    "followed": N_("The response is marked followed up."),
    "unfollowed": N_("The response is no longer marked followed up."),
}


class ReplyForm(ProtectedForm):
    """A reply to the customer of a response; what may go is checked (with messages in the admin's language)
    by :func:`feedbackwidget.responses.replies.checked`, not by validators here."""

    recipient = StringField(N_("To"),
                            description=N_("The customer's e-mail address, as they gave it: correct it if needed."))
    subject = StringField(N_("Subject"))
    body = TextAreaField(N_("Message"))


def flash_message() -> str | None:
    """The sentence of the action just done on the response page."""
    code = request.args.get("done", "")
    return gettext(FLASH[code]) if code in FLASH else None


def new_reply_form(session: Session, site: Site, response: Response) -> ReplyForm:
    """The form as it opens: the customer's address, the thread's subject, a saved reply (``?reply=``) filled in."""
    form = ReplyForm(formdata=None)
    customer = customer_of(session, response)
    form.recipient.data = customer.email or ""
    form.subject.data = default_subject(response.locale, site.name, invitation_mail_of(session, response.id),
                                        replies_of(session, response.id))
    chosen = find_reply(site.settings or {}, request.args.get("reply", ""))
    if chosen is not None:
        form.body.data = filled_saved_reply(chosen, customer)
    return form


def reply_context(session: Session, site: Site, response: Response, can_manage: bool,
                  form: ReplyForm | None = None) -> dict[str, Any]:
    """What the response page's reply part needs (the form only for managers and owners)."""
    thread = thread_of(session, response.id)
    context: dict[str, Any] = {"thread": thread, "flash": flash_message(),
                               "author_names": display_names(session, [entry.reply.author_id for entry in thread])}
    if can_manage:
        context.update(reply_form=form or new_reply_form(session, site, response),
                       saved=saved_replies(site.settings or {}, response.locale),
                       reply_to=list(site.alert_emails or []), saved_replies_url=_saved_replies_url(site))
    return context


def _saved_replies_url(site: Site) -> str | None:
    if SAVED_REPLIES_ENDPOINT not in current_app.view_functions:
        return None
    return url_for(SAVED_REPLIES_ENDPOINT, site=site.id)
