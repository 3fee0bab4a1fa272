"""Display names in a browser: an owner names a member on the member's name page (375x740 and
1280x800, en/hu/zh: no sideways scrolling, 44 px controls, axe clean), and the site's People table
reads that name; an admin names themselves on the account page."""

from __future__ import annotations

from typing import Any

import pytest

from feedbackwidget.core.models import Site

from ..conftest import ADMIN_PASSWORD
from .checks import axe_violations, keep_screenshot, sideways_overflow, small_touch_targets
from .conftest import LiveServer

pytestmark = pytest.mark.browser
SAVE = {"en": "Save name", "hu": "Név mentése", "zh": "保存姓名"}


def log_in(browser: Any, live_server: LiveServer, email: str, width: int, height: int) -> Any:
    context = browser.new_context(bypass_csp=True, viewport={"width": width, "height": height})
    page = context.new_page()
    page.goto(f"{live_server.url}/feedback/admin/login")
    page.fill("#email", email)
    page.fill("#password", ADMIN_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/feedback/admin/")
    return page


def test_an_owner_names_a_member_and_the_people_table_reads_it(
    browser: Any, live_server: LiveServer, make_admin: Any, site: Site
) -> None:
    make_admin("owner@shop.example", sites=[(site, "owner")])
    member = make_admin("szabo.bela@shop.example", sites=[(site, "manager")])
    found: dict[str, list[str]] = {}
    for width, height in ((375, 740), (1280, 800)):
        page = log_in(browser, live_server, "owner@shop.example", width, height)
        for lang in ("en", "hu", "zh"):
            page.goto(f"{live_server.url}/feedback/admin/sites/{site.id}/members/{member.id}/name?lang={lang}")
            assert page.locator("#display_name").get_attribute("placeholder") == "Szabo Bela"
            found[f"{lang} {width}"] = sideways_overflow(page) + small_touch_targets(page) + axe_violations(page)
            keep_screenshot(page, f"member-name-{lang}-{width}")
        page.fill("#display_name", "Béla")
        page.get_by_role("button", name=SAVE["zh"]).click()
        assert "Béla" in page.locator("[role=status]").inner_text()
        page.goto(f"{live_server.url}/feedback/admin/sites/{site.id}?lang=en")
        assert page.locator("table.fw-table tbody th", has_text="Béla").count() == 1
        page.context.close()
    assert found == {name: [] for name in found}


def test_an_admin_names_themselves_on_the_account_page(
    browser: Any, live_server: LiveServer, make_admin: Any, site: Site
) -> None:
    make_admin("anna@shop.example", sites=[(site, "manager")])
    page = log_in(browser, live_server, "anna@shop.example", 375, 740)
    page.goto(f"{live_server.url}/feedback/admin/account?lang=hu")
    page.fill("#display_name", "Kovács Anna")
    page.get_by_role("button", name=SAVE["hu"]).click()
    assert "A nevét mentettük" in page.locator("[role=status]").inner_text()
    assert page.locator("#display_name").input_value() == "Kovács Anna"
    assert sideways_overflow(page) + small_touch_targets(page) + axe_violations(page) == []
    page.context.close()
