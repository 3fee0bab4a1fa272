"""The orders area's functions that invitations build on, and the CSV format, without HTTP."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from flask import Flask
from sqlalchemy.orm import Session

from feedbackwidget import get_state
from feedbackwidget.core.models import Site
from feedbackwidget.orders.csv_import import UnreadableFile, decode_upload, import_orders
from feedbackwidget.orders.events import Customer, Duplicate, OrderEvent, Recorded, events_since, order_history, \
    record_event

NOW = dt.datetime(2026, 12, 1, 12, 0, tzinfo=dt.timezone.utc)


@pytest.fixture
def session(app: Flask) -> Iterator[Session]:
    with Session(get_state(app).engine, expire_on_commit=False) as session:
        yield session


def event(order_id: str, name: str, hour: int = 9, **changes: object) -> OrderEvent:
    return OrderEvent(order_id=order_id, event=name, occurred_at=NOW.replace(hour=hour),
                      customer=Customer(email="anna@example.com"), **changes)  # type: ignore[arg-type]


def test_record_event_stores_once_and_answers_the_stored_one(session: Session, site: Site) -> None:
    first = record_event(session, site.id, event("1", "paid"))
    session.commit()
    again = record_event(session, site.id, event("1", "paid", hour=11, channel="pos"))

    assert isinstance(first, Recorded) and isinstance(again, Duplicate)
    assert again.stored.id == first.stored.id
    assert again.stored.occurred_at.hour == 9 and again.stored.channel is None


def test_a_platform_delivery_seen_before_is_a_duplicate_whatever_it_says(session: Session, site: Site) -> None:
    record_event(session, site.id, event("1", "paid", source="shopify", delivery_id="w1"))
    replay = record_event(session, site.id, event("1", "fulfilled", source="shopify", delivery_id="w1"))
    assert isinstance(replay, Duplicate)


def test_events_since_reads_in_arrival_order_from_a_cursor(session: Session, site: Site) -> None:
    for order_id, name, hour in (("1", "paid", 10), ("2", "paid", 8), ("1", "cancelled", 11)):
        record_event(session, site.id, event(order_id, name, hour))
    session.commit()

    everything = events_since(session, site.id)
    after_first = events_since(session, site.id, after_id=everything[0].id)
    cancellations = events_since(session, site.id, events=["cancelled", "refunded"])

    assert [(e.order_id, e.event) for e in everything] == [("1", "paid"), ("2", "paid"), ("1", "cancelled")]
    assert [e.order_id for e in after_first] == ["2", "1"]
    assert [(e.order_id, e.event) for e in cancellations] == [("1", "cancelled")]
    assert [e.event for e in order_history(session, site.id, "1")] == ["paid", "cancelled"]


def test_events_of_another_site_are_not_seen(session: Session, site: Site, db: Session) -> None:
    from feedbackwidget.provisioning import create_site

    other = create_site(db, "Other", ["https://other.example"])
    db.commit()
    record_event(session, other.id, event("1", "paid"))
    session.commit()
    assert events_since(session, site.id) == []


def test_csv_with_semicolons_a_bom_quotes_and_consent_words(session: Session, site: Site) -> None:
    text = decode_upload(
        "\ufefforder_id;event;occurred_at;customer_name;marketing_consent\n"
        '6;paid;2026-11-30T10:00:00+01:00;"Kovács\nAnna";no\n'
        "7;paid;2026-11-30T10:00:00+01:00;Dóra;igen\n"
        '8;paid;2026-11-30T10:00:00+01:00;"Béla; Nagy";yes\n'
        "9;paid;2026-11-30T10:00:00+01:00;Cili;\n".encode("utf-8"))

    report = import_orders(session, site.id, text, NOW)

    assert report.stored == 2
    assert [(p.line, p.message) for p in report.problems] == [
        (2, "customer_name: Must be one line without control characters."),
        (4, "marketing_consent: Must be yes or no (or empty)."),
    ]
    assert [(e.customer_name, e.marketing_consent) for e in events_since(session, site.id)] == [
        ("Béla; Nagy", True), ("Cili", None)]


def test_csv_line_numbers_count_the_header_and_every_problem_is_named(session: Session, site: Site) -> None:
    text = ("order_id,event,occurred_at,customer_email\n"
            ",paid,2026-11-30T10:00:00Z,a@example.com\n"
            "\n"
            "5,paid,30/11/2026 10:00,not-an-address\n"
            "6,paid,2026-11-30T10:00:00Z,a@example.com,extra\n")

    report = import_orders(session, site.id, text, NOW)

    problems = {p.line: p.message for p in report.problems}
    assert set(problems) == {2, 4, 5}
    assert problems[2].startswith("order_id: Must be a non-empty text")
    assert "occurred_at: Must be a date and time with its UTC offset" in problems[4]
    assert "customer_email:" in problems[4]
    assert problems[5] == "The row has more cells than the header row."
    assert report.stored == 0


def test_a_file_that_is_not_utf8_is_refused_with_the_fix() -> None:
    with pytest.raises(UnreadableFile, match="save it as 'CSV UTF-8'"):
        decode_upload("order_id,event\n1,paid,Kovács\n".encode("cp1250"))
