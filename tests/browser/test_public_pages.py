"""The public pages a customer sees, in a real browser: the complaint form (empty and with its errors),
the complaint's status page and a 404 page, at 375x740 and 1280x800, in English, Hungarian and
Chinese: no sideways scrolling, no axe-core violation, the reference in the status page's heading on
one line, the error summary above the form.

Set ``FW_SCREENSHOTS=/some/folder`` to keep a full-page screenshot of each page visited.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from feedbackwidget.complaints.models import ComplaintMessage
from feedbackwidget.core.models import Site

from ..conftest import ADMIN_PASSWORD
from ..test_complaints_api import complaint_body, complaints, post_complaint
from ..test_complaints_pages import status_link
from .checks import AXE, axe_violations, keep_screenshot, sideways_overflow
from .conftest import LiveServer

pytestmark = pytest.mark.browser
SIZES = {"phone": (375, 740), "desktop": (1280, 800)}
LANGUAGES = ("en", "hu", "zh")
HEADING = {"en": "Your complaint", "hu": "Az Ön panasza", "zh": "您的投诉"}
SUMMARY = {"en": "There is a problem", "hu": "Kérjük, javítsa a következőket", "zh": "请更正以下问题"}
NOT_FOUND = {"en": "Page not found", "hu": "Az oldal nem található", "zh": "找不到该页面"}
BACK = {"en": "Go to the start page", "hu": "Tovább a kezdőlapra", "zh": "返回首页"}
LONG_TEXT = ("A futárszolgálat háromszor is elhalasztotta a kiszállítást, ügyfélszolgálati-visszahívás-igénylőlapot "
             "töltöttem ki, de senki nem hívott vissza. " * 3)


@pytest.fixture
def status_path(client: FlaskClient, site: Site, db: Session) -> str:
    """The mailed status link of a complaint with a long text, a long order number and a reply."""
    post_complaint(client, site, complaint_body(description=LONG_TEXT, order_number="WEBSHOP-2026-000123456789"))
    [complaint] = complaints(db)
    db.add(ComplaintMessage(complaint_id=complaint.id, visibility="public",
                            body="Elnézést kérünk a késésért: a csomagot holnap újra kiküldjük.\nÜdvözlettel, Anna"))
    db.commit()
    return status_link(db, complaint)


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    assert AXE.exists(), "axe-core is missing: run 'npm ci' at the top of the repository"
    context = browser.new_context(bypass_csp=True)  # axe-core is injected as a script
    opened = context.new_page()
    yield opened
    context.close()


def check(page: Any, name: str) -> list[str]:
    problems = sideways_overflow(page) + axe_violations(page)
    keep_screenshot(page, name)
    return problems


def report(found: dict[str, list[str]]) -> str:
    return "\n".join(f"{name}: {'; '.join(problems)}" for name, problems in found.items() if problems)


def test_the_complaint_form_fits_and_shows_its_errors_above_the_fields(
    page: Any, live_server: LiveServer, site: Site
) -> None:
    found: dict[str, list[str]] = {}
    for size, (width, height) in SIZES.items():
        page.set_viewport_size({"width": width, "height": height})
        for lang in LANGUAGES:
            page.goto(f"{live_server.url}/feedback/complaint/{site.key}?lang={lang}")
            found[f"form {lang} {size}"] = check(page, f"complaint-form-{lang}-{size}")
            # The fields are as wide as the form: no tiny browser defaults beside their labels.
            form_width = page.locator("form").bounding_box()["width"]
            for field in ("#name", "#email", "#category", "#description"):
                box = page.locator(field).bounding_box()
                label = page.locator(f"label[for={field[1:]}]").bounding_box()
                assert box["width"] >= form_width - 2, (field, lang, size)
                assert label["y"] + label["height"] <= box["y"], (field, lang, size)  # the label above

            page.click("button[type=submit]")
            summary = page.locator(".fw-error-summary")
            assert summary.get_by_role("heading", name=SUMMARY[lang]).is_visible()
            assert summary.get_by_role("link").count() >= 4
            email_error = page.locator("#email-error").bounding_box()
            email_label = page.locator("label[for=email]").bounding_box()
            email = page.locator("#email").bounding_box()
            assert email_label["y"] < email_error["y"] < email["y"], (lang, size)  # label, error, then the field
            summary.get_by_role("link").first.click()
            assert page.evaluate("document.activeElement.id") == "name"
            found[f"form errors {lang} {size}"] = check(page, f"complaint-form-errors-{lang}-{size}")
    assert not report(found), report(found)


def test_the_status_page_fits_keeps_the_reference_on_one_line_and_switches_language(
    page: Any, live_server: LiveServer, status_path: str
) -> None:
    page.goto(f"{live_server.url}{status_path}")  # the mailed link: its token goes into the page's cookie
    found: dict[str, list[str]] = {}
    for size, (width, height) in SIZES.items():
        page.set_viewport_size({"width": width, "height": height})
        for lang in LANGUAGES:
            page.get_by_role("navigation").locator(f"a[hreflang={lang}]").click()
            heading = page.get_by_role("heading", level=1)
            assert HEADING[lang] in heading.inner_text()
            lines = page.evaluate("document.querySelector('h1 .fw-reference').getClientRects().length")
            assert lines == 1, f"the reference breaks across lines ({lang} {size})"
            assert page.locator(".fw-reply").count() == 1
            assert page.locator(".fw-case .fw-state").is_visible()
            found[f"status {lang} {size}"] = check(page, f"complaint-status-{lang}-{size}")
    assert not report(found), report(found)


def test_a_404_page_fits_in_the_visitors_language(page: Any, live_server: LiveServer, site: Site) -> None:
    found: dict[str, list[str]] = {}
    for size, (width, height) in SIZES.items():
        page.set_viewport_size({"width": width, "height": height})
        for lang in LANGUAGES:
            answer = page.goto(f"{live_server.url}/feedback/s/{site.key}/no-such-survey?lang={lang}")
            assert answer is not None and answer.status == 404
            assert page.get_by_role("heading", level=1).inner_text() == NOT_FOUND[lang]
            background = page.evaluate("getComputedStyle(document.querySelector('main')).backgroundColor")
            assert background == "rgb(255, 255, 255)"  # the design system's card, not a bare browser page
            found[f"404 {lang} {size}"] = check(page, f"not-found-{lang}-{size}")
    assert not report(found), report(found)


def test_a_missing_admin_page_is_a_404_with_the_way_back(
    page: Any, live_server: LiveServer, site: Site, make_admin: Any
) -> None:
    make_admin("owner@shop.example", sites=[(site, "owner")])
    page.goto(f"{live_server.url}/feedback/admin/login")
    page.fill("#email", "owner@shop.example")
    page.fill("#password", ADMIN_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/feedback/admin/")
    found: dict[str, list[str]] = {}
    for size, (width, height) in SIZES.items():
        page.set_viewport_size({"width": width, "height": height})
        for lang in LANGUAGES:
            answer = page.goto(f"{live_server.url}/feedback/admin/responses/999999?lang={lang}")
            assert answer is not None and answer.status == 404
            assert page.get_by_role("heading", level=1).inner_text() == NOT_FOUND[lang]
            back = page.get_by_role("link", name=BACK[lang])
            assert back.is_visible() and back.bounding_box()["height"] >= 44
            found[f"admin 404 {lang} {size}"] = check(page, f"admin-not-found-{lang}-{size}")
    assert not report(found), report(found)
