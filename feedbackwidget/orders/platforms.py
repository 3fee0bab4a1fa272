"""Shopify's and WooCommerce's order webhooks, turned into order events.

Field names follow the platforms' documented order payloads: Shopify's REST
``Order`` (``name``, ``id``, ``email``, ``contact_email``, ``customer``, ``customer_locale``,
``buyer_accepts_marketing``, ``source_name``, ``processed_at``, ``updated_at``,
``cancelled_at``, ``fulfillments[].created_at``) and WooCommerce's REST v3 order
(``number``, ``id``, ``status``, ``customer_id``, ``billing``, ``created_via``, ``date_*_gmt``).
A customer field that is missing or unusable (a POS order without an e-mail) is
left unknown; only an order without number, id or time is refused.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from ..core.addresses import AddressError, parse_address
from ..core.plain_text import has_control_characters
from .events import Customer, OrderEvent
from .validation import CUSTOMER_LIMITS, LANGUAGE_TAG, LIMITS

SHOPIFY_TOPICS = {"orders/paid": "paid", "orders/fulfilled": "fulfilled", "orders/cancelled": "cancelled"}
WOOCOMMERCE_TOPICS = frozenset({"order.created", "order.updated"})
WOOCOMMERCE_STATUSES = {"processing": "paid", "completed": "fulfilled", "cancelled": "cancelled", "refunded": "refunded"}
# Which of the order's times says when each event happened, best first.
WOOCOMMERCE_TIMES = {
    "paid": ("date_paid_gmt", "date_modified_gmt", "date_created_gmt"),
    "fulfilled": ("date_completed_gmt", "date_modified_gmt", "date_created_gmt"),
    "cancelled": ("date_modified_gmt", "date_created_gmt"),
    "refunded": ("date_modified_gmt", "date_created_gmt"),
}


class UnusablePayload(ValueError):
    """A correctly signed webhook whose order has no id or no time we can read."""


def _clean(value: Any, limit: int) -> str | None:
    """A one-line text of at most *limit* characters, or None."""
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        return None
    text = str(value).strip()
    if not text or len(text) > limit or has_control_characters(text):
        return None
    return text


def _address(*candidates: Any) -> str | None:
    for candidate in candidates:
        text = _clean(candidate, CUSTOMER_LIMITS["email"])
        if text is None:
            continue
        try:
            return parse_address(text)
        except AddressError:
            continue
    return None


def _name(first: Any, last: Any) -> str | None:
    parts = [part for part in (_clean(first, 100), _clean(last, 100)) if part]
    return _clean(" ".join(parts), CUSTOMER_LIMITS["name"])


def _language(value: Any) -> str | None:
    text = _clean(value, CUSTOMER_LIMITS["language"])
    return text.replace("_", "-") if text and LANGUAGE_TAG.fullmatch(text) else None


def _moment(value: Any, *, naive_is_utc: bool = False) -> dt.datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        if not naive_is_utc:
            return None
        moment = moment.replace(tzinfo=dt.timezone.utc)
    return moment.astimezone(dt.timezone.utc)


def _order_id(order: Mapping[str, Any], number_field: str) -> str:
    """The order's number as its customer and the shop's staff know it (Shopify's ``name`` "#1001",
    WooCommerce's ``number``), else the platform's internal ``id``: the mail, the reply and a complaint
    naming the order all speak of that number."""
    order_id = _clean(order.get(number_field), LIMITS["order_id"]) or _clean(order.get("id"), LIMITS["order_id"])
    if order_id is None:
        raise UnusablePayload("the order has no id")
    return order_id


def _first_time(*values: dt.datetime | None) -> dt.datetime:
    for value in values:
        if value is not None:
            return value
    raise UnusablePayload("the order has no time we can read")


def _dict(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, dict) else {}


def _shopify_time(event: str, order: Mapping[str, Any]) -> dt.datetime:
    fulfilled = [_moment(_dict(item).get("created_at")) for item in order.get("fulfillments") or []
                 if isinstance(item, dict)]
    latest_fulfillment = max((moment for moment in fulfilled if moment is not None), default=None)
    specific = {"cancelled": _moment(order.get("cancelled_at")), "fulfilled": latest_fulfillment}.get(event)
    return _first_time(specific, _moment(order.get("updated_at")), _moment(order.get("processed_at")),
                       _moment(order.get("created_at")))


def _shopify_consent(order: Mapping[str, Any], customer: Mapping[str, Any]) -> bool | None:
    consent = _dict(customer.get("email_marketing_consent")).get("state")
    if isinstance(consent, str):
        return consent == "subscribed"
    accepts = order.get("buyer_accepts_marketing")
    return accepts if isinstance(accepts, bool) else None


def shopify_event(topic: str, order: Mapping[str, Any], webhook_id: str | None) -> OrderEvent:
    """The event of a Shopify ``orders/paid|fulfilled|cancelled`` webhook.

    :raises UnusablePayload: when the order has no id or time.
    """
    customer = _dict(order.get("customer"))
    billing = _dict(order.get("billing_address"))
    return OrderEvent(
        order_id=_order_id(order, "name"), event=SHOPIFY_TOPICS[topic],
        occurred_at=_shopify_time(SHOPIFY_TOPICS[topic], order),
        customer=Customer(
            id=_clean(customer.get("id"), CUSTOMER_LIMITS["id"]),
            email=_address(order.get("email"), order.get("contact_email"), customer.get("email")),
            name=_name(customer.get("first_name"), customer.get("last_name"))
            or _name(billing.get("first_name"), billing.get("last_name")),
            language=_language(order.get("customer_locale")),
        ),
        channel=_clean(order.get("source_name"), LIMITS["channel"]),
        marketing_consent=_shopify_consent(order, customer),
        source="shopify", delivery_id=_clean(webhook_id, 128),
    )


def woocommerce_event(order: Mapping[str, Any]) -> OrderEvent | None:
    """The event an order's status stands for, or None for a status that is none of ours
    (pending, on-hold, failed, ...).

    :raises UnusablePayload: when the order has no id or time.
    """
    event = WOOCOMMERCE_STATUSES.get(str(order.get("status")))
    if event is None:
        return None
    billing = _dict(order.get("billing"))
    customer_id = order.get("customer_id")
    times = [_moment(order.get(name), naive_is_utc=True) for name in WOOCOMMERCE_TIMES[event]]
    return OrderEvent(
        order_id=_order_id(order, "number"), event=event, occurred_at=_first_time(*times),
        customer=Customer(
            # 0 is WooCommerce's guest checkout: no customer account.
            id=_clean(customer_id, CUSTOMER_LIMITS["id"]) if customer_id not in (0, "0", None) else None,
            email=_address(billing.get("email")),
            name=_name(billing.get("first_name"), billing.get("last_name")),
        ),
        channel=_clean(order.get("created_via"), LIMITS["channel"]),
        source="woocommerce",
    )
