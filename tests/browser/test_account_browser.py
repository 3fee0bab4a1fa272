"""The account page in Debian's chromium: a password is changed through the real form, under the strict CSP."""

from __future__ import annotations

from typing import Any

import pytest

from ..conftest import ADMIN_PASSWORD
from .conftest import LiveServer

pytestmark = pytest.mark.browser


def test_an_admin_changes_their_password_in_the_browser(browser: Any, live_server: LiveServer, make_admin: Any) -> None:
    make_admin("owner@shop.example")
    context = browser.new_context(viewport={"width": 375, "height": 800})
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.goto(f"{live_server.url}/feedback/admin/login")
    page.fill("#email", "owner@shop.example")
    page.fill("#password", ADMIN_PASSWORD)
    page.click("button[type=submit]")

    page.click("text=Menu")  # at 375 px the header's links are behind the menu button
    page.click("text=Your account")
    assert page.locator("h1").inner_text() == "Your account"
    assert "(this browser)" in page.locator("table.fw-table").inner_text()
    page.fill("#current_password", ADMIN_PASSWORD)
    page.fill("#new_password", "a brand new passphrase")
    page.fill("#confirm_password", "a brand new passphrase")
    page.click("text=Change password")

    assert "Your password was changed" in page.locator("[role=status]").inner_text()
    widest = "Math.max(...[...document.querySelectorAll('main *')].map(e => e.getBoundingClientRect().right))"
    assert page.evaluate(widest) <= 375  # the page's content fits a phone
    assert errors == []
    context.close()
