"""Every admin page and every public page fits a phone (375x740) and a desktop (1280x800) in
English, Hungarian and Chinese: no sideways scrolling of the page, axe-core finds no violation,
the navigation collapses into a menu with "Log out" in it, and a complaint prints without the
navigation and the buttons.

Set ``FW_SCREENSHOTS=/some/folder`` to keep a full-page screenshot of each page visited.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from feedbackwidget.complaints.models import Complaint
from feedbackwidget.core.models import Response, Site, Survey

from ..conftest import ADMIN_PASSWORD
from ..test_complaints_api import complaint_body, complaints, post_complaint
from ..test_complaints_pages import status_link
from .checks import AXE, axe_violations, keep_screenshot, sideways_overflow
from .conftest import LiveServer

pytestmark = pytest.mark.browser
SIZES = {"phone": (375, 740), "desktop": (1280, 800)}
LANGUAGES = ("en", "hu", "zh")
LOG_OUT = {"en": "Log out", "hu": "Kijelentkezés", "zh": "退出登录"}
ADMIN = "/feedback/admin"
# A shop's real page addresses are long and have no spaces to break at.
LONG_PAGE = ("https://shop.example/collections/winter-sale-2026/products/"
             "extra-warm-merino-wool-hiking-socks-with-reinforced-heel-and-toe?variant=48123456789012&utm_source=newsletter")
LONG_COMMENT = ("A futárszolgálat háromszor is elhalasztotta a kiszállítást, ügyfélszolgálati-visszahívás-igénylőlapot "
                "töltöttem ki, de senki nem hívott vissza. " * 3)


@dataclass
class Shop:
    site: Site
    response_id: int
    survey_id: int
    complaint: Complaint
    status_path: str


@pytest.fixture
def shop(db: Session, site: Site, client: FlaskClient, make_admin: Any) -> Shop:
    """A site with answers on long page addresses, a long Hungarian comment and an open complaint."""
    make_admin("owner-with-a-rather-long-address@shop-with-a-long-name.example", sites=[(site, "owner")])
    survey_id = db.scalar(select(Survey.id).where(Survey.site_id == site.id, Survey.template == "nps"))
    assert survey_id is not None
    now = dt.datetime.now(dt.timezone.utc)
    for days, score in ((1, 9), (2, 10), (3, 4), (4, 7), (6, 0), (9, 8)):
        db.add(Response(site_id=site.id, survey_id=survey_id, locale="hu", nps_score=score, answers={"score": score},
                        created_at=now - dt.timedelta(days=days), page_url=f"{LONG_PAGE}&n={days}",
                        loyalty_tier="gold"))
    detractor = Response(site_id=site.id, survey_id=survey_id, locale="hu", nps_score=2, comment=LONG_COMMENT,
                         answers={"score": 2, "reason": LONG_COMMENT}, page_url=LONG_PAGE, created_at=now)
    db.add(detractor)
    db.commit()
    post_complaint(client, site, complaint_body(description=LONG_COMMENT, order_number="WEBSHOP-2026-000123456789"))
    [complaint] = complaints(db)
    return Shop(site, detractor.id, survey_id, complaint, status_link(db, complaint))


def admin_paths(shop: Shop) -> list[str]:
    site_id = shop.site.id
    return [
        "/", "/responses", f"/responses/{shop.response_id}", f"/surveys/{shop.survey_id}",
        f"/surveys/{shop.survey_id}/preview", "/sites", f"/sites/{site_id}", "/complaints/",
        f"/complaints/{shop.complaint.id}", f"/complaints/new?site={site_id}", "/complaints/analysis",
        "/outbox/", f"/outbox/sites/{site_id}", "/privacy/", "/account", "/health",
    ]


def with_lang(url: str, lang: str) -> str:
    return f"{url}{'&' if '?' in url else '?'}lang={lang}"


SMALL_TARGETS = """() => [...document.querySelectorAll(
    'button, .fw-button, select, input:not([type=checkbox]):not([type=radio]):not([type=hidden]), header a, .fw-pager a')]
  .filter(e => e.offsetParent !== null && e.getBoundingClientRect().height < 44)
  .slice(0, 3).map(e => e.tagName.toLowerCase() + ' "' + (e.textContent || e.name || '').trim().slice(0, 30) + '" '
                        + Math.round(e.getBoundingClientRect().height) + ' px')"""


def check(page: Any, name: str) -> list[str]:
    """What is wrong with the page on screen: sideways overflow, on a phone a button, field or menu link
    under 44 px tall, then axe-core's violations."""
    problems = sideways_overflow(page)
    if page.viewport_size["width"] < 600:
        small = page.evaluate(SMALL_TARGETS)
        problems += [f"touch targets under 44 px: {', '.join(small)}"] if small else []
    problems += axe_violations(page)
    keep_screenshot(page, name)
    return problems


