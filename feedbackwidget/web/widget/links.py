"""Survey links for e-mails: the hosted survey page, opened with a private token.

``survey-link`` stores a link (:mod:`feedbackwidget.responses.links`: order, customer and
e-mail stay in the database) and prints ``/s/<site>/<survey>?link=<token>``: the token
is random, so the link shows nothing about the customer.  A link expires after
FEEDBACKWIDGET_LINK_MAX_AGE_DAYS and takes one answer, which a second visit changes.

An NPS e-mail can carry the eleven 0-10 links (``survey-link --scores``): each opens
the page with its score chosen (``?score=7``, the key of the survey's 0-10 question);
opening one records nothing.

Links sent before these existed carry a signed ``ref`` (customer id, order, e-mail
readable in base64).  They are honoured until :data:`LEGACY_LINKS_HONOURED_UNTIL`,
stored as links of their own on first visit so that they too take one answer.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import quote, urlencode

import click
from flask import current_app
from flask.cli import with_appcontext
from itsdangerous import BadSignature, URLSafeSerializer

from ...core import config
from ...core.addresses import AddressError, parse_address
from ...core.state import get_state
from ...core.i18n import normalize_locale
from ...core.public_url import public_base_url
from ...sites import CompiledSurvey, SiteConfig
from ...responses.links import LinkDetails, create_link
from ...surveys.questions import NPS_MAX, NPS_MIN, Question

SALT = "feedbackwidget.survey-link"
#: The query parameter of a link's token (``ref`` is the legacy signed reference).
LINK_PARAM = "link"
LEGACY_PARAM = "ref"
#: Signed links already in customers' mailboxes keep working this long (90 days after the release
#: that replaced them, as long as a new link lives); afterwards they show the expired page.
LEGACY_LINKS_HONOURED_UNTIL = dt.datetime(2027, 3, 6, tzinfo=dt.timezone.utc)


@dataclass(frozen=True)
class Reference:
    """A legacy signed link's reference: who answers and about what."""

    customer_id: str | None = None
    order: str | None = None
    email: str | None = None


def _serializer(secret_key: str) -> URLSafeSerializer:
    return URLSafeSerializer(secret_key, salt=SALT)


def sign_reference(secret_key: str, site_key: str, slug: str, reference: Reference) -> str:
    """A legacy ``ref`` token (no longer printed: kept to test that old links still open)."""
    payload = {"s": site_key, "v": slug, "c": reference.customer_id, "o": reference.order, "e": reference.email}
    return _serializer(secret_key).dumps({k: v for k, v in payload.items() if v is not None})


def read_reference(secret_key: str, site_key: str, slug: str, token: str) -> Reference | None:
    """The reference in a legacy *token*, or None when it is forged, damaged or made for another survey."""
    try:
        payload = _serializer(secret_key).loads(token)
    except BadSignature:
        return None
    if not isinstance(payload, dict) or payload.get("s") != site_key or payload.get("v") != slug:
        return None
    return Reference(customer_id=payload.get("c"), order=payload.get("o"), email=payload.get("e"))


def legacy_details(reference: Reference) -> LinkDetails:
    """What a legacy link's reference becomes as a stored link."""
    return LinkDetails(order_reference=reference.order, customer_id=reference.customer_id,
                       customer_email=reference.email, channel="legacy")


def link_max_age() -> dt.timedelta:
    """How long a new link can be answered: FEEDBACKWIDGET_LINK_MAX_AGE_DAYS (needs an app context)."""
    return dt.timedelta(days=float(current_app.config[config.LINK_MAX_AGE_DAYS]))


def survey_link(site_key: str, slug: str, token: str | None = None, locale: str | None = None,
                chosen: Mapping[str, int] | None = None) -> str:
    """The absolute URL of the hosted survey page (needs an app context).

    The base is :func:`~feedbackwidget.core.public_url.public_base_url` (e-mails are not written during a request).

    :param token: a stored link's token (:func:`feedbackwidget.responses.links.create_link`).
    :param chosen: 0-10 answers the page opens with, by question key (``{"score": 9}``).
    """
    params: dict[str, str] = {key: str(score) for key, score in (chosen or {}).items()}
    if locale and normalize_locale(locale):
        params["lang"] = normalize_locale(locale) or ""
    if token:
        params[LINK_PARAM] = token
    url = f"{public_base_url(current_app).url}/s/{quote(site_key, safe='')}/{quote(slug, safe='')}"
    return url + ("?" + urlencode(params) if params else "")


