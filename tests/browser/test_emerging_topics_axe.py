"""The emerging topics page in a real browser, before the worker's first run (the empty state that
names the command) and after it (topics with a highlighted example and "Turn into a theme"): at
375x740 and 1280x800, in English, Hungarian and Chinese, no sideways scrolling, no axe-core violation.

Set ``FW_SCREENSHOTS=/some/dir`` to keep a screenshot of each page (to look at them)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.orm import Session

from feedbackwidget import get_state
from feedbackwidget.core.models import Site
from feedbackwidget.themes.topics import refresh_topics

from .conftest import LiveServer
from .test_themes_axe import AXE, SIZES, fill, logged_in_page, look

pytestmark = pytest.mark.browser
HEADINGS = {"en": "No emerging topics worked out yet", "hu": "Az új témajelöltek még nem készültek el",
            "zh": "新出现的话题尚未整理"}


def test_the_emerging_topics_page_fits_and_passes_axe_before_and_after_the_worker(
    browser: Any, live_server: LiveServer, make_admin: Any, site: Site, db: Session
) -> None:
    assert AXE.exists(), "axe-core is missing: run 'npm ci' at the top of the repository"
    make_admin("owner@shop.example", sites=[(site, "owner")])
    fill(db, site)
    url = f"{live_server.url}/feedback/admin/sites/{site.id}/themes/emerging"
    found: dict[str, Any] = {}
    for state in ("empty", "worked-out"):
        if state == "worked-out":
            refresh_topics(get_state(live_server.app).engine)
        for size_name, size in SIZES.items():
            page = logged_in_page(browser, live_server, size)
            for lang in ("en", "hu", "zh"):
                page.goto(f"{url}?lang={lang}")
                if state == "empty":
                    assert page.locator(".fw-empty strong").inner_text() == HEADINGS[lang]
                    assert page.locator(".fw-empty code").inner_text() == "feedbackwidget themes refresh"
                else:
                    assert page.locator(".fw-topic button").count() > 0
                    assert page.locator(".fw-topic-example mark").count() > 0
                found[f"{state} {lang} {size_name}"] = look(page, f"emerging-{state}-{lang}-{size_name}")
            page.context.close()
    assert found == {name: {"overflow": 0, "axe": []} for name in found}