def screenshot_name(path: str, lang: str, size: str) -> str:
    slug = path.strip("/").split("?")[0].replace("/", "-") or "dashboard"
    return f"{slug}-{lang}-{size}"


@pytest.fixture
def logged_in_page(browser: Any, live_server: LiveServer, shop: Shop) -> Iterator[Any]:
    assert AXE.exists(), "axe-core is missing: run 'npm ci' at the top of the repository"
    context = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.goto(f"{live_server.url}{ADMIN}/login")
    page.fill("#email", "owner-with-a-rather-long-address@shop-with-a-long-name.example")
    page.fill("#password", ADMIN_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}{ADMIN}/")
    yield page
    context.close()


def test_every_admin_page_fits_a_phone_and_a_desktop_with_no_axe_violation(
    logged_in_page: Any, live_server: LiveServer, shop: Shop
) -> None:
    page = logged_in_page
    found: dict[str, list[str]] = {}
    for size, (width, height) in SIZES.items():
        page.set_viewport_size({"width": width, "height": height})
        for lang in LANGUAGES:
            for path in admin_paths(shop):
                url = with_lang(f"{live_server.url}{ADMIN}{path}", lang)
                answer = page.goto(url)
                assert answer is not None and answer.status == 200, url
                found[f"{path} {lang} {size}"] = check(page, screenshot_name(path, lang, size))
    bad = {url: problems for url, problems in found.items() if problems}
    assert bad == {}, "\n".join(f"{url}: {'; '.join(problems)}" for url, problems in bad.items())


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_navigation_is_a_menu_on_a_phone_with_log_out_inside(
    logged_in_page: Any, live_server: LiveServer, lang: str
) -> None:
    page = logged_in_page
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(f"{live_server.url}{ADMIN}/responses?lang={lang}")
    toggle = page.locator("header .fw-menu-toggle")
    log_out = page.get_by_role("button", name=LOG_OUT[lang])
    assert toggle.is_visible() and toggle.get_attribute("aria-expanded") == "false"
    assert not log_out.is_visible()
    assert not page.locator("header nav").get_by_role("link").first.is_visible()

    toggle.focus()
    page.keyboard.press("Enter")

    assert toggle.get_attribute("aria-expanded") == "true"
    assert log_out.is_visible()
    header = page.locator("header").bounding_box()
    button = log_out.bounding_box()
    assert header is not None and button is not None
    assert button["y"] + button["height"] <= header["y"] + header["height"]
    assert button["x"] + button["width"] <= 375 and button["height"] >= 44
    links = page.locator("header nav").get_by_role("link")
    assert links.count() >= 8
    heights = [links.nth(i).bounding_box()["height"] for i in range(links.count())]
    assert min(heights) >= 44
    page.keyboard.press("Escape")
    assert toggle.get_attribute("aria-expanded") == "false" and not log_out.is_visible()


