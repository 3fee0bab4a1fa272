"""The survey page in a real browser: at 375x740 and 1280x800, in English, Hungarian and Chinese, with
the trigger controls and with wrong values refused on their fields (a percentage, a button text too long),
the page never scrolls sideways and axe-core finds no violation (``FW_SCREENSHOTS=/some/dir`` keeps a screenshot of each)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from feedbackwidget.core.models import Site, Survey

from ..conftest import ADMIN_PASSWORD
from .checks import axe_violations, keep_screenshot, sideways_overflow
from .conftest import LiveServer

pytestmark = pytest.mark.browser
SIZES = {"phone": (375, 740), "desktop": (1280, 800)}
ERROR = {"en": "Enter a percentage from 0 to 100.", "hu": "Adjon meg egy százalékot 0 és 100 között.",
         "zh": "请输入 0 到 100 之间的百分比。"}
TOO_LONG = {"en": "Shorten this text to 30 characters or fewer.", "hu": "Rövidítse a szöveget legfeljebb 30 karakterre.",
            "zh": "请将此文本缩短到 30 个字符以内。"}


def test_the_survey_page_fits_and_passes_axe_in_three_languages(
    browser: Any, live_server: LiveServer, make_admin: Any, site: Site, db: Session
) -> None:
    make_admin("owner@shop.example", sites=[(site, "owner")])
    survey_id = db.scalar(select(Survey.id).where(Survey.site_id == site.id, Survey.slug == "nps"))
    found: dict[str, list[str]] = {}
    for size_name, (width, height) in SIZES.items():
        context = browser.new_context(bypass_csp=True, viewport={"width": width, "height": height})
        page = context.new_page()
        page.goto(f"{live_server.url}/feedback/admin/login")
        page.fill("#email", "owner@shop.example")
        page.fill("#password", ADMIN_PASSWORD)
        page.click("button[type=submit]")
        for lang in ("en", "hu", "zh"):
            page.goto(f"{live_server.url}/feedback/admin/surveys/{survey_id}?lang={lang}")
            found[f"{lang} {size_name}"] = sideways_overflow(page) + axe_violations(page)
            keep_screenshot(page, f"survey-{lang}-{size_name}")
            page.fill("#trigger_scroll_percent", "120")
            page.fill("#own__button__hu", "Írja meg nekünk a véleményét, kérjük!")  # a button of 37 characters
            page.click("form.fw-form button[type=submit]")
            assert page.locator("#trigger_scroll_percent-error").inner_text() == ERROR[lang]
            assert page.locator("#own__button__hu-error").inner_text() == TOO_LONG[lang]
            found[f"{lang} {size_name} error"] = sideways_overflow(page) + axe_violations(page)
            keep_screenshot(page, f"survey-error-{lang}-{size_name}")
            page.fill("#color", "#ffd700")
            page.click("#look button[type=submit]")
            assert page.locator("#color-error").is_visible()
            found[f"{lang} {size_name} faint colour"] = sideways_overflow(page) + axe_violations(page)
            keep_screenshot(page, f"survey-look-{lang}-{size_name}")
        context.close()
    assert found == {name: [] for name in found}
