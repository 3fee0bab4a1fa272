"""Order webhooks of the shop platforms: ``/hooks/shopify/<site_key>`` and
``/hooks/woocommerce/<site_key>``.

Each request is checked against the platform's own signature over the raw body
(base64 of HMAC-SHA256 with the site's signing secret) before anything is parsed;
unsigned or wrongly signed: 401, nothing stored.  A signed order is stored as one
event and answered at once: the platforms retry endpoints that are slow, and the
work that follows (invitations) reads the stored events later.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from flask import Blueprint, current_app, request
from flask.typing import ResponseReturnValue
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException

from ...core import config
from ..errors import InvalidJson, ServiceUnavailable, UnknownSite, json_error, wrap_http_exception
from ...core.state import get_state
from .api import Unauthorized
from ...orders.credentials import platform_secret, signature_matches
from ...orders.events import OrderEvent, Recorded, record_event
from ...orders.platforms import SHOPIFY_TOPICS, WOOCOMMERCE_TOPICS, UnusablePayload, shopify_event, woocommerce_event

order_hooks = Blueprint("hooks", __name__)
# WooCommerce's test POST when a webhook is saved: a form body, unsigned, that must get a 200.
WOOCOMMERCE_PING = re.compile(rb"webhook_id=\d+")


@order_hooks.errorhandler(HTTPException)
def _json_error(error: HTTPException) -> ResponseReturnValue:
    return wrap_http_exception(error).get_response()


@order_hooks.errorhandler(OperationalError)
def _database_down(error: OperationalError) -> ResponseReturnValue:
    current_app.logger.exception("feedbackwidget: database unavailable, webhook not stored")
    return ServiceUnavailable(headers={"Retry-After": "5"}).get_response()


def _site_id(site_key: str) -> int:
    site = get_state().sites.get(site_key)
    if site is None:
        raise UnknownSite()
    return site.id


def _signed_body(site_key: str, platform: str, signature: str | None) -> tuple[int, bytes]:
    """The site's id and the raw body, once the signature over it checked out."""
    site_id = _site_id(site_key)
    body = request.get_data(cache=False)
    secret = platform_secret(get_state().session(), site_id, platform)
    if secret is None:
        raise Unauthorized(f"This site has no {platform} signing secret: set it with "
                           f"'feedbackwidget hooks secret SITE_KEY {platform} SECRET'.")
    if not signature_matches(secret, body, signature):
        raise Unauthorized("The signature does not match the body: check the site's signing secret.")
    return site_id, body


def _order(body: bytes) -> dict[str, Any]:
    try:
        order = json.loads(body)
    except (ValueError, UnicodeDecodeError) as err:
        raise InvalidJson() from err
    if not isinstance(order, dict):
        raise InvalidJson("The body must be the order as a JSON object.")
    return order


def _store(site_id: int, make_event: Callable[[dict[str, Any]], OrderEvent | None], order: dict[str, Any]) -> dict[str, Any]:
    try:
        event = make_event(order)
    except UnusablePayload as err:
        raise json_error(422, "unusable_order", f"The order cannot be stored: {err}.") from err
    if event is None:
        return {"stored": False, "reason": "status_ignored"}
    session = get_state().session()
    result = record_event(session, site_id, event)
    answer = {"stored": isinstance(result, Recorded), "duplicate": not isinstance(result, Recorded),
              "id": result.stored.id, "event": result.stored.event}
    session.commit()
    return answer


@order_hooks.post("/shopify/<site_key>")
def shopify(site_key: str) -> dict[str, Any]:
    """Shopify's ``orders/paid``, ``orders/fulfilled`` and ``orders/cancelled``."""
    site_id, body = _signed_body(site_key, "shopify", request.headers.get("X-Shopify-Hmac-Sha256"))
    topic = request.headers.get("X-Shopify-Topic", "")
    if topic not in SHOPIFY_TOPICS:
        return {"stored": False, "reason": "topic_ignored"}
    webhook_id = request.headers.get("X-Shopify-Webhook-Id")
    return _store(site_id, lambda order: shopify_event(topic, order, webhook_id), _order(body))


@order_hooks.post("/woocommerce/<site_key>")
def woocommerce(site_key: str) -> dict[str, Any]:
    """WooCommerce's ``order.created`` and ``order.updated``, by the order's status."""
    signature = request.headers.get("X-WC-Webhook-Signature")
    if signature is None and _is_ping():
        _site_id(site_key)
        return {"stored": False, "reason": "ping"}
    site_id, body = _signed_body(site_key, "woocommerce", signature)
    if request.headers.get("X-WC-Webhook-Topic", "") not in WOOCOMMERCE_TOPICS:
        return {"stored": False, "reason": "topic_ignored"}
    return _store(site_id, woocommerce_event, _order(body))


def _is_ping() -> bool:
    """WooCommerce's unsigned ping (it stores nothing, so answering it leaks nothing)."""
    limit = current_app.config[config.MAX_BODY_BYTES]
    return (request.content_length or 0) <= limit and bool(WOOCOMMERCE_PING.fullmatch(request.get_data(cache=True)))
