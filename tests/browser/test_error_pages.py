"""The 410 and 503 pages in a real browser, at 375x740 and 1280x800, in English, Hungarian and Chinese:
the design system's card with a heading in the visitor's language, no sideways scrolling, nothing
axe-core finds (the 404 pages are in test_public_pages.py)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import update
from sqlalchemy.orm import Session
from werkzeug.serving import make_server

from feedbackwidget.core.models import Site, utcnow
from feedbackwidget.surveys.models import SurveyLink

from ..smtp import free_port
from ..test_faults_db import _down_app
from ..test_hosted_survey import cli_link
from .checks import AXE, axe_violations, keep_screenshot, sideways_overflow
from .conftest import LiveServer

pytestmark = pytest.mark.browser
SIZES = {"phone": (375, 740), "desktop": (1280, 800)}
GONE = {"en": "This link has expired", "hu": "Ez a link lejárt", "zh": "此链接已过期"}
UNAVAILABLE = {"en": "Temporarily unavailable", "hu": "Átmenetileg nem érhető el", "zh": "暂时无法访问"}


@pytest.fixture
def down_server(make_app: Callable[..., Flask]) -> Iterator[str]:
    """An app whose database does not answer, on a real HTTP server."""
    server = make_server("127.0.0.1", free_port(), _down_app(make_app), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(5)


def problems_on(browser: Any, url: str, status: int, headings: dict[str, str], name: str) -> dict[str, list[str]]:
    """What is wrong with the page at *url* in each size and language ([] where nothing is)."""
    found: dict[str, list[str]] = {}
    for size, (width, height) in SIZES.items():
        for lang, heading in headings.items():
            context = browser.new_context(bypass_csp=True, viewport={"width": width, "height": height},
                                          extra_http_headers={"Accept-Language": lang})
            page = context.new_page()
            answer = page.goto(url)
            assert answer is not None and answer.status == status, (lang, size)
            problems = [] if heading in page.get_by_role("heading", level=1).inner_text() else [
                f"heading {page.get_by_role('heading', level=1).inner_text()!r}"]
            background = page.evaluate("getComputedStyle(document.querySelector('main')).backgroundColor")
            problems += [] if background == "rgb(255, 255, 255)" else [f"a bare page ({background})"]
            found[f"{lang} {size}"] = problems + sideways_overflow(page) + axe_violations(page)
            keep_screenshot(page, f"{name}-{lang}-{size}")
            context.close()
    return found


def test_an_expired_survey_link_is_a_styled_410_in_three_languages(
    browser: Any, live_server: LiveServer, site: Site, db: Session
) -> None:
    assert AXE.exists()
    path = cli_link(live_server.app, site, "--order", "A-1001")
    db.execute(update(SurveyLink).values(expires_at=utcnow().replace(year=2020)))
    db.commit()
    found = problems_on(browser, f"{live_server.url}{path}", 410, GONE, "gone")
    assert found == {name: [] for name in found}


def test_the_503_page_is_styled_in_three_languages(browser: Any, down_server: str) -> None:
    found = problems_on(browser, f"{down_server}/feedback/complaint/site_abc", 503, UNAVAILABLE, "unavailable")
    assert found == {name: [] for name in found}
