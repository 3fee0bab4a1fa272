"""Invitations on other admin pages in a browser at 375 and 1280 px, in English, Hungarian and Chinese: the
dashboard's funnel card and the invitations on a response's and a complaint's page fit a phone, and axe-core
finds nothing."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from feedbackwidget import get_state
from feedbackwidget.complaints.models import Complaint
from feedbackwidget.core.models import Response, Site, Survey, utcnow
from feedbackwidget.delivery.worker import WorkerSettings, drain
from feedbackwidget.invitations import Invitation, RuleChanges, set_rule
from feedbackwidget.invitations.runner import run_invitations
from feedbackwidget.responses.links import mark_answered

from ..conftest import ADMIN_PASSWORD
from ..invitation_support import order
from ..test_complaints_api import complaint_body, post_complaint
from .checks import axe_violations, keep_screenshot, sideways_overflow
from .conftest import LiveServer

pytestmark = pytest.mark.browser


def invited_and_answered(live_server: LiveServer, db: Session, site: Site) -> int:
    """Two invitations sent (one answered, with a long Hungarian comment), one waiting; the answer's id."""
    now = utcnow()
    set_rule(db, site.id, RuleChanges("nps", "paid", 0, 4 * 24 * 60, 0, 24, 100))
    set_rule(db, site.id, RuleChanges("csat", "delivered", 3 * 24 * 60, None, 0, 24, 100))
    db.commit()
    for number in range(2):
        order(db, site, f"WEB-2026-000{number}", at=now - dt.timedelta(hours=1),
              email=f"vasarlo.nagyon.hosszu.nevvel{number}@example.com", customer_id=f"C-{number}")
    order(db, site, "WEB-2026-0000", "delivered", at=now - dt.timedelta(hours=1),
          email="vasarlo.nagyon.hosszu.nevvel0@example.com", customer_id="C-0")
    run_invitations(live_server.app, now)
    drain(get_state(live_server.app).engine, WorkerSettings.for_app(live_server.app),
          now=utcnow() + dt.timedelta(seconds=1), limit=100)
    first = db.scalars(select(Invitation).where(Invitation.order_id == "WEB-2026-0000",
                                                Invitation.survey_slug == "nps")).one()
    survey = db.scalar(select(Survey.id).where(Survey.site_id == site.id, Survey.slug == "nps"))
    answered = Response(site_id=site.id, survey_id=survey, locale="hu", answers={"score": 4}, nps_score=4,
                        comment="A csomag későn érkezett, és a dobozt is összetörték a szállítás közben.",
                        customer_email="vasarlo.nagyon.hosszu.nevvel0@example.com")
    db.add(answered)
    db.flush()
    assert first.link_id is not None
    mark_answered(db, first.link_id, answered.id)
    db.commit()
    return answered.id


def test_the_invitations_card_and_the_invitations_of_a_response_and_a_complaint_fit_a_phone_and_pass_axe(
        browser: Any, live_server: LiveServer, make_admin: Any, site: Site, db: Session) -> None:
    make_admin("manager@shop.example", sites=[(site, "manager")])
    response_id = invited_and_answered(live_server, db, site)
    made = post_complaint(live_server.app.test_client(), site, complaint_body(
        email="vasarlo.nagyon.hosszu.nevvel0@example.com", order_number="WEB-2026-0000"))
    assert made.status_code == 201
    complaint_id = db.scalar(select(Complaint.id).where(Complaint.reference == made.get_json()["reference"]))
    db.commit()
    found: dict[str, list[str]] = {}
    for width, height in ((375, 740), (1280, 800)):
        context = browser.new_context(bypass_csp=True, viewport={"width": width, "height": height})
        page = context.new_page()
        page.goto(f"{live_server.url}/feedback/admin/login")
        page.fill("#email", "manager@shop.example")
        page.fill("#password", ADMIN_PASSWORD)
        page.click("button[type=submit]")
        for lang in ("en", "hu", "zh"):
            for name, tail, panel in (
                    ("dashboard", f"/?site={site.id}&lang={lang}", "fw-invitations-card-title"),
                    ("response", f"/responses/{response_id}?lang={lang}", "fw-response-invitations-title"),
                    ("complaint", f"/complaints/{complaint_id}?lang={lang}", "fw-complaint-invitations-title")):
                page.goto(f"{live_server.url}/feedback/admin{tail}")
                html = page.content()
                assert panel in html
                assert re.search(r"<h1[^>]*>.+</h1>", html)
                keep_screenshot(page, f"invitations-{name}-{lang}-{width}")
                found[f"{name} {lang} {width}"] = sideways_overflow(page) + axe_violations(page)
        context.close()
    assert found == {name: [] for name in found}
