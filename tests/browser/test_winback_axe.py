"""The win-back page in a browser at 375 and 1280 px, in English, Hungarian and Chinese: no sideways
scrolling and nothing axe-core finds, with a lapsed customer and a recorded call; on a phone each
customer is a card (no table scrolling in its box) and every control is a 44 px touch target."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from sqlalchemy.orm import Session

from feedbackwidget.invitations.winback import record_call
from feedbackwidget.core.models import Site, utcnow

from ..conftest import ADMIN_PASSWORD
from ..invitation_support import order
from .checks import axe_violations, keep_screenshot, sideways_overflow, small_touch_targets
from .conftest import LiveServer

pytestmark = pytest.mark.browser


def phone_card_problems(page: Any) -> list[str]:
    """What keeps the customers from reading as cards on a phone: a table that scrolls in its box, a
    visible column header row, a card wider than the screen, a field name missing over a value."""
    table = page.locator("table.fw-winback")
    problems = []
    if table.evaluate("t => t.scrollWidth > t.clientWidth"):
        problems.append("the table scrolls sideways in its box")
    if page.locator("table.fw-winback thead").evaluate("h => h.getBoundingClientRect().height") > 1:
        problems.append("the column headers show")
    if max(page.locator("table.fw-winback tbody tr").evaluate_all("rows => rows.map(r => r.getBoundingClientRect().right)")) > 375:
        problems.append("a card is wider than the screen")
    labels = page.locator("table.fw-winback tbody tr:first-child td").evaluate_all(
        "cells => cells.map(c => getComputedStyle(c, '::before').content)")
    if any(label in ("none", "normal", '""') for label in labels):
        problems.append(f"a value without its field name: {labels}")
    return problems


def test_the_winback_page_fits_a_phone_and_axe_finds_nothing(browser: Any, live_server: LiveServer,
                                                             make_admin: Any, site: Site, db: Session) -> None:
    make_admin("manager@shop.example", sites=[(site, "manager")])
    order(db, site, "A-1", at=utcnow() - dt.timedelta(days=120), email="gone@example.com", name="Kovács Éva")
    order(db, site, "B-1", at=utcnow() - dt.timedelta(days=200), email="far@example.com", name="王小明")
    record_call(db, site.id, "far@example.com", "not_reached", "Voicemail", "manager@shop.example", utcnow())
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
            page.goto(f"{live_server.url}/feedback/admin/winback/{site.id}?lang={lang}")
            assert re.search(r"<h1>.+</h1>", page.content())
            keep_screenshot(page, f"winback-{lang}-{width}")
            found[f"{lang} {width}"] = sideways_overflow(page) + small_touch_targets(page) + axe_violations(page)
            if width == 375:
                found[f"{lang} {width}"] += phone_card_problems(page)
        context.close()
    assert found == {name: [] for name in found}