def score_question(survey: CompiledSurvey) -> Question | None:
    """The 0-10 question a score link answers: the survey's first one asked of every visitor."""
    return next((q for q in survey.questions if q.type == "nps" and not q.show_if), None)


def score_links(site_key: str, survey: CompiledSurvey, token: str | None = None,
                locale: str | None = None) -> list[tuple[int, str]]:
    """``(score, link)`` for each score 0-10 of *survey*'s 0-10 question (needs an app context).

    The eleven links share *token*: whichever the customer opens, the link takes one answer.

    :raises ValueError: when the survey has no 0-10 question asked of everyone.
    """
    question = score_question(survey)
    if question is None:
        raise ValueError(f"survey {survey.slug!r} has no 0-10 question asked of every visitor: "
                         "score links need an NPS survey (template 'nps')")
    return [(score, survey_link(site_key, survey.slug, token, locale, {question.key: score}))
            for score in range(NPS_MIN, NPS_MAX + 1)]


def _site_with_survey(site_key: str, slug: str, scores: bool) -> SiteConfig:
    """The site of *site_key*, refusing (with the fix) a survey it has not, or score links of one without a score."""
    site = get_state().sites.get(site_key)
    if site is None:
        raise click.BadParameter(f"no site has key {site_key!r}: see 'create-site'", param_hint="SITE_KEY")
    if slug not in site.surveys:
        raise click.BadParameter(f"{slug!r} is not an active survey of this site: use one of {', '.join(site.surveys)}",
                                 param_hint="SLUG")
    if scores and score_question(site.surveys[slug]) is None:
        raise click.BadParameter(f"survey {slug!r} has no 0-10 question asked of every visitor: score links need "
                                 "an NPS survey (template 'nps'), or leave out --scores", param_hint="--scores")
    return site


def _check_details(customer_id: str | None, order: str | None, email: str | None, name: str | None) -> str | None:
    """Refuse, with the fix, what the link could not store; return the e-mail address normalised."""
    for option, value, limit in (("--order", order, 128), ("--customer-id", customer_id, 128), ("--name", name, 200)):
        if value is not None and len(value) > limit:
            raise click.BadParameter(f"{len(value)} characters is too long: use at most {limit}", param_hint=option)
    if email is None:
        return None
    try:
        return parse_address(email)
    except AddressError as err:
        raise click.BadParameter(str(err), param_hint="--email") from err


def _store_link(site_id: int, slug: str, details: LinkDetails) -> str:
    session = get_state().session()
    token = create_link(session, site_id, slug, details, link_max_age())
    session.commit()
    return token


@click.command("survey-link")
@click.argument("site_key")
@click.argument("slug")
@click.option("--customer-id", default=None, help="The customer's id in the shop.")
@click.option("--order", default=None, help="The order the answer is about, e.g. A-1001.")
@click.option("--email", default=None, help="The customer's e-mail address (stored, never put in the link).")
@click.option("--name", default=None, help="The customer's name (stored, never put in the link).")
@click.option("--lang", default=None, help="Language of the page: en, hu or zh (default: the visitor's).")
@click.option("--scores", is_flag=True,
              help="Print eleven links, one per score 0-10 ('SCORE<tab>LINK'), each opening the page with it chosen.")
@with_appcontext
def survey_link_command(
    site_key: str, slug: str, customer_id: str | None, order: str | None, email: str | None, name: str | None,
    lang: str | None, scores: bool,
) -> None:
    """Store a survey link and print it, e.g. for a post-purchase e-mail; with --scores, the 0-10 links.

    Each run makes a new link: it expires after FEEDBACKWIDGET_LINK_MAX_AGE_DAYS and takes one answer.
    """
    site = _site_with_survey(site_key, slug, scores)
    email = _check_details(customer_id, order, email, name)
    details = LinkDetails(order_reference=order, customer_id=customer_id, customer_email=email, customer_name=name,
                          locale=normalize_locale(lang))
    token = _store_link(site.id, slug, details)
    if not scores:
        click.echo(survey_link(site_key, slug, token, lang))
        return
    for score, link in score_links(site_key, site.surveys[slug], token, lang):
        click.echo(f"{score}\t{link}")
