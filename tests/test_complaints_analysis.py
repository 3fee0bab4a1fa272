"""Complaint analysis on a known fixture: every figure computed by hand."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy.orm import Session

from feedbackwidget.complaints.analysis import CostRow, Period, analyse, over_time
from feedbackwidget.complaints.models import Complaint, ComplaintMessage
from feedbackwidget.core.models import Site
from feedbackwidget.provisioning import create_site

UTC = dt.timezone.utc
PERIOD = Period(dt.datetime(2026, 10, 1, tzinfo=UTC), dt.datetime(2026, 11, 1, tzinfo=UTC))
NOW = dt.datetime(2026, 11, 20, tzinfo=UTC)
HOUR = dt.timedelta(hours=1)
_serial = iter(range(1000, 9999))


def add(db: Session, site: Site, received: dt.datetime, *, first: float | None = None,
        resolved: float | None = None, **fields: Any) -> Complaint:
    """A complaint received at *received*, first replied to (publicly) / closed *first* / *resolved* hours later."""
    number = next(_serial)
    complaint = Complaint(
        site_id=site.id, reference=f"FW-TEST-{number}", status_token_hash="x" * 64,
        channel=fields.pop("channel", "web"), status=fields.pop("status", "resolved" if resolved else "received"),
        customer_name="Customer", customer_email=f"c{number}@example.com",
        category=fields.pop("category", "delivery"), description="d", desired_resolution="r", locale="en",
        received_at=received, due_at=received + dt.timedelta(days=30), updated_at=received,
        first_response_at=received + first * HOUR if first is not None else None,
        resolved_at=received + resolved * HOUR if resolved is not None else None,
        **fields,
    )
    db.add(complaint)
    db.flush()
    if first is not None:
        db.add(ComplaintMessage(complaint_id=complaint.id, visibility="public", body="Sorry!",
                                created_at=received + first * HOUR))
    return complaint


@pytest.fixture
def known(db: Session, site: Site) -> Site:
    day = PERIOD.start
    add(db, site, day, first=2, resolved=10, verdict="justified", root_cause="logistics",
        compensation_type="refund", compensation_amount=Decimal("1000.00"), compensation_currency="HUF",
        loyalty_tier="gold", customer_id="C1")
    add(db, site, day + dt.timedelta(days=4), first=4, resolved=30, status="rejected", verdict="unfounded",
        root_cause="customer_error", channel="phone", reopen_count=1)
    add(db, site, day + dt.timedelta(days=9), first=6, resolved=40 * 24, verdict="justified",
        root_cause="product_defect", channel="email", category="product_quality", compensation_type="voucher",
        compensation_amount=Decimal("2500.50"), compensation_currency="HUF", loyalty_tier="silver")
    add(db, site, day + dt.timedelta(days=14), first=8, status="in_progress", compensation_type="none")
    add(db, site, PERIOD.end - HOUR, channel="in_store", category="price", customer_id="C5")
    add(db, site, day + dt.timedelta(days=19), first=1, resolved=5, verdict="justified", root_cause="logistics",
        compensation_type="replacement", compensation_amount=Decimal("20.00"), compensation_currency="EUR")
    # Outside the period or the site: never counted.
    add(db, site, PERIOD.end)
    other = create_site(db, "Other Shop", ["https://other.example"])
    db.flush()
    add(db, other, day + dt.timedelta(days=3), first=1, resolved=2, verdict="justified")
    # The previous period: 2026-08-31 .. 2026-10-01.
    add(db, site, dt.datetime(2026, 9, 10, tzinfo=UTC), first=48, resolved=48, verdict="justified")
    add(db, site, dt.datetime(2026, 9, 20, tzinfo=UTC), channel="phone", category="price")
    db.commit()
    return site


def test_count_and_change_against_the_previous_period(db: Session, known: Site) -> None:
    result = analyse(db, known.id, PERIOD, NOW)
    assert PERIOD.previous == Period(dt.datetime(2026, 8, 31, tzinfo=UTC), PERIOD.start)
    assert (result.current.count, result.previous.count, result.change, result.change_share) == (6, 2, 4, 2.0)


def test_verdicts_reopens_and_deadline(db: Session, known: Site) -> None:
    current = analyse(db, known.id, PERIOD, NOW).current
    assert (current.justified, current.unfounded, current.justified_share) == (3, 1, 0.75)
    assert (current.reopened, current.reopen_rate) == (1, pytest.approx(1 / 6))
    # Closed: 4 (3 of them by the due date); open and already due: 1; open, not yet due: 1.
    assert (current.due_or_closed, current.closed_in_time, current.within_deadline_share) == (5, 3, 0.6)
    assert current.open_overdue == 1


def test_medians_of_first_response_and_resolution(db: Session, known: Site) -> None:
    current = analyse(db, known.id, PERIOD, NOW).current
    # First responses after 1, 2, 4, 6, 8 hours; resolutions after 5, 10, 30, 960 hours.
    assert current.median_first_response_hours == pytest.approx(4.0)
    assert current.median_resolution_hours == pytest.approx(20.0)


def test_distributions_and_costliest_faults(db: Session, known: Site) -> None:
    current = analyse(db, known.id, PERIOD, NOW).current
    assert current.by_channel == {"web": 3, "email": 1, "in_store": 1, "phone": 1}
    assert list(current.by_channel) == ["web", "email", "in_store", "phone"]
    assert current.by_category == {"delivery": 4, "price": 1, "product_quality": 1}
    assert current.by_root_cause == {"logistics": 2, "customer_error": 1, "product_defect": 1}
    assert current.compensation == [
        CostRow("product_quality", "HUF", Decimal("2500.50"), 1),
        CostRow("delivery", "HUF", Decimal("1000.00"), 1),
        CostRow("delivery", "EUR", Decimal("20.00"), 1),
    ]


def test_loyalty_members_and_known_customers(db: Session, known: Site) -> None:
    current = analyse(db, known.id, PERIOD, NOW).current
    assert (current.loyalty_members, current.known_customers) == (2, 2)
    assert current.by_loyalty_tier == {"gold": 1, "silver": 1}
    assert current.loyalty_by_category == {"delivery": 1, "product_quality": 1}


def test_the_previous_period_and_an_empty_one(db: Session, known: Site) -> None:
    result = analyse(db, known.id, PERIOD, NOW)
    assert result.previous.median_first_response_hours == pytest.approx(48.0)
    assert result.previous.open_overdue == 1
    empty = analyse(db, known.id, Period(dt.datetime(2020, 1, 1, tzinfo=UTC), dt.datetime(2020, 2, 1, tzinfo=UTC)), NOW)
    assert empty.current.count == 0 and empty.change_share is None
    assert empty.current.median_resolution_hours is None and empty.current.justified_share is None


def test_the_first_response_is_the_first_reply_the_customer_got_not_a_change_of_state(
    db: Session, site: Site
) -> None:
    for day, reply_after in ((3, 2), (5, 6), (9, 10)):
        # As earlier versions stored it: "Start working on it" set first_response_at at once.
        complaint = add(db, site, PERIOD.start + dt.timedelta(days=day), status="in_progress")
        complaint.first_response_at = complaint.received_at
        db.add_all([
            ComplaintMessage(complaint_id=complaint.id, visibility="internal", body="Looking into it",
                             created_at=complaint.received_at + HOUR / 2),
            ComplaintMessage(complaint_id=complaint.id, visibility="public", body="Sorry, a new one is on its way",
                             created_at=complaint.received_at + reply_after * HOUR),
        ])
    db.commit()

    assert analyse(db, site.id, PERIOD, NOW).current.median_first_response_hours == pytest.approx(6.0)


def test_complaints_over_time_by_week(db: Session, known: Site) -> None:
    buckets = over_time(db, known.id, PERIOD, NOW)
    # October 2026 in weeks from the 1st: 1-7, 8-14, 15-21, 22-28, 29-31.
    assert [b.start.day for b in buckets] == [1, 8, 15, 22, 29]
    assert [b.count for b in buckets] == [2, 1, 2, 0, 1]
    assert (buckets[0].justified, buckets[0].unfounded, buckets[0].justified_share) == (1, 1, 0.5)
    assert buckets[1].within_deadline_share == 0.0  # closed after 40 days
    assert buckets[2].justified_share == 1.0
    assert buckets[3].justified_share is None and buckets[3].within_deadline_share is None
