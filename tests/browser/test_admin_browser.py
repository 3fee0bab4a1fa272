"""The admin area in Debian's chromium: markup from customers stays text, and the strict CSP holds."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import expect
from sqlalchemy import select
from sqlalchemy.orm import Session

from feedbackwidget.core.models import Response, Site, Survey

from ..conftest import ADMIN_PASSWORD
from .conftest import LiveServer

pytestmark = pytest.mark.browser

EVIL = '<script>alert("comment")</script><img src=x onerror="alert(\'img\')">'
WATCH_CSP = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => window.__violations.push(e.violatedDirective + " " + e.blockedURI));
"""


@pytest.fixture
def evil_response(db: Session, site: Site) -> Response:
    survey_id = db.scalar(select(Survey.id).where(Survey.site_id == site.id, Survey.template == "nps"))
    now = dt.datetime.now(dt.timezone.utc)
    for days, score in ((1, 9), (2, 10), (3, 4)):
        db.add(Response(site_id=site.id, survey_id=survey_id, locale="en", nps_score=score, answers={"score": score},
                        created_at=now - dt.timedelta(days=days), page_url="https://shop.example/cart"))
    response = Response(site_id=site.id, survey_id=survey_id, locale="en", nps_score=1, comment=EVIL,
                        answers={"score": 1, "reason": EVIL}, loyalty_tier='<b onclick=alert(1)>vip</b>',
                        page_url='https://shop.example/"><script>alert("page")</script>', created_at=now)
    db.add(response)
    db.commit()
    return response


@pytest.fixture
def admin_page(browser: Any, live_server: LiveServer, make_admin: Any, site: Site) -> Iterator[tuple[Any, dict[str, list[str]]]]:
    make_admin("owner@shop.example", sites=[(site, "owner")])
    context = browser.new_context()
    page = context.new_page()
    seen: dict[str, list[str]] = {"dialogs": [], "errors": []}
    page.on("dialog", lambda dialog: (seen["dialogs"].append(dialog.message), dialog.dismiss()))
    page.on("console", lambda message: seen["errors"].append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: seen["errors"].append(str(error)))
    page.add_init_script(WATCH_CSP)
    page.goto(f"{live_server.url}/feedback/admin/")
    page.fill("#email", "owner@shop.example")
    page.fill("#password", ADMIN_PASSWORD)
    page.click("button[type=submit]")
    yield page, seen
    context.close()


def test_the_dashboard_and_a_script_laden_response_run_nothing(
    admin_page: tuple[Any, dict[str, list[str]]], live_server: LiveServer, evil_response: Response
) -> None:
    page, seen = admin_page
    page.goto(f"{live_server.url}/feedback/admin/?period=7")
    assert page.locator("h1").inner_text() == "Dashboard"
    assert page.locator("svg.fw-trend:visible").count() == 2  # NPS and CSAT, each on its own scale
    assert page.locator("svg.fw-trend:visible polyline.fw-trend-nps").count() == 1
    assert page.locator("svg.fw-trend:visible title").first.text_content() == "NPS over time"

    page.goto(f"{live_server.url}/feedback/admin/responses")
    page.goto(f"{live_server.url}/feedback/admin/responses/{evil_response.id}")
    page.wait_for_load_state("networkidle")

    assert EVIL in " ".join(page.locator("dl.fw-details").all_inner_texts())  # the answers and the details
    assert page.locator("dl.fw-details script, dl.fw-details img").count() == 0
    assert seen["dialogs"] == []
    assert page.evaluate("window.__violations") == []
    assert seen["errors"] == []


def test_the_pages_look_right_without_inline_styles(
    admin_page: tuple[Any, dict[str, list[str]]], live_server: LiveServer, site: Site
) -> None:
    page, seen = admin_page
    page.goto(f"{live_server.url}/feedback/admin/sites/{site.id}")
    # The stylesheet applied (served from 'self'), and the copy button's script ran under the CSP.
    assert page.locator("body").evaluate("el => getComputedStyle(el).margin") == "0px"
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.click("button[data-copy]")
    # The clipboard write is asynchronous: wait for the label to change.
    expect(page.locator("button[data-copy]")).to_have_text("Copied")
    assert page.evaluate("window.__violations") == [] and seen["errors"] == []
