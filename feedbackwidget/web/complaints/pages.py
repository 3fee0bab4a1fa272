"""Hosted complaint pages: the form (works without JavaScript) and the private status page.

``/complaint/<site_key>`` takes a complaint in the visitor's language (``?lang=``,
else Accept-Language, else the site's default).  ``/complaint/<site_key>/status/
<reference>?token=...`` shows its state, deadline and public replies; any wrong
part of that address gets the same 404, and look-ups are rate-limited per client.
The token leaves the URL on the first visit: it moves into a short-lived cookie of
that page only, and the browser is sent to the address without it, so the secret
stays out of later access-log lines, the history and Referer headers.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, Response, current_app, make_response, redirect, render_template, request, url_for
from sqlalchemy import select
from werkzeug.wrappers import Response as BaseResponse

from ...core import config
from ...delivery.mail import translator
from ...core.state import get_state
from ...core.i18n import N_, SUPPORTED_LOCALES, negotiate_locale
from ...core.models import utcnow
from ..ratelimit import client_ip, client_key, hit
from ...responses import body_hash
from ...sites import SiteConfig
from ...complaints.context import CUSTOMER
from ...complaints.deadlines import countdown, days_left, is_overdue
from .forms import ComplaintForm, show_problems
from ...complaints.intake import IdempotencyConflict, Origin, receive_complaint
from ...complaints.labels import CATEGORY_LABELS, STATE_LABELS, category_choices, label
from ...complaints.models import Complaint, ComplaintMessage
from ...complaints.notifications import long_date
from ...complaints.references import normalize_reference, token_matches
from ...complaints.runtime import context_for
from ...complaints.validation import InvalidComplaint, validate_complaint

complaint_pages = Blueprint("complaints", __name__)

STATUS_LOOKUP_LIMIT = "10/minute;100/day"
STATUS_COOKIE = "fw_complaint_status"
#: Long enough to read the page and reload it; the e-mail's link sets it again.
STATUS_COOKIE_SECONDS = 1800
LANGUAGE_NAMES = {"en": "English", "hu": "Magyar", "zh": "中文"}
#: What each state means to the customer, in a sentence under the state's name on the status page.
STATE_SENTENCES = {
    "received": N_("We have received your complaint and will start on it soon."),
    "in_progress": N_("We are looking into your complaint."),
    "resolved": N_("We have dealt with your complaint: our reply below says how."),
    "rejected": N_("We have looked into your complaint and found it unfounded: our reply below says why."),
}


def page_locale(site: SiteConfig | None, fallback: str | None = None) -> str:
    """The visitor's language: ``?lang=``, then Accept-Language, then *fallback* or the site's."""
    return negotiate_locale(
        [request.args.get("lang"), request.accept_languages.best_match(SUPPORTED_LOCALES)],
        fallback or (site.default_locale if site else "en"),
    )


def _frame_ancestors(site: SiteConfig | None) -> str:
    origins = " ".join(sorted(site.allowed_origins)) if site else ""
    return f"frame-ancestors 'self' {origins}".strip()


def _page(template: str, site: SiteConfig | None, locale: str, status: int = 200, **context: Any) -> Response:
    body = render_template(
        f"feedbackwidget/complaints/{template}", site=site, locale=locale, _=translator(locale),
        languages=LANGUAGE_NAMES, **context,
    )
    response = make_response(body, status)
    response.headers["Content-Security-Policy"] = (
        "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; "
        + _frame_ancestors(site)
    )
    response.headers["Cache-Control"] = "no-store"
    return response


def _not_found(locale: str) -> Response:
    return _page("not_found.html", None, locale, 404)


def _too_many(site: SiteConfig | None, locale: str, seconds: int) -> Response:
    response = _page("too_many.html", site, locale, 429, seconds=seconds)
    response.headers["Retry-After"] = str(seconds)
    return response


def _over_limit(scope: str, site_key: str, limit: str) -> int | None:
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    ip = client_key(client_ip(request.environ, current_app.config[config.TRUSTED_PROXIES]))
    retry = hit(app, scope, f"{site_key}\0{ip}", limit)
    return retry.seconds if retry is not None else None


def _form(site: SiteConfig, text: Callable[[str], str]) -> ComplaintForm:
    form = ComplaintForm()
    form.category.choices = category_choices(site.settings["complaint_categories"], text)
    if not form.submission_id.data:
        form.submission_id.data = secrets.token_urlsafe(16)
    return form


def _receive(site: SiteConfig, form: ComplaintForm, locale: str) -> Complaint | None:
    _ = translator(locale)
    try:
        data = validate_complaint(
            form.values(), categories=site.settings["complaint_categories"],
            text_limit=current_app.config[config.TEXT_MAX_LENGTH],
        )
    except InvalidComplaint as err:
        show_problems(form, err, _)
        return None
    ctx = context_for(site, CUSTOMER)
    key = "form:" + str(form.submission_id.data)[:64]
    try:
        received = receive_complaint(ctx, data, Origin("web", locale, key, body_hash(form.values())))
    except IdempotencyConflict:
        ctx.session.rollback()
        form.submission_id.errors = [_("This form was already sent with other content: please reload the page.")]
        return None
    ctx.session.commit()
    return received.complaint


@complaint_pages.route("/complaint/<site_key>", methods=["GET", "POST"])
def complaint_form(site_key: str) -> Response:
    """The complaint form of a site, and its submission."""
    site = get_state().sites.get(site_key)
    locale = page_locale(site)
    if site is None:
        return _not_found(locale)
    _ = translator(locale)
    form = _form(site, _)
    if request.method == "POST":
        retry = _over_limit("complaint-form", site.key, current_app.config[config.RATELIMIT_WRITE_PER_CLIENT])
        if retry is not None:
            return _too_many(site, locale, retry)
        if form.validate_on_submit() and (complaint := _receive(site, form, locale)) is not None:
            return _page("received.html", site, locale, complaint=complaint,
                         due_date=long_date(complaint.due_at, locale))
    status = 422 if form.is_submitted() else 200
    return _page("form.html", site, locale, status, form=form,
                 policy_url=site.settings.get("privacy_policy_url"),
                 text_limit=current_app.config[config.TEXT_MAX_LENGTH])


def find_for_status(site: SiteConfig | None, reference: str, token: str | None) -> Complaint | None:
    """The complaint behind a status link, or None for any wrong part (site, reference or token)."""
    canonical = normalize_reference(reference)
    complaint = None
    if site is not None and canonical is not None:
        complaint = get_state().session().scalar(
            select(Complaint).where(Complaint.site_id == site.id, Complaint.reference == canonical)
        )
    stored = complaint.status_token_hash if complaint is not None else None
    return complaint if token_matches(token, stored) else None


@complaint_pages.get("/complaint/<site_key>/status/<reference>")
def complaint_status(site_key: str, reference: str) -> BaseResponse:
    """A complaint's state, deadline and public replies, for whoever holds its private link."""
    site = get_state().sites.get(site_key)
    if "token" in request.args:
        return _token_to_cookie(site_key, reference)
    retry = _over_limit("complaint-status", site.key if site else "-", STATUS_LOOKUP_LIMIT)
    if retry is not None:
        return _too_many(site, page_locale(site), retry)
    complaint = find_for_status(site, reference, request.cookies.get(STATUS_COOKIE))
    if complaint is None or site is None:
        return _not_found(page_locale(site))
    return _status_page(site, complaint)


