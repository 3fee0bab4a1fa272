"""The complaint endpoint of the public JSON API (a child of the ``api`` blueprint, which
gives it JSON errors and CORS)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Blueprint, current_app

from ...core import config
from ..errors import IdempotencyKeyReused, InvalidRequest
from ..submission import storable_body_hash
from ..api.views import read_submission
from ..ratelimit import rate_limit
from ..spam import ENVELOPE_KEYS
from ...sites import SiteConfig
from ...complaints.context import CUSTOMER
from ...complaints.intake import IdempotencyConflict, Origin, receive_complaint
from ...complaints.models import Complaint
from ...complaints.runtime import context_for
from ...complaints.validation import ComplaintInput, InvalidComplaint, validate_complaint

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
@rate_limit("complaints", config.RATELIMIT_WRITE_PER_CLIENT, per_site=None)  # site cap: read_submission
def submit_complaint(site_key: str) -> tuple[dict[str, Any], int, dict[str, str]]:
    """Register a complaint; the same Idempotency-Key and body replay the first answer."""
    site, body, key = read_submission(site_key, "complaints")
    digest = storable_body_hash(body)
    data = complaint_from_json(site, body)
    ctx = context_for(site, CUSTOMER)
    origin = Origin("web", body.get("locale"), key, digest)
    try:
        received = receive_complaint(ctx, data, origin)
    except IdempotencyConflict as err:
        ctx.session.rollback()
        raise IdempotencyKeyReused() from err
    ctx.session.commit()
    headers = {"Idempotent-Replayed": "true"} if received.replayed else {}
    return created_body(received.complaint), 201, headers
