"""The unsubscribe page of an invitation e-mail: ``/unsubscribe/<token>``.

A GET only shows the page with its button (mail scanners open every link); a POST
unsubscribes: the page's button, or the mail program's one-click request (RFC 8058:
``List-Unsubscribe=One-Click`` posted to the ``List-Unsubscribe`` URL, no page needed).
No CSRF token: the random token in the URL is the permission, and unsubscribing
twice does nothing more.
"""

from __future__ import annotations

from functools import partial

from flask import Blueprint, Response, render_template, request

from ...core.state import get_state
from ...core.i18n import translate
from ...core.models import Site
from ...invitations.models import Invitation
from ...invitations.suppressions import invitation_of_unsubscribe, unsubscribe

invitation_pages = Blueprint("invitations", __name__)
PAGE_CSP = "default-src 'none'; style-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"


def _page(template: str, invitation: Invitation | None, status: int = 200) -> Response:
    locale = invitation.locale if invitation is not None else "en"
    html = render_template(template, locale=locale, _=partial(translate, locale), site_name=_site_name(invitation))
    response = Response(html, status=status, mimetype="text/html")
    response.headers["Content-Security-Policy"] = PAGE_CSP
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def _site_name(invitation: Invitation | None) -> str:
    if invitation is None:
        return ""
    site = get_state().session().get(Site, invitation.site_id)
    return site.name if site is not None else ""


@invitation_pages.route("/unsubscribe/<token>", methods=["GET", "POST"])
def unsubscribe_page(token: str) -> Response:
    """GET: the page asking to confirm; POST (its button, or one click from the mail program): unsubscribed."""
    session = get_state().session()
    if request.method == "GET":
        invitation = invitation_of_unsubscribe(session, token)
        session.commit()
        if invitation is None:
            return _page("feedbackwidget/invitations/unsubscribe_unknown.html", None, status=404)
        return _page("feedbackwidget/invitations/unsubscribe.html", invitation)
    invitation = unsubscribe(session, token)
    session.commit()
    if invitation is None:
        return _page("feedbackwidget/invitations/unsubscribe_unknown.html", None, status=404)
    return _page("feedbackwidget/invitations/unsubscribed.html", invitation)
