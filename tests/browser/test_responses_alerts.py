"""The responses list, a response's page, the alerts page and the outbox in a real browser: at 375x740
and 1280x800, in English, Hungarian and Chinese, each score is a badge in words, the question reads as
the customer saw it, delivery health leads the alerts page, the page never scrolls sideways and axe-core
finds no violation.

Set ``FW_SCREENSHOTS=/some/dir`` to keep a screenshot of each page (to look at them)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from feedbackwidget import get_state
from feedbackwidget.accounts.models import ResponseFollowUp
from feedbackwidget.delivery.models import Webhook
from feedbackwidget.delivery.outbox import OutboxDraft, enqueue
from feedbackwidget.core.models import OutboxMessage, Response, Site, Survey
from feedbackwidget.surveys.models import SurveyLink

from .checks import axe_violations, keep_screenshot, sideways_overflow
from .conftest import LiveServer
from .test_themes_axe import logged_in_page

pytestmark = pytest.mark.browser
SIZES = {"phone": (375, 740), "desktop": (1280, 800)}
BADGES = {"en": "NPS 2 · Detractor", "hu": "NPS 2 · Kritikus", "zh": "NPS 2 · 贬损者"}
HEALTH = {"en": "E-mail is not going out.", "hu": "Nem megy ki e-mail.", "zh": "邮件发送不出去。"}


def seed(app: Flask, db: Session, site: Site) -> int:
    """Responses of every score kind in three languages, one from an order's link and followed up; a failing mail."""
    survey = {s.template: s.id for s in db.scalars(select(Survey).where(Survey.site_id == site.id))}
    now = dt.datetime.now(dt.timezone.utc)
    rows = [Response(site_id=site.id, survey_id=survey["nps"], locale="hu", nps_score=2, comment="Két hetet késett a csomag",
                     answers={"score": 2, "reason": "Két hetet késett a csomag"}, customer_email="anna@example.hu",
                     page_url="https://shop.example/rendeles/koszonjuk-a-vasarlast-hosszu-utvonal", created_at=now),
            Response(site_id=site.id, survey_id=survey["csat"], locale="zh", csat="excellent", comment="客服态度很好",
                     answers={"rating": "excellent", "reason": "客服态度很好"}, created_at=now - dt.timedelta(hours=1)),
            Response(site_id=site.id, survey_id=survey["loyalty"], locale="en", loyalty_score=7, loyalty_tier="gold",
                     answers={"member": True, "program_score": 7}, created_at=now - dt.timedelta(hours=2)),
            Response(site_id=site.id, survey_id=survey["stock"], locale="en", in_stock=False,
                     answers={"in_stock": False, "missing": "Size 44"}, created_at=now - dt.timedelta(hours=3))]
    db.add_all(rows)
    db.flush()
    db.add(SurveyLink(token_hash="t" * 64, site_id=site.id, survey_slug="nps", order_reference="WEB-2026-004711",
                      expires_at=now + dt.timedelta(days=9), response_id=rows[0].id))
    db.add(ResponseFollowUp(response_id=rows[1].id, followed_up_at=now))
    db.add(Webhook(site_id=site.id, url="https://crm.shop.example/hooks/feedback-and-complaints", secret="s" * 40,
                   events=["response.created", "complaint.created", "complaint.updated"]))
    db.commit()
    with get_state(app).engine.begin() as connection:
        enqueue(connection, [OutboxDraft(kind="mail", recipient="owner@shop.example", subject="Low score",
                                         dedupe_key="alert:1", site_id=site.id,
                                         payload={"text": "x", "html": None, "locale": "en"})])
        connection.execute(update(OutboxMessage).values(
            status="failed", attempts=5, last_error="mail server 127.0.0.1:2525 unavailable: Connection refused"))
    return rows[0].id


def check(page: Any, name: str) -> dict[str, Any]:
    keep_screenshot(page, name)
    return {"overflow": sideways_overflow(page), "axe": axe_violations(page)}


def test_responses_and_alerts_read_well_fit_and_pass_axe_in_three_languages(
    browser: Any, live_server: LiveServer, make_admin: Any, site: Site, db: Session
) -> None:
    make_admin("owner@shop.example", sites=[(site, "owner")])
    detractor = seed(live_server.app, db, site)
    admin = f"{live_server.url}/feedback/admin"
    found: dict[str, Any] = {}
    for size_name, size in SIZES.items():
        page = logged_in_page(browser, live_server, size)
        for lang in ("en", "hu", "zh"):
            page.goto(f"{admin}/responses?site={site.id}&lang={lang}")
            assert page.locator(".fw-score").first.inner_text() == BADGES[lang]
            assert page.locator(".fw-score").count() == 4
            assert page.get_by_text("WEB-2026-004711").is_visible()
            found[f"responses {lang} {size_name}"] = check(page, f"responses-{lang}-{size_name}")

            page.goto(f"{admin}/responses/{detractor}?lang={lang}")
            assert page.locator(".fw-answers dt").first.inner_text().startswith("Mennyire valószínű")
            assert page.locator("dd.fw-order").inner_text() == "WEB-2026-004711"
            found[f"response {lang} {size_name}"] = check(page, f"response-{lang}-{size_name}")

            page.goto(f"{admin}/outbox/sites/{site.id}?lang={lang}")
            health = page.locator(".fw-health")
            assert HEALTH[lang] in health.inner_text() and health.locator("button").is_visible()
            assert page.locator("tr[id^=rule-row-]").count() >= 2
            assert "response.created" not in page.locator(".fw-events").inner_text()
            found[f"alerts {lang} {size_name}"] = check(page, f"alerts-{lang}-{size_name}")

            page.goto(f"{admin}/outbox/?lang={lang}")
            assert HEALTH[lang] in page.locator(".fw-health").inner_text()
            found[f"outbox {lang} {size_name}"] = check(page, f"outbox-{lang}-{size_name}")
        page.context.close()
    assert found == {name: {"overflow": [], "axe": []} for name in found}
