"""An order event from outside (JSON body, CSV row), checked field by field.

Every problem is collected, so the caller can name each field to fix at once.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from ..addresses import AddressError, parse_address
from ..plain_text import has_control_characters
from .events import Customer, OrderEvent
from .models import EVENTS

BODY_KEYS = frozenset({"order_id", "event", "occurred_at", "customer", "channel", "marketing_consent"})
CUSTOMER_LIMITS = {"id": 128, "email": 254, "name": 200, "language": 35, "loyalty_tier": 32}
LIMITS = {"order_id": 128, "channel": 64}
# RFC 3339 date-time: what the OpenAPI "date-time" format means, with an offset always.
RFC3339 = re.compile(r"\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})")
LANGUAGE_TAG = re.compile(r"[A-Za-z]{1,8}([-_][A-Za-z0-9]{1,8})*")
# A clock a little fast at the shop is fine; an event days ahead is a mistake.
FUTURE_TOLERANCE = dt.timedelta(days=1)


class InvalidOrderEvent(ValueError):
    """Some fields are not valid; ``fields`` maps each (``customer.email``) to what is wrong."""

    def __init__(self, fields: Mapping[str, str]) -> None:
        self.fields = dict(fields)
        super().__init__("; ".join(f"{name}: {text}" for name, text in self.fields.items()))


def parse_moment(text: str, now: dt.datetime) -> dt.datetime:
    """An RFC 3339 time with its UTC offset, in UTC.

    :raises ValueError: saying how to write it.
    """
    if not RFC3339.fullmatch(text):
        raise ValueError("Must be a date and time with its UTC offset, such as 2026-12-01T14:03:00+01:00.")
    try:
        moment = dt.datetime.fromisoformat(text.upper().replace("Z", "+00:00"))
    except ValueError as err:
        raise ValueError("Is not a real date and time: check the day, month and hour.") from err
    moment = moment.astimezone(dt.timezone.utc)
    if moment > now + FUTURE_TOLERANCE:
        raise ValueError("Is in the future: send an event once it has happened.")
    return moment


def _text(value: Any, name: str, limit: int, errors: dict[str, str], *, required: bool = False) -> str | None:
    if value is None and not required:
        return None
    if not isinstance(value, str) or (required and not value.strip()):
        errors[name] = "Must be a non-empty text." if required else "Must be a text or null."
    elif len(value) > limit:
        errors[name] = f"Must be at most {limit} characters."
    elif has_control_characters(value):
        errors[name] = "Must be one line without control characters."
    else:
        return value.strip() or None
    return None


def _email(value: str | None, errors: dict[str, str]) -> str | None:
    if value is None:
        return None
    try:
        return parse_address(value)
    except AddressError as err:
        errors["customer.email"] = " ".join(err.messages())
        return None


def _language(value: str | None, errors: dict[str, str]) -> str | None:
    if value is not None and not LANGUAGE_TAG.fullmatch(value):
        errors["customer.language"] = "Must be a language tag such as hu, en-GB or zh-CN."
        return None
    return value.replace("_", "-") if value else None


def parse_customer(raw: Any, errors: dict[str, str]) -> Customer:
    """The ``customer`` object of an event (null or missing: nobody known)."""
    if raw is None:
        return Customer()
    if not isinstance(raw, dict):
        errors["customer"] = "Must be an object with id, email, name, language and loyalty_tier."
        return Customer()
    errors.update({f"customer.{key}": "Unknown field." for key in raw.keys() - CUSTOMER_LIMITS.keys()})
    values = {key: _text(raw.get(key), f"customer.{key}", limit, errors) for key, limit in CUSTOMER_LIMITS.items()}
    return Customer(id=values["id"], email=_email(values["email"], errors), name=values["name"],
                    language=_language(values["language"], errors), loyalty_tier=values["loyalty_tier"])


def _event(value: Any, errors: dict[str, str]) -> str:
    if value not in EVENTS:
        errors["event"] = "Must be one of: " + ", ".join(EVENTS) + "."
        return ""
    return str(value)


def _occurred_at(value: Any, now: dt.datetime, errors: dict[str, str]) -> dt.datetime:
    if not isinstance(value, str):
        errors["occurred_at"] = "Must be a date and time with its UTC offset, such as 2026-12-01T14:03:00+01:00."
        return now
    try:
        return parse_moment(value, now)
    except ValueError as err:
        errors["occurred_at"] = str(err)
        return now


def _consent(value: Any, errors: dict[str, str]) -> bool | None:
    if value is not None and not isinstance(value, bool):
        errors["marketing_consent"] = "Must be true, false or null."
        return None
    return value


def order_event_from_json(body: Mapping[str, Any], now: dt.datetime, source: str = "api") -> OrderEvent:
    """Validate the JSON *body* of one order event.

    :raises InvalidOrderEvent: listing every field to fix.
    """
    errors = {key: "Unknown field." for key in body.keys() - BODY_KEYS}
    event = OrderEvent(
        order_id=_text(body.get("order_id"), "order_id", LIMITS["order_id"], errors, required=True) or "",
        event=_event(body.get("event"), errors),
        occurred_at=_occurred_at(body.get("occurred_at"), now, errors),
        customer=parse_customer(body.get("customer"), errors),
        channel=_text(body.get("channel"), "channel", LIMITS["channel"], errors),
        marketing_consent=_consent(body.get("marketing_consent"), errors),
        source=source,
    )
    if errors:
        raise InvalidOrderEvent(errors)
    return event
