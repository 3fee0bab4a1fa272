"""The dashboard's theme panels, the responses they link to (filtered, with badges), the theme editor
and its emerging topics in a real browser: at 375x740 and 1280x800, in
English, Hungarian and Chinese, the page never scrolls sideways and axe-core finds no violation.

Set ``FW_SCREENSHOTS=/some/dir`` to keep a screenshot of each page (to look at them)."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from feedbackwidget import get_state
from feedbackwidget.core.models import Response, Site, Survey
from feedbackwidget.themes.store import analyse_pending
from feedbackwidget.themes.topics import refresh_topics

from ..conftest import ADMIN_PASSWORD
from .conftest import LiveServer

pytestmark = pytest.mark.browser
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
RULES = "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']"
SIZES = {"phone": (375, 740), "desktop": (1280, 800)}
LOW = ["The parcel came two weeks late and nobody answered", "A csomag két hétig nem érkezett meg",
       "物流太慢了，等了十天才到货", "Delivery was late again, courier lost the parcel"]
HIGH = ["Friendly staff, they helped me choose", "Nagyon kedves és segítőkész volt az eladó",
        "客服态度很好，回复很快", "Lovely customer service, quick answer"]
OTHER = ["ok", "Nice colours", "Szép színek", "颜色很好看"]


def fill(db: Session, site: Site) -> None:
    """Enough answers that both panels show measured effects and a theme with too few answers."""
    survey_id = db.scalar(select(Survey.id).where(Survey.site_id == site.id, Survey.template == "nps"))
    now = dt.datetime.now(dt.timezone.utc)
    rows = ([(LOW[i % 4], i % 5) for i in range(40)] + [(HIGH[i % 4], 9 + i % 2) for i in range(40)]
            + [(OTHER[i % 4], 7 + i % 4) for i in range(30)] + [("Too expensive for what it is", 3)] * 4)
    for number, (comment, score) in enumerate(rows):
        db.add(Response(site_id=site.id, survey_id=survey_id, locale="en", answers={}, comment=comment,
                        nps_score=score, created_at=now - dt.timedelta(hours=number)))
    db.commit()


def violations(page: Any) -> list[str]:
    page.add_script_tag(path=str(AXE))
    found: list[str] = page.evaluate(
        f"async () => (await axe.run(document, {{runOnly: {RULES}}})).violations"
        ".map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '))")
    return found


def overflow(page: Any) -> int:
    """How many CSS px the page is wider than the window (0: no sideways scrolling)."""
    return int(page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth"))


def logged_in_page(browser: Any, live_server: LiveServer, size: tuple[int, int]) -> Any:
    context = browser.new_context(bypass_csp=True, viewport={"width": size[0], "height": size[1]})
    page = context.new_page()
    page.goto(f"{live_server.url}/feedback/admin/login")
    page.fill("#email", "owner@shop.example")
    page.fill("#password", ADMIN_PASSWORD)
    page.click("button[type=submit]")
    return page


def look(page: Any, name: str, part: str = "main") -> dict[str, Any]:
    shots = os.environ.get("FW_SCREENSHOTS")
    if shots and part == "top":
        page.screenshot(path=str(Path(shots) / f"{name}.png"), clip={"x": 0, "y": 0, **page.viewport_size})
    elif shots:
        page.locator(part).first.screenshot(path=str(Path(shots) / f"{name}.png"))
    return {"overflow": overflow(page), "axe": violations(page)}


def test_the_theme_panels_and_editor_fit_and_pass_axe_in_three_languages(
    browser: Any, live_server: LiveServer, make_admin: Any, site: Site, db: Session
) -> None:
    assert AXE.exists(), "axe-core is missing: run 'npm ci' at the top of the repository"
    make_admin("owner@shop.example", sites=[(site, "owner")])
    fill(db, site)
    analyse_pending(get_state(live_server.app).engine)
    refresh_topics(get_state(live_server.app).engine)  # the emerging topics, as the worker stores them
    found: dict[str, Any] = {}
    for size_name, size in SIZES.items():
        page = logged_in_page(browser, live_server, size)
        for lang in ("en", "hu", "zh"):
            page.goto(f"{live_server.url}/feedback/admin/?site={site.id}&lang={lang}")
            assert page.locator(".fw-theme-panel").count() == 2
            assert page.locator(".fw-theme-examples mark").count() > 0
            found[f"dashboard {lang} {size_name}"] = look(page, f"dashboard-{lang}-{size_name}", ".fw-theme-panels")
            page.click(".fw-theme-panel a[href*='theme=delivery']")
            assert page.locator("select[name=theme] option[selected]").get_attribute("value") == "delivery"
            assert page.locator(".fw-theme-badge").count() >= 3
            page.locator(".fw-theme-badge").first.scroll_into_view_if_needed()
            found[f"responses {lang} {size_name}"] = look(page, f"responses-{lang}-{size_name}", "top")
            page.goto(f"{live_server.url}/feedback/admin/sites/{site.id}/themes?lang={lang}")
            found[f"themes {lang} {size_name}"] = look(page, f"themes-{lang}-{size_name}")
            page.click("a[href$='/themes/emerging']")
            assert page.locator(".fw-topic button").count() > 0
            found[f"emerging {lang} {size_name}"] = look(page, f"emerging-{lang}-{size_name}")
            page.goto(f"{live_server.url}/feedback/admin/sites/{site.id}/themes/delivery?lang={lang}")
            page.fill("#seeds_en", "x" * 70)
            page.click("form.fw-panel button[type=submit]")
            assert page.locator(".fw-field-error").count() == 1
            found[f"theme error {lang} {size_name}"] = look(page, f"theme-error-{lang}-{size_name}")
        page.context.close()
    assert found == {name: {"overflow": 0, "axe": []} for name in found}
