"""A response's page with a reply thread and the reply form, and the dashboard's follow-up card, in a browser
at 375 and 1280 px, in English, Hungarian and Chinese: both are there, no sideways scrolling, nothing axe-core
finds."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from feedbackwidget.core.models import AdminUser, Response, Site, Survey, utcnow
from feedbackwidget.responses.replies import ReplyDraft, send_reply
from feedbackwidget.sites.saved_replies import add_saved_reply

from ..conftest import ADMIN_PASSWORD
from .checks import axe_violations, keep_screenshot, sideways_overflow
from .conftest import LiveServer

pytestmark = pytest.mark.browser


def answered_and_replied(app: Any, db: Session, site: Site) -> Response:
    """A Hungarian detractor with a long comment, and a manager's reply to them already sent."""
    survey_id = db.scalar(select(Survey.id).where(Survey.site_id == site.id, Survey.template == "nps"))
    response = Response(site_id=site.id, survey_id=survey_id, locale="hu", nps_score=2,
                        answers={"score": 2, "reason": "A csomag egy hetet késett, és senki sem válaszolt."},
                        comment="A csomag egy hetet késett, és senki sem válaszolt.",
                        customer_email="kovacs.anna.nagyon.hosszu.cim@example.com",
                        created_at=utcnow() - dt.timedelta(hours=5))
    db.add(response)
    stored_site = db.get(Site, site.id)
    assert stored_site is not None
    add_saved_reply(stored_site, "Bocsánat a késésért", "hu", "Kedves {name}!\nSajnáljuk a késést.")
    db.commit()
    author = db.scalar(select(AdminUser).where(AdminUser.email == "manager@shop.example"))
    with app.app_context():
        send_reply(db, stored_site, response, author,  # type: ignore[arg-type]
                   ReplyDraft(response.customer_email or "", "Visszajelzése a Test Shop számára",
                              "Kedves Anna!\nNagyon sajnáljuk a késést: holnap felhívjuk."),
                   origin=None, now=utcnow())
    db.commit()
    return response


def test_the_response_page_with_its_thread_fits_a_phone_and_axe_finds_nothing(
        browser: Any, live_server: LiveServer, make_admin: Any, site: Site, db: Session) -> None:
    make_admin("manager@shop.example", sites=[(site, "manager")])
    response = answered_and_replied(live_server.app, db, site)
    found: dict[str, list[str]] = {}
    for width, height in ((375, 740), (1280, 800)):
        context = browser.new_context(bypass_csp=True, viewport={"width": width, "height": height})
        page = context.new_page()
        page.goto(f"{live_server.url}/feedback/admin/login")
        page.fill("#email", "manager@shop.example")
        page.fill("#password", ADMIN_PASSWORD)
        page.click("button[type=submit]")
        for lang in ("en", "hu", "zh"):
            page.goto(f"{live_server.url}/feedback/admin/responses/{response.id}?lang={lang}#reply")
            assert page.locator("#thread li").count() == 1
            assert "holnap felhívjuk" in page.inner_text("#thread")
            who = page.inner_text(".fw-thread-who")
            assert "Manager" in who and "manager@shop.example" not in who, "named as colleagues read them"
            assert page.locator("#reply textarea[name=body]").is_visible()
            assert re.search(r"<h1>.+</h1>", page.content())
            keep_screenshot(page, f"response-replies-{lang}-{width}")
            found[f"{lang} {width}"] = sideways_overflow(page) + axe_violations(page)
            page.goto(f"{live_server.url}/feedback/admin/?site={site.id}&lang={lang}")
            card = {"en": "1 of 1 followed up within 48 h", "hu": "1 kritikusból 1 megkeresve 48 órán belül",
                    "zh": "1 位中有 1 位在 48 小时内得到跟进"}[lang]
            assert card in page.inner_text(".fw-followup")
            keep_screenshot(page, f"dashboard-followup-{lang}-{width}")
            found[f"dashboard {lang} {width}"] = sideways_overflow(page) + axe_violations(page)
        context.close()
    assert found == {name: [] for name in found}
