"""Complaints in the admin area: the whole life of a complaint, roles, staff intake, exports."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from feedbackwidget import get_state
from feedbackwidget.complaints.models import Complaint, ComplaintEvent
from feedbackwidget.delivery.worker import WorkerSettings, drain
from feedbackwidget.core.models import Response, Site
from feedbackwidget.provisioning import create_site

from .conftest import SHOP_ORIGIN, admin_login, csrf_token
from .smtp import SmtpServer
from .test_complaints_api import complaint_body, complaints, post_complaint

ADMIN = "/feedback/admin/complaints"


def act(client: FlaskClient, complaint: Complaint, form: str, **data: Any) -> Any:
    token = csrf_token(client.get(f"{ADMIN}/{complaint.id}").text)
    return client.post(f"{ADMIN}/{complaint.id}/{form}", data={"csrf_token": token, **data})


def only_complaint(db: Session) -> Complaint:
    [complaint] = complaints(db)
    return complaint


def test_the_whole_life_of_a_complaint_with_real_mail(
    make_app: Callable[..., Flask], site: Site, db: Session, smtp: SmtpServer, make_admin: Callable[..., Any]
) -> None:
    app = make_app(**smtp.config(), FEEDBACKWIDGET_PUBLIC_URL="https://feedback.shop.example")
    customer = app.test_client()
    assert post_complaint(customer, site, complaint_body(locale="hu", name="Kovács Éva"),
                          Origin=SHOP_ORIGIN).status_code == 201
    complaint = only_complaint(db)
    manager = make_admin("manager@shop.example", sites=[(site, "manager")])
    staff = app.test_client()
    assert admin_login(staff, "manager@shop.example").status_code == 302

    queue = staff.get(f"{ADMIN}/").text
    assert complaint.reference in queue and "Kovács Éva" in queue
    assert act(staff, complaint, "status", action="start").status_code == 302
    assert act(staff, complaint, "assign", assignee=str(manager.id)).status_code == 302
    assert act(staff, complaint, "messages", visibility="internal", body="Courier lost it, call them").status_code == 302
    assert act(staff, complaint, "messages", visibility="public", body="Elnézést! Visszautaljuk a díjat.").status_code == 302
    assert act(staff, complaint, "assessment", verdict="justified", root_cause="logistics").status_code == 302
    assert act(staff, complaint, "compensation", kind="refund", amount="1490", currency="HUF").status_code == 302
    assert act(staff, complaint, "status", action="resolve").status_code == 302

    db.expire_all()
    complaint = only_complaint(db)
    assert (complaint.status, complaint.verdict, complaint.assignee_id) == ("resolved", "justified", manager.id)
    detail = staff.get(f"{ADMIN}/{complaint.id}").text
    assert "Courier lost it" in detail and "manager@shop.example" in detail
    assert len(db.scalars(select(ComplaintEvent).where(ComplaintEvent.complaint_id == complaint.id)).all()) >= 9

    with app.app_context():
        drain(get_state(app).engine, WorkerSettings.for_app(app))
    received = [m for m in smtp.wait_for(3) if m["To"] == "anna@example.com"]
    [survey] = [m for m in received if str(m["Subject"]).startswith("Hogyan kezeltük")]  # closing asks how it went
    received.remove(survey)
    ack, reply = sorted(received, key=lambda m: "Válasz" in str(m["Subject"]))
    assert complaint.reference in str(ack["Subject"]) and complaint.reference in str(reply["Subject"])
    ack_text = ack.get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]
    link = re.search(r"https://feedback\.shop\.example(/feedback/complaint/\S+)", ack_text)
    assert link is not None
    assert "Elnézést! Visszautaljuk a díjat." in reply.get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]

    status_page = customer.get(link.group(1), follow_redirects=True).text  # the token moves into a cookie
    assert "Megoldva" in status_page and "Elnézést! Visszautaljuk a díjat." in status_page
    assert "Courier lost it" not in status_page and "1490" not in status_page


def test_viewers_read_but_cannot_act(
    logged_in: Callable[..., FlaskClient], client: FlaskClient, site: Site, db: Session
) -> None:
    post_complaint(client, site, complaint_body())
    complaint = only_complaint(db)
    viewer = logged_in("viewer")

    page = viewer.get(f"{ADMIN}/{complaint.id}")
    assert page.status_code == 200 and complaint.reference in page.text
    assert "Start working on it" not in page.text
    response = viewer.post(f"{ADMIN}/{complaint.id}/status", data={"action": "start", "csrf_token": csrf_token(page.text)})
    assert response.status_code == 403
    assert only_complaint(db).status == "received"


def test_another_sites_complaint_is_a_404(
    logged_in: Callable[..., FlaskClient], client: FlaskClient, site: Site, db: Session
) -> None:
    other = create_site(db, "Other Shop", ["https://other.example"])
    db.commit()
    post_complaint(client, other, complaint_body(description="Secret of the other shop"))
    complaint = only_complaint(db)
    manager = logged_in("owner")

    assert manager.get(f"{ADMIN}/{complaint.id}").status_code == 404
    token = csrf_token(manager.get(f"{ADMIN}/").text)
    assert manager.post(f"{ADMIN}/{complaint.id}/status", data={"action": "start", "csrf_token": token}).status_code == 404
    assert "Secret of the other shop" not in manager.get(f"{ADMIN}/?status=all").text
    assert manager.get(f"{ADMIN}/?site={other.id}").status_code == 404
    assert manager.get(f"{ADMIN}/export.csv?site={other.id}").status_code == 404


def test_an_action_without_a_csrf_token_changes_nothing(
    logged_in: Callable[..., FlaskClient], client: FlaskClient, site: Site, db: Session
) -> None:
    post_complaint(client, site, complaint_body())
    complaint = only_complaint(db)
    response = logged_in("manager").post(f"{ADMIN}/{complaint.id}/status", data={"action": "start"})
    assert response.status_code == 400
    assert only_complaint(db).status == "received"


def test_an_impossible_action_is_explained(
    logged_in: Callable[..., FlaskClient], client: FlaskClient, site: Site, db: Session
) -> None:
    post_complaint(client, site, complaint_body())
    response = act(logged_in("manager"), only_complaint(db), "status", action="reopen")
    assert response.status_code == 422
    assert "Cannot reopen a complaint that is received" in response.text


def test_staff_record_a_phone_complaint(logged_in: Callable[..., FlaskClient], site: Site, db: Session) -> None:
    staff = logged_in("manager")
    form = staff.get(f"{ADMIN}/new?site={site.id}")
    assert form.status_code == 200
    response = staff.post(f"{ADMIN}/new?site={site.id}", data={
        "csrf_token": csrf_token(form.text), "channel": "phone", "name": "Szabó Béla", "phone": "+36 1 234 5678",
        "category": "staff_behaviour", "description": "Rude cashier at the Andrássy út shop.",
        "desired_resolution": "An apology", "locale": "hu", "loyalty_tier": "gold",
    })

    assert response.status_code == 302
    assert "The complaint is recorded." in staff.get(response.location).text
    complaint = only_complaint(db)
    assert (complaint.channel, complaint.customer_email, complaint.loyalty_tier) == ("phone", None, "gold")
    assert complaint.consent_policy_version is None
    assert complaint.created_by_id is not None


def test_staff_intake_shows_errors_per_field(logged_in: Callable[..., FlaskClient], site: Site, db: Session) -> None:
    staff = logged_in("manager")
    form = staff.get(f"{ADMIN}/new?site={site.id}")
    response = staff.post(f"{ADMIN}/new?site={site.id}", data={
        "csrf_token": csrf_token(form.text), "channel": "fax", "name": "", "category": "weather",
    })
    assert response.status_code == 422
    assert 'id="channel-error"' in response.text and 'id="name-error"' in response.text
    assert 'id="category-error"' in response.text
    assert complaints(db) == []


def test_a_low_score_response_becomes_a_linked_complaint(
    logged_in: Callable[..., FlaskClient], client: FlaskClient, site: Site, db: Session
) -> None:
    client.post(f"/feedback/api/v1/sites/{site.key}/responses", json={
        "survey": "nps", "answers": {"score": 2, "reason": "Cold coffee, twice"},
        "customer": {"id": "C9", "email": "lost@example.com", "loyalty_tier": "silver"}})
    response = db.scalars(select(Response)).one()
    staff = logged_in("manager")
    url = f"{ADMIN}/new/from-response/{response.id}"
    form = staff.get(url)
    assert "Cold coffee, twice" in form.text and "lost@example.com" in form.text

    posted = staff.post(url, data={
        "csrf_token": csrf_token(form.text), "name": "Lost Customer", "email": "lost@example.com",
        "category": "product_quality", "description": "Cold coffee, twice", "desired_resolution": "Call back",
        "locale": "en", "customer_id": "C9", "loyalty_tier": "silver",
    })

    assert posted.status_code == 302
    complaint = only_complaint(db)
    assert (complaint.response_id, complaint.channel, complaint.customer_id) == (response.id, "survey", "C9")
    assert f"/feedback/admin/responses/{response.id}" in staff.get(f"{ADMIN}/{complaint.id}").text


def test_the_queue_filters_overdue_complaints(
    logged_in: Callable[..., FlaskClient], client: FlaskClient, site: Site, db: Session
) -> None:
    post_complaint(client, site, complaint_body(name="Late Lajos"))
    post_complaint(client, site, complaint_body(name="Fresh Frida"))
    late = complaints(db)[0]
    late.received_at -= dt.timedelta(days=31)
    late.due_at -= dt.timedelta(days=31)
    db.commit()

    page = logged_in("viewer").get(f"{ADMIN}/?overdue=1").text
    assert "Late Lajos" in page and "Fresh Frida" not in page
    assert "Overdue" in page


def test_the_csv_export_defuses_formulas(
    logged_in: Callable[..., FlaskClient], client: FlaskClient, site: Site, db: Session
) -> None:
    post_complaint(client, site, complaint_body(name="=HYPERLINK(\"http://evil\")", description="@SUM(A1)",
                                                order_number="+36-1", desired_resolution="-1 refund"))
    response = logged_in("viewer").get(f"{ADMIN}/export.csv?site={site.id}")

    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.text.lstrip("\ufeff"))))
    [row] = rows
    assert row["customer_name"] == "'=HYPERLINK(\"http://evil\")"
    assert (row["description"], row["order_number"], row["desired_resolution"]) == ("'@SUM(A1)", "'+36-1", "'-1 refund")
    assert row["reference"] == only_complaint(db).reference


def test_the_analysis_page_and_its_csv(
    logged_in: Callable[..., FlaskClient], client: FlaskClient, site: Site, db: Session
) -> None:
    post_complaint(client, site, complaint_body(category="delivery"))
    post_complaint(client, site, complaint_body(category="price", customer={"loyalty_tier": "gold"}))
    viewer = logged_in("viewer")

    page = viewer.get(f"{ADMIN}/analysis?site={site.id}&period=30")
    assert page.status_code == 200
    assert "By category (recurring faults)" in page.text and "Delivery" in page.text
    analysis = viewer.get(f"{ADMIN}/analysis.csv?site={site.id}&period=30")
    rows = {(r["section"], r["key"]): r for r in csv.DictReader(io.StringIO(analysis.text.lstrip("\ufeff")))}
    assert (rows[("total", "complaints")]["current"], rows[("total", "complaints")]["previous"]) == ("2", "0")
    assert rows[("by_category", "price")]["current"] == "1"
    assert rows[("total", "loyalty_members")]["current"] == "1"


@pytest.mark.parametrize("lang", ["hu", "zh"])
def test_the_admin_pages_are_translated(
    logged_in: Callable[..., FlaskClient], client: FlaskClient, site: Site, db: Session, lang: str
) -> None:
    post_complaint(client, site, complaint_body())
    staff = logged_in("manager")
    page = staff.get(f"{ADMIN}/{only_complaint(db).id}?lang={lang}").text
    assert {"hu": "Beérkezett", "zh": "已收到"}[lang] in page


