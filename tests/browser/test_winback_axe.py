"""The win-back page in a browser at 375 and 1280 px, in English, Hungarian and Chinese: no sideways
scrolling and nothing axe-core finds, with a lapsed customer and a recorded call."""

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
from .checks import axe_violations, keep_screenshot, sideways_overflow
from .conftest import LiveServer

pytestmark = pytest.mark.browser


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
            found[f"{lang} {width}"] = sideways_overflow(page) + axe_violations(page)
        context.close()
    assert found == {name: [] for name in found}
