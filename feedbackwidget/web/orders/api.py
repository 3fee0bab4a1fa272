"""``POST /api/v1/sites/<site_key>/orders``: a shop's server reports an order event.

Server to server: authenticated with the site's API secret (``Authorization:
Bearer ...``), never with the public site key, and without CORS (a browser has no
business here).  A child of the ``api`` blueprint for its JSON errors and body limit.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, g, request

from ...core import config
from ..errors import ApiError, InvalidRequest, UnknownSite
from ..submission import read_json_object
from ...core.state import get_state
from ...core.models import utcnow
from ...orders.credentials import api_secret_matches
from ...orders.events import Recorded, record_event
from ...orders.models import StoredOrderEvent
from ...orders.validation import InvalidOrderEvent, order_event_from_json

orders_api = Blueprint("orders", __name__)


class Unauthorized(ApiError):
    code = 401
    error_code = "unauthorized"
    description = ("Send the site's API secret as 'Authorization: Bearer <secret>' "
                   "(create one with 'feedbackwidget api-secret SITE_KEY' or on the site's Orders page).")

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message, headers={"WWW-Authenticate": 'Bearer realm="feedbackwidget orders"'})


@orders_api.before_request
def _server_to_server() -> None:
    g.feedbackwidget_server_to_server = True  # the api blueprint adds no CORS headers


def bearer_token() -> str | None:
    """The token of an ``Authorization: Bearer ...`` header, or None."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    return token.strip() or None if scheme.lower() == "bearer" else None


def authenticated_site_id(site_key: str) -> int:
    """The id of the site named in the URL, once the request proved it holds its API secret."""
    site = get_state().sites.get(site_key)
    if site is None:
        raise UnknownSite()
    if not api_secret_matches(get_state().session(), site.id, bearer_token()):
        raise Unauthorized()
    return site.id


def event_body(stored: StoredOrderEvent, duplicate: bool) -> dict[str, Any]:
    """What the shop learns of its stored event."""
    return {"id": stored.id, "order_id": stored.order_id, "event": stored.event,
            "occurred_at": stored.occurred_at.isoformat(), "received_at": stored.received_at.isoformat(),
            "source": stored.source, "duplicate": duplicate}


@orders_api.post("/v1/sites/<site_key>/orders")
def submit_order_event(site_key: str) -> tuple[dict[str, Any], int]:
    """Store one order event; the same (order id, event) again answers 200 with the stored one."""
    site_id = authenticated_site_id(site_key)
    body = read_json_object(request, current_app.config[config.MAX_BODY_BYTES])
    try:
        event = order_event_from_json(body, utcnow())
    except InvalidOrderEvent as err:
        raise InvalidRequest(fields=err.fields) from err
    session = get_state().session()
    result = record_event(session, site_id, event)
    answer = event_body(result.stored, duplicate=not isinstance(result, Recorded))
    session.commit()
    return answer, 201 if isinstance(result, Recorded) else 200