def _token_to_cookie(site_key: str, reference: str) -> BaseResponse:
    """Keep the status link's token in a cookie of this page only; send the browser to the URL without it."""
    page = url_for(".complaint_status", site_key=site_key, reference=reference)
    kept = {key: value for key, value in request.args.items() if key != "token"}
    response = redirect(page + ("?" + urlencode(kept) if kept else ""), 303)
    response.set_cookie(STATUS_COOKIE, request.args["token"], max_age=STATUS_COOKIE_SECONDS, path=page,
                        secure=request.is_secure, httponly=True, samesite="Lax")
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def _status_page(site: SiteConfig, complaint: Complaint) -> Response:
    locale = page_locale(site, complaint.locale)
    text = translator(locale)
    replies = get_state().session().scalars(
        select(ComplaintMessage).where(
            ComplaintMessage.complaint_id == complaint.id, ComplaintMessage.visibility == "public"
        ).order_by(ComplaintMessage.created_at, ComplaintMessage.id)
    )
    now = utcnow()
    response = _page(
        "status.html", site, locale, complaint=complaint, replies=list(replies),
        state=label(STATE_LABELS, complaint.status, text), category=label(CATEGORY_LABELS, complaint.category, text),
        received_date=long_date(complaint.received_at, locale), due_date=long_date(complaint.due_at, locale),
        state_sentence=label(STATE_SENTENCES, complaint.status, text),
        resolved_date=long_date(complaint.resolved_at, locale) if complaint.resolved_at else None,
        overdue=is_overdue(complaint, now), days_left=days_left(complaint, now), long_date=long_date,
        countdown=countdown(complaint, now, locale),
    )
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Robots-Tag"] = "noindex"
    return response
