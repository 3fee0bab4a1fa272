"""What managers see of invitations on other pages: the dashboard's funnel card, and the invitations of an
order and its customer on the response and the complaint pages."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from feedbackwidget import get_state
from feedbackwidget.complaints.models import Complaint
from feedbackwidget.delivery.worker import WorkerSettings, drain
from feedbackwidget.invitations.runner import run_invitations
from feedbackwidget.core.models import Response, Site, utcnow
from feedbackwidget.invitations import RuleChanges, set_rule

from .invitation_support import order, score_links
from .smtp import SmtpServer
from .test_complaints_api import complaint_body, post_complaint
from .test_invitations_flow import answer

DASHBOARD = "/feedback/admin/"


@pytest.fixture
def app(make_app: Callable[..., Flask], smtp: SmtpServer) -> Flask:
    return make_app(**smtp.config(), FEEDBACKWIDGET_PUBLIC_URL="https://shop.example")


def figures(page: str) -> dict[str, str]:
    """The card's figures as the manager reads them: label -> number."""
    card = page.split('id="fw-invitations-card-title"', 1)[1].split("</section>", 1)[0]
    found = re.findall(r'fw-invitation-number">([^<]*)</span> <span class="fw-invitation-label">([^<]*)<', card)
    return {label: number for number, label in found}


def mixed_funnel(app: Flask, db: Session, site: Site, smtp: SmtpServer) -> int:
    """Ann answers, Bob's server refuses his mail, Cecil does not answer; Dora's invitation waits 3 days.
    Returns Ann's response id."""
    now = utcnow()
    set_rule(db, site.id, RuleChanges("nps", "paid", 0, None, 0, 24, 100))
    set_rule(db, site.id, RuleChanges("csat", "delivered", 3 * 24 * 60, None, 0, 24, 100))
    db.commit()
    smtp.refused_recipients["bob@example.com"] = "550 No such user"
    for number, email in enumerate(("ann@example.com", "bob@example.com", "cecil@example.com")):
        order(db, site, f"A-{number}", at=now - dt.timedelta(hours=1), email=email, customer_id=f"C-{number}")
    order(db, site, "D-1", "delivered", at=now - dt.timedelta(hours=1), email="dora@example.com", customer_id="D")
    run_invitations(app, now)
    drain(get_state(app).engine, WorkerSettings.for_app(app), now=utcnow() + dt.timedelta(seconds=1), limit=100)
    mails = smtp.wait_for(2)
    [ann] = [mail for mail in mails if mail["To"] == "ann@example.com"]
    assert answer(app, score_links(ann)["3"], {"reason": "Late"}).status_code == 302
    db.expire_all()
    return int(db.scalars(select(Response.id)).one())


def test_the_dashboard_card_shows_the_periods_funnel_and_links_to_the_full_one(
        app: Flask, db: Session, site: Site, smtp: SmtpServer, logged_in: Callable[..., FlaskClient]) -> None:
    mixed_funnel(app, db, site, smtp)

    page = logged_in("manager").get(f"{DASHBOARD}?site={site.id}").text

    assert figures(page) == {"Scheduled": "1", "Sent": "2", "Failed": "1", "Answered": "1", "Response rate": "50%"}
    assert f'href="/feedback/admin/invitations/{site.id}">The full funnel, by survey and week' in page


def test_a_period_before_the_invitations_counts_none_of_them(
        app: Flask, db: Session, site: Site, smtp: SmtpServer, logged_in: Callable[..., FlaskClient]) -> None:
    mixed_funnel(app, db, site, smtp)
    last_month = utcnow().date() - dt.timedelta(days=40)

    page = logged_in("manager").get(f"{DASHBOARD}?site={site.id}&period=custom&from={last_month}"
                                    f"&to={last_month + dt.timedelta(days=6)}").text

    assert figures(page) == {"Scheduled": "0", "Sent": "0", "Failed": "0", "Answered": "0", "Response rate": "–"}


def test_without_invitations_the_dashboard_has_one_line_on_how_to_start_for_managers(
        app: Flask, db: Session, site: Site, logged_in: Callable[..., FlaskClient]) -> None:
    manager_page = logged_in("manager").get(f"{DASHBOARD}?site={site.id}").text
    viewer_page = logged_in("viewer").get(f"{DASHBOARD}?site={site.id}").text

    assert "fw-invitations-card-title" not in manager_page
    assert (f'Ask customers about their order by e-mail: <a href="/feedback/admin/invitations/{site.id}">'
            "set up invitations</a>.") in manager_page
    assert "set up invitations" not in viewer_page and "fw-invitations-card-title" not in viewer_page


def test_a_viewer_sees_the_card_without_the_link_they_may_not_open(
        app: Flask, db: Session, site: Site, smtp: SmtpServer, logged_in: Callable[..., FlaskClient]) -> None:
    mixed_funnel(app, db, site, smtp)

    page = logged_in("viewer").get(f"{DASHBOARD}?site={site.id}").text

    assert figures(page)["Sent"] == "2" and "The full funnel" not in page


