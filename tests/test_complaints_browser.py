"""The hosted complaint form in a real browser with JavaScript switched off."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.orm import Session

from feedbackwidget.models import Site

from .browser.conftest import LiveServer, browser, live_server  # noqa: F401  (fixtures)
from .test_complaints_api import complaints


@pytest.mark.browser
def test_a_visitor_without_javascript_files_a_complaint_in_hungarian(
    live_server: LiveServer, browser: Any, site: Site, db: Session  # noqa: F811
) -> None:
    context = browser.new_context(java_script_enabled=False, locale="hu-HU")
    page = context.new_page()
    page.goto(f"{live_server.url}/feedback/complaint/{site.key}")
    assert page.locator("h1").inner_text() == "Panasz bejelentése"

    page.fill("#name", "Kőrösi Csoma Sándor")
    page.fill("#email", "nem-email")
    page.select_option("#category", "delivery")
    page.fill("#description", "A csomag sérülten érkezett.")
    page.fill("#desired_resolution", "Csere")
    page.click("button[type=submit]")
    assert "E-mail-címnek kell lennie" in page.locator("#email-error").inner_text()
    assert page.locator("#consent-error").is_visible()
    assert page.input_value("#name") == "Kőrösi Csoma Sándor"

    page.fill("#email", "sandor@example.com")
    page.check("#consent")
    page.click("button[type=submit]")

    [complaint] = complaints(db)
    assert complaint.reference in page.locator(".fw-reference").inner_text()
    assert (complaint.customer_name, complaint.locale) == ("Kőrösi Csoma Sándor", "hu")
    context.close()
