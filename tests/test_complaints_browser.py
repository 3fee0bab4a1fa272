"""The hosted complaint form in a real browser with JavaScript switched off."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from sqlalchemy.orm import Session

from feedbackwidget.core.models import Site

from .browser.conftest import CHROMIUM, LiveServer, live_server  # noqa: F401  (fixture)
from .test_complaints_api import complaints


def in_chromium(steps: Any) -> Any:
    """Run *steps(page)* in headless chromium without JavaScript, in a thread of its own
    (Playwright's sync API refuses a thread where another test left an asyncio loop)."""
    from playwright.sync_api import sync_playwright

    def run() -> Any:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-background-networking"]
            )
            try:
                context = browser.new_context(java_script_enabled=False, locale="hu-HU")
                return steps(context.new_page())
            finally:
                browser.close()

    with ThreadPoolExecutor(max_workers=1) as executor:
        return executor.submit(run).result(timeout=60)


@pytest.mark.browser
def test_a_visitor_without_javascript_files_a_complaint_in_hungarian(
    live_server: LiveServer, site: Site, db: Session  # noqa: F811
) -> None:
    def steps(page: Any) -> dict[str, str]:
        page.goto(f"{live_server.url}/feedback/complaint/{site.key}")
        seen = {"title": page.locator("h1").inner_text()}
        page.fill("#name", "Kőrösi Csoma Sándor")
        page.fill("#email", "nem-email")
        page.select_option("#category", "delivery")
        page.fill("#description", "A csomag sérülten érkezett.")
        page.fill("#desired_resolution", "Csere")
        page.click("button[type=submit]")
        seen.update(email_error=page.locator("#email-error").inner_text(),
                    consent_error=str(page.locator("#consent-error").is_visible()), kept=page.input_value("#name"))
        page.fill("#email", "sandor@example.com")
        page.check("#consent")
        page.click("button[type=submit]")
        seen["reference"] = page.locator(".fw-reference").inner_text()
        return seen

    seen = in_chromium(steps)

    assert seen["title"] == "Panasz bejelentése"
    assert "„nem-email” nem e-mail-cím" in seen["email_error"]
    assert (seen["consent_error"], seen["kept"]) == ("True", "Kőrösi Csoma Sándor")
    [complaint] = complaints(db)
    assert seen["reference"] == complaint.reference
    assert (complaint.customer_name, complaint.locale) == ("Kőrösi Csoma Sándor", "hu")