def test_the_dashboard_card_speaks_hungarian_and_chinese(
        app: Flask, db: Session, site: Site, smtp: SmtpServer, logged_in: Callable[..., FlaskClient]) -> None:
    mixed_funnel(app, db, site, smtp)
    client = logged_in("manager")

    hungarian = client.get(f"{DASHBOARD}?site={site.id}&lang=hu").text
    chinese = client.get(f"{DASHBOARD}?site={site.id}&lang=zh").text

    assert "E-mailes meghívók" in hungarian and figures(hungarian)["Válaszadási arány"] == "50%"
    assert "电子邮件邀请" in chinese and figures(chinese)["回答率"] == "50%"


def invitation_rows(page: str) -> list[str]:
    """Each invitation row's text, tags and extra spaces removed."""
    items = re.findall(r'<li class="fw-invitation-item">(.*?)</li>', page, re.DOTALL)
    return [" ".join(re.sub(r"<[^>]+>", " ", item).split()) for item in items]


def test_the_response_page_shows_the_invitations_of_its_order_and_customer(
        app: Flask, db: Session, site: Site, smtp: SmtpServer, logged_in: Callable[..., FlaskClient]) -> None:
    response_id = mixed_funnel(app, db, site, smtp)

    page = logged_in("viewer").get(f"/feedback/admin/responses/{response_id}").text

    [row] = invitation_rows(page)
    assert row.startswith("nps Answered Order A-0 Channel E-mail Sent ")
    assert "Reminder None" in row and "Answered " in row and "the answer" not in row  # this very response


def test_the_complaint_page_shows_the_invitations_of_its_order_with_their_status(
        app: Flask, db: Session, site: Site, smtp: SmtpServer, logged_in: Callable[..., FlaskClient]) -> None:
    mixed_funnel(app, db, site, smtp)
    made = post_complaint(app.test_client(), site, complaint_body(email="bob@example.com", order_number="A-1"))
    db.expire_all()
    complaint = db.scalars(select(Complaint)).one()
    assert made.status_code == 201

    page = logged_in("manager").get(f"/feedback/admin/complaints/{complaint.id}").text

    [row] = invitation_rows(page)
    assert row.startswith("nps Address refused Order A-1 Channel E-mail Sent ")


def test_a_waiting_invitation_shows_when_it_is_due(
        app: Flask, db: Session, site: Site, smtp: SmtpServer, logged_in: Callable[..., FlaskClient]) -> None:
    mixed_funnel(app, db, site, smtp)
    made = post_complaint(app.test_client(), site, complaint_body(email="dora@example.com", order_number=""))
    assert made.status_code == 201

    complaint = db.scalars(select(Complaint)).one()

    page = logged_in("manager").get(f"/feedback/admin/complaints/{complaint.id}").text

    [row] = invitation_rows(page)
    due = (utcnow() + dt.timedelta(days=3)).strftime("%Y-%m-%d")
    assert row.startswith(f"csat Scheduled Order D-1 Channel E-mail To be sent {due}")


def test_pages_without_invitations_show_no_invitations_panel(
        app: Flask, db: Session, site: Site, logged_in: Callable[..., FlaskClient]) -> None:
    made = post_complaint(app.test_client(), site, complaint_body())
    assert made.status_code == 201

    complaint = db.scalars(select(Complaint)).one()

    page = logged_in("manager").get(f"/feedback/admin/complaints/{complaint.id}").text

    assert "fw-complaint-invitations-title" not in page


def test_an_unanswered_invitation_shows_its_reminder_and_an_answered_one_none(
        app: Flask, db: Session, site: Site, smtp: SmtpServer, logged_in: Callable[..., FlaskClient]) -> None:
    now = utcnow()
    set_rule(db, site.id, RuleChanges("nps", "paid", 0, 4 * 24 * 60, 0, 24, 100))
    db.commit()
    for number, email in enumerate(("ann@example.com", "cecil@example.com")):
        order(db, site, f"R-{number}", at=now - dt.timedelta(hours=1), email=email, customer_id=f"R{number}")
    run_invitations(app, now)
    drain(get_state(app).engine, WorkerSettings.for_app(app), now=utcnow() + dt.timedelta(seconds=1), limit=100)
    [ann] = [mail for mail in smtp.wait_for(2) if mail["To"] == "ann@example.com"]
    assert answer(app, score_links(ann)["9"]).status_code == 302
    for email in ("ann@example.com", "cecil@example.com"):
        assert post_complaint(app.test_client(), site, complaint_body(email=email, order_number="")).status_code == 201
    db.expire_all()
    first, second = db.scalars(select(Complaint).order_by(Complaint.id)).all()
    db.commit()
    manager = logged_in("manager")

    [answered] = invitation_rows(manager.get(f"/feedback/admin/complaints/{first.id}").text)
    [waiting] = invitation_rows(manager.get(f"/feedback/admin/complaints/{second.id}").text)

    assert answered.startswith("nps Answered Order R-0") and "Reminder None" in answered and "the answer" in answered
    due = (now + dt.timedelta(days=4)).strftime("%Y-%m-%d")
    assert waiting.startswith("nps Sent, not answered yet Order R-1") and f"Reminder due {due}" in waiting
