"""Personal data in order events, for the data-rights operations of :mod:`feedbackwidget.privacy`.

An event names its customer (id, e-mail, name, language).  Erasure and retention
clear those fields and keep the event itself: that an order was paid is no one's
personal data, and keeping the row keeps a re-sent event from being stored again.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import ColumnElement, select, update
from sqlalchemy.orm import Session

from ..privacy.core import Person, about_person, changed_rows
from .models import StoredOrderEvent

CUSTOMER_FIELDS_CLEARED = {"customer_id": None, "customer_email": None, "customer_name": None,
                           "customer_language": None}


def _matches(person: Person) -> ColumnElement[bool]:
    return about_person(person, StoredOrderEvent.site_id, StoredOrderEvent.customer_email,
                        StoredOrderEvent.customer_id)


def as_dict(event: StoredOrderEvent) -> dict[str, Any]:
    return {
        "id": event.id, "site_id": event.site_id, "order_id": event.order_id, "event": event.event,
        "occurred_at": event.occurred_at.isoformat(), "source": event.source, "customer_id": event.customer_id,
        "customer_email": event.customer_email, "customer_name": event.customer_name,
        "customer_language": event.customer_language, "loyalty_tier": event.loyalty_tier, "channel": event.channel,
        "marketing_consent": event.marketing_consent, "received_at": event.received_at.isoformat(),
    }


class OrderEventsData:
    """Order events: the customer's fields are cleared on erasure and after the retention period."""

    name = "order_events"

    def export(self, session: Session, person: Person) -> list[dict[str, Any]]:
        rows = session.scalars(select(StoredOrderEvent).where(_matches(person)).order_by(StoredOrderEvent.id))
        return [as_dict(row) for row in rows]

    def correct(self, session: Session, person: Person, email: str | None, customer_id: str | None) -> int:
        values = {key: value for key, value in (("customer_email", email), ("customer_id", customer_id)) if value}
        return changed_rows(session, update(StoredOrderEvent).where(_matches(person)).values(values))

    def erase(self, session: Session, person: Person) -> int:
        return changed_rows(session, update(StoredOrderEvent).where(_matches(person)).values(CUSTOMER_FIELDS_CLEARED))

    def purge(self, session: Session, site_id: int, since: dt.datetime | None, before: dt.datetime) -> int:
        window = [StoredOrderEvent.site_id == site_id, StoredOrderEvent.received_at < before,
                  StoredOrderEvent.customer_email.is_not(None) | StoredOrderEvent.customer_id.is_not(None)
                  | StoredOrderEvent.customer_name.is_not(None)]
        if since is not None:
            window.append(StoredOrderEvent.received_at >= since)
        return changed_rows(session, update(StoredOrderEvent).where(*window).values(CUSTOMER_FIELDS_CLEARED))


PROVIDER = OrderEventsData()
