"""Win-back: the customers a manager should call, with their last order and answer, and the call sheet."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable

from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from feedbackwidget.invitations.winback import candidates, to_csv
from feedbackwidget.core.models import Response, Site, Survey, utcnow

from .conftest import csrf_token
from .invitation_support import order

NOW = dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.timezone.utc)


def answered(db: Session, site: Site, email: str, *, nps: int | None = None, csat: str | None = None,
             comment: str | None = None, at: dt.datetime = NOW) -> None:
    slug = "nps" if nps is not None else "csat"
    survey_id = db.scalar(select(Survey.id).where(Survey.site_id == site.id, Survey.slug == slug))
    assert survey_id is not None
    db.add(Response(site_id=site.id, survey_id=survey_id, nps_score=nps, csat=csat, comment=comment, locale="en",
                    customer_email=email, answers={}, created_at=at))
    db.commit()


def test_detractors_and_lapsed_customers_are_listed_with_their_last_order_and_answer(db: Session, site: Site) -> None:
    order(db, site, "A-1", at=NOW - dt.timedelta(days=200), email="gone@example.com", name="Gone Gabi")
    order(db, site, "A-2", at=NOW - dt.timedelta(days=120), email="gone@example.com", name="Gone Gabi")
    order(db, site, "B-1", at=NOW - dt.timedelta(days=10), email="Angry@Example.com", name="Angry Andi")
    answered(db, site, "angry@example.com", nps=9, at=NOW - dt.timedelta(days=30))
    answered(db, site, "angry@example.com", nps=3, comment="=HYPERLINK(\"x\")", at=NOW - dt.timedelta(days=5))
    order(db, site, "C-1", at=NOW - dt.timedelta(days=10), email="happy@example.com")
    answered(db, site, "happy@example.com", nps=10)
    answered(db, site, "bad@example.com", csat="bad")  # answered through the widget, no order known

    found = {c.email: c for c in candidates(db, site.id, NOW)}
    assert sorted(found) == ["angry@example.com", "bad@example.com", "gone@example.com"]
    gone = found["gone@example.com"]
    assert (gone.lapsed, gone.detractor, gone.last_order_id, gone.name) == (True, False, "A-2", "Gone Gabi")
    assert gone.last_order_at == NOW - dt.timedelta(days=120)
    angry = found["angry@example.com"]
    assert (angry.detractor, angry.lapsed, angry.last_score, angry.last_order_id) == (True, False, 3, "B-1")
    assert found["bad@example.com"].last_csat == "bad" and found["bad@example.com"].last_order_at is None
    assert [c.email for c in candidates(db, site.id, NOW, days=121)] == ["bad@example.com", "angry@example.com"]

    text = to_csv(candidates(db, site.id, NOW))
    rows = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))  # a BOM, for spreadsheet programs
    by_email = {row["email"]: row for row in rows}
    assert by_email["gone@example.com"]["lapsed"] == "yes" and by_email["gone@example.com"]["last_order"] == "A-2"
    assert by_email["angry@example.com"]["last_nps"] == "3"
    assert not by_email["angry@example.com"]["last_comment"].startswith("="), "no formula reaches the spreadsheet"


def test_a_manager_sees_whom_to_call_records_the_outcome_and_downloads_the_sheet(
        db: Session, site: Site, logged_in: Callable[..., FlaskClient]) -> None:
    now = utcnow()
    order(db, site, "A-1", at=now - dt.timedelta(days=100), email="gone@example.com", name="Gone Gabi")
    order(db, site, "B-1", at=now - dt.timedelta(days=5), email="recent@example.com", name="Recent Rita")
    manager = logged_in("manager", email="manager@shop.example")
    page = manager.get(f"/feedback/admin/winback/{site.id}")
    assert page.status_code == 200
    assert "Gone Gabi" in page.text and "A-1" in page.text and "No recent order" in page.text
    assert "Recent Rita" not in page.text
    assert "Recent Rita" in manager.get(f"/feedback/admin/winback/{site.id}?days=3").text

    refused = manager.post(f"/feedback/admin/winback/{site.id}/calls",
                           data={"csrf_token": csrf_token(page.text), "email": "gone@example.com", "outcome": "maybe"})
    assert refused.status_code == 422 and "Choose how the call went" in refused.text
    saved = manager.post(f"/feedback/admin/winback/{site.id}/calls", follow_redirects=True,
                         data={"csrf_token": csrf_token(page.text), "email": "gone@example.com", "outcome": "won_back",
                               "note": "Coupon sent"})
    assert "Call recorded." in saved.text and "Won back" in saved.text and "manager@shop.example" in saved.text
    assert "Coupon sent" in saved.text

    sheet = manager.get(f"/feedback/admin/winback/{site.id}/winback.csv")
    assert sheet.headers["Content-Disposition"] == f'attachment; filename="winback-{site.key}.csv"'
    assert "gone@example.com" in sheet.text and "recent@example.com" not in sheet.text
    assert logged_in("viewer").get(f"/feedback/admin/winback/{site.id}").status_code == 404


def test_the_last_call_names_the_caller_and_its_time_in_the_sites_zone(
        db: Session, site: Site, logged_in: Callable[..., FlaskClient]) -> None:
    from feedbackwidget.invitations.winback import record_call

    site.settings = {**(site.settings or {}), "timezone": "Asia/Shanghai"}
    order(db, site, "A-1", at=utcnow() - dt.timedelta(days=100), email="gone@example.com", name="Gone Gabi")
    record_call(db, site.id, "gone@example.com", "not_reached", None, "kovacs.eva@shop.example",
                dt.datetime(2026, 12, 7, 22, 5, tzinfo=dt.timezone.utc))
    db.commit()
    manager = logged_in("manager", email="kovacs.eva@shop.example")
    page = manager.get(f"/feedback/admin/winback/{site.id}").text
    assert "Kovacs Eva, 2026-12-08 06:05" in page  # 22:05 UTC is 06:05 the next morning in Shanghai
