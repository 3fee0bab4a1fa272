"""The hosted survey page: ``/s/<site_key>/<slug>``, server-rendered, works with JavaScript off.

For links in post-purchase e-mails; answers go through the same rules and the
same storage (``submission_row``, ``record_response``, response hooks) as the API.
A link may choose a 0-10 answer in advance by its question's key (``?score=9``):
the page opens with it chosen and the follow-up worded for its band; opening a
link stores nothing (mail scanners open links), the visitor still sends the page.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Callable
from functools import partial
from typing import Any
from urllib.parse import urlencode

from babel.dates import format_date
from flask import Blueprint, Response, abort, redirect, render_template, request, url_for

from ...core import config
from ..errors import ApiError, RateLimited
from ..submission import submission_row
from ...core.state import get_state
from ...core.i18n import SUPPORTED_LOCALES, negotiate_locale, translate
from ..ratelimit import enforce, from_own_page
from ..spam import form_looks_human
from ...responses import IdempotencyConflict, record_response
from ...sites import CompiledSurvey, SiteConfig
from ...sites.widget_texts import SETTINGS_KEY as WIDGET_TEXTS, own_text
from ...responses.links import is_expired
from ...surveys.models import SurveyLink
from .hosted import (FIELD_PREFIX, HostedSurveyForm, answer_choices, hosted_form_class, linked_scores, posted_value,
                     preselect, scale_anchors, typed_answers, word_follow_ups)
from .link_visits import exchange_token, has_token_in_url, previous_answers, store_linked, visited_link
from .page_strings import PAGE_STRINGS, error_text

survey_pages = Blueprint("survey", __name__)
SUBMISSION_ID = re.compile(r"[0-9a-f]{32}")
PAGE_CSP = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"


def _site_and_survey(site_key: str, slug: str) -> tuple[SiteConfig, CompiledSurvey]:
    site = get_state().sites.get(site_key)  # a database fault: the 503 page (feedbackwidget.web.unavailable)
    if site is None or slug not in site.surveys:
        abort(404)
    return site, site.surveys[slug]


def page_locale(site: SiteConfig) -> str:
    """``?lang=``, else the browser's languages, else the site's default."""
    browser = request.accept_languages.best_match(SUPPORTED_LOCALES)
    return negotiate_locale([request.args.get("lang"), browser], site.default_locale)


#: The page's texts a site words itself for its widget too (``sites.widget_texts``): the heading and the thanks.
OWN_TEXTS = {"title": "dialog_title", "thanks": "thanks"}


def _translator(locale: str, site: SiteConfig | None = None) -> Callable[..., str]:
    own = site.settings.get(WIDGET_TEXTS) if site is not None else None

    def t(name: str, **values: Any) -> str:
        if name in OWN_TEXTS and (text := own_text(own, OWN_TEXTS[name], locale)):
            return text
        return translate(locale, PAGE_STRINGS[name]).format(**values)

    return t


def _body(survey: CompiledSurvey, form: HostedSurveyForm, locale: str, link: SurveyLink | None) -> dict[str, Any]:
    page_url = url_for(".survey_page", site_key=request.view_args["site_key"], slug=survey.slug,  # type: ignore[index]
                       _external=True)
    if link and link.order_reference:
        page_url += "?" + urlencode({"order": link.order_reference})
    body: dict[str, Any] = {"survey": survey.slug, "answers": typed_answers(survey, form), "locale": locale,
                            "page_url": page_url}
    if link and (link.customer_id or link.customer_email):
        body["customer"] = {"id": link.customer_id, "email": link.customer_email}
    return body


def _store(site: SiteConfig, survey: CompiledSurvey, body: dict[str, Any], key: str) -> dict[str, str]:
    """Store the answers; the rules' complaints by question key (empty when stored)."""
    try:
        _, row = submission_row(site, body, key)
    except ApiError as err:
        return dict(getattr(err, "fields", {})) or {"": err.description or ""}
    drafts = [draft for hook in get_state().response_hooks for draft in hook(site, survey, row)]
    try:
        record_response(get_state().engine, row, drafts, submit_engine=get_state().submit_engine)
    except IdempotencyConflict:
        pass  # sent twice with other answers: the first one counts
    return {}


def _question_views(survey: CompiledSurvey, form: HostedSurveyForm, locale: str, fallback: str) -> list[dict[str, Any]]:
    t = _translator(locale)
    word_follow_ups(survey, form, locale, fallback)
    views = []
    for question in survey.questions:
        hint = None
        if question.show_if:
            condition = survey.question(question.show_if["question"])
            labels = dict(answer_choices(condition, locale, fallback)) if condition else {}
            answers = [labels.get(posted_value(value), str(value)) for value in question.show_if["in"]]
            hint = t("only_if", answer=", ".join(answers))
        views.append({"question": question, "field": form[FIELD_PREFIX + question.key], "hint": hint,
                      "scale": scale_anchors(question, locale, fallback)})
    return views


