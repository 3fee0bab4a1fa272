"""The complaint endpoint of the public JSON API (a child of the ``api`` blueprint, which
gives it JSON errors and CORS)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from flask import Blueprint, current_app, request

from .. import config
from ..api.errors import IdempotencyKeyReused, InvalidJson, InvalidRequest
from ..api.submission import idempotency_key, read_json_object
from ..spam import ENVELOPE_KEYS, check_envelope
from ..api.views import check_origin, current_site
from ..responses import body_hash
from ..ratelimit import rate_limit
from ..sites import SiteConfig
from .context import CUSTOMER
from .intake import IdempotencyConflict, Origin, receive_complaint
from .models import Complaint
from .runtime import context_for
from .validation import ComplaintInput, InvalidComplaint, validate_complaint

complaints_api = Blueprint("complaints", __name__)

BODY_KEYS = frozenset({
    "name", "email", "phone", "order_number", "category", "description", "desired_resolution", "consent",
    "locale", "customer",
})
CUSTOMER_KEYS = frozenset({"id", "loyalty_tier"})


def _flatten(body: Mapping[str, Any], errors: dict[str, str]) -> dict[str, Any]:
    flat = {key: value for key, value in body.items() if key != "customer"}
    customer = body.get("customer")
    if customer is None:
        return flat
    if not isinstance(customer, dict):
        errors["customer"] = "Must be an object with id and loyalty_tier."
        return flat
    errors.update({f"customer.{key}": "Unknown field: use id or loyalty_tier." for key in customer.keys() - CUSTOMER_KEYS})
    flat.update(customer_id=customer.get("id"), loyalty_tier=customer.get("loyalty_tier"))
    return flat


def check_unicode(body: Mapping[str, Any]) -> None:
    """Refuse a body with lone surrogates (``"\\ud800"``): valid JSON, but not storable text.

    :raises InvalidJson: naming the fix.
    """
    try:
        json.dumps(body, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError as err:
        raise InvalidJson("The body contains an unpaired UTF-16 surrogate (\\ud800-\\udfff): send valid Unicode text.") from err


def complaint_from_json(site: SiteConfig, body: Mapping[str, Any]) -> ComplaintInput:
    """Validate the JSON *body* of a complaint for *site*.

    :raises InvalidRequest: listing every field to fix.
    """
    errors = {key: "Unknown field." for key in body.keys() - BODY_KEYS - ENVELOPE_KEYS}
    flat = _flatten({k: v for k, v in body.items() if k not in ENVELOPE_KEYS}, errors)
    if body.get("locale") is not None and not isinstance(body.get("locale"), str):
        errors["locale"] = "Must be a language tag such as hu or zh-CN."
    try:
        data = validate_complaint(
            flat, categories=site.settings["complaint_categories"],
            text_limit=current_app.config[config.TEXT_MAX_LENGTH],
        )
    except InvalidComplaint as err:
        renamed = {"customer_id": "customer.id", "loyalty_tier": "customer.loyalty_tier"}
        errors.update({renamed.get(name, name): text for name, text in err.messages().items()})
    if errors:
        raise InvalidRequest(fields=errors)
    return data


def created_body(complaint: Complaint) -> dict[str, Any]:
    """What the client learns of its new complaint (the status link goes by e-mail only)."""
    return {
        "reference": complaint.reference,
        "status": complaint.status,
        "received_at": complaint.received_at.isoformat(),
        "due_at": complaint.due_at.isoformat(),
    }


@complaints_api.post("/v1/sites/<site_key>/complaints")
@rate_limit("complaints", config.RATELIMIT_WRITE_PER_CLIENT, config.RATELIMIT_WRITE_PER_SITE)
def submit_complaint(site_key: str) -> tuple[dict[str, Any], int, dict[str, str]]:
    """Register a complaint; the same Idempotency-Key and body replay the first answer."""
    site = current_site(site_key)
    check_origin(site)
    body = read_json_object(request, current_app.config[config.MAX_BODY_BYTES])
    check_unicode(body)
    check_envelope(body)
    key = idempotency_key(request)
    data = complaint_from_json(site, body)
    ctx = context_for(site, CUSTOMER)
    origin = Origin("web", body.get("locale"), key, body_hash(body))
    try:
        received = receive_complaint(ctx, data, origin)
    except IdempotencyConflict as err:
        ctx.session.rollback()
        raise IdempotencyKeyReused() from err
    ctx.session.commit()
    headers = {"Idempotent-Replayed": "true"} if received.replayed else {}
    return created_body(received.complaint), 201, headers
