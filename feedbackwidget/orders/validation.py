"""An order event from outside (JSON body, CSV row), checked field by field.

Every problem is collected, so the caller can name each field to fix at once.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from ..core.addresses import AddressError, parse_address
from ..core.i18n import N_
from ..core.plain_text import ONE_LINE, has_control_characters
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


def _same(message: str) -> str:
    return message


@dataclass(frozen=True)
class FieldProblem:
    """What is wrong with one field: an English msgid and its values, translated when shown."""

    message: str
    values: tuple[tuple[str, Any], ...] = ()
    address: AddressError | None = None

    def text(self, translate: Callable[[str], str] = _same) -> str:
        if self.address is not None:
            return " ".join(self.address.messages(translate))
        return translate(self.message) % dict(self.values) if self.values else translate(self.message)


NON_EMPTY = FieldProblem(N_("Must be a non-empty text."))
TEXT_OR_NULL = FieldProblem(N_("Must be a text or null."))
ONE_LINE_PROBLEM = FieldProblem(ONE_LINE)
UNKNOWN_FIELD = FieldProblem(N_("Unknown field."))
NO_MOMENT = FieldProblem(N_("Must be a date and time with its UTC offset, such as 2026-12-01T14:03:00+01:00."))
NOT_A_DATE = FieldProblem(N_("Is not a real date and time: check the day, month and hour."))
IN_THE_FUTURE = FieldProblem(N_("Is in the future: send an event once it has happened."))
NOT_A_LANGUAGE = FieldProblem(N_("Must be a language tag such as hu, en-GB or zh-CN."))
NOT_A_CUSTOMER = FieldProblem(N_("Must be an object with id, email, name, language and loyalty_tier."))
NOT_AN_EVENT = FieldProblem(N_("Must be one of: %(events)s."), (("events", ", ".join(EVENTS)),))
NOT_A_FLAG = FieldProblem(N_("Must be true, false or null."))


def _too_long(limit: int) -> FieldProblem:
    return FieldProblem(N_("Must be at most %(limit)d characters."), (("limit", limit),))


class InvalidOrderEvent(ValueError):
    """Some fields are not valid; ``problems`` maps each (``customer.email``) to what is wrong."""

    def __init__(self, problems: Mapping[str, FieldProblem]) -> None:
        self.problems = dict(problems)
        super().__init__("; ".join(f"{name}: {text}" for name, text in self.fields.items()))

    @property
    def fields(self) -> dict[str, str]:
        """Each field's problem in English, as the JSON API reports it."""
        return {name: problem.text() for name, problem in self.problems.items()}


class InvalidMoment(ValueError):
    def __init__(self, problem: FieldProblem) -> None:
        super().__init__(problem.text())
        self.problem = problem


def parse_moment(text: str, now: dt.datetime) -> dt.datetime:
    """An RFC 3339 time with its UTC offset, in UTC.

    :raises InvalidMoment: saying how to write it.
    """
    if not RFC3339.fullmatch(text):
        raise InvalidMoment(NO_MOMENT)
    try:
        moment = dt.datetime.fromisoformat(text.upper().replace("Z", "+00:00"))
    except ValueError as err:
        raise InvalidMoment(NOT_A_DATE) from err
    moment = moment.astimezone(dt.timezone.utc)
    if moment > now + FUTURE_TOLERANCE:
        raise InvalidMoment(IN_THE_FUTURE)
    return moment


Problems = dict[str, FieldProblem]


def _text(value: Any, name: str, limit: int, errors: Problems, *, required: bool = False) -> str | None:
    if value is None and not required:
        return None
    if not isinstance(value, str) or (required and not value.strip()):
        errors[name] = NON_EMPTY if required else TEXT_OR_NULL
    elif len(value) > limit:
        errors[name] = _too_long(limit)
    elif has_control_characters(value):
        errors[name] = ONE_LINE_PROBLEM
    else:
        return value.strip() or None
    return None


def _email(value: str | None, errors: Problems) -> str | None:
    if value is None:
        return None
    try:
        return parse_address(value)
    except AddressError as err:
        errors["customer.email"] = FieldProblem("", address=err)
        return None


def _language(value: str | None, errors: Problems) -> str | None:
    if value is not None and not LANGUAGE_TAG.fullmatch(value):
        errors["customer.language"] = NOT_A_LANGUAGE
        return None
    return value.replace("_", "-") if value else None


def parse_customer(raw: Any, errors: Problems) -> Customer:
    """The ``customer`` object of an event (null or missing: nobody known)."""
    if raw is None:
        return Customer()
    if not isinstance(raw, dict):
        errors["customer"] = NOT_A_CUSTOMER
        return Customer()
    errors.update({f"customer.{key}": UNKNOWN_FIELD for key in raw.keys() - CUSTOMER_LIMITS.keys()})
    values = {key: _text(raw.get(key), f"customer.{key}", limit, errors) for key, limit in CUSTOMER_LIMITS.items()}
    return Customer(id=values["id"], email=_email(values["email"], errors), name=values["name"],
                    language=_language(values["language"], errors), loyalty_tier=values["loyalty_tier"])


def _event(value: Any, errors: Problems) -> str:
    if value not in EVENTS:
        errors["event"] = NOT_AN_EVENT
        return ""
    return str(value)


def _occurred_at(value: Any, now: dt.datetime, errors: Problems) -> dt.datetime:
    if not isinstance(value, str):
        errors["occurred_at"] = NO_MOMENT
        return now
    try:
        return parse_moment(value, now)
    except InvalidMoment as err:
        errors["occurred_at"] = err.problem
        return now


def _consent(value: Any, errors: Problems) -> bool | None:
    if value is not None and not isinstance(value, bool):
        errors["marketing_consent"] = NOT_A_FLAG
        return None
    return value


def order_event_from_json(body: Mapping[str, Any], now: dt.datetime, source: str = "api") -> OrderEvent:
    """Validate the JSON *body* of one order event.

    :raises InvalidOrderEvent: listing every field to fix.
    """
    errors: Problems = {key: UNKNOWN_FIELD for key in body.keys() - BODY_KEYS}
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
