"""Reading a submission: the JSON body, its envelope and its answers, strictly.

Every rejection raises an :class:`~feedbackwidget.web.errors.ApiError` naming
what to fix; nothing is stored unless all of it is valid.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any, NoReturn

from flask import Request

from ..core import config
from ..core.addresses import AddressError, parse_address
from . import spam
from ..core.i18n import negotiate_locale
from .ratelimit import enforce_site_cap, from_allowed_origin
from ..responses import body_hash, metric_values
from ..sites import CompiledSurvey, SiteConfig
from .errors import (
    InvalidAnswers,
    InvalidIdempotencyKey,
    InvalidJson,
    InvalidRequest,
    PayloadTooLarge,
    UnsupportedMediaType,
)

IDEMPOTENCY_KEY = re.compile(r"[\x21-\x7e]{1,128}")
ENVELOPE_KEYS = frozenset({"survey", "answers", "page_url", "locale", "customer"})
CUSTOMER_LIMITS = {"id": 128, "email": 254, "loyalty_tier": 32}
PAGE_URL_MAX = 2048
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")


def _reject_constant(name: str) -> NoReturn:
    raise ValueError(f"{name} is not a JSON number")


def read_json_object(request: Request, max_bytes: int) -> dict[str, Any]:
    """The request's body as a JSON object.

    :raises ApiError: for another content type, an oversized or malformed body.
    """
    if request.mimetype != "application/json":
        raise UnsupportedMediaType()
    if request.content_length is not None and request.content_length > max_bytes:
        raise PayloadTooLarge()
    raw = request.stream.read(max_bytes + 1)
    if len(raw) > max_bytes:
        raise PayloadTooLarge()
    try:
        body = json.loads(raw, parse_constant=_reject_constant)
    except (ValueError, UnicodeDecodeError) as err:
        raise InvalidJson() from err
    if not isinstance(body, dict):
        raise InvalidJson("The body must be a JSON object such as {\"survey\": \"nps\", \"answers\": {...}}.")
    return body


def check_site_cap(scope: str, site: SiteConfig, body: Mapping[str, Any]) -> None:
    """Count a submission against its site's cap, which spares one that looks like a person's:
    from the site's own origin, with the widget's empty honeypot and a person's fill time.

    :raises RateLimited: when it is refused (see :mod:`feedbackwidget.web.ratelimit`).
    """
    enforce_site_cap(scope, config.RATELIMIT_WRITE_PER_SITE, site,
                     lambda: from_allowed_origin(site) and spam.envelope_looks_human(body))


def idempotency_key(request: Request) -> str | None:
    """The Idempotency-Key header, if any.

    :raises InvalidIdempotencyKey: when present but malformed.
    """
    key = request.headers.get("Idempotency-Key")
    if key is None:
        return None
    if not IDEMPOTENCY_KEY.fullmatch(key):
        raise InvalidIdempotencyKey()
    return key


def _optional_string(body: Mapping[str, Any], key: str, limit: int, errors: dict[str, str]) -> str | None:
    value = body.get(key)
    if value is None:
        return None
    if not isinstance(value, str) or len(value) > limit:
        errors[key] = f"Must be text of at most {limit} characters."
        return None
    if CONTROL_CHARACTERS.search(value):
        errors[key] = "Must not contain control characters."
        return None
    return value


def _customer(raw: Any, errors: dict[str, str]) -> dict[str, str | None]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        errors["customer"] = "Must be an object with id, email and loyalty_tier."
        return {}
    customer: dict[str, str | None] = {}
    for key in raw.keys() - CUSTOMER_LIMITS.keys():
        errors[f"customer.{key}"] = "Unknown field: use id, email or loyalty_tier."
    for key, limit in CUSTOMER_LIMITS.items():
        sub_errors: dict[str, str] = {}
        customer[key] = _optional_string(raw, key, limit, sub_errors)
        if sub_errors:
            errors[f"customer.{key}"] = sub_errors[key]
    if customer.get("email") and not EMAIL.fullmatch(customer["email"] or ""):
        errors["customer.email"] = "Must be an e-mail address such as name@example.com."
    return customer


def stored_address(email: str | None) -> str | None:
    """The customer's address as orders and invitations store it (its domain lower-cased), so that survey
    fatigue knows the widget's customer as the order's; one the parser refuses is kept as given."""
    if not email:
        return None
    try:
        return parse_address(email)
    except AddressError:
        return email


def _survey(site: SiteConfig, body: Mapping[str, Any], errors: dict[str, str]) -> CompiledSurvey | None:
    slug = body.get("survey")
    if not isinstance(slug, str) or slug not in site.surveys:
        errors["survey"] = "Unknown survey: use the slug of an active survey of this site."
        return None
    return site.surveys[slug]


def _answers(survey: CompiledSurvey, raw: Any) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise InvalidRequest(fields={"answers": "Must be an object of question keys to answers."})
    unknown = {key: "Unknown question." for key in raw if survey.question(key) is None}
    form = survey.form_class(raw)
    if not form.validate() or unknown:
        raise InvalidAnswers(fields={**form.error_messages(), **unknown})
    answers: dict[str, Any] = form.answers()
    return answers


def storable_body_hash(body: Any) -> str:
    """:func:`~feedbackwidget.responses.body_hash` of a body whose text a database can store.

    :raises InvalidJson: for a lone UTF-16 surrogate such as ``"\ud800"`` (valid JSON, not storable).
    """
    try:
        return body_hash(body)
    except UnicodeEncodeError as err:
        raise InvalidJson("The body contains text that is not valid Unicode: send UTF-8 text.") from err


def submission_row(site: SiteConfig, body: dict[str, Any], key: str | None) -> tuple[CompiledSurvey, dict[str, Any]]:
    """Validate *body* for *site*; return its survey and the ``fw_responses`` row to store.

    :raises ApiError: listing every invalid field.
    """
    digest = storable_body_hash(body)
    errors = {k: "Unknown field." for k in body.keys() - ENVELOPE_KEYS - spam.ENVELOPE_KEYS}
    survey = _survey(site, body, errors)
    page_url = _optional_string(body, "page_url", PAGE_URL_MAX, errors)
    locale = _optional_string(body, "locale", 35, errors)
    customer = _customer(body.get("customer"), errors)
    if errors or survey is None:
        raise InvalidRequest(fields=errors)
    answers = _answers(survey, body.get("answers"))
    row = {
        "site_id": site.id,
        "survey_id": survey.id,
        "answers": answers,
        **metric_values(survey, answers),
        "page_url": page_url,
        "locale": negotiate_locale([locale], site.default_locale),
        "customer_id": customer.get("id"),
        "customer_email": stored_address(customer.get("email")),
        "loyalty_tier": customer.get("loyalty_tier"),
        "idempotency_key": key,
        "body_hash": digest,
    }
    return survey, row
