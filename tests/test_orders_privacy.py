"""A customer's data rights reach their order events: export, correct, erase, retention."""

from __future__ import annotations

import datetime as dt

from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from feedbackwidget import get_state
from feedbackwidget.core.models import Site
from feedbackwidget.orders import Customer, OrderEvent, record_event
from feedbackwidget.orders.models import StoredOrderEvent
from feedbackwidget.privacy import Person, correct_person, erase_person, export_person, purge_expired

PAID_AT = dt.datetime(2026, 11, 30, 10, tzinfo=dt.timezone.utc)


def store(app: Flask, site: Site, order_id: str, email: str) -> None:
    with Session(get_state(app).engine) as session:
        record_event(session, site.id, OrderEvent(order_id, "paid", PAID_AT, Customer(
            id=f"C-{order_id}", email=email, name="Kovács Anna", language="hu")))
        session.commit()


def test_export_correct_and_erase_cover_order_events(app: Flask, site: Site, db: Session) -> None:
    store(app, site, "1", "anna@example.com")
    store(app, site, "2", "bela@example.com")

    exported = export_person(db, Person(email="Anna@Example.com"))["order_events"]
    correct_person(db, Person(email="anna@example.com"), email="anna@new.example")
    erased = erase_person(db, Person(email="anna@new.example"))

    assert [(row["order_id"], row["customer_name"]) for row in exported] == [("1", "Kovács Anna")]
    assert erased["order_events"] == 1
    rows = {row.order_id: row for row in db.scalars(select(StoredOrderEvent))}
    assert (rows["1"].customer_email, rows["1"].customer_name, rows["1"].customer_id) == (None, None, None)
    assert (rows["1"].event, rows["1"].occurred_at) == ("paid", PAID_AT)
    assert rows["2"].customer_email == "bela@example.com"


def test_the_retention_period_clears_old_order_customers(app: Flask, site: Site, db: Session) -> None:
    store(app, site, "1", "anna@example.com")
    site.settings = {**site.settings, "retention_days": 30}
    db.commit()

    purged = purge_expired(db, dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=31))

    assert purged.get("order_events") == 1
    assert db.scalar(select(StoredOrderEvent.customer_email)) is None
