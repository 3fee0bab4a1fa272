"""Survey links for e-mails: the hosted survey page, optionally with a signed customer/order reference.

An NPS e-mail can carry the eleven 0-10 links (``survey-link --scores``): each opens
the page with its score chosen (``?score=7``, the key of the survey's 0-10 question).

The reference is signed with FEEDBACKWIDGET_SECRET_KEY (itsdangerous), so a visitor
cannot attach an answer to someone else's order by editing the link, and it is
bound to the site and survey it was made for.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import quote, urlencode

import click
from flask.cli import with_appcontext
from itsdangerous import BadSignature, URLSafeSerializer

from ..api.submission import EMAIL
from ..extension import get_state
from ..i18n import normalize_locale
from ..sites import CompiledSurvey
from ..surveys.questions import NPS_MAX, NPS_MIN, Question

SALT = "feedbackwidget.survey-link"


@dataclass(frozen=True)
class Reference:
    """Who answers and about what: attached to the stored response."""

    customer_id: str | None = None
    order: str | None = None
    email: str | None = None


def _serializer(secret_key: str) -> URLSafeSerializer:
    return URLSafeSerializer(secret_key, salt=SALT)


def sign_reference(secret_key: str, site_key: str, slug: str, reference: Reference) -> str:
    """The token to put in the link's ``ref`` parameter."""
    payload = {"s": site_key, "v": slug, "c": reference.customer_id, "o": reference.order, "e": reference.email}
    return _serializer(secret_key).dumps({k: v for k, v in payload.items() if v is not None})


def read_reference(secret_key: str, site_key: str, slug: str, token: str) -> Reference | None:
    """The reference in *token*, or None when it is forged, damaged or made for another survey."""
    try:
        payload = _serializer(secret_key).loads(token)
    except BadSignature:
        return None
    if not isinstance(payload, dict) or payload.get("s") != site_key or payload.get("v") != slug:
        return None
    return Reference(customer_id=payload.get("c"), order=payload.get("o"), email=payload.get("e"))


def survey_link(site_key: str, slug: str, reference: Reference | None = None, locale: str | None = None,
                chosen: Mapping[str, int] | None = None) -> str:
    """The absolute URL of the hosted survey page (needs an app context).

    The base is FEEDBACKWIDGET_PUBLIC_URL (e-mails are not written during a request).

    :param chosen: 0-10 answers the page opens with, by question key (``{"score": 9}``).
    """
    from ..cli import public_base_url

    params: dict[str, str] = {key: str(score) for key, score in (chosen or {}).items()}
    if locale and normalize_locale(locale):
        params["lang"] = normalize_locale(locale) or ""
    if reference is not None and (reference.customer_id or reference.order or reference.email):
        params["ref"] = sign_reference(get_state().secret_key, site_key, slug, reference)
    url = f"{public_base_url()}/s/{quote(site_key, safe='')}/{quote(slug, safe='')}"
    return url + ("?" + urlencode(params) if params else "")


def score_question(survey: CompiledSurvey) -> Question | None:
    """The 0-10 question a score link answers: the survey's first one asked of every visitor."""
    return next((q for q in survey.questions if q.type == "nps" and not q.show_if), None)


def score_links(site_key: str, survey: CompiledSurvey, reference: Reference | None = None,
                locale: str | None = None) -> list[tuple[int, str]]:
    """``(score, link)`` for each score 0-10 of *survey*'s 0-10 question (needs an app context).

    :raises ValueError: when the survey has no 0-10 question asked of everyone.
    """
    question = score_question(survey)
    if question is None:
        raise ValueError(f"survey {survey.slug!r} has no 0-10 question asked of every visitor: "
                         "score links need an NPS survey (template 'nps')")
    return [(score, survey_link(site_key, survey.slug, reference, locale, {question.key: score}))
            for score in range(NPS_MIN, NPS_MAX + 1)]


@click.command("survey-link")
@click.argument("site_key")
@click.argument("slug")
@click.option("--customer-id", default=None, help="The customer's id in the shop.")
@click.option("--order", default=None, help="The order the answer is about, e.g. A-1001.")
@click.option("--email", default=None, help="The customer's e-mail address.")
@click.option("--lang", default=None, help="Language of the page: en, hu or zh (default: the visitor's).")
@click.option("--scores", is_flag=True,
              help="Print eleven links, one per score 0-10 ('SCORE<tab>LINK'), each opening the page with it chosen.")
@with_appcontext
def survey_link_command(
    site_key: str, slug: str, customer_id: str | None, order: str | None, email: str | None, lang: str | None,
    scores: bool,
) -> None:
    """Print a link to the hosted survey page, e.g. for a post-purchase e-mail; with --scores, the 0-10 links."""
    site = get_state().sites.get(site_key)
    if site is None:
        raise click.BadParameter(f"no site has key {site_key!r}: see 'create-site'", param_hint="SITE_KEY")
    if slug not in site.surveys:
        raise click.BadParameter(f"{slug!r} is not an active survey of this site: use one of {', '.join(site.surveys)}",
                                 param_hint="SLUG")
    if email is not None and not EMAIL.fullmatch(email):
        raise click.BadParameter(f"{email!r} is not an e-mail address: write it as name@example.com", param_hint="--email")
    reference = Reference(customer_id, order, email)
    if not scores:
        click.echo(survey_link(site_key, slug, reference, lang))
        return
    try:
        links = score_links(site_key, site.surveys[slug], reference, lang)
    except ValueError as err:
        raise click.BadParameter(f"{err}, or leave out --scores", param_hint="--scores") from err
    for score, link in links:
        click.echo(f"{score}\t{link}")
