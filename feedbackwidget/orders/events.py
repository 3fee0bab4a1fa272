"""Recording order events, once each, and reading them back in the order they arrived.

Plain functions on an ORM session: the caller commits.  Other areas (invitations)
build on :func:`record_event` and :func:`events_since`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from .models import StoredOrderEvent


@dataclass(frozen=True)
class Customer:
    """Who placed the order, as far as the shop told us (every field may be unknown)."""

    id: str | None = None
    email: str | None = None
    name: str | None = None
    language: str | None = None
    loyalty_tier: str | None = None


@dataclass(frozen=True)
class OrderEvent:
    """One event of one order, validated, not yet stored.

    :param source: ``api``, ``shopify``, ``woocommerce`` or ``csv``.
    :param delivery_id: the platform's id of the webhook delivery, when it has one.
    """

    order_id: str
    event: str
    occurred_at: dt.datetime
    customer: Customer = field(default_factory=Customer)
    channel: str | None = None
    marketing_consent: bool | None = None
    source: str = "api"
    delivery_id: str | None = None


@dataclass(frozen=True)
class Recorded:
    """The event is new and was stored (flushed; the caller commits)."""

    stored: StoredOrderEvent


@dataclass(frozen=True)
class Duplicate:
    """The event was stored before (same order and event, or same delivery): nothing new."""

    stored: StoredOrderEvent


def _row(site_id: int, event: OrderEvent) -> StoredOrderEvent:
    customer = event.customer
    return StoredOrderEvent(
        site_id=site_id, order_id=event.order_id, event=event.event, occurred_at=event.occurred_at,
        source=event.source, delivery_id=event.delivery_id, customer_id=customer.id,
        customer_email=customer.email, customer_name=customer.name, customer_language=customer.language,
        loyalty_tier=customer.loyalty_tier, channel=event.channel, marketing_consent=event.marketing_consent,
    )


def find_event(session: Session, site_id: int, event: OrderEvent) -> StoredOrderEvent | None:
    """The stored event *event* repeats, if any."""
    same: ColumnElement[bool] = (StoredOrderEvent.order_id == event.order_id) & (StoredOrderEvent.event == event.event)
    if event.delivery_id is not None:
        same = or_(same, (StoredOrderEvent.source == event.source)
                   & (StoredOrderEvent.delivery_id == event.delivery_id))
    query = select(StoredOrderEvent).where(StoredOrderEvent.site_id == site_id, same).limit(1)
    return session.scalars(query).first()


def record_event(session: Session, site_id: int, event: OrderEvent) -> Recorded | Duplicate:
    """Store *event* for the site unless it is already there.

    Safe against a concurrent twin: the unique constraint decides, inside a savepoint.
    """
    existing = find_event(session, site_id, event)
    if existing is not None:
        return Duplicate(existing)
    row = _row(site_id, event)
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:
        existing = find_event(session, site_id, event)
        if existing is None:
            raise
        return Duplicate(existing)
    return Recorded(row)


def events_since(session: Session, site_id: int, after_id: int = 0, limit: int = 500,
                 events: Sequence[str] | None = None) -> list[StoredOrderEvent]:
    """The site's events stored after the one with id *after_id*, oldest first.

    A consumer keeps the last id it handled and asks again from there: arrival order,
    not ``occurred_at``, so an event reported late is still seen.
    """
    query = select(StoredOrderEvent).where(StoredOrderEvent.site_id == site_id, StoredOrderEvent.id > after_id)
    if events is not None:
        query = query.where(StoredOrderEvent.event.in_(list(events)))
    return list(session.scalars(query.order_by(StoredOrderEvent.id).limit(limit)))


def order_history(session: Session, site_id: int, order_id: str) -> list[StoredOrderEvent]:
    """Every stored event of one order, in the order they happened."""
    query = select(StoredOrderEvent).where(StoredOrderEvent.site_id == site_id,
                                           StoredOrderEvent.order_id == order_id)
    return list(session.scalars(query.order_by(StoredOrderEvent.occurred_at, StoredOrderEvent.id)))
