"""Checking what a customer (or staff member) entered, the same way for every channel.

The JSON API, the hosted form and the admin intake form all pass their values
through :func:`validate_complaint`, which either returns a clean
:class:`ComplaintInput` or raises :class:`InvalidComplaint` with one problem per
field.  Problems are English msgids with parameters, translated by the caller.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..core.addresses import AddressError, parse_address
from ..core.i18n import N_
from ..core.plain_text import CONTROL, ONE_LINE, has_control_characters

PHONE = re.compile(r"\+?[0-9][0-9 ()./-]{2,39}")
SINGLE_LINE_LIMITS = {
    "name": 200, "email": 254, "phone": 40, "order_number": 64, "customer_id": 128, "loyalty_tier": 32,
}
MULTI_LINE_FIELDS = ("description", "desired_resolution")
REQUIRED = N_("This field is required.")
TOO_LONG = N_("Must be at most %(limit)s characters.")
NOT_TEXT = N_("Must be text.")
BAD_PHONE = N_("Must be a phone number such as +36 1 234 5678.")
BAD_CATEGORY = N_("Choose one of the listed categories.")
NO_CONSENT = N_("Please agree to the privacy policy: we need it to handle your complaint.")


@dataclass(frozen=True)
class Problem:
    """What is wrong with one field: an English msgid and its parameters."""

    message: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def text(self, translate: Callable[[str], str] = lambda message: message) -> str:
        translated = translate(self.message)
        return translated % dict(self.params) if self.params else translated


class InvalidComplaint(ValueError):
    """Some fields are not valid; ``problems`` maps each to what is wrong."""

    def __init__(self, problems: Mapping[str, Problem]) -> None:
        super().__init__("; ".join(f"{name}: {p.text()}" for name, p in problems.items()))
        self.problems = dict(problems)

    def messages(self, translate: Callable[[str], str] = lambda message: message) -> dict[str, str]:
        return {name: problem.text(translate) for name, problem in self.problems.items()}


@dataclass(frozen=True)
class ComplaintInput:
    """A complaint's customer-provided fields, validated and normalised."""

    name: str
    email: str | None
    category: str
    description: str
    desired_resolution: str
    consent: bool
    phone: str | None = None
    order_number: str | None = None
    customer_id: str | None = None
    loyalty_tier: str | None = None


def _text(raw: Mapping[str, Any], name: str, limit: int, multi_line: bool) -> tuple[str | None, Problem | None]:
    value = raw.get(name)
    if value is None:
        return None, None
    if not isinstance(value, str):
        return None, Problem(NOT_TEXT)
    value = value.replace("\r\n", "\n").strip() if multi_line else value.strip()
    if has_control_characters(value, multi_line=multi_line):
        return None, Problem(CONTROL if multi_line else ONE_LINE)
    if len(value) > limit:
        return None, Problem(TOO_LONG, {"limit": limit})
    return value or None, None


def _read_texts(raw: Mapping[str, Any], text_limit: int, problems: dict[str, Problem]) -> dict[str, str | None]:
    limits = {**SINGLE_LINE_LIMITS, **{name: text_limit for name in MULTI_LINE_FIELDS}}
    values: dict[str, str | None] = {}
    for name, limit in limits.items():
        values[name], problem = _text(raw, name, limit, name in MULTI_LINE_FIELDS)
        if problem is not None:
            problems[name] = problem
    return values


def _check_formats(values: dict[str, str | None], problems: dict[str, Problem]) -> None:
    email, phone = values.get("email"), values.get("phone")
    if email and "email" not in problems:
        try:
            values["email"] = parse_address(email)
        except AddressError as err:
            [refused] = err.problems
            problems["email"] = Problem(refused.message, {"entry": refused.shown_entry})
    if phone and "phone" not in problems and not PHONE.fullmatch(phone):
        problems["phone"] = Problem(BAD_PHONE)


def validate_complaint(
    raw: Mapping[str, Any],
    *,
    categories: Sequence[str],
    text_limit: int,
    require_email: bool = True,
    require_consent: bool = True,
) -> ComplaintInput:
    """Validate *raw* (``name``, ``email``, ``phone``, ``order_number``, ``category``,
    ``description``, ``desired_resolution``, ``consent``, ``customer_id``, ``loyalty_tier``).

    :raises InvalidComplaint: naming every field that is missing or wrong.
    """
    problems: dict[str, Problem] = {}
    values = _read_texts(raw, text_limit, problems)
    _check_formats(values, problems)
    required = ["name", *MULTI_LINE_FIELDS, *(["email"] if require_email else [])]
    for name in required:
        if values.get(name) is None and name not in problems:
            problems[name] = Problem(REQUIRED)
    category = raw.get("category")
    if not isinstance(category, str) or category not in categories:
        problems["category"] = Problem(BAD_CATEGORY if category else REQUIRED)
    consent = raw.get("consent")
    if require_consent and consent is not True:
        problems["consent"] = Problem(NO_CONSENT)
    if problems:
        raise InvalidComplaint(problems)
    return ComplaintInput(
        name=values["name"] or "", email=values["email"], category=str(category),
        description=values["description"] or "", desired_resolution=values["desired_resolution"] or "",
        consent=consent is True, phone=values["phone"], order_number=values["order_number"],
        customer_id=values["customer_id"], loyalty_tier=values["loyalty_tier"],
    )