def test_the_navigation_is_a_row_of_links_on_a_desktop(logged_in_page: Any, live_server: LiveServer) -> None:
    page = logged_in_page
    page.goto(f"{live_server.url}{ADMIN}/?lang=hu")
    assert not page.locator("header .fw-menu-toggle").is_visible()
    assert page.get_by_role("button", name=LOG_OUT["hu"]).is_visible()
    assert page.locator("header nav").get_by_role("link", name="Válaszok").is_visible()
    header = page.locator("header").bounding_box()
    assert header is not None and header["height"] < 160


def test_a_complaint_prints_without_navigation_or_buttons(
    logged_in_page: Any, live_server: LiveServer, shop: Shop
) -> None:
    page = logged_in_page
    page.goto(f"{live_server.url}{ADMIN}/complaints/{shop.complaint.id}?lang=en")
    page.emulate_media(media="print")
    assert not page.locator("header").is_visible()
    assert page.locator("main button:visible, main form:visible").count() == 0
    assert page.get_by_text(shop.complaint.reference).first.is_visible()
    assert page.get_by_text("WEBSHOP-2026-000123456789").first.is_visible()
    page.emulate_media(media="screen")
    assert page.locator("header").is_visible()


def test_the_public_pages_and_the_login_fit_a_phone_and_a_desktop(
    browser: Any, live_server: LiveServer, shop: Shop
) -> None:
    key = shop.site.key
    paths = {
        "login": f"{ADMIN}/login",
        "complaint-form": f"/feedback/complaint/{key}",
        "complaint-status": shop.status_path,
        "survey": f"/feedback/s/{key}/nps",
        "survey-csat": f"/feedback/s/{key}/csat",
    }
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    found: dict[str, list[str]] = {}
    for size, (width, height) in SIZES.items():
        page.set_viewport_size({"width": width, "height": height})
        for lang in LANGUAGES:
            for name, path in paths.items():
                answer = page.goto(with_lang(f"{live_server.url}{path}", lang))
                assert answer is not None and answer.status == 200, path
                found[f"{name} {lang} {size}"] = check(page, f"public-{name}-{lang}-{size}")
    # The empty complaint form, sent: the errors are shown above their fields.
    for size, (width, height) in SIZES.items():
        page.set_viewport_size({"width": width, "height": height})
        page.goto(f"{live_server.url}/feedback/complaint/{key}?lang=hu")
        with page.expect_navigation():
            page.click("button[type=submit]")
        found[f"complaint-form errors {size}"] = check(page, f"public-complaint-errors-hu-{size}")
        assert page.locator(".fw-field-error, .field-error").count() >= 3
    context.close()
    bad = {url: problems for url, problems in found.items() if problems}
    assert bad == {}, "\n".join(f"{url}: {'; '.join(problems)}" for url, problems in bad.items())


def test_no_page_breaks_the_strict_csp(browser: Any, live_server: LiveServer, shop: Shop) -> None:
    """Without bypassing the CSP (as the axe runs do): no inline style or script is refused anywhere,
    and the menu still opens."""
    context = browser.new_context(viewport={"width": 375, "height": 740})
    page = context.new_page()
    page.add_init_script("""window.__refused = [];
        document.addEventListener("securitypolicyviolation", e => window.__refused.push(e.violatedDirective + " " + e.blockedURI));""")
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{live_server.url}{ADMIN}/login")
    page.fill("#email", "owner-with-a-rather-long-address@shop-with-a-long-name.example")
    page.fill("#password", ADMIN_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}{ADMIN}/")
    refused = {}
    public = [f"/feedback/complaint/{shop.site.key}", shop.status_path, f"/feedback/s/{shop.site.key}/nps"]
    for url in [f"{ADMIN}{path}" for path in admin_paths(shop)] + public:
        page.goto(f"{live_server.url}{url}")
        if url.startswith(ADMIN):
            page.click(".fw-menu-toggle")
            assert page.locator("header nav").is_visible(), url
        refused[url] = page.evaluate("window.__refused")
    context.close()
    assert {url: found for url, found in refused.items() if found} == {}
    assert errors == []
