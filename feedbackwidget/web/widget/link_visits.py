"""A visit through a survey link: the token leaves the URL, the link's answer is stored once.

The first GET of ``/s/<site>/<survey>?link=<token>`` keeps the token in a short-lived,
HttpOnly, SameSite=Lax cookie scoped to that page and redirects to the same address
without it, so the token reaches no access log, browser history or Referer after the
first request.  The page puts it in its form as a hidden field (posted bodies are
not logged), so two tabs of two links each answer their own.

A link's answer has the idempotency key ``link-<id>``: the first POST inserts the
row, a later one (or a concurrent first one) rewrites that same row.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from flask import request, url_for
from werkzeug.utils import redirect
from werkzeug.wrappers import Response
from sqlalchemy.exc import IntegrityError

from ..errors import ApiError
from ..submission import submission_row
from ...core.state import get_state
from ...core.models import Response as StoredResponse
from ...core.models import utcnow
from ...responses import IdempotencyConflict, record_response
from ...sites import CompiledSurvey, SiteConfig
from ...responses.links import answer_key, change_answer, create_link, find_link, mark_answered
from ...responses.purposes import purpose_of_link
from ...surveys.models import SurveyLink
from .hosted import posted_answers
from .links import LEGACY_LINKS_HONOURED_UNTIL, LEGACY_PARAM, LINK_PARAM, legacy_details, read_reference

LINK_COOKIE = "fw_survey_link"
#: Long enough to read the page and reload it; the open form carries the token itself.
LINK_COOKIE_SECONDS = 3600


def has_token_in_url() -> bool:
    """Whether this request brought a link's token in its query string."""
    return LINK_PARAM in request.args or LEGACY_PARAM in request.args


def exchange_token(site: SiteConfig, slug: str) -> Response:
    """Move the URL's token into a cookie of this page and redirect (303) to the URL without it."""
    token = request.args.get(LINK_PARAM) or request.args.get(LEGACY_PARAM) or ""
    if LEGACY_PARAM in request.args:
        adopt_legacy(site, slug, token)
    kept = {key: value for key, value in request.args.items() if key not in (LINK_PARAM, LEGACY_PARAM)}
    page = url_for(".survey_page", site_key=site.key, slug=slug)
    response = redirect(page + ("?" + urlencode(kept) if kept else ""), 303)
    response.set_cookie(LINK_COOKIE, token, max_age=LINK_COOKIE_SECONDS, path=page, secure=request.is_secure,
                        httponly=True, samesite="Lax")
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def adopt_legacy(site: SiteConfig, slug: str, token: str) -> None:
    """Store a valid legacy signed link as a link (expiring at the legacy cutoff), once."""
    reference = read_reference(get_state().secret_key, site.key, slug, token)
    session = get_state().session()
    if reference is None or find_link(session, site.id, slug, token) is not None:
        return
    create_link(session, site.id, slug, legacy_details(reference), LEGACY_LINKS_HONOURED_UNTIL - utcnow(), token)
    try:
        session.commit()
    except IntegrityError:
        session.rollback()  # the same link opened twice at once: the other visit stored it


def visited_link(site: SiteConfig, slug: str, posted_token: str | None) -> tuple[str | None, SurveyLink | None]:
    """The token of this visit (the form's, else the cookie's) and its link (None when unknown)."""
    token = posted_token or request.cookies.get(LINK_COOKIE)
    session = get_state().session()
    link = find_link(session, site.id, slug, token) if token else None
    session.commit()  # end the read: a POST's transaction holds SQLite's write lock until it ends
    return token, link


def previous_answers(link: SurveyLink | None) -> dict[str, str]:
    """The link's stored answer as the form posts it; empty when it has none yet."""
    if link is None or link.response_id is None:
        return {}
    session = get_state().session()
    stored = session.get(StoredResponse, link.response_id)
    session.commit()
    return posted_answers(stored.answers) if stored is not None else {}


def store_linked(site: SiteConfig, survey: CompiledSurvey, body: dict[str, Any], link: SurveyLink) -> dict[str, str]:
    """Store the link's answer, or change the one it gave; the rules' complaints by question key."""
    try:
        _, row = submission_row(site, body, answer_key(link))
    except ApiError as err:
        return dict(getattr(err, "fields", {})) or {"": err.description or ""}
    row["purpose"] = purpose_of_link(link.order_reference)
    drafts = [draft for hook in get_state().response_hooks for draft in hook(site, survey, row)]
    try:
        response_id = record_response(get_state().engine, row, drafts, submit_engine=get_state().submit_engine).id
    except IdempotencyConflict:
        response_id = change_answer(get_state().engine, row, drafts)
    session = get_state().session()
    mark_answered(session, link.id, response_id)
    session.commit()
    return {}