@survey_pages.route("/s/<site_key>/<slug>", methods=["GET", "POST"])
def survey_page(site_key: str, slug: str) -> Any:
    """The survey as an HTML form; on a valid POST, store it and show the thank-you page.

    A link's token is first moved out of the URL (:func:`exchange_token`); an expired
    link gets the expired page (410); a link already answered shows its answer to change.
    """
    site, survey = _site_and_survey(site_key, slug)
    if request.method == "GET" and has_token_in_url():
        return exchange_token(site, slug)
    locale = page_locale(site)
    form = hosted_form_class(survey, locale, site.default_locale)()
    token, link = visited_link(site, slug, form.link.data if form.is_submitted() else None)
    if link is not None and is_expired(link):
        return _page("feedbackwidget/survey/link_expired.html", site, locale, status=410)
    if not form.is_submitted():
        preselect(form, {**previous_answers(link), **linked_scores(survey, request.args)})
    form.link.data = token if link is not None else ""
    if not SUBMISSION_ID.fullmatch(form.submission_id.data or ""):
        form.submission_id.data = uuid.uuid4().hex
    if request.method == "POST":
        try:
            enforce("hosted-survey", config.RATELIMIT_WRITE_PER_CLIENT, config.RATELIMIT_WRITE_PER_SITE, site_key,
                    looks_human=from_own_page(site) and form_looks_human(form))
        except RateLimited as err:
            return _busy(site, survey, form, locale, link, err.retry_after)
    errors: dict[str, str] = {}
    if form.validate_on_submit():
        errors = _store_answer(site, survey, form, locale, link)
        if not errors:
            return redirect(url_for(".thanks_page", site_key=site_key, slug=slug, lang=locale))
    for key, message in errors.items():
        if key and FIELD_PREFIX + key in form:
            form[FIELD_PREFIX + key].errors = [error_text(locale, message)]
    return _page("feedbackwidget/survey/form.html", site, locale, status=422 if request.method == "POST" else 200,
                 form=form, questions=_question_views(survey, form, locale, site.default_locale),
                 link=link, answered=_answered_note(link, locale), invalid_link=bool(token) and link is None,
                 survey=survey, expired=bool(form.errors.get("csrf_token")), rejected=bool(errors))


def _store_answer(site: SiteConfig, survey: CompiledSurvey, form: HostedSurveyForm, locale: str,
                  link: SurveyLink | None) -> dict[str, str]:
    body = _body(survey, form, locale, link)
    if link is not None:
        return store_linked(site, survey, body, link)
    return _store(site, survey, body, "hosted-" + form.submission_id.data)


def long_date(moment: dt.datetime, locale: str) -> str:
    """*moment*'s date written out in *locale* (``December 6, 2026``, ``2026. december 6.``, ``2026年12月6日``)."""
    return format_date(moment.date(), format="long", locale={"zh": "zh_Hans_CN"}.get(locale, locale))


def _answered_note(link: SurveyLink | None, locale: str) -> str | None:
    """"You answered on ..., change it until ..." for a link already answered."""
    if link is None or link.response_id is None:
        return None
    answered_on = long_date(link.answered_at or link.created_at, locale)
    return _translator(locale)("answered", date=answered_on, until=long_date(link.expires_at, locale))


def _busy(site: SiteConfig, survey: CompiledSurvey, form: HostedSurveyForm, locale: str, link: SurveyLink | None,
          retry_after: int) -> Response:
    """The form again, answers kept, asking to send it a little later (429 with Retry-After)."""
    response = _page("feedbackwidget/survey/form.html", site, locale, status=429, form=form, survey=survey,
                     questions=_question_views(survey, form, locale, site.default_locale), link=link,
                     answered=None, invalid_link=False, expired=False, busy_minutes=max(1, -(-retry_after // 60)))
    response.headers["Retry-After"] = str(retry_after)
    return response


@survey_pages.get("/s/<site_key>/<slug>/thanks")
def thanks_page(site_key: str, slug: str) -> Response:
    site, _ = _site_and_survey(site_key, slug)
    return _page("feedbackwidget/survey/thanks.html", site, page_locale(site))


def _page(template: str, site: SiteConfig, locale: str, status: int = 200, **context: Any) -> Response:
    links = {code: url_for(request.endpoint or ".survey_page", **{**(request.view_args or {}), **request.args, "lang": code})
             for code in SUPPORTED_LOCALES}
    html = render_template(template, site=site, locale=locale, t=_translator(locale, site), language_links=links,
                           gettext=partial(translate, locale), **context)
    response = Response(html, status=status, mimetype="text/html")
    response.headers["Content-Security-Policy"] = PAGE_CSP
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response
