"""The person-data operations, run over every registered provider."""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Protocol, cast

from sqlalchemy import ColumnElement, CursorResult, Delete, Update, and_, false, func, or_, select
from sqlalchemy.orm import Session

from ..accounts import normalize_email
from ..core.addresses import parse_address
from ..core.models import Site

ERASED = "[erased]"

# Modules whose ``PROVIDER`` (or the attribute named after a colon) holds personal data, in export order.
PROVIDER_MODULES: tuple[str, ...] = (
    "feedbackwidget.privacy.responses",
    "feedbackwidget.complaints.privacy",
    "feedbackwidget.privacy.outbox",
    "feedbackwidget.surveys.privacy",
    "feedbackwidget.orders.privacy",
    "feedbackwidget.invitations.privacy",
    "feedbackwidget.invitations.privacy:SUPPRESSIONS",
)


@dataclass(frozen=True)
class Person:
    """Who a request is about: an e-mail address, a shop's customer id, or both;
    limited to the data of *site_ids* (None: every site, for operators)."""

    email: str | None = None
    customer_id: str | None = None
    site_ids: frozenset[int] | None = None

    def __post_init__(self) -> None:
        if not (self.email or self.customer_id):
            raise ValueError("name the person: give an e-mail address or a customer id")
        if self.email:
            object.__setattr__(self, "email", normalize_email(self.email))


class PersonalData(Protocol):
    """One area's personal data."""

    name: str

    def export(self, session: Session, person: Person) -> list[dict[str, Any]]:
        """Every row about *person*, as JSON-ready dicts."""

    def correct(self, session: Session, person: Person, email: str | None, customer_id: str | None) -> int:
        """Replace *person*'s e-mail and/or customer id; return the rows changed."""

    def erase(self, session: Session, person: Person) -> int:
        """Anonymise every row about *person*; return how many."""

    def purge(self, session: Session, site_id: int, since: dt.datetime | None, before: dt.datetime) -> int:
        """Anonymise the personal fields of *site_id*'s rows created in [since, before)."""


def about_person(person: Person, site_id: Any, email: Any = None, customer_id: Any = None) -> ColumnElement[bool]:
    """A condition on a table's *site_id*, *email* and *customer_id* columns: the rows about *person*, by their
    address (compared lower-cased) or customer id, on the person's sites."""
    conditions: list[ColumnElement[bool]] = []
    if person.email and email is not None:
        conditions.append(func.lower(email) == person.email)
    if person.customer_id and customer_id is not None:
        conditions.append(customer_id == person.customer_id)
    if not conditions:
        return false()
    return and_(site_id.in_(person.site_ids), or_(*conditions)) if person.site_ids is not None else or_(*conditions)


def changed_rows(session: Session, statement: Update | Delete) -> int:
    """Run a bulk UPDATE or DELETE in *session*; how many rows it changed."""
    result = cast("CursorResult[Any]", session.execute(statement.execution_options(synchronize_session=False)))
    return result.rowcount


def providers() -> Iterator[PersonalData]:
    for entry in PROVIDER_MODULES:
        module, _, attribute = entry.partition(":")
        yield getattr(importlib.import_module(module), attribute or "PROVIDER")



def export_person(session: Session, person: Person) -> dict[str, Any]:
    """Everything held about *person*, by area."""
    return {
        "person": {"email": person.email, "customer_id": person.customer_id},
        **{provider.name: provider.export(session, person) for provider in providers()},
    }


def correct_person(session: Session, person: Person, *, email: str | None = None,
                   customer_id: str | None = None) -> dict[str, int]:
    """Correct *person*'s e-mail address and/or customer id everywhere; commit.

    :raises ValueError: when there is nothing to correct;
        :class:`~feedbackwidget.core.addresses.AddressError` when the new *email* cannot be mailed.
    """
    if not (email or customer_id):
        raise ValueError("say what to correct: give a new e-mail address or customer id")
    new_email = parse_address(email).lower() if email else None
    changed = {p.name: p.correct(session, person, new_email, customer_id) for p in providers()}
    session.commit()
    return changed


def erase_person(session: Session, person: Person) -> dict[str, int]:
    """Anonymise everything about *person*; commit; return rows per area."""
    erased = {provider.name: provider.erase(session, person) for provider in providers()}
    session.commit()
    return erased


def purge_expired(session: Session, now: dt.datetime) -> dict[str, int]:
    """Anonymise personal fields older than each site's ``retention_days``; commit.

    Each site remembers up to when it was purged (``settings["purged_before"]``),
    so a run only reads the rows that expired since the previous one.
    """
    totals: dict[str, int] = {}
    for site in list(session.scalars(select(Site))):
        settings = dict(site.settings or {})
        if not settings.get("retention_days"):
            continue
        before = now - dt.timedelta(days=int(settings["retention_days"]))
        since = dt.datetime.fromisoformat(settings["purged_before"]) if settings.get("purged_before") else None
        for provider in providers():
            totals[provider.name] = totals.get(provider.name, 0) + provider.purge(session, site.id, since, before)
        site.settings = {**settings, "purged_before": before.isoformat()}
    session.commit()
    return totals
